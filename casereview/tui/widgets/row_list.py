"""A list of any length, paged from the workspace and rendered line by line.

Textual's DataTable builds every row up front (tens of seconds for 100,000);
this widget uses the Line API: it knows only the row count, renders the visible
lines, and fetches missing pages in a worker.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAGE = 100


class RowList(ScrollView, can_focus=True):
    """Rows ``0..count-1``; ``fetch(start, stop)`` returns their rendered lines."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="row_up"),
        Binding("down,j", "move(1)", "Down", show=False, id="row_down"),
        # ctrl+u / ctrl+d and g / G too: many laptop keyboards have no PageUp, PageDown, Home or End, and a terminal
        # may keep them for its own scrollback
        Binding("pageup,ctrl+u", "page(-1)", "Page up", show=False, id="row_page_up"),
        Binding("pagedown,ctrl+d", "page(1)", "Page down", show=False, id="row_page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id="row_first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="row_last"),
        Binding("enter", "choose", "Open", id="open"),
    ]

    cursor: reactive[int] = reactive(0)

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, count: int, fetch: Callable[[int, int], list[Text]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = count
        self.fetch = fetch
        self.pages: dict[int, list[Text]] = {}
        self._loading: set[int] = set()
        self.virtual_size = Size(0, count)
        self._drawable = True  # False from expect() to reset(): the rows' columns are not laid out yet
        self._generation = 0  # counts resets: a page fetched before one is of rows no longer listed

    def expect(self, count: int, cursor: int) -> None:
        """The rows' count and the cursor, known before the rows can be drawn (a worker lays out their columns):
        keys typed at once (Home, End, Enter) act on the list as it will show; rows show "…" until :meth:`reset`."""
        self.count, self.pages, self._loading, self._drawable = count, {}, set(), False
        self.virtual_size = Size(0, count)
        self.cursor = min(cursor, max(count - 1, 0))
        self.call_after_refresh(self.scroll_to_cursor)  # once laid out: its height is not known before

    def reset(self, count: int, fetch: Callable[[int, int], list[Text]] | None = None) -> None:
        self.count, self.pages, self._loading, self._drawable = count, {}, set(), True
        self._generation += 1
        self.fetch = fetch or self.fetch
        self.virtual_size = Size(0, count)
        self.cursor = min(self.cursor, max(count - 1, 0))
        self.refresh()

    def fetch_again(self) -> None:
        """Fetch the pages drawn again (what they show changed elsewhere, not their count or order): each keeps
        showing as it was until its new rows arrive, with no "…" between."""
        if self._drawable:
            for page in list(self.pages):
                self._load(page)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        if index >= self.count:
            return Strip.blank(width, Style.null())  # see below: a style NO_COLOR's filter can read
        page = index // PAGE
        rows = self.pages.get(page)
        if rows is None:
            if self._drawable:
                self._load(page)
            text = Text("…", style="dim")
        else:
            text = rows[index - page * PAGE] if index - page * PAGE < len(rows) else Text("")
        if text.overflow == "ellipsis" and text.cell_len > width:  # a row asking to show where it is cut
            text = text.copy()
            text.truncate(width, overflow="ellipsis")
        # every part with a style, the blanks after it too: NO_COLOR's filter reads each part's, and Rich gives text
        # of no style None, which crashed the app on every list ('NoneType' object has no attribute 'color')
        segments = [Segment(s.text, s.style or Style.null()) for s in text.render(self.app.console) if s.text != "\n"]
        strip = Strip(segments).crop_extend(0, width, Style.null())
        if index == self.cursor:
            strip = strip.apply_style(Style(reverse=True))
        return strip

    @work(thread=True, group="row-pages")
    def _load(self, page: int) -> None:
        if page in self._loading:
            return
        self._loading.add(page)
        start, generation = page * PAGE, self._generation
        rows = self.fetch(start, min(start + PAGE, self.count))
        self.app.call_from_thread(self._loaded, page, rows, generation)

    def _loaded(self, page: int, rows: list[Text], generation: int) -> None:
        if generation != self._generation:
            return  # fetched before a reset (a filter, another width): those rows, or their columns, are gone
        self.pages[page] = rows
        self._loading.discard(page)
        self.refresh()

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        top, height = self.scroll_offset.y, self.size.height
        # forced: rows just counted (reset) are not laid out yet, and a list not yet known to overflow would not move
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)

    def action_move(self, step: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        if self.count:
            self.cursor = where if where >= 0 else self.count - 1

    def action_choose(self) -> None:
        if self.count:
            self.post_message(self.Chosen(self.cursor))
