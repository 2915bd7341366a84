"""A case file's timeline: every note in date order with labels and review state."""

from __future__ import annotations

from rich.text import Text

from ..widgets.row_list import RowList
from .list_screen import ListScreen, cell, label_marks

# Labels before the opening words, which take what is left: the labels stay on screen at 80 columns.
LABELS_WIDTH = 13  # four label marks; a fifth is rare
COLUMNS = f"{cell('date', 11)}{cell('author', 15)}{cell('type', 14)}{cell('state', 9)}{cell('labels', LABELS_WIDTH)}opening words"


class TimelineScreen(ListScreen):
    """Read a file as a story; Enter jumps to a note."""

    columns = COLUMNS

    def __init__(self, case_id: str, note_id: str | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.note_id = note_id  # the note open on the review screen: the cursor starts on it
        self.heading = f"Timeline of case {case_id}"

    def load(self) -> int:
        ws = self.app.session.workspace
        self.notes = ws.case_notes(self.case_id)
        self.rows = {r.note_id: r for r in ws.queue_rows([n.note_id for n in self.notes])}
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
            # the row ends the opening words with "…" where the screen cuts them
            line = Text(f"{cell(note.date, 11)}{cell(note.author_role, 15)}{cell(note.note_type, 14)}{cell(state, 9)}",
                        overflow="ellipsis")
            marks = label_marks(row.suggested if row else ())
            marks.pad_right(LABELS_WIDTH - marks.cell_len)
            line.append_text(marks)
            line.append(" ".join(note.text.split())[:200])  # the row cuts it at the screen's width
            lines.append(line)
        return lines

    def open(self, index: int) -> None:
        self.app.open_note(self.notes[index].note_id)
