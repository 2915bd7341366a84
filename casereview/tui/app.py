"""The review app: opens where the reviewer left off in the queue (else, or asked to, on its first note), ready for a
key."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from ..errors import CaseReviewError
from ..pii.findings import PendingScans, ScanSummary, scan_workspace
from ..review import ReviewSession
from .crashes import CodeOnlyTracebacks
from .hangup import EndsOnceHungUp
from .notices import PlainNotices
from .saves import SavesBeforeQuit
from .screens.case_files import CaseFilesScreen
from .screens.filter import FilterScreen
from .screens.help import key_for, open_help
from .screens.note_review import NoteReviewScreen
from .screens.pii_findings import PiiFindingsScreen
from .screens.progress import ProgressScreen
from .screens.prompt import PromptScreen
from .screens.list_screen import notes_and_to_code
from .screens.queue import QueueScreen
from .screens.timeline import TimelineScreen
from .screens.too_narrow import NeedsMinWidth
from .suspend import Suspends
from .widgets.pii_warning import PiiWarning


class ReviewApp(CodeOnlyTracebacks, PlainNotices, SavesBeforeQuit, Suspends, NeedsMinWidth, EndsOnceHungUp):
    CSS_PATH = "app.tcss"
    TITLE = "casereview"
    ENABLE_COMMAND_PALETTE = True
    # The footer shows the essential keys only (it must fit 80 columns); help lists them all.
    BINDINGS = [
        Binding("l", "queue", "Queue", id="queue", show=False),
        Binding("F", "case_files", "Case files", id="case_files", show=False),
        Binding("p", "progress", "Progress", id="progress", show=False),
        Binding("slash", "search", "Search", id="search", show=False),
        Binding("f", "filter", "Filter", id="filter", show=False),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, session: ReviewSession, *, start: str = "note", keymap: dict[str, str] | None = None,
                 from_start: bool = False):
        super().__init__()
        self.session = session
        # where the queue opens, decided here, before any screen: decided in a worker as the screen opened, it moved
        # the reviewer off a note opened (or decided on) in the first moments
        self.place = session.from_start() if from_start else session.resume()
        self.start = start
        self.keymap = keymap or {}
        self.sub_title = f"reviewer: {session.reviewer}"

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        self.push_screen(NoteReviewScreen())
        if self.start == "files":
            self.push_screen(CaseFilesScreen())
        self.check_width()
        self.scan_for_personal_data()

    # -- personal data: notes not scanned by this version's scanner (after an upgrade) -----------
    @work(thread=True, exclusive=True, group="pii-scan")
    def scan_for_personal_data(self) -> None:
        """Scan, as `pii rescan` does, the notes this scanner has not scanned, off the UI thread (the reviewer goes
        on meanwhile; quitting stops it, recording nothing); the warnings are brought up to date when it ends."""
        worker = get_current_worker()

        def starting(pending: PendingScans) -> None:
            lines = pending.describe() + ["In the background: the red warnings are brought up to date when it ends."]
            self.call_from_thread(self.notify, "\n".join(lines), title="Personal data", timeout=15)

        try:
            # in a forked process: scanning in this one would hold the interpreter the UI needs (each note took
            # seconds to show)
            done = scan_workspace(self.session.workspace, starting=starting, cancelled=lambda: worker.is_cancelled,
                                  processes=1)
        except (CaseReviewError, BrokenProcessPool, OSError) as e:
            # a locked workspace, a changed model file, no memory to fork: say so, review goes on
            if not worker.is_cancelled:
                self.call_from_thread(self.notify, f"Notes not scanned for personal data ({e}); the next start "
                                      "tries again", title="Personal data", severity="error", timeout=30)
            return
        if done.notes and not worker.is_cancelled:
            self.call_from_thread(self._scanned_for_personal_data, done)

    def _scanned_for_personal_data(self, done: ScanSummary) -> None:
        self.notify(done.describe(), title="Personal data", severity="warning" if done.added else "information",
                    timeout=15)
        self.note_screen.query_one(PiiWarning).reload()
        if isinstance(self.screen, PiiFindingsScreen):
            self.screen.reload()

    # -- navigation between screens -------------------------------------------------
    @property
    def note_screen(self) -> NoteReviewScreen:
        return next(s for s in self.screen_stack if isinstance(s, NoteReviewScreen))

    def _back_to_note_screen(self) -> None:
        while not isinstance(self.screen, NoteReviewScreen):
            self.pop_screen()

    def open_note(self, note_id: str, timeline: list[str] | None = None) -> None:
        """Show a note: from the queue list (its place in the queue), or from its case file's ``timeline`` (read
        on in date order by next and previous: :meth:`ReviewSession.read_case`)."""
        if timeline is None:
            self.session.goto(note_id)
        else:
            self.session.read_case(note_id, timeline)
        self._back_to_note_screen()
        self.note_screen.refresh_note()

    def open_timeline(self, case_id: str, note_id: str | None = None) -> None:
        self.push_screen(TimelineScreen(case_id, note_id))

    def open_timeline_of(self, note_id: str, case_id: str | None) -> None:
        """The timeline of a note's case file, on the note (the note screen's and the queue list's timeline key); a
        note with no case file has none, which is said: the key did nothing."""
        if case_id:
            self.open_timeline(case_id, note_id)
        else:
            self.notify(f"note {note_id} has no case file: no timeline to show", timeout=5)

    def _push_unless_top(self, screen_type: type[Screen], *args) -> None:
        if not isinstance(self.screen, screen_type):
            self.push_screen(screen_type(*args))

    def action_queue(self) -> None:
        self._push_unless_top(QueueScreen)

    def action_case_files(self) -> None:
        self._push_unless_top(CaseFilesScreen)

    def action_progress(self) -> None:
        self._push_unless_top(ProgressScreen)

    def action_help(self) -> None:
        open_help(self)

    # -- the queue's query ----------------------------------------------------------
    def action_search(self) -> None:
        def apply(text: str | None) -> None:
            if text is not None:
                self.requery(replace(self.session.query, search=text.strip() or None))

        self.push_screen(PromptScreen("Search note text (empty clears)", "words", self.session.query.search or "",
                                      "search"), apply)

    def action_filter(self) -> None:
        def apply(query) -> None:
            if query is not None:
                self.requery(query)

        self.push_screen(FilterScreen(self.session.query), apply)

    @work(thread=True, exclusive=True, group="requery")
    def requery(self, query) -> None:
        session = self.session
        session.reload(query)
        message = f"queue: {notes_and_to_code(len(session.note_ids), session.notes_to_code())}"
        note = session.workspace.get_note(session.current_id) if session.reading else None
        if note is not None and note.case_id:  # the note shown is still the case's, not the queue's: say why
            message += f" · reading case {note.case_id} on from its timeline"
        self.call_from_thread(self._requeried, message)

    def _requeried(self, message: str) -> None:
        if isinstance(self.screen, QueueScreen):
            self.screen.reload()
        self.note_screen.refresh_note(message)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help, binding_id, action in (
            ("Queue list", "All notes of the queue", "queue", self.action_queue),
            ("Case files", "Case files ranked by concern", "case_files", self.action_case_files),
            ("Progress", "Notes to code, your decisions, agreement", "progress", self.action_progress),
            ("Search", "Search note text", "search", self.action_search),
            ("Filter", "Filter the queue", "filter", self.action_filter),
            ("Codebook and keys", "Help", "help", self.action_help),
        ):
            yield SystemCommand(title, f"{help} ({key_for(screen, binding_id)})", action)
