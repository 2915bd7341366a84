"""The personal-data findings screen driven by keys typed ahead: resolutions land in key order, Escape after them."""

from __future__ import annotations

from casereview.tui.screens.note_review import NoteReviewScreen
from casereview.tui.screens.pii_findings import PiiFindingsScreen
from casereview.tui.widgets.pii_warning import PiiWarning

from ..conftest import copy_of_workspace
from .conftest import press, record_notices, settle, type_ahead

NOTE = {"note_id": "p1", "case_id": "C1",
        "text": "Visited Kayleigh Thompson; mobile 07700 900123. Visit went well and the child was seen alone."}


async def test_resolutions_typed_ahead_land_in_order_and_escape_waits_for_them(open_imported, workspace):
    async with open_imported(NOTE, size=(120, 36)) as pilot:  # scanned: a name and a phone
        app = pilot.app
        await press(pilot, "d")
        assert isinstance(app.screen, PiiFindingsScreen)
        # redact the name, then the phone: each rewrites the note, so they must not interleave; then close
        type_ahead(app, "r", "down", "r", "escape")
        await settle(pilot)
        assert isinstance(app.screen, NoteReviewScreen)
        assert {f.label: f.resolution for f in workspace.pii_findings("p1")} == {"PERSON": "redacted",
                                                                                  "PHONE": "redacted"}
        assert workspace.get_note("p1").text.startswith("Visited [PERSON]; mobile [PHONE]. Visit went well")
        # the note screen shows the note as the saves left it, not as it was when Escape was pressed
        assert not app.screen.query_one(PiiWarning).display
        shown = str(app.screen.query_one("#note-body").render())
        assert "Visited [PERSON]" in shown and "Kayleigh" not in shown


async def test_the_warning_and_the_findings_screen_name_the_keys_rebound_in_keys_toml(open_imported, workspace):
    keymap = {"personal_data": "P", "pii_false_alarm": "x", "pii_redact": "e", "pii_close": "escape,w"}
    async with open_imported(NOTE, size=(120, 36), keymap=keymap) as pilot:
        app = pilot.app
        assert "press P to review" in str(app.screen.query_one(PiiWarning).render())
        await press(pilot, "P")
        assert isinstance(app.screen, PiiFindingsScreen)
        hint = str(app.screen.query_one(".hint").render())
        assert hint.startswith("x false alarm · e redact") and "Escape close" in hint
        await press(pilot, "x")
        assert [f.resolution for f in workspace.pii_findings("p1")][0] == "false_alarm"


EARLIER_RULES = "+rules.1"  # the rules before e-mail addresses in words were found


def scanned_by_earlier_rules(workspace, notes: list[dict]) -> None:
    """``notes`` imported and scanned by the shipped recogniser with the earlier rules, which found nothing in them."""
    from casereview.notes import validate
    from casereview.pii import load_scanner
    from casereview.pii.findings import record_scans

    stored = [validate(n, "n.jsonl", i) for i, n in enumerate(notes, 1)]
    workspace.import_notes(stored, "n.jsonl")
    record_scans(workspace, stored, [[] for _ in stored], scanner_version=load_scanner().model_version + EARLIER_RULES)


UPGRADED = [{"note_id": "u1", "case_id": "CU", "date": "2024-01-02",
             "text": "Mum's email is jo.bloggs at gmail dot com now. Visit went well and the child was seen alone."},
            {"note_id": "u2", "case_id": "CU", "date": "2024-01-03", "text": "Visit went well; no concerns."}]


async def test_notes_scanned_by_an_earlier_scanner_are_scanned_again_as_the_app_starts(make_app, workspace):
    from casereview.workspace import QueueQuery

    scanned_by_earlier_rules(workspace, UPGRADED)
    app = make_app(QueueQuery(order="date", case_id="CU"))
    shown = record_notices(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        messages = [message for _, message in shown]
        assert any("Scanning 2 notes again for personal data" in m and "In the background" in m for m in messages)
        assert "2 notes scanned: 1 new finding to resolve; 0 earlier findings no longer found" in messages
        assert not any("jo.bloggs" in m for m in messages)  # counts and versions, never note text
        warning = app.screen.query_one(PiiWarning)
        assert warning.display and "1 unresolved (EMAIL)" in str(warning.render())
    assert [f.label for f in workspace.pii_findings("u1")] == ["EMAIL"]
    assert workspace.pii_scanned_by_others(load_scanner_version()) == {}


async def test_a_scan_at_start_that_finds_the_workspace_locked_is_a_notice_and_review_goes_on(
        make_app, workspace, impatient_workspace, write_lock):
    from casereview.review import ReviewSession
    from casereview.tui.app import ReviewApp
    from casereview.workspace import QueueQuery

    scanned_by_earlier_rules(workspace, UPGRADED)
    write_lock.hold()  # another program writes: the scan cannot record what it found
    app = ReviewApp(ReviewSession(impatient_workspace, "ann", QueueQuery(order="date", case_id="CU")))
    shown = record_notices(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.is_running
        errors = [message for severity, message in shown if severity == "error"]
        assert len(errors) == 1 and errors[0].startswith("Notes not scanned for personal data (")
        assert "locked" in errors[0] and errors[0].endswith("the next start tries again")
        write_lock.release()
        await press(pilot, "y")  # review goes on
        assert str(app.screen.query_one("#status-line").render()).startswith("saved")
    assert len(impatient_workspace.pii_scanned_by_others(load_scanner_version())) == 2  # scanned next time


async def test_a_notice_naming_a_workspace_shows_its_folder_as_written_not_as_markup(tagged_template, tmp_path,
                                                                                       monkeypatch):
    # the notice's message was read as Textual markup: '[draft]' vanished from the workspace's path, and '[/b]'
    # closing no tag ended the review app with a MarkupError as the notice showed
    from casereview.review import ReviewSession
    from casereview.tui.app import ReviewApp
    from casereview.workspace import QueueQuery, Workspace

    from .conftest import WriteLock

    folder = copy_of_workspace(tagged_template, tmp_path / "QA [draft] [" / "b] ws")  # "QA [draft] [" holding "b] ws"
    monkeypatch.setattr("casereview.workspace.BUSY_TIMEOUT_MS", 200)
    with Workspace.open(folder) as ws:
        scanned_by_earlier_rules(ws, UPGRADED)
        lock = WriteLock(ws.db_path)
        lock.hold()  # the scan as the app opens cannot record what it found: the notice names the workspace
        app = ReviewApp(ReviewSession(ws, "ann", QueueQuery(order="date", case_id="CU")))
        shown = record_notices(app)
        try:
            async with app.run_test(size=(120, 36), notifications=True) as pilot:  # the toasts drawn
                await settle(pilot)
                assert app.is_running
                errors = [message for severity, message in shown if severity == "error"]
                assert len(errors) == 1 and f"{folder}" in errors[0], errors
                toast = " ".join(str(t.render()) for t in app.screen.query("Toast"))
                assert "QA [draft] [/b] ws" in " ".join(toast.split()), toast
        finally:
            lock.release()
            lock.conn.close()


def load_scanner_version() -> str:
    from casereview.pii import load_scanner

    return load_scanner().version


def test_a_findings_context_ends_with_an_ellipsis_only_where_the_note_goes_on():
    # every row ended "…", the note's last words too: it read as if more followed, unseen
    from casereview.tui.screens.pii_findings import CONTEXT_CHARS, finding_line
    from casereview.workspace import PiiFinding

    text = NOTE["text"]
    phone = text.index("07700")
    near_end = PiiFinding(1, "p1", phone, phone + len("07700 900123"), "PHONE", 0.98, None, None, None)
    assert finding_line(text, near_end).plain.endswith("…")  # 47 characters follow it
    ending = text[:len(text) - CONTEXT_CHARS + 5]
    last = PiiFinding(2, "p1", phone, phone + len("07700 900123"), "PHONE", 0.98, None, None, None)
    assert finding_line(ending, last).plain.endswith(ending[-10:])
