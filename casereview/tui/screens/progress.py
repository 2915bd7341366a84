"""Progress: reviewed and remaining notes, decisions per label, agreement with the model."""

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
from ...wording import count, number
from ..widgets.keys_footer import KeysFooter
from .help import KeyRow


def progress_summary(progress: dict, reviewer: str) -> str:
    """The reviewer's line over the table: notes reviewed and remaining, agreement with the model."""
    agreement = progress["agreement_with_model"]
    return (f"{reviewer}: {count(progress['reviewed_notes'], 'note')} reviewed, "
            f"{number(progress['remaining_notes'])} remaining of {number(progress['notes'])} · agreement with the model "
            + (f"{agreement:.0%} ({count(progress['decisions_compared'], 'decision')})" if agreement is not None else "–"))


def progress_view(progress: dict, reviewer: str) -> Group:
    """The summary line, then decisions per label. The line is not the table's title: a title wraps at the
    table's width (about 50 columns), which left the agreement's "–" alone on a line at 80 columns."""
    table = Table(expand=False)
    for column in ("label", "confirmed", "rejected", "added", "unsure"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for name, counts in progress["per_label"].items():
        label = BY_NAME[name]
        table.add_row(label.shown_name, *(number(counts[s]) for s in ("confirmed", "rejected", "added", "unsure")))
    return Group(Text(progress_summary(progress, reviewer)), table)  # Text: a reviewer's name is not markup


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
        self.app.call_from_thread(self.query_one("#progress", Static).update, progress_view(self.figures, session.reviewer))
        # The report's headline figures for the whole workspace (slower: shown when ready).
        from ... import report

        lines = report.build(session.workspace, None, check=None).headlines()
        text = "\n".join(["Workspace figures (all reviewers; `casereview report` for the full report):", *lines]) if lines else ""
        self.app.call_from_thread(self.query_one("#headlines", Static).update, text)
