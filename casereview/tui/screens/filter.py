"""The filter form: label, case, open notes only (unreviewed), reviewer, queue order."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from ...taxonomy import LABELS
from ...workspace import QUEUE_ORDERS, QueueQuery
from ..widgets.keys_footer import KeysFooter
from ..widgets.state_checkbox import StateCheckbox


#: the unreviewed filter (review --unreviewed) in the lists' words: notes whose state is open
UNREVIEWED_ONLY = "open notes only (no label decided yet)"


class FilterScreen(ModalScreen[QueueQuery | None]):
    # Textual's own Tab and shift+Tab, shown: Enter on a list field opens it, and the footer named Escape alone, so a
    # keyboard user was shown no way to the next field or to Apply
    BINDINGS = [
        Binding("tab", "app.focus_next", "Next field"),
        Binding("shift+tab", "app.focus_previous", "Previous"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, query: QueueQuery) -> None:
        super().__init__()
        self.current = query

    def compose(self) -> ComposeResult:
        q = self.current
        with Vertical(id="filter"):
            yield Label("Filter the queue")
            yield Select([(o, o) for o in QUEUE_ORDERS], value=q.order, allow_blank=False, id="order")
            yield Select([(l.shown_name, l.name) for l in LABELS], value=q.label or Select.NULL,
                         prompt="any label", id="label")
            yield Input(value=q.case_id or "", placeholder="case id", id="case")
            yield Input(value=q.reviewer or "", placeholder="decided by reviewer", id="reviewer")
            # "unreviewed" said less than the lists' state: a note begun (partial) is still to code, yet not listed
            yield StateCheckbox(UNREVIEWED_ONLY, value=q.unreviewed, id="unreviewed")
            yield Button("Apply", variant="primary", id="apply")
        yield KeysFooter(compact=True)  # its own keys: the note screen's under it do not work here

    def on_button_pressed(self) -> None:
        self.apply()

    def on_input_submitted(self) -> None:
        self.apply()

    def apply(self) -> None:
        label = self.query_one("#label", Select).value
        self.dismiss(replace(
            self.current,
            order=self.query_one("#order", Select).value,
            label=None if label is Select.NULL else label,
            case_id=self.query_one("#case", Input).value.strip() or None,
            reviewer=self.query_one("#reviewer", Input).value.strip() or None,
            unreviewed=self.query_one("#unreviewed", StateCheckbox).value,
        ))

    def action_cancel(self) -> None:
        self.dismiss(None)
