"""The personal-data findings of one note: mark each a false alarm (logged) or redact it."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...errors import CaseReviewError
from ...pii.findings import note_findings, resolve_finding

CONTEXT_CHARS = 30


def finding_line(text: str, finding) -> Text:
    """The finding's type, state and the value in its context (the reviewer must see it to judge)."""
    line = Text(f"{finding.label:<14} ", style="bold")
    state = finding.resolution.replace("_", " ") if finding.resolution else "unresolved"
    line.append(f"{state:<12} ", style="italic")
    start = max(0, finding.start - CONTEXT_CHARS)
    line.append(("…" if start else "") + text[start:finding.start].replace("\n", " "))
    line.append(text[finding.start:finding.end], style="reverse bold")
    line.append(text[finding.end:finding.end + CONTEXT_CHARS].replace("\n", " ") + "…")
    return line


class PiiFindingsScreen(ModalScreen[bool]):
    """Dismisses with True when anything was resolved (the note screen then reloads)."""

    BINDINGS = [
        Binding("f", "resolve('false_alarm')", "False alarm", id="pii_false_alarm"),
        Binding("r", "resolve('redacted')", "Redact", id="pii_redact"),
        Binding("escape,q", "close", "Close", id="pii_close"),
    ]

    def __init__(self, note_id: str) -> None:
        super().__init__()
        self.note_id = note_id
        self.findings: list = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="pii-findings"):
            yield Label(f"Personal data in note {self.note_id}")
            yield OptionList(id="pii-list")
            yield Label("f false alarm · r redact (replaces the value with its type) · Escape close", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    @work(thread=True, exclusive=True, group="pii-findings")
    def reload(self) -> None:
        workspace = self.app.session.workspace
        findings = note_findings(workspace, self.note_id)
        text = workspace.get_note(self.note_id).text
        self.app.call_from_thread(self._show, findings, text)

    def _show(self, findings, text: str) -> None:
        self.findings = findings
        options = self.query_one(OptionList)
        highlighted = options.highlighted or 0
        options.clear_options()
        options.add_options([Option(finding_line(text, f)) for f in findings] or [Option("No findings.", disabled=True)])
        if findings:
            options.highlighted = min(highlighted, len(findings) - 1)

    def action_resolve(self, resolution: str) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.findings):
            return
        self._resolve(self.findings[index].id, resolution)

    @work(thread=True, group="pii-resolve")
    def _resolve(self, finding_id: int, resolution: str) -> None:
        try:
            resolve_finding(self.app.session.workspace, finding_id, resolution, self.app.session.reviewer)
        except CaseReviewError as e:  # e.g. already redacted
            self.app.call_from_thread(self.notify, str(e), severity="warning")
            return
        self.changed = True
        self.app.call_from_thread(self.reload)

    def action_close(self) -> None:
        self.dismiss(self.changed)
