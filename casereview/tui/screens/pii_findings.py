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

from ...escaping import visible_controls
from ...pii.findings import note_findings, resolve_finding
from ..widgets.keys_footer import KeysFooter
from .help import key_for

CONTEXT_CHARS = 30


def finding_line(text: str, finding) -> Text:
    """The finding's type, state and the value in its context (the reviewer must see it to judge), an escape sequence
    in it drawn, not sent to the terminal (:func:`escaping.visible_controls`, offsets kept)."""
    text = visible_controls(text)
    line = Text(f"{finding.label:<14} ", style="bold")
    state = finding.resolution.replace("_", " ") if finding.resolution else "unresolved"
    line.append(f"{state:<12} ", style="italic")
    start = max(0, finding.start - CONTEXT_CHARS)
    line.append(("…" if start else "") + text[start:finding.start].replace("\n", " "))
    line.append(text[finding.start:finding.end], style="reverse bold")
    end = finding.end + CONTEXT_CHARS
    line.append(text[finding.end:end].replace("\n", " ") + ("…" if end < len(text) else ""))
    return line


class PiiFindingsScreen(ModalScreen[bool]):
    """Dismisses with True when anything was resolved (the note screen then reloads).

    f / r take the highlighted finding when pressed and queue their saves, which run
    one at a time in key order (two redactions of one note must not interleave: each
    rewrites the note and moves the other findings); Escape closes after them.
    """

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
            yield Label(f"Personal data in note {self.note_id}", markup=False)
            yield OptionList(id="pii-list")
            yield Label(f"{key_for(self, 'pii_false_alarm')} false alarm · {key_for(self, 'pii_redact')} redact "
                        f"(replaces the value with its type) · {key_for(self, 'pii_close')} close", classes="hint",
                        markup=False)
        yield KeysFooter(compact=True)  # its own keys: the note screen's under it do not work here

    def on_mount(self) -> None:
        self.saves = self.app.saves  # the app's: Textual cancels a dismissed screen's workers
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
        finding_id, session = self.findings[index].id, self.app.session

        def resolve() -> str:
            # e.g. a redacted finding as a false alarm: NOT saved; already resolved as asked: nothing to save
            _, recorded = resolve_finding(session.workspace, finding_id, resolution, session.reviewer)
            self.changed = self.changed or recorded
            return "saved" if recorded else "already so: nothing recorded"

        self.saves.save(resolve, lambda _: self.saves.show(self._saved))

    def _saved(self) -> None:
        if self.is_attached:
            self.reload()

    def action_close(self) -> None:
        self.saves.put(lambda: self.saves.show(self._close))  # after the saves queued before it

    def _close(self) -> None:
        if self.app.screen is self:  # a second Escape typed ahead finds it closed
            self.dismiss(self.changed)
