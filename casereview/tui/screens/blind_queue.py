"""The queue list of a blind audit: no other reviewer's decisions, and no model scores if the audit hides them."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from ...taxonomy import POSITIVE_STATES
from ...workspace import QueueRow
from .queue import QueueScreen, queue_line


def masked(session, row: QueueRow) -> QueueRow:
    """A queue row showing only what the session's reviewer may see."""
    if session.hide_model:
        row = replace(row, priority=None, suggested=())
    if row.note_id in session.blind_notes:  # the coder's own decisions in the audit, not the final states
        own = session.shown_decisions(row.note_id)
        row = replace(row, concerns=tuple(name for name, d in own.items() if d.state in POSITIVE_STATES),
                      cleared=tuple(name for name, d in own.items() if d.state == "rejected"))
    # the state column: coded, partial or open by the coder's own decisions in the audit, as its progress counts
    return replace(row, decided_labels=session.labels_decided(row.note_id, row.decided_labels))


class BlindQueueScreen(QueueScreen):
    def fetch(self, start: int, stop: int) -> list[Text]:
        session = self.app.session
        page = session.note_ids[start:stop]
        coded = session.coded_notes(page)  # a blind note's by the coder's own decisions
        return [queue_line(masked(session, r), self.row_layout, r.note_id in coded)
                for r in session.workspace.queue_rows(page)]
