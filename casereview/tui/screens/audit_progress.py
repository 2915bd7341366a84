"""Progress in an audit: the reviewer's own count, and (unless blind) the audit's headline figures."""

from __future__ import annotations

from collections import Counter

from textual import work
from textual.widgets import Static

from ... import report
from ...taxonomy import LABEL_NAMES
from ...wording import agree, count
from .help import key_for
from .progress import ProgressScreen


def audit_progress_text(session, reject_key: str = "N") -> str:
    """What the progress screen shows for an audit session; a blind reviewer sees only their own count.

    A note counts as decided once the reviewer decided any of its labels; those with labels left undecided are
    counted too (``reject_key`` codes a note whole): a coder who forgot it would stop at "6 of 6 decided".
    """
    audit = session.query.audit
    queue = set(session.note_ids)
    labels_decided = Counter(note_id for note_id, _, reviewer, _ in session.workspace.audit_coding(audit)
                             if reviewer == session.reviewer and note_id in queue)
    partly = sum(n < len(LABEL_NAMES) for n in labels_decided.values())
    line = (f"{session.reviewer}: {len(labels_decided)} of {count(len(session.note_ids), 'note')} "
            f"of audit {audit} decided")
    if partly:
        line += (f"; {partly} {agree(partly, 'has', 'have')} labels left undecided, which agreement counts as "
                 f"unknown ({reject_key} on a note rejects them)")
    lines = [line]
    if session.blind_notes or session.hide_model:
        lines.append("Blind coding: the audit's figures are shown once coding is over (casereview report).")
    else:
        lines += ["", *report.build(session.workspace, audit, check=None).summary_lines()]  # no quotes here
    return "\n".join(lines)


class AuditProgressScreen(ProgressScreen):
    def on_mount(self) -> None:  # before ProgressScreen's, which starts load (Textual runs each class's)
        self.reject_key = key_for(self.app.note_screen, "reject_undecided")  # as bound now, read on the UI thread

    @work(thread=True)
    def load(self) -> None:
        text = audit_progress_text(self.app.session, self.reject_key)
        self.app.call_from_thread(self.query_one("#progress", Static).update, text)
