"""The queue list: the notes of the current queue, paged from SQLite."""

from __future__ import annotations

from rich.text import Text

from ...taxonomy import AUTHOR_ROLES
from ...workspace import QueueRow
from .list_screen import ListScreen, case_column, cell, label_marks

#: The case and author columns share 30 columns: the case column as wide as the workspace's case ids need
#: (list_screen.case_column), the author the rest. Case ids of up to 7 characters (the sample's) leave every
#: author role whole (28 cut "agency_social_worker" and "family_support_worker" short); the two columns this
#: takes are the type's, whose longest names were cut anyway, so the labels stay on screen at 80 columns.
CASE_AND_AUTHOR = case_column(7) + max(len(role) for role in AUTHOR_ROLES) + 1
TYPE_WIDTH = 12


def columns_heading(case_width: int) -> str:
    return (f"{cell('case', case_width)}{cell('date', 11)}{cell('author', CASE_AND_AUTHOR - case_width)}"
            f"{cell('type', TYPE_WIDTH)}{cell('score', 6)}{cell('state', 9)}labels")


def queue_line(row: QueueRow, case_width: int) -> Text:
    score = f"{row.priority:.2f}" if row.priority is not None else "–"
    state = "reviewed" if row.decided_labels else "open"
    line = Text(f"{cell(row.case_id, case_width)}{cell(row.date, 11)}"
                f"{cell(row.author_role, CASE_AND_AUTHOR - case_width)}{cell(row.note_type, TYPE_WIDTH)}{cell(score, 6)}"
                f"{cell(state, 9)}")
    line.append_text(label_marks(row.suggested))
    return line


class QueueScreen(ListScreen):
    """Every note of the queue in queue order; Enter opens one for review."""

    heading = "Queue"
    case_width = case_column(0)
    columns = columns_heading(case_width)

    def load(self) -> int:
        session = self.app.session
        q = session.query
        filters = [f"order {q.order}"] + [f"{k} {v}" for k, v in
                                          (("label", q.label), ("case", q.case_id), ("reviewer", q.reviewer),
                                           ("search", q.search), ("audit", q.audit)) if v]
        if q.unreviewed:
            filters.append("unreviewed only")
        self.heading = "Queue · " + " · ".join(filters)
        self.case_width = case_column(session.workspace.longest_case_id())
        self.columns = columns_heading(self.case_width)
        return len(session.note_ids)

    def fetch(self, start: int, stop: int) -> list[Text]:
        session = self.app.session
        return [queue_line(r, self.case_width) for r in session.workspace.queue_rows(session.note_ids[start:stop])]

    def on_screen_resume(self) -> None:
        self.reload()

    def open(self, index: int) -> None:
        self.app.open_note(self.app.session.note_ids[index])
