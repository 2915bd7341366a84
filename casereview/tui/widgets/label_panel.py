"""The label panel: every codebook label with score, suggestion and decision state."""

from __future__ import annotations

import functools
import textwrap

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...review import LabelView
from ...taxonomy import BY_NAME, LABEL_NAMES, LABELS

STATE_MARKS = {None: "·", "confirmed": "✓", "rejected": "✗", "added": "+", "unsure": "?"}
STATE_WORDS = {None: "unreviewed", "confirmed": "confirmed", "rejected": "rejected", "added": "added", "unsure": "unsure"}


class LabelPanel(Widget, can_focus=True):
    """Select a label with Up/Down or j/k; decide with y/n/u, 1-7, a or N.

    The deciding keys run the screen's actions at once, as each key is handled:
    a message would reach the screen later, after a following Enter had moved
    on or a following z had undone, and the decision would land on the wrong
    note or out of order.
    """

    BINDINGS = [
        # the screen's: a key typed before the note moved to has shown moves from the row that note opens on
        Binding("up,k", "screen.move_label(-1)", "Up", show=False, id="label_up"),
        Binding("down,j", "screen.move_label(1)", "Down", show=False, id="label_down"),
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
        # n's capital: "no" to every label left undecided, once the reviewer has marked what they see (a blind coder
        # too); after the toggles, so a narrow footer leaves it out first
        Binding("N", "screen.reject_undecided", "Reject rest", tooltip="Reject every label left undecided",
                id="reject_undecided"),
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

    def get_content_height(self, container, viewport, width: int) -> int:
        return sum(map(len, row_layout(width)[2]))

    def render(self) -> Text:
        wide, width, titles = row_layout(self.size.width)
        out = Text()
        for i, (name, title) in enumerate(zip(LABEL_NAMES, titles)):
            row = next((r for r in self.rows if r.name == name), None)
            label = BY_NAME[name]
            score = f"{row.score:.2f}" if row and row.score is not None else "  – "
            suggested = "◆" if row and row.suggested else " "
            state = row.state if row else None
            line = Text()
            line.append(f"{i + 1} ", style="dim")
            line.append(f" {label.symbol} ", style=f"bold #ffffff on {label.colour}")
            line.append(f" {title[0]:<{width}} ")
            line.append(f"{score} {suggested} ")
            line.append(f"{STATE_MARKS[state]} {STATE_WORDS[state]:<10}" if wide else STATE_MARKS[state],
                        style="bold" if state else "dim")
            for more in title[1:]:  # the rest of a long title, under its start
                line.append(f"\n{'':5} {more:<{width}} {'':{(19 if wide else 8)}}")
            if i == self.cursor:
                line.stylize("reverse")
            out.append(line)
            if i < len(LABEL_NAMES) - 1:
                out.append("\n")
        return out


@functools.cache
def row_layout(width: int) -> tuple[bool, int, tuple[tuple[str, ...], ...]]:
    """Whether the rows show state words, the title column's width and each label's title in the lines it takes,
    on a panel ``width`` wide.

    Every title on one line first: with state words where they leave it room (from 110 columns), else with marks
    alone, which leave the titles more (from 88). Where a title still has no room on one line it goes on under
    itself, the states marks, if the titles then take at most one line more than there are labels (under 88: the
    longest title); if they still take more (under 76 columns), titles are cut. Number(2) + symbol(3) + spaces(2) +
    score and mark(7) + state(12) = 26 columns around a title, 15 with a mark alone. From 100 to 109 columns the
    state words once took the room and "Management oversight missing" went on to a second line, a row of the
    definition lost for a word the mark says.
    """
    def wrapped(title_width: int) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(textwrap.wrap(label.title, title_width)) for label in LABELS)

    for words, around in ((True, 26), (False, 15)):
        title_width = max(width - around, 4)
        titles = wrapped(title_width)
        if all(len(lines) == 1 for lines in titles):
            return words, title_width, titles
    if sum(map(len, titles)) <= len(LABELS) + 1:
        return False, title_width, titles
    # a terminal too narrow for that (under 76 columns): a line each, cut, so the definition keeps its room
    return False, title_width, tuple((t if len(t) <= title_width else t[: title_width - 1] + "…",)
                                     for t in (label.title for label in LABELS))
