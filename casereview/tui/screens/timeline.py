"""A case file's timeline: every note in date order with labels and review state."""

from __future__ import annotations

from rich.text import Text

from .list_screen import ListScreen, cell, label_marks

COLUMNS = f"{cell('date', 11)}{cell('author', 16)}{cell('type', 14)}{cell('state', 9)}{cell('opening words', 34)}labels"


class TimelineScreen(ListScreen):
    """Read a file as a story; Enter jumps to a note."""

    columns = COLUMNS

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.heading = f"Timeline of case {case_id}"

    def load(self) -> int:
        ws = self.app.session.workspace
        self.notes = ws.case_notes(self.case_id)
        self.rows = {r.note_id: r for r in ws.queue_rows([n.note_id for n in self.notes])}
        return len(self.notes)

    def fetch(self, start: int, stop: int) -> list[Text]:
        lines = []
        for note in self.notes[start:stop]:
            row = self.rows.get(note.note_id)
            state = "reviewed" if row and row.decided_labels else "open"
            opening = " ".join(note.text.split())[:33]
            line = Text(f"{cell(note.date, 11)}{cell(note.author_role, 16)}{cell(note.note_type, 14)}"
                        f"{cell(state, 9)}{cell(opening, 34)}")
            line.append_text(label_marks(row.suggested if row else ()))
            lines.append(line)
        return lines

    def open(self, index: int) -> None:
        self.app.open_note(self.notes[index].note_id)
