"""A case file's timeline: every note in date order with labels and review state."""

from __future__ import annotations

from rich.text import Text

from ...escaping import visible_controls
from ...taxonomy import AUTHOR_ROLES, NOTE_TYPES
from ..saves import shortened_id
from ..widgets.row_list import RowList
from .list_screen import (DATE_COLUMN, LIST_GUTTER, SHORT_AUTHOR_WIDTH, SHORT_FORMS_HELP, SHORT_TYPE_WIDTH,
                          TIMED_DATE_COLUMN, ListScreen, case_column, cell, compact_marks, date_cell, fitted,
                          label_mark, review_state, shows_times, author_and_type)

# Labels before the opening words, which take what is left: the labels stay on screen at 80 columns.
LABELS_WIDTH = 13  # four label marks, or all seven compact ones; more are counted ("+1")
#: (heading, width) of the columns after the note's id and before the labels: in full, every author role and note type
#: whole, and in short forms, with the marks a column each, so that the labels and some of the opening words stay on
#: screen at 60 columns.
FULL = (DATE_COLUMN, ("author", max(map(len, AUTHOR_ROLES)) + 1), ("type", max(map(len, NOTE_TYPES)) + 1),
        ("state", 9))
COMPACT = (DATE_COLUMN, ("by", SHORT_AUTHOR_WIDTH), ("type", SHORT_TYPE_WIDTH), ("state", 6))
#: The opening words the full columns leave room for at least: a few words to tell the notes apart. Narrower, the
#: short forms: a full column cut ("agency_social…") said less than its short form and left fewer opening words.
OPENING_WORDS_ROOM = 20
#: For a case file with a note timed, the full columns with the date and its time ("2024-03-12 09:30"), where they
#: leave the opening words as much room; narrower, the dates alone (the rows are in time order all the same).
TIMED = (TIMED_DATE_COLUMN, *FULL[1:])
#: The sample's note ids ("AG2-003-02"): the widths help gives are for a note column of ids this long.
TYPICAL_NOTE_ID = 10


def list_width_for(columns: tuple[tuple[str, int], ...]) -> int:
    """The narrowest list (terminal, less the gutter) ``columns`` are laid out for."""
    return sum(width for _, width in columns) + LABELS_WIDTH + OPENING_WORDS_ROOM


def with_note(note_width: int, columns: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    """``columns`` after the note column, ``note_width`` wide: every note named by its id, first, as the queue list
    names it (a reviewer tells a colleague "note ADO-002-01", or finds it in the case system, by it)."""
    return (("note", note_width), *columns)


def full_terminal_width(note_width: int) -> int:
    """The narrowest terminal the full columns show in, with a note column ``note_width`` wide."""
    return list_width_for(with_note(note_width, FULL)) + LIST_GUTTER


def timed_terminal_width(note_width: int) -> int:
    """The narrowest terminal the notes' times show in, with a note column ``note_width`` wide."""
    return list_width_for(with_note(note_width, TIMED)) + LIST_GUTTER


def note_column(note_ids: list[str], case_id: str, list_width: int) -> tuple[int, bool]:
    """The note column's width and whether it shows each id's end after its case's id (``…-02``; the title names the
    case): each id whole (up to the lists' widest id column, shortened in its middle past it), unless the short
    forms with whole ids leave the opening words less than their room and every id begins with the case's."""
    whole = case_column(max(map(len, note_ids), default=0))
    if list_width >= list_width_for(with_note(whole, COMPACT)) or not all(
            note_id.startswith(case_id) and len(note_id) > len(case_id) for note_id in note_ids):
        return whole, False
    return max(len("note") + 1, max(len(note_id) - len(case_id) for note_id in note_ids) + 2), True


def columns_heading(columns: tuple[tuple[str, int], ...], list_width: int | None = None) -> str:
    """The heading; in a list ``list_width`` wide, its last word alone ("opening") where both have no room."""
    heading = "".join(cell(name, width) for name, width in columns) + cell("labels", LABELS_WIDTH)
    return heading + ("opening words" if list_width is None or len(heading) + 13 <= list_width else "opening")


def help_notes(note_width: int) -> str:
    """What help says of the timeline's columns, with a note column ``note_width`` wide."""
    return (f"The note column names each note by its id (tell a colleague \"note AG2-003-02\", or find it in the case "
            f"system); where whole ids leave the opening words too little room, it shows each id's end after the "
            f"case's id (…-02 of AG2-003-02 in the timeline of AG2-003). Under {full_terminal_width(note_width)} "
            f"columns the timeline shortens its columns, and under {timed_terminal_width(note_width)} shows dates "
            f"without their times (with note ids of {note_width - 1} characters). {SHORT_FORMS_HELP}\n")


COLUMNS = columns_heading(with_note(case_column(TYPICAL_NOTE_ID), FULL))


class TimelineScreen(ListScreen):
    """Read a file as a story; Enter jumps to a note."""

    columns = COLUMNS
    rows_show_decisions = True  # the state column: open, partial, coded
    HELP_NOTES = help_notes(case_column(TYPICAL_NOTE_ID))  # as the case's notes load, for their ids

    def __init__(self, case_id: str, note_id: str | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.note_id = note_id  # the note open on the review screen: the cursor starts on it
        self.placed = False  # the cursor was put on it: a reload (a resize) leaves it where the reader moved it
        self.heading = f"Timeline of case {case_id}"

    def load(self) -> int:
        session = self.app.session
        self.notes = session.workspace.case_notes(self.case_id)
        if session.query.audit is not None:  # which of the file's notes the reviewer decides here: the others read only
            yours = sum(session.decides(n.note_id) for n in self.notes)
            whose = "every note yours" if yours == len(self.notes) else f"{yours} yours, the others read only"
            self.heading = f"Timeline of case {self.case_id} (audit {session.query.audit}: {whose})"
        ids = [n.note_id for n in self.notes]
        self.to_code = self.notes_to_code(self.notes)
        whole = case_column(max(map(len, ids), default=0))
        self.HELP_NOTES = help_notes(whole)
        self.compact = self.list_width < list_width_for(with_note(whole, FULL))
        self.timed = shows_times(any(n.time for n in self.notes), self.list_width,
                                 list_width_for(with_note(whole, TIMED)))
        self.note_width, self.id_ends = note_column(ids, self.case_id, self.list_width)
        self.row_columns = with_note(self.note_width, COMPACT if self.compact else TIMED if self.timed else FULL)
        self.columns = columns_heading(self.row_columns, self.list_width)
        return len(self.notes)

    def notes_to_code(self, notes) -> int:
        """How many of ``notes`` the reviewer has still to code here, by the rule the queue's count is
        (ReviewSession.notes_to_code): in an audit, of their notes in it (the others are read only)."""
        return self.app.session.to_code_among([n.note_id for n in notes])

    def note_cell(self, note_id: str) -> str:
        """The note column's text for ``note_id``: its end after the case's id where the column shows ends, else whole
        (shortened in its middle where longer than the column)."""
        return f"…{note_id[len(self.case_id):]}" if self.id_ends else shortened_id(note_id, self.note_width - 1)

    def loaded(self, count: int) -> None:
        super().loaded(count)
        if not self.placed and self.note_id in self.shown:
            self.query_one(RowList).cursor = self.shown.index(self.note_id)
        self.placed = True

    def row_keys(self) -> tuple[str, ...]:
        return tuple(n.note_id for n in self.notes)

    def read_again(self) -> None:
        # the case's notes are read as the timeline opens: read again, and shown in place where they are the same
        # notes, none newly timed (decisions change the state column); else (a note imported into the case
        # elsewhere) laid out again, the cursor on its note
        notes = self.app.session.workspace.case_notes(self.case_id)
        if [n.note_id for n in notes] == list(self.shown) and any(n.time for n in notes) == any(n.time for n in
                                                                                                self.notes):
            self.notes = notes
            self.retitle(len(notes), self.notes_to_code(notes))
            super().read_again()
        else:
            self.app.call_from_thread(self.reload)

    def fetch(self, start: int, stop: int) -> list[Text]:
        # the page's decisions read with it, as the queue's are: read again when written elsewhere (fetch_again)
        notes = self.notes[start:stop]
        ids = [n.note_id for n in notes]
        rows = {r.note_id: r for r in self.app.session.workspace.queue_rows(ids)}
        coded = self.app.session.coded_notes(ids)
        lines = []
        for note in notes:
            row = rows.get(note.note_id)
            state = review_state(self.app.session.labels_decided(note.note_id, row.decided_labels if row else 0),
                                 note.note_id in coded)
            standing = row.standing if row else ()
            values = author_and_type(note.author_role, note.note_type, state, self.compact)
            marks = fitted(compact_marks(standing) if self.compact else [label_mark(name) for name in standing],
                           LABELS_WIDTH)
            when = date_cell(note.date, note.time, self.timed)
            columns = "".join(cell(value, width) for value, (_, width) in
                              zip((self.note_cell(note.note_id), when, *values), self.row_columns))
            # the row ends the opening words with "…" where the screen cuts them
            line = Text(columns, overflow="ellipsis")
            marks.pad_right(LABELS_WIDTH - marks.cell_len)
            line.append_text(marks)
            # the row cuts it at the screen's width; an escape sequence is drawn, not sent to the terminal
            line.append(visible_controls(" ".join(note.text.split())[:200]))
            lines.append(line)
        return lines

    def open(self, index: int) -> None:
        self.app.open_note(self.notes[index].note_id, [n.note_id for n in self.notes])
