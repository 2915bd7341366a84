"""Progress in an audit: the reviewer's own count, and (unless blind) the audit's headline figures."""

from __future__ import annotations

from textual import work
from textual.widgets import Static

from ... import report
from ...wording import count
from .progress import ProgressScreen


def audit_progress_text(session) -> str:
    """What the progress screen shows for an audit session; a blind reviewer sees only their own count."""
    audit = session.query.audit
    mine = {note_id for note_id, _, reviewer, _ in session.workspace.audit_coding(audit) if reviewer == session.reviewer}
    lines = [f"{session.reviewer}: {len(mine & set(session.note_ids))} of {count(len(session.note_ids), 'note')} "
             f"of audit {audit} decided"]
    if session.blind_notes or session.hide_model:
        lines.append("Blind coding: the audit's figures are shown once coding is over (casereview report).")
    else:
        lines += ["", *report.build(session.workspace, audit, check=None).summary_lines()]  # no quotes here
    return "\n".join(lines)


class AuditProgressScreen(ProgressScreen):
    @work(thread=True)
    def load(self) -> None:
        text = audit_progress_text(self.app.session)
        self.app.call_from_thread(self.query_one("#progress", Static).update, text)
