"""The review app over an audit (blind double coding) and the adjudication app (an audit's disputes, or the workspace's).

A blind session must not show another reviewer's decisions, nor the model's
suggestions when the audit hides them; the views that would (case files, case
timelines, the queue filter) are closed in a blind session, and the queue list
is masked.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from ..adjudication import AdjudicationSession
from ..double_coding import audit_session
from ..errors import CaseReviewError
from ..workspace import Workspace
from .app import ReviewApp
from .crashes import CodeOnlyTracebacks
from .hangup import EndsOnceHungUp
from .notices import PlainNotices
from .saves import SavesBeforeQuit
from .screens.adjudication import AdjudicationScreen
from .screens.audit_progress import AuditProgressScreen
from .screens.blind_queue import BlindQueueScreen
from .screens.help import open_help
from .screens.too_narrow import NeedsMinWidth
from .suspend import Suspends

BLIND_MESSAGE = "not shown in blind coding: it would show other reviewers' decisions or the model's suggestions"


class AuditReviewApp(ReviewApp):
    @property
    def blind(self) -> bool:
        return bool(self.session.blind_notes) or self.session.hide_model

    def on_mount(self) -> None:
        # Textual calls ReviewApp.on_mount after this (each class's handler in turn): calling it here too pushed a
        # second note screen, and a note opened from a list or timeline was shown on the hidden one
        # what matters first: at 80 columns the header has about 60 for title and subtitle, and cuts the end
        self.title = ("blind · " if self.blind else "") + f"audit {self.session.query.audit}"

    def action_queue(self) -> None:
        self._push_unless_top(BlindQueueScreen)

    def action_progress(self) -> None:
        self._push_unless_top(AuditProgressScreen)

    def action_case_files(self) -> None:
        if self.blind:
            self.notify(f"Case files are {BLIND_MESSAGE}.", severity="warning")
        else:
            super().action_case_files()

    def open_timeline(self, case_id: str, note_id: str | None = None) -> None:
        if self.blind:
            self.notify(f"The case timeline is {BLIND_MESSAGE}.", severity="warning")
        else:
            super().open_timeline(case_id, note_id)

    def action_filter(self) -> None:
        if self.blind:
            self.notify(f"The queue filter is {BLIND_MESSAGE}.", severity="warning")
        else:
            super().action_filter()


class AdjudicationApp(CodeOnlyTracebacks, PlainNotices, SavesBeforeQuit, Suspends, NeedsMinWidth, EndsOnceHungUp):
    CSS_PATH = "app.tcss"
    TITLE = "adjudication"
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, adjudication: AdjudicationSession, *, keymap: dict[str, str] | None = None):
        super().__init__()
        self.adjudication = adjudication
        self.keymap = keymap or {}
        # the scope first: at 80 columns the header has about 60 for title and subtitle, and cuts the end
        self.title = f"adjudication · {'audit ' + adjudication.audit if adjudication.audit is not None else 'workspace'}"
        self.sub_title = f"adjudicator: {adjudication.adjudicator}"

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        self.push_screen(AdjudicationScreen())
        self.check_width()

    def action_help(self) -> None:
        open_help(self)


def audit_app(workspace: Workspace, reviewer: str, *, audit: str | None = None, adjudicate: str | None = None,
              adjudicate_all: bool = False, order: str = "case", keymap: dict[str, str] | None = None,
              from_start: bool = False) -> App:
    """The app for ``casereview review --audit NAME``, ``--adjudicate NAME`` or ``--adjudicate-all`` (``from_start``:
    an audit's review on its first note, not where the reviewer left off; adjudication opens on the first open
    dispute anyway)."""
    if adjudicate_all:
        given = [flag for flag, value in (("--audit", audit), ("--adjudicate", adjudicate)) if value is not None]
        if given:
            raise CaseReviewError(f"--adjudicate-all and {' and '.join(given)}: choose one")
        return AdjudicationApp(AdjudicationSession(workspace, None, reviewer), keymap=keymap)
    if audit is not None and adjudicate is not None:
        raise CaseReviewError("--audit and --adjudicate: choose one")
    if adjudicate is not None:
        return AdjudicationApp(AdjudicationSession(workspace, adjudicate, reviewer), keymap=keymap)
    return AuditReviewApp(audit_session(workspace, reviewer, audit, order), keymap=keymap, from_start=from_start)
