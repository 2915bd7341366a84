"""A case file's timeline: every note in date order with labels and review state."""

from __future__ import annotations

from rich.text import Text

from ...escaping import visible_controls
from ...taxonomy import AUTHOR_ROLES, NOTE_TYPES
from ..widgets.row_list import RowList
from .list_screen import (DATE_COLUMN, LIST_GUTTER, SHORT_AUTHOR_WIDTH, SHORT_FORMS_HELP, SHORT_TYPE_WIDTH,
                          TIMED_DATE_COLUMN, ListScreen, cell, compact_marks, date_cell, fitted, label_mark,
                          review_state, shows_times, author_and_type)

# Labels before the opening words, which take what is left: the labels stay on screen at 80 columns.
LABELS_WIDTH = 13  # four label marks, or all seven compact ones; more are counted ("+1")
#: (heading, width) of the columns before the labels: in full, every author role and note type whole, and in short
#: forms, with the marks a column each, so that the labels and some of the opening words stay on screen at 60 columns.
FULL = (DATE_COLUMN, ("author", max(map(len, AUTHOR_ROLES)) + 1), ("type", max(map(len, NOTE_TYPES)) + 1),
        ("state", 9))
COMPACT = (DATE_COLUMN, ("by", SHORT_AUTHOR_WIDTH), ("type", SHORT_TYPE_WIDTH), ("state", 6))
#: The opening words the full columns leave room for at least: a few words to tell the notes apart. Narrower, the
#: short forms: a full column cut ("agency_social…") said less than its short form and left fewer opening words.
OPENING_WORDS_ROOM = 20
#: For a case file with a note timed, the full columns with the date and its time ("2024-03-12 09:30"), where they
#: leave the opening words as much room; narrower, the dates alone (the rows are in time order all the same).
TIMED = (TIMED_DATE_COLUMN, *FULL[1:])


def list_width_for(columns: tuple[tuple[str, int], ...]) -> int:
    """The narrowest list (terminal, less the gutter) ``columns`` are laid out for."""
    return sum(width for _, width in columns) + LABELS_WIDTH + OPENING_WORDS_ROOM


FULL_WIDTH, TIMED_WIDTH = list_width_for(FULL), list_width_for(TIMED)
#: The narrowest terminals the full columns, and the times, show in: help says so.
FULL_TERMINAL_WIDTH, TIMED_TERMINAL_WIDTH = FULL_WIDTH + LIST_GUTTER, TIMED_WIDTH + LIST_GUTTER


def columns_heading(columns: tuple[tuple[str, int], ...]) -> str:
    return "".join(cell(name, width) for name, width in columns) + f"{cell('labels', LABELS_WIDTH)}opening words"


COLUMNS = columns_heading(FULL)

class TimelineScreen(ListScreen):
    """Read a file as a story; Enter jumps to a note."""

    columns = COLUMNS
    rows_show_decisions = True  # the state column: open, partial, coded
    HELP_NOTES = (f"Under {FULL_TERMINAL_WIDTH} columns the timeline shortens its columns, and under "
                  f"{TIMED_TERMINAL_WIDTH} shows dates without their times. {SHORT_FORMS_HELP}\n")

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
        self.compact = self.list_width < FULL_WIDTH
        timed = shows_times(any(n.time for n in self.notes), self.list_width, TIMED_WIDTH)
        self.row_columns = COMPACT if self.compact else TIMED if timed else FULL
        self.columns = columns_heading(self.row_columns)
        return len(self.notes)

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
            when = date_cell(note.date, note.time, self.row_columns is TIMED)
            columns = "".join(cell(value, width) for value, (_, width) in zip((when, *values), self.row_columns))
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
