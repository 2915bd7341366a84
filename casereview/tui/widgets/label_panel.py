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
WIDE_TITLE = 10  # below this many columns for the title, states show as marks only
STATE_WORDS = {None: "unreviewed", "confirmed": "confirmed", "rejected": "rejected", "added": "added", "unsure": "unsure"}


class LabelPanel(Widget, can_focus=True):
    """Select a label with Up/Down or j/k; decide with y/n/u, 1-7 or a.

    The deciding keys run the screen's actions at once, as each key is handled:
    a message would reach the screen later, after a following Enter had moved
    on or a following z had undone, and the decision would land on the wrong
    note or out of order.
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="label_up"),
        Binding("down,j", "move(1)", "Down", show=False, id="label_down"),
        Binding("y", "screen.decide('confirmed')", "Confirm", id="confirm"),
        Binding("n", "screen.decide('rejected')", "Reject", id="reject"),
        Binding("u", "screen.decide('unsure')", "Unsure", id="unsure"),
        Binding("a", "screen.accept_all", "All", tooltip="Accept every suggestion", id="accept_all"),
        # one footer entry, "1-7 Toggle", for the seven keys
        *[
            Binding(str(i), f"screen.toggle({i})", "Toggle", show=i == 1, key_display="1-7" if i == 1 else None,
                    id=f"toggle_{i}")
            for i in range(1, len(LABEL_NAMES) + 1)
        ],
    ]

    cursor: reactive[int] = reactive(0)

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

    def render(self) -> Text:
        out = Text()
        # number(2) + symbol(3) + spaces(2) + score and mark(7) + state(12) = 26 columns around the title;
        # on a narrow panel the state is its mark alone (15 columns), so the title keeps some room
        wide = self.size.width >= 26 + WIDE_TITLE
        width = max(4, self.size.width - (26 if wide else 15))
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
            line.append(f"{STATE_MARKS[state]} {STATE_WORDS[state]:<10}" if wide else STATE_MARKS[state],
                        style="bold" if state else "dim")
            if i == self.cursor:
                line.stylize("reverse")
            out.append(line)
            if i < len(LABEL_NAMES) - 1:
                out.append("\n")
        return out
