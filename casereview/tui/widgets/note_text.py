"""The note text, with each label's evidence sentences highlighted in its colour and symbol."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...review import NoteView
from ...taxonomy import BY_NAME


def highlighted(view: NoteView) -> Text:
    """The note text with evidence spans styled, and a label symbol before each span."""
    text = view.note.text
    marks: list[tuple[int, int, str]] = []
    for row in view.labels:
        if not (row.suggested or row.state in ("confirmed", "added")) or row.state == "rejected":
            continue
        for span in row.evidence:
            marks.append((span["start"], span["end"], row.name))
    marks.sort()
    out, pos = Text(), 0
    for start, end, name in marks:
        if start < pos:  # overlapping evidence of two labels: mark it, keep the first colour
            out.append(f"[{BY_NAME[name].symbol}]", style=f"bold #ffffff on {BY_NAME[name].colour}")
            continue
        out.append(text[pos:start])
        label = BY_NAME[name]
        out.append(f"[{label.symbol}]", style=f"bold #ffffff on {label.colour}")
        out.append(text[start:end], style=f"#ffffff on {label.colour}")
        pos = end
    out.append(text[pos:])
    return out


class NoteText(VerticalScroll, can_focus=False):
    """Scrollable note text; the screen's keys scroll it while the label panel keeps the focus."""

    def compose(self):
        yield Static(id="note-body")

    def show(self, view: NoteView) -> None:
        self.query_one("#note-body", Static).update(highlighted(view))
        self.scroll_home(animate=False)

    def clear(self) -> None:
        self.query_one("#note-body", Static).update("")
        self.scroll_home(animate=False)
