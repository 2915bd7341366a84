"""Progress in an audit: the reviewer's own count, and (unless blind) the audit's headline figures."""

from __future__ import annotations

from textual import work
from textual.widgets import Static

from ... import report
from ...wording import agree, count, number
from .help import key_for
from .progress import ProgressScreen


def audit_progress_text(session, reject_key: str = "N") -> str:
    """What the progress screen shows for an audit session; a blind reviewer sees only their own count.

    The reviewer's notes of the audit coded by them in it (every label decided in the audit) and how many are left
    to code, as the status line counts them (``ReviewSession.audit_progress``); of those, the ones begun, with labels
    left undecided (``reject_key`` codes a note whole: a coder who forgot it stopped at "6 of 6 decided"), and the
    ones every label of which shows decided outside the audit, on which that key saves nothing.
    """
    audit, progress = session.query.audit, session.audit_progress()
    line = (f"{session.reviewer}: {number(progress.coded)} of {count(progress.notes, 'note')} of audit {audit} coded "
            f"by you in it (every label decided), {number(progress.to_code)} to code")
    if progress.begun:
        line += (f"; {number(progress.begun)} begun {agree(progress.begun, 'has', 'have')} labels left undecided, which "
                 f"agreement counts as unknown ({reject_key} on a note rejects them)")
    lines = [line]
    if progress.decided_outside:
        outside = progress.decided_outside
        lines.append(f"{count(outside, 'note')} to code {agree(outside, 'shows', 'show')} every label decided outside "
                     f"the audit (an import's labels, a review before it), which code nothing in it: {reject_key} "
                     "saves nothing there; y, n or u on a label decides it as yours.")
    if session.blind_notes or session.hide_model:
        lines.append("Blind coding: the audit's figures are shown once coding is over (casereview report).")
    else:
        lines += ["", "The audit's figures (every decision on its notes, an import's too):",
                  *report.build(session.workspace, audit, check=None).summary_lines()]  # no quotes here
    return "\n".join(lines)


class AuditProgressScreen(ProgressScreen):
    def on_mount(self) -> None:  # before ProgressScreen's, which starts load (Textual runs each class's)
        self.reject_key = key_for(self.app.note_screen, "reject_undecided")  # as bound now, read on the UI thread

    @work(thread=True)
    def load(self) -> None:
        text = audit_progress_text(self.app.session, self.reject_key)
        self.app.call_from_thread(self.query_one("#progress", Static).update, text)
