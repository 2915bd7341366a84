"""The note text, with each label's evidence sentences highlighted in its colour and symbol, and its comments."""

from __future__ import annotations

import re

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...escaping import visible_controls
from ...names import escaped
from ...review import NoteView
from ...taxonomy import BY_NAME, Label


#: a search's matches: reversed, which a terminal without colour (NO_COLOR) shows too, and apart from evidence's underline
MATCH_STYLE = "reverse"


def search_matches(text: str, search: str | None) -> list[tuple[int, int]]:
    """Where the queue's search (matched as the queue matches it: the words as typed, in any case) is in the text."""
    if not search:
        return []
    return [m.span() for m in re.finditer(re.escape(search), text, re.IGNORECASE)]


def highlighted(view: NoteView, search: str | None = None) -> Text:
    """The note text with each evidence sentence underlined on its label's colour, and the symbol of every label it
    is evidence for before it ("[D][W]"): the marks and the underline show where it starts and ends without colour
    (NO_COLOR, a monochrome terminal) as well as with it. The matches of ``search`` are reversed, in evidence too.
    A control character is drawn as a visible one in its place (:func:`escaping.visible_controls`): Textual writes
    ESC and U+009B to the terminal as they are, so an escape sequence in an imported note retitled or cleared the
    reviewer's terminal; one character for one, the spans' offsets into the stored text still fall on theirs."""
    text = view.note.text
    shown = visible_controls(text)
    spans: list[tuple[int, int, Label]] = []
    for row in view.labels:
        if not (row.suggested or row.state in ("confirmed", "added")) or row.state == "rejected":
            continue
        spans.extend((span["start"], span["end"], BY_NAME[row.name]) for span in row.evidence)
    spans.sort(key=lambda span: (span[0], span[2].number))
    matches = search_matches(text, search)
    cuts = sorted({0, len(text), *(at for start, end, _ in spans for at in (start, end)),
                   *(at for match in matches for at in match)})
    out = Text()
    for start, end in zip(cuts, cuts[1:]):
        for label in (label for at, _, label in spans if at == start):
            out.append(f"[{label.symbol}]", style=f"bold #ffffff on {label.colour}")
        covering = next((label for at, until, label in spans if at <= start < until), None)
        style = f"underline #ffffff on {covering.colour}" if covering else ""
        if any(at <= start < until for at, until in matches):
            style = f"{style} {MATCH_STYLE}".strip()
        out.append(shown[start:end], style=style)
    return out


def comments_text(view: NoteView) -> Text:
    """The note's comments (those the reviewer may see), under a heading, each with who wrote it and when."""
    out = Text()
    if view.comments:
        out.append(f"\nComments ({len(view.comments)})", style="bold")
    for comment in view.comments:
        out.append(f"\n{comment['reviewer']}, {comment['created_at'][:10]}: ", style="italic")
        out.append(escaped(comment["text"]))  # stored before comments were checked: never acted on by the terminal
    return out


class NoteText(VerticalScroll, can_focus=False):
    """Scrollable note text, its comments under it; the screen's keys scroll it while the label panel keeps the
    focus."""

    def compose(self):
        yield Static(id="note-body")
        yield Static(id="note-comments")

    def show(self, view: NoteView, search: str | None = None) -> None:
        self.query_one("#note-body", Static).update(highlighted(view, search))
        comments = self.query_one("#note-comments", Static)
        comments.update(comments_text(view))
        comments.display = bool(view.comments)  # an empty one would still take a line
        self.scroll_home(animate=False)

    def clear(self) -> None:
        self.query_one("#note-body", Static).update("")
        comments = self.query_one("#note-comments", Static)
        comments.update("")
        comments.display = False
        self.scroll_home(animate=False)


def note_scroll_bindings(selector: str) -> list[Binding]:
    """The keys that scroll the note text (the NoteText ``selector`` names) while a panel beside it keeps the focus:
    the same ids on every screen that shows a note, so keys.toml rebinds them on each (actions of :class:`ScrollKeys`).
    Each has a key every terminal sends (ctrl+d, g...): many laptops have no PageDown, Home or End."""
    return [
        Binding("pagedown,ctrl+d", f"scroll('{selector}', 1)", "Scroll note", id="note_page_down", show=False),
        Binding("pageup,ctrl+u", f"scroll('{selector}', -1)", "Scroll note back", id="note_page_up", show=False),
        Binding("shift+down", f"scroll('{selector}', 1, False)", "Note line down", id="note_line_down", show=False),
        Binding("shift+up", f"scroll('{selector}', -1, False)", "Note line up", id="note_line_up", show=False),
        Binding("home,g", f"scroll_to_end('{selector}', False)", "Note start", id="note_start", show=False),
        Binding("end,G", f"scroll_to_end('{selector}', True)", "Note end", id="note_end", show=False),
    ]


class ScrollKeys:
    """A screen's actions that scroll a pane beside the focused panel (a page less a line, a line, or to an end)."""

    def action_scroll(self, selector: str, direction: int, page: bool = True) -> None:
        pane = self.query_one(selector)
        step = max(1, pane.scrollable_content_region.height - 1) if page else 1
        pane.scroll_relative(y=direction * step, animate=False)

    def action_scroll_to_end(self, selector: str, end: bool) -> None:
        pane = self.query_one(selector)
        pane.scroll_end(animate=False) if end else pane.scroll_home(animate=False)
