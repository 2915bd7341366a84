from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.style import Style
from textual import events
from textual.worker import WorkerCancelled
from textual.widgets._footer import FooterKey

from casereview import corpus, importer, registry, tagging
from casereview.notes import validate
from casereview.pii.findings import scan_workspace
from casereview.review import ReviewSession
from casereview.tui.app import ReviewApp
from casereview.tui.widgets.label_panel import LabelPanel
from casereview.workspace import QueueQuery, Workspace

from ..conftest import copy_of_workspace, write_jsonl


@pytest.fixture(scope="session")
def shipped_model():
    """The shipped concern model and its folder, loaded once: a test tags the notes it imports with it."""
    return registry.resolve(None, None)


@pytest.fixture(scope="session")
def tagged_template(tmp_path_factory, shipped_model) -> Path:
    """A workspace with the sample corpus's test-split notes, unlabelled, tagged by the shipped model."""
    folder = tmp_path_factory.mktemp("template") / "ws"
    records = corpus.split(corpus.load(), "test")
    with Workspace.open(folder) as ws:
        ws.import_notes([validate({k: v for k, v in r.items() if k != "labels"}, "sample", i) for i, r in enumerate(records, 1)], "sample.jsonl")
        model, model_folder = shipped_model
        tagging.tag(ws, model, model_folder)
        scan_workspace(ws)  # scanned for personal data, as an import scans (else the app scans them as it starts)
    return folder


@pytest.fixture
def workspace(tagged_template, tmp_path):
    with Workspace.open(copy_of_workspace(tagged_template, tmp_path / "ws")) as ws:
        yield ws


@pytest.fixture
def make_app(workspace):
    def make(query: QueueQuery | None = None, reviewer: str = "ann", **kwargs) -> ReviewApp:
        return ReviewApp(ReviewSession(workspace, reviewer, query or QueueQuery()), **kwargs)

    return make


@pytest.fixture
def open_imported(make_app, workspace, tmp_path):
    """``async with open_imported(note) as pilot``: the note imported (and scanned), the app on it."""

    @contextlib.asynccontextmanager
    async def run(note: dict, size: tuple[int, int] = (80, 24), **app_options):
        importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", [note]))
        app = make_app(**app_options)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.open_note(note["note_id"])
            await settle(pilot)
            yield pilot

    return run


class WriteLock:
    """Another program's connection to the workspace, which can hold its write lock."""

    def __init__(self, db_path: Path) -> None:
        self.conn = sqlite3.connect(db_path)

    def hold(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.rollback()


@pytest.fixture
def write_lock(workspace):
    lock = WriteLock(workspace.db_path)
    yield lock
    lock.conn.close()


@pytest.fixture
def impatient_workspace(workspace, monkeypatch):
    """The same workspace, opened to wait 0.2 s (not 10) for another program's write lock."""
    monkeypatch.setattr("casereview.workspace.BUSY_TIMEOUT_MS", 200)
    with Workspace.open(workspace.path) as ws:
        yield ws


async def check_not_saved_while_locked(pilot, write_lock: WriteLock,
                                                             saved: Callable[[], dict], expected: dict) -> None:
    """y while another program holds the write lock: NOT saved, on screen and notified, the app runs on; y once free: saved."""
    app = pilot.app
    shown = record_notices(app)
    write_lock.hold()
    await press(pilot, "y")
    assert app.is_running and status(app).startswith("NOT saved")
    assert any("NOT saved" in message for _, message in shown)
    assert saved() == {}
    write_lock.release()
    await press(pilot, "y")
    assert saved() == expected
    assert status(app).startswith("saved")


def record_notices(app) -> list[tuple[str, str]]:
    """(severity, message) of every notification ``app`` shows from now on, kept. Its own list (``_notifications``)
    drops each once its timeout has passed: on a busy machine, a scan outlived the notice of its start."""
    shown: list[tuple[str, str]] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        shown.append((kwargs.get("severity", "information"), str(message)))
        return notify(message, *args, **kwargs)

    app.notify = recording  # the app and its screens call self.app.notify, looked up as they call it
    return shown


def status(app) -> str:
    return str(app.screen.query_one("#status-line").render())


async def until(pilot, condition, timeout: float = 60) -> bool:
    """Wait, letting the app run, until ``condition()`` holds (True) or ``timeout`` seconds have passed (False): a
    bound on a hang, not a time the app is given (5 s was short of what a loaded machine took)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await pilot.pause(0.1)
    return True


async def until_stopped(app, timeout: float = 30) -> None:
    """Wait for the app to exit by itself (q waits for the saves queued before it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while app.is_running:
        assert loop.time() < deadline, "the app did not exit"
        await asyncio.sleep(0.05)


async def check_a_crash_never_prints(app, secret: str, capfd, size: tuple[int, int]) -> None:
    """Crash ``app`` in a save whose frame holds ``secret`` in a local variable: the traceback printed is of code only
    (Textual's default shows local variables, which would print note text)."""
    def explode(session):
        note_text = secret  # noqa: F841 - a local a default traceback would print
        raise RuntimeError("boom")

    with pytest.raises(Exception, match="boom"):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.screen._save(explode)
            await settle(pilot)
    captured = capfd.readouterr()
    output = captured.err + captured.out
    assert "boom" in output
    assert secret[:40] not in output


async def settle(pilot) -> None:
    """Let workers finish and the screen catch up.

    A worker of an exclusive group is cancelled when a newer one of its group starts (the personal-data warning
    of a note the reviewer has already left): that is no failure, so the wait starts again for the rest.
    """
    rounds = cancelled = 0
    while rounds < 3:
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            cancelled += 1
            assert cancelled < 50, "workers keep being cancelled"
            continue
        rounds += 1
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press keys, then let the app settle (the workers a key starts save before the screen shows it)."""
    await pilot.press(*keys)
    await settle(pilot)


async def to_row(pilot, row: int) -> None:
    """Move the label panel's cursor to ``row`` (0-based: 0 is label 1) with j and k, as a reviewer does: a note
    opens on its first suggestion still to decide, so a test deciding another row says which it means."""
    panel = pilot.app.screen.query_one(LabelPanel)
    step = row - panel.cursor
    await press(pilot, *(["j"] * step if step > 0 else ["k"] * -step))
    assert panel.cursor == row


async def check_g_and_G_reach_the_ends(pilot, pane) -> None:
    """G scrolls ``pane`` to its end and g to its start: the keys of a keyboard without End and Home."""
    await press(pilot, "G")
    assert pane.scroll_y == pane.max_scroll_y > 0
    await press(pilot, "g")
    assert pane.scroll_y == 0


def type_ahead(app, *keys: str) -> None:
    """Keys that arrive together, before the app has handled the first (as from a terminal)."""
    for key in keys:
        app.post_message(events.Key(key, KEY_CHARACTERS.get(key, key)))


KEY_CHARACTERS = {"enter": "\r", "backspace": "\x7f", "escape": "\x1b"}


def help_key_rows(app) -> dict[str, str]:
    """The open help screen's key table: action -> the keys shown for it."""
    from casereview.tui.screens.help import HelpMarkdown

    rows = {}
    for line in app.screen.query_one(HelpMarkdown).source.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("|") and len(cells) == 2 and cells != ["key", "action"] and not set(cells[0]) <= {"-"}:
            rows[cells[1]] = cells[0]
    return rows


def row_for(rows: dict[str, str], words: str) -> str:
    """The keys of the help row whose action contains ``words``."""
    matches = [keys for action, keys in rows.items() if words in action]
    assert len(matches) == 1, f"{words!r} in {len(matches)} help rows: {rows}"
    return matches[0]


def footer_shown(screen, width: int = 80) -> dict[str, str]:
    """The footer keys whole on a terminal ``width`` wide, none of it under another widget: key -> description."""
    def whole(key) -> bool:
        region = key.region
        return region.width > 0 and region.right <= width and all(
            screen.get_widget_at(x, region.y)[0] is key for x in range(region.x, region.right))

    return {key.key_display: key.description for key in screen.query(FooterKey) if whole(key)}


def screen_rows(app) -> list[list[tuple[str, object]]]:
    """The terminal as the app draws it now, a list of (character, rich Style) per row: the screens under a modal
    one included and the app's filters (NO_COLOR's) applied, as ``export_screenshot`` renders it."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [[(char, segment.style) for strip in row for segment in strip for char in segment.text]
            for row in update.strips]


def drawn_note(app, text: str, body) -> tuple[list[tuple[int, str]], set[int]]:
    """The note ``body`` (a widget) as the terminal draws it, read against ``text``, what it should show character
    for character (white space aside; a "[" on screen begins a label's mark, "[S]", so ``text`` holds none): the
    marks drawn, (the offset of the character each is drawn before, its symbol), and the offsets of the characters
    drawn with a style, colours aside (evidence; NO_COLOR leaves only the underline). Every character is drawn."""
    assert "[" not in text
    region = body.content_region
    cells = [cell for row in screen_rows(app)[region.y:region.bottom] for cell in row[region.x:region.right]
             if not cell[0].isspace()]
    i, at, marks, styled = 0, 0, [], set()
    while i < len(cells):
        while text[at].isspace():
            at += 1
        char, style = cells[i]
        if char == "[":
            assert cells[i + 2][0] == "]"
            marks.append((at, cells[i + 1][0]))
            i += 3
            continue
        assert char == text[at], (char, text[at:at + 20])
        if style.without_color != Style():
            styled.add(at)
        i, at = i + 1, at + 1
    assert at == len(text.rstrip())
    return marks, styled


def bottom_line(app) -> str:
    """The text of the terminal's last row: the footer the reviewer sees."""
    return "".join(char for char, _style in screen_rows(app)[-1]).rstrip()
