"""The queue list: the notes of the current queue, paged from SQLite."""

from __future__ import annotations

from rich.text import Text

from ...workspace import QueueRow
from .list_screen import ListScreen, cell, label_marks

COLUMNS = f"{cell('case', 12)}{cell('date', 11)}{cell('author', 16)}{cell('type', 14)}{cell('score', 6)}{cell('state', 9)}labels"


def queue_line(row: QueueRow) -> Text:
    score = f"{row.priority:.2f}" if row.priority is not None else "–"
    state = "reviewed" if row.decided_labels else "open"
    line = Text(f"{cell(row.case_id, 12)}{cell(row.date, 11)}{cell(row.author_role, 16)}"
                f"{cell(row.note_type, 14)}{cell(score, 6)}{cell(state, 9)}")
    line.append_text(label_marks(row.suggested))
    return line


class QueueScreen(ListScreen):
    """Every note of the queue in queue order; Enter opens one for review."""

    heading = "Queue"
    columns = COLUMNS

    def load(self) -> int:
        session = self.app.session
        q = session.query
        filters = [f"order {q.order}"] + [f"{k} {v}" for k, v in
                                          (("label", q.label), ("case", q.case_id), ("reviewer", q.reviewer),
                                           ("search", q.search), ("audit", q.audit)) if v]
        if q.unreviewed:
            filters.append("unreviewed only")
        self.heading = "Queue · " + " · ".join(filters)
        return len(session.note_ids)

    def fetch(self, start: int, stop: int) -> list[Text]:
        session = self.app.session
        return [queue_line(r) for r in session.workspace.queue_rows(session.note_ids[start:stop])]

    def on_screen_resume(self) -> None:
        self.reload()

    def open(self, index: int) -> None:
        self.app.open_note(self.app.session.note_ids[index])
