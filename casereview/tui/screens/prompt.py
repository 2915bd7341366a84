"""A one-line prompt (comment, search) as a modal screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..widgets.keys_footer import KeysFooter


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "", enter_does: str = "save",
                 escape_keeps: tuple[str, Callable[[str], None]] | None = None) -> None:
        super().__init__()
        self.title_text, self.placeholder, self.value = title, placeholder, value
        self.enter_does = enter_does  # the hint's verb: a search searches, it saves nothing
        #: what the hint says Escape does, and what is given what was typed when it is pressed (a comment's draft
        #: kept: Escape by a slip threw a long comment away); None: Escape cancels
        self.escape_keeps = escape_keeps

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.title_text)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            escape_does = "cancel" if self.escape_keeps is None else self.escape_keeps[0]
            yield Label(f"Enter to {self.enter_does} · Escape to {escape_does}", classes="hint")
        yield KeysFooter(compact=True)  # its own keys: the note screen's under it do not work here

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        if self.escape_keeps is not None:
            self.escape_keeps[1](self.query_one("#prompt-input", Input).value)
        self.dismiss(None)
