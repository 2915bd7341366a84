"""A one-line prompt (comment, search) as a modal screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..widgets.keys_footer import KeysFooter


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "", enter_does: str = "save") -> None:
        super().__init__()
        self.title_text, self.placeholder, self.value = title, placeholder, value
        self.enter_does = enter_does  # the hint's verb: a search searches, it saves nothing

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.title_text)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(f"Enter to {self.enter_does} · Escape to cancel", classes="hint")
        yield KeysFooter(compact=True)  # its own keys: the note screen's under it do not work here

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
