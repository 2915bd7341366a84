"""Progress: the queue's notes to code, the reviewer's decisions per label, agreement with the model."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ...taxonomy import BY_NAME
from ...wording import count, number, part
from ..widgets.keys_footer import KeysFooter
from .help import KeyRow


def progress_summary(progress: dict, reviewer: str, to_code: int, queued: int) -> str:
    """The lines over the table: what is left of the queue, ``to_code`` of its ``queued`` notes, counted and said as the
    status line and the queue list say it (ReviewSession.notes_to_code: by anyone's decisions, as the panel shows
    them), then the reviewer's own decisions (the table's) and their agreement with the model. The reviewer's line
    said "10,877 remaining", the workspace's notes with no decision of theirs, under a status line's "12 notes left":
    one of the two read as wrong."""
    agreement = progress["agreement_with_model"]
    return (f"Queue: {part(to_code, queued, 'note')} to code (a label still undecided)\n"
            f"{reviewer}: decisions on {count(progress['reviewed_notes'], 'note')} · agreement with the model "
            + (f"{agreement:.0%} ({count(progress['decisions_compared'], 'decision')})" if agreement is not None else "–"))


def progress_view(progress: dict, reviewer: str, to_code: int, queued: int) -> Group:
    """The summary lines, then the reviewer's decisions per label. The lines are not the table's title: a title wraps
    at the table's width (about 50 columns), which left the agreement's "–" alone on a line at 80 columns."""
    table = Table(expand=False)
    for column in ("label", "confirmed", "rejected", "added", "unsure"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for name, counts in progress["per_label"].items():
        label = BY_NAME[name]
        table.add_row(label.shown_name, *(number(counts[s]) for s in ("confirmed", "rejected", "added", "unsure")))
    # Text: a reviewer's name is not markup
    return Group(Text(progress_summary(progress, reviewer, to_code, queued)), table)


class ProgressScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back")]
    HELP_ROWS = (KeyRow(("back",), "back to the screen before"),)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("Counting…", id="progress", markup=False)  # names of reviewers, audits, teams: text
            yield Static("", id="headlines", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True)
    def load(self) -> None:
        session = self.app.session
        self.figures = session.workspace.progress(session.reviewer)
        shown = progress_view(self.figures, session.reviewer, session.notes_to_code(), len(session.note_ids))
        self.app.call_from_thread(self.query_one("#progress", Static).update, shown)
        # The report's headline figures for the whole workspace (read from its decided notes: shown when ready).
        from ... import report

        lines = report.workspace_headlines(session.workspace)
        text = "\n".join(["Workspace figures (all reviewers; `casereview report` for the full report):", *lines]) if lines else ""
        self.app.call_from_thread(self.query_one("#headlines", Static).update, text)
