"""The label panel: every codebook label with score, suggestion and decision state."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...review import LabelView
from ...taxonomy import BY_NAME, LABEL_NAMES

STATE_MARKS = {None: "·", "confirmed": "✓", "rejected": "✗", "added": "+", "unsure": "?"}
STATE_WORDS = {None: "unreviewed", "confirmed": "confirmed", "rejected": "rejected", "added": "added", "unsure": "unsure"}


class LabelPanel(Widget, can_focus=True):
    """Select a label with Up/Down or j/k; decide with y/n/u, 1-7 or a."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="label_up"),
        Binding("down,j", "move(1)", "Down", show=False, id="label_down"),
        Binding("y", "decide('confirmed')", "Confirm", id="confirm"),
        Binding("n", "decide('rejected')", "Reject", id="reject"),
        Binding("u", "decide('unsure')", "Unsure", id="unsure"),
        Binding("a", "accept_all", "Accept all", id="accept_all"),
        *[
            Binding(str(i), f"toggle({i})", "Toggle 1-7" if i == 1 else f"Toggle {i}", show=i == 1, id=f"toggle_{i}")
            for i in range(1, len(LABEL_NAMES) + 1)
        ],
    ]

    cursor: reactive[int] = reactive(0)

    class Decide(Message):
        def __init__(self, label: str, state: str) -> None:
            super().__init__()
            self.label, self.state = label, state

    class Toggle(Message):
        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    class AcceptAll(Message):
        pass

    class Selected(Message):
        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: tuple[LabelView, ...] = ()

    def show(self, rows: tuple[LabelView, ...]) -> None:
        self.rows = rows
        self.refresh()

    @property
    def selected(self) -> str:
        return LABEL_NAMES[self.cursor]

    def watch_cursor(self, value: int) -> None:
        self.post_message(self.Selected(LABEL_NAMES[value]))
        self.refresh()

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(LABEL_NAMES)

    def action_decide(self, state: str) -> None:
        self.post_message(self.Decide(self.selected, state))

    def action_toggle(self, number: int) -> None:
        self.cursor = number - 1
        self.post_message(self.Toggle(LABEL_NAMES[number - 1]))

    def action_accept_all(self) -> None:
        self.post_message(self.AcceptAll())

    def render(self) -> Text:
        out = Text()
        # number(2) + symbol(3) + spaces(2) + score and mark(7) + state(12) = 26 columns around the title
        width = max(8, self.size.width - 26)
        for i, name in enumerate(LABEL_NAMES):
            row = next((r for r in self.rows if r.name == name), None)
            label = BY_NAME[name]
            score = f"{row.score:.2f}" if row and row.score is not None else "  – "
            suggested = "◆" if row and row.suggested else " "
            state = row.state if row else None
            line = Text()
            line.append(f"{i + 1} ", style="dim")
            line.append(f" {label.symbol} ", style=f"bold #ffffff on {label.colour}")
            title = label.title if len(label.title) <= width else label.title[: width - 1] + "…"
            line.append(f" {title:<{width}} ")
            line.append(f"{score} {suggested} ")
            line.append(f"{STATE_MARKS[state]} {STATE_WORDS[state]:<10}", style="bold" if state else "dim")
            if i == self.cursor:
                line.stylize("reverse")
            out.append(line)
            if i < len(LABEL_NAMES) - 1:
                out.append("\n")
        return out
