"""A case file's timeline: every note in date order with labels and review state."""

from __future__ import annotations

from rich.text import Text

from ..widgets.row_list import RowList
from .list_screen import (FULL_LIST_WIDTH, SHORT_AUTHOR_WIDTH, SHORT_FORMS_HELP, SHORT_TYPE_WIDTH, ListScreen, cell,
                          compact_marks, fitted, label_marks, short_forms)

# Labels before the opening words, which take what is left: the labels stay on screen at 80 columns.
LABELS_WIDTH = 13  # four label marks, or all seven compact ones; a fifth (full) is rare
COLUMNS = f"{cell('date', 11)}{cell('author', 15)}{cell('type', 14)}{cell('state', 9)}{cell('labels', LABELS_WIDTH)}opening words"
#: Under 80 columns the author, type and state take their short forms and the marks a column each, so that the
#: labels and some of the opening words stay on screen at 60 columns.
COMPACT_WIDTHS = (11, SHORT_AUTHOR_WIDTH, SHORT_TYPE_WIDTH, 6)
COMPACT_COLUMNS = "".join(cell(name, width) for name, width in zip(("date", "by", "type", "state"), COMPACT_WIDTHS)) \
    + f"{cell('labels', LABELS_WIDTH)}opening words"


class TimelineScreen(ListScreen):
    """Read a file as a story; Enter jumps to a note."""

    columns = COLUMNS
    HELP_NOTES = f"Under 80 columns the timeline shortens its columns. {SHORT_FORMS_HELP}\n"

    def __init__(self, case_id: str, note_id: str | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.note_id = note_id  # the note open on the review screen: the cursor starts on it
        self.heading = f"Timeline of case {case_id}"

    def load(self) -> int:
        ws = self.app.session.workspace
        self.notes = ws.case_notes(self.case_id)
        self.rows = {r.note_id: r for r in ws.queue_rows([n.note_id for n in self.notes])}
        self.compact = self.list_width < FULL_LIST_WIDTH
        self.columns = COMPACT_COLUMNS if self.compact else COLUMNS
        return len(self.notes)

    def loaded(self, count: int) -> None:
        super().loaded(count)
        ids = [n.note_id for n in self.notes]
        if self.note_id in ids:
            self.query_one(RowList).cursor = ids.index(self.note_id)

    def fetch(self, start: int, stop: int) -> list[Text]:
        lines = []
        for note in self.notes[start:stop]:
            row = self.rows.get(note.note_id)
            state = "reviewed" if row and row.decided_labels else "open"
            suggested = row.suggested if row else ()
            if self.compact:
                values = (note.date, *short_forms(note.author_role, note.note_type, state))
                columns = "".join(cell(value, width) for value, width in zip(values, COMPACT_WIDTHS))
                marks = fitted(compact_marks(suggested), LABELS_WIDTH)
            else:
                columns = f"{cell(note.date, 11)}{cell(note.author_role, 15)}{cell(note.note_type, 14)}{cell(state, 9)}"
                marks = label_marks(suggested)
            # the row ends the opening words with "…" where the screen cuts them
            line = Text(columns, overflow="ellipsis")
            marks.pad_right(LABELS_WIDTH - marks.cell_len)
            line.append_text(marks)
            line.append(" ".join(note.text.split())[:200])  # the row cuts it at the screen's width
            lines.append(line)
        return lines

    def open(self, index: int) -> None:
        self.app.open_note(self.notes[index].note_id, [n.note_id for n in self.notes])
