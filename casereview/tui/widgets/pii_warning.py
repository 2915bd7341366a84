"""A warning line above a note that has unresolved personal-data findings (hidden otherwise)."""

from __future__ import annotations

from collections import Counter

from textual import work
from textual.widgets import Static

from ...pii.findings import note_findings
from ..screens.help import key_for


def warning_text(findings, key: str = "d") -> str:
    """'⚠ Personal data: 3 unresolved (PERSON ×2, PHONE) · press d to review', or '' when none is open."""
    open_findings = [f for f in findings if f.resolution is None]
    if not open_findings:
        return ""
    counts = Counter(f.label for f in open_findings)
    kinds = ", ".join(f"{label} ×{n}" if n > 1 else label for label, n in counts.items())
    return f"⚠ Personal data: {len(open_findings)} unresolved ({kinds}) · press {key} to review"


class PiiWarning(Static):
    """Loads the note's findings in a worker and shows the warning when any is unresolved."""

    DEFAULT_CSS = "PiiWarning { background: #b91c1c; color: #ffffff; text-style: bold; padding: 0 1; }"

    note_id: str | None = None

    def on_mount(self) -> None:
        self.display = False

    def load(self, note_id: str) -> None:
        self.note_id = note_id
        self._load(note_id)

    @work(thread=True, exclusive=True, group="pii-warning")
    def _load(self, note_id: str) -> None:
        findings = note_findings(self.app.session.workspace, note_id)
        self.app.call_from_thread(self._show, note_id, findings)

    def reload(self) -> None:
        """Read the shown note's findings again (they changed: a scan after an upgrade)."""
        if self.note_id is not None:
            self._load(self.note_id)

    def clear(self) -> None:
        self.note_id = None
        self._show(None, [])

    def _show(self, note_id: str | None, findings) -> None:
        if note_id != self.note_id:
            return  # findings of a note no longer shown
        text = warning_text(findings, key_for(self.screen, "personal_data")) if findings else ""
        self.update(text)
        self.display = bool(text)
