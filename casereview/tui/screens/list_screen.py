"""A screen that is a titled, paged list: the base of the queue, case files and timeline."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from ...dates import date_and_time
from ...review import WritesElsewhere
from ...taxonomy import AUTHOR_ROLES, BY_NAME, NOTE_TYPES
from ...wording import count as counted, number
from ..saves import CHECK_ELSEWHERE_SECONDS
from ..widgets.keys_footer import KeysFooter
from ..widgets.row_list import RowList
from .help import KeyRow


#: Short forms of the author, the note type and the review state, for the queue under 80 columns and the timeline
#: under timeline.FULL_TERMINAL_WIDTH (SHORT_FORMS_HELP is their legend in help).
AUTHOR_SHORT = {"social_worker": "SW", "agency_social_worker": "ASW", "senior_practitioner": "SP",
                "team_manager": "TM", "student": "stu", "family_support_worker": "FSW", "iro": "IRO",
                "other": "oth"}
TYPE_SHORT = {"home_visit": "visit", "contact": "contact", "supervision": "superv", "management_decision": "mgmt dec",
              "strategy_discussion": "strategy", "assessment": "assess", "meeting": "meeting", "closure": "closure",
              "case_note": "note"}
STATE_SHORT = {"open": "open", "partial": "part", "coded": "coded"}
assert set(AUTHOR_SHORT) == set(AUTHOR_ROLES) and set(TYPE_SHORT) == set(NOTE_TYPES)
#: The short forms' columns: each the longest short form and a space.
SHORT_AUTHOR_WIDTH = max(map(len, AUTHOR_SHORT.values())) + 1
SHORT_TYPE_WIDTH = max(map(len, TYPE_SHORT.values())) + 1
SHORT_FORMS_HELP = (
    "Author: " + ", ".join(f"{short} {role.replace('_', ' ')}" for role, short in AUTHOR_SHORT.items())
    + ". Type: " + ", ".join(f"{short} {t.replace('_', ' ')}" for t, short in TYPE_SHORT.items() if short != t)
    + ". State: open: no label decided; part partial: some labels decided, some left undecided (·); coded: every"
      " label decided (a blind note's by your own decisions). Labels: each decided a concern (confirmed or added, as"
      " reports count it) and each the model suggests that no one has decided yet; one decided no concern is not"
      " shown. Label marks take a column each; those with no room are counted at the end: +2."
)


def review_state(decided_labels: int, coded: bool) -> str:
    """A note's state in a list: ``coded`` whole (``ReviewSession.coded_notes``, where a review resumes past), else
    ``partial`` (a label decided, another left undecided: a note half done), else ``open``."""
    return "coded" if coded else "partial" if decided_labels else "open"


def label_mark(name: str, compact: bool = False) -> Text:
    """A label's symbol in its colour: the symbol carries the meaning, the colour helps. Compact, the symbol
    alone on its colour (one column, not three), for lists on narrow terminals."""
    label = BY_NAME[name]
    mark = Text()  # the style on the symbol only, not on what is appended after it (a count)
    mark.append(label.symbol if compact else f" {label.symbol} ", style=f"bold #ffffff on {label.colour}")
    return mark


#: what a list, and the note screen, show for a note with no author role or no note type (a blank column read as
#: a layout fault)
NO_VALUE = "–"
#: ... and for a note with no date (a blank date column read as a layout fault too)
NO_DATE = "no date"


def author_and_type(author: str | None, note_type: str | None, state: str,
                    short: bool = False) -> tuple[str, str, str]:
    """A row's author, note type and review state as a list shows them (:data:`NO_VALUE` for none); ``short``, in
    their short forms."""
    author, note_type = author or NO_VALUE, note_type or NO_VALUE
    if short:
        return AUTHOR_SHORT.get(author, author), TYPE_SHORT.get(note_type, note_type), STATE_SHORT[state]
    return author, note_type, state


def compact_marks(names) -> list[Text]:
    """Label marks a column each, a space apart: the parts :func:`fitted` lays out."""
    return [label_mark(name, True) + " " for name in names]


def fitted(parts: list[Text], room: int) -> Text:
    """The parts (a label's mark, with its count) side by side in ``room`` columns; those with no room are
    counted at the end ("+2"), never left out unsaid. A last trailing space may fall at the edge."""
    for shown in range(len(parts), -1, -1):
        line = Text().join(parts[:shown])
        if shown < len(parts):
            line.append(f"+{len(parts) - shown}", style="bold")
        if len(line.plain.rstrip()) <= room or shown == 0:
            return line
    raise AssertionError("unreachable")


def cell(value, width: int) -> str:
    """A fixed-width column with at least one space before the next."""
    text = "" if value is None else str(value)
    return (text[: width - 2] + "…" if len(text) >= width else text).ljust(width)


def notes_and_to_code(notes: int, to_code: int) -> str:
    """Notes and those still to code, as the status line and the progress screen count them
    (ReviewSession.notes_to_code): "10,879 notes, 10,878 to code"; none, "0 notes"."""
    return f"{counted(notes, 'note')}, {number(to_code)} to code" if notes else counted(notes, "note")


#: A list's date column: the date alone, or with its time ("2024-03-12 09:30") where the list shows times.
DATE_COLUMN, TIMED_DATE_COLUMN = ("date", 11), ("date", 17)


def shows_times(some_timed: bool, width: int, timed_width: int) -> bool:
    """Whether a list shows its notes' times: where some note has one and the list is as wide as ``timed_width``, its
    full columns with the wider date column and the room they leave what follows; narrower, dates alone (the rows
    in the same order)."""
    return some_timed and width >= timed_width


def date_cell(date: str | None, time: str | None, timed: bool) -> str:
    """A note's date column: with its time where the list shows times (:func:`shows_times`) and the note has one;
    :data:`NO_DATE` where it has no date."""
    if not date:
        return NO_DATE
    return date_and_time(date, time) if timed else date


#: Case ids up to 15 characters are shown whole, in the queue and the case files: two files must not look the same.
#: Wider, the columns after it would push the labels off a terminal of 80 (76 columns of list).
CASE_WIDTH_MAX = 16


#: Columns of a terminal a list does not show: its padding (one each side) and the scroll bar (two).
LIST_GUTTER = 4
#: The columns a list shows in a terminal of 80: the full layouts' width.
FULL_LIST_WIDTH = 80 - LIST_GUTTER


def case_column(longest: int) -> int:
    """The case column's width for case ids of up to ``longest`` characters (and a space), up to the maximum."""
    return min(max(len("case"), longest) + 1, CASE_WIDTH_MAX)


class ListScreen(Screen):
    """Subclasses give ``title``, ``columns``, ``load()`` (in a worker) and ``row()``/``open()``."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back")]
    HELP_ROWS = (
        KeyRow(("row_up", "row_down"), "select a row"),
        KeyRow(("row_page_up", "row_page_down"), "a page up / down"),
        KeyRow(("row_first", "row_last"), "first / last row"),
        KeyRow(("open",), "open the selected row"),
        KeyRow(("back",), "back to the screen before"),
    )
    heading = ""
    row_noun = "note"  # what a row is: the title counts them ("— 10,879 notes")
    columns = ""
    laid_out_for = 0  # the terminal width the columns were last laid out for (load() reads list_width)
    #: its rows show decisions (a state column, the case files' open counts): read again (read_again) when another
    #: window, reviewer or program has written to the workspace (checked every second, as the note screen checks its
    #: note), in place where rows and order are kept; else they showed what the list read as it opened
    rows_show_decisions = False
    shown: tuple[str, ...] = ()  # row_keys() of the rows on screen
    #: of a list of notes, those still to code, counted in its title beside them (load() reads it); None: not counted
    to_code: int | None = None

    @property
    def list_width(self) -> int:
        """The columns a row can take: the terminal's, less the list's padding and scroll bar."""
        return self.app.size.width - LIST_GUTTER

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading, id="list-title", markup=False)  # case ids and searches are text
        yield Static(self.columns, id="list-columns")
        yield RowList(0, self.fetch, id="rows")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(RowList).focus()
        self.reload()
        if self.rows_show_decisions:
            self._writes_elsewhere = WritesElsewhere(self.app.session.workspace)  # this list's own check
            self.set_interval(CHECK_ELSEWHERE_SECONDS, self._check_elsewhere)

    @work(thread=True, exclusive=True, group="list-elsewhere")
    def _check_elsewhere(self) -> None:
        if self.app.is_running and self._writes_elsewhere():
            self.read_again()

    def read_again(self) -> None:
        """In the check's worker, after a write elsewhere: the pages drawn fetched again (``fetch`` reads what a row
        shows from the workspace), in place."""
        self.app.call_from_thread(lambda: self.query_one(RowList).fetch_again())

    def on_resize(self) -> None:
        # a list lays its columns out for the terminal's width: narrower, they take shorter forms
        if self.laid_out_for and self.app.size.width != self.laid_out_for:
            self.reload()

    @work(thread=True, exclusive=True, group="list")
    def reload(self) -> None:
        self.laid_out_for = self.app.size.width
        count = self.load()
        self.app.call_from_thread(self.loaded, count)

    def loaded(self, count: int) -> None:
        # laid out again with a row come or gone (read_again), the cursor stays on what it selected, not on its row
        # number: a row come above it moved every row after it, and Enter opened the neighbour
        rows = self.query_one(RowList)
        selected = self.shown[rows.cursor] if rows.cursor < len(self.shown) else None
        rows.reset(count, self.fetch)
        self.query_one("#list-title", Static).update(self.titled(self.counted_rows(count)))
        self.query_one("#list-columns", Static).update(self.columns)  # load() may size the columns to the rows
        self.shown = self.row_keys()
        if selected in self.shown:
            rows.cursor = self.shown.index(selected)

    def titled(self, counted: str) -> str:
        """The title: the heading, then ``counted``; where the terminal has no room for both, the heading cut ("…"),
        never the count (a queue's filters and search, or an audit's name, pushed "— 917 notes, 916 to code" off the
        line at 80 columns)."""
        room = self.app.size.width - 2 - len(f" — {counted}")  # the title's padding: a column each side
        heading = self.heading if len(self.heading) <= room else self.heading[:max(room - 1, 0)] + "…"
        return f"{heading} — {counted}"

    def counted_rows(self, count: int) -> str:
        """The title's count of the ``count`` rows loaded ("10,879 notes"), and of those still to code where the list
        counts them ("10,879 notes, 10,878 to code")."""
        return counted(count, self.row_noun) if self.to_code is None else notes_and_to_code(count, self.to_code)

    def retitle(self, count: int, to_code: int) -> None:
        """In the check's worker, after a write elsewhere: the title's count of what is left to code, ``to_code`` of
        the ``count`` rows, as it is now (a note coded elsewhere changes it, as it changes the rows' state column)."""
        self.to_code = to_code
        said = self.titled(self.counted_rows(count))
        self.app.call_from_thread(lambda: self.query_one("#list-title", Static).update(said))

    def row_keys(self) -> tuple[str, ...]:
        """What each row loaded shows (a case file's id, a note's), in order: the cursor is kept on it across a
        reload; none (the default), it keeps its row number."""
        return ()

    def load(self) -> int:
        raise NotImplementedError

    def fetch(self, start: int, stop: int) -> list[Text]:
        raise NotImplementedError

    def open(self, index: int) -> None:
        raise NotImplementedError

    @on(RowList.Chosen)
    def chosen(self, event: RowList.Chosen) -> None:
        self.open(event.index)
