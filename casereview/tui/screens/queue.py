"""The queue list: the notes of the current queue, paged from SQLite."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.binding import Binding

from ...taxonomy import AUTHOR_ROLES, LABEL_NAMES, NOTE_TYPES
from ...workspace import QueueRow
from ..saves import shortened_id
from ..widgets.row_list import RowList
from .help import KeyRow
from .list_screen import (DATE_COLUMN, FULL_LIST_WIDTH, LIST_GUTTER, SHORT_AUTHOR_WIDTH, SHORT_FORMS_HELP, SHORT_TYPE_WIDTH,
                          TIMED_DATE_COLUMN, ListScreen, case_column, cell, compact_marks, date_cell, fitted,
                          label_mark, review_state, shows_times, author_and_type)

#: The note id, case and author columns share 30 columns: the note column (and the case column, where the note ids
#: do not name their cases) as wide as the workspace's ids need (list_screen.case_column), the author the rest. Ids of
#: up to 7 characters leave every author role whole (28 cut "agency_social_worker" and "family_support_worker" short);
#: the two columns this takes are the type's, whose longest names were cut anyway, so the labels stay on screen at 80.
CASE_AND_AUTHOR = case_column(7) + max(len(role) for role in AUTHOR_ROLES) + 1
#: The narrowest author column of the full layout ("social_wo…"); ids leaving less take the short forms.
AUTHOR_MIN = 10
TYPE_WIDTH = 12
#: Three label marks (the last one's trailing space may fall at the edge): room for them is what the full
#: layout needs; a narrower list takes the short forms (list_screen).
LABELS_ROOM = 8
#: Every label's mark: columns past them (a wide terminal) show the author, then the note type, whole.
ALL_MARKS = 3 * len(LABEL_NAMES)
AUTHOR_WHOLE, TYPE_WHOLE = max(map(len, AUTHOR_ROLES)) + 1, max(map(len, NOTE_TYPES)) + 1

@dataclass(frozen=True)
class QueueLayout:
    """The queue's columns for one width: full, or (``compact``) with the short forms and one-column label marks;
    ``timed``, full with the notes' times. Every note is named by its id (a reviewer tells a colleague, or finds it
    in the case system, by it); ``case`` is 0 where the ids name their cases ("ADO-002-01" of ADO-002)."""

    note: int
    case: int
    width: int
    compact: bool
    timed: bool = False

    @property
    def ids(self) -> tuple[tuple[str, int], ...]:
        return (("note", self.note),) + ((("case", self.case),) if self.case else ())

    @property
    def columns(self) -> tuple[tuple[str, int], ...]:
        """(heading, width) of each column before the labels."""
        if self.compact:
            return (*self.ids, DATE_COLUMN, ("by", SHORT_AUTHOR_WIDTH), ("type", SHORT_TYPE_WIDTH), ("score", 6),
                    ("state", 6))
        author, note_type = self.author_and_type
        return (*self.ids, TIMED_DATE_COLUMN if self.timed else DATE_COLUMN, ("author", author),
                ("type", note_type), ("score", 6), ("state", 9))

    @property
    def author_and_type(self) -> tuple[int, int]:
        """The full layout's author and type columns: the author what the ids leave of their shared width; where the
        terminal has room past every label's mark, each whole (at 120 columns "agency_social_wor…" was cut)."""
        author = max(CASE_AND_AUTHOR - self.note - self.case, AUTHOR_MIN)
        date = (TIMED_DATE_COLUMN if self.timed else DATE_COLUMN)[1]
        spare = max(self.width - (self.note + self.case + date + author + TYPE_WIDTH + 6 + 9) - ALL_MARKS, 0)
        wider = min(spare, max(AUTHOR_WHOLE - author, 0))
        return author + wider, TYPE_WIDTH + min(spare - wider, TYPE_WHOLE - TYPE_WIDTH)

    @property
    def labels_at(self) -> int:
        return sum(width for _, width in self.columns)


def layout_for(width: int, note_width: int, case_width: int, some_timed: bool = False) -> QueueLayout:
    """The full columns where they leave the labels their room (with the notes' times where ``some_timed`` and
    they still do), else the short forms. ``case_width`` 0: no case column (the note ids name their cases)."""
    full = QueueLayout(note_width, case_width, width, False)
    timed = QueueLayout(note_width, case_width, width, False, True)
    if full.labels_at + LABELS_ROOM > width:
        return QueueLayout(note_width, case_width, width, True)
    return timed if shows_times(some_timed, width, timed.labels_at + LABELS_ROOM) else full


def id_columns(workspace) -> tuple[int, int]:
    """The note column's width and the case column's (0 where the note ids name their cases) for ``workspace``."""
    case = 0 if workspace.note_ids_name_cases() else case_column(workspace.longest_case_id())
    return case_column(workspace.longest_note_id()), case


#: The narrowest terminal the queue shows times in (the ids and author columns share a width: whatever the ids).
TIMED_TERMINAL_WIDTH = QueueLayout(case_column(0), 0, 0, False, True).labels_at + LABELS_ROOM + LIST_GUTTER


def columns_heading(layout: QueueLayout) -> str:
    return "".join(cell(name, width) for name, width in layout.columns) + "labels"


def queue_line(row: QueueRow, layout: QueueLayout, coded: bool) -> Text:
    """The row of a note; ``coded``: every label of it decided, as the reviewer's screen shows it."""
    # a score is never cut ("0.87" lost its last digit at 60 columns): its column holds it whole
    score = f"{row.priority:.2f}" if row.priority is not None else "–"
    state = review_state(row.decided_labels, coded)
    author, note_type, state = author_and_type(row.author_role, row.note_type, state, layout.compact)
    ids = (shortened_id(row.note_id, layout.note - 1), row.case_id)[:len(layout.ids)]
    values = (*ids, date_cell(row.date, row.time, layout.timed), author, note_type, score, state)
    line = Text("".join(cell(value, width) for value, (_, width) in zip(values, layout.columns)))
    # marks a space apart when compact (one column each), else three columns each
    marks = compact_marks(row.standing) if layout.compact else [label_mark(name) for name in row.standing]
    line.append_text(fitted(marks, layout.width - layout.labels_at))
    return line


class QueueScreen(ListScreen):
    """Every note of the queue in queue order; Enter opens one for review, t its case file's timeline."""

    BINDINGS = [Binding("t", "timeline", "Timeline", id="timeline")]  # the note screen's key, and its id
    HELP_ROWS = (*ListScreen.HELP_ROWS[:-1], KeyRow(("timeline",), "timeline of the selected note's case file"),
                 ListScreen.HELP_ROWS[-1])

    heading = "Queue"
    row_layout = QueueLayout(case_column(0), 0, FULL_LIST_WIDTH, False)
    columns = columns_heading(row_layout)
    HELP_NOTES = ("The note column names each note by its id (tell a colleague \"note ADO-002-01\", or find it in the "
                  "case system); an id longer than the column is shortened in its middle (CMS-20…0417). The case "
                  "column follows it where the ids do not begin with their case's id. "
                  f"Under 80 columns the queue shortens its columns; from {TIMED_TERMINAL_WIDTH} it shows notes' "
                  f"times beside their dates. {SHORT_FORMS_HELP}\n")
    placed_for = None  # the query of the queue the cursor was last put on the note under review for
    rows_show_decisions = True  # the state column: open, partial, coded

    def load(self) -> int:
        session = self.app.session
        q = session.query
        filters = [f"order {q.order}"] + [f"{k} {v}" for k, v in
                                          (("label", q.label), ("case", q.case_id), ("reviewer", q.reviewer),
                                           ("search", q.search), ("audit", q.audit)) if v]
        if q.unreviewed:
            filters.append("open notes only")  # the filter form's words (--unreviewed)
        self.heading = "Queue · " + " · ".join(filters)
        workspace = session.workspace
        self.row_layout = layout_for(self.list_width, *id_columns(workspace), workspace.has_times())
        self.columns = columns_heading(self.row_layout)
        self.to_code = session.notes_to_code()
        return len(session.note_ids)

    def read_again(self) -> None:
        session = self.app.session
        self.retitle(len(session.note_ids), session.notes_to_code())
        super().read_again()

    def on_mount(self) -> None:  # before ListScreen's, which starts load (Textual runs each class's)
        # the queue's length and the note under review are known without a read: the cursor is on that note at
        # once, and Home or Enter typed before the rows show act on it (the cursor was placed once they had loaded)
        session = self.app.session
        self.query_one(RowList).expect(len(session.note_ids), session.index)
        self.placed_for = session.query

    def loaded(self, count: int) -> None:
        super().loaded(count)
        # the cursor starts on the note under review (as the timeline's does), and goes to it again when the
        # queue changes (a filter or search); otherwise it stays where the reviewer moved it (help closed over it)
        session = self.app.session
        if session.query != self.placed_for:
            self.placed_for = session.query
            self.query_one(RowList).cursor = session.index

    def fetch(self, start: int, stop: int) -> list[Text]:
        session = self.app.session
        page = session.note_ids[start:stop]
        coded = session.coded_notes(page)
        return [queue_line(r, self.row_layout, r.note_id in coded) for r in session.workspace.queue_rows(page)]

    def on_screen_resume(self) -> None:
        self.reload()

    def open(self, index: int) -> None:
        self.app.open_note(self.app.session.note_ids[index])

    def action_timeline(self) -> None:
        note_ids = self.app.session.note_ids
        cursor = self.query_one(RowList).cursor
        if cursor < len(note_ids):
            self.timeline_of(note_ids[cursor])

    @work(thread=True, exclusive=True, group="queue-timeline")
    def timeline_of(self, note_id: str) -> None:
        note = self.app.session.workspace.get_note(note_id)  # its case: off the UI thread, as every read
        if note is not None:
            self.app.call_from_thread(self._open_timeline_of, note_id, note.case_id)

    def _open_timeline_of(self, note_id: str, case_id: str | None) -> None:
        if self.is_current:  # not once the reviewer has left the list meanwhile
            self.app.open_timeline_of(note_id, case_id)
