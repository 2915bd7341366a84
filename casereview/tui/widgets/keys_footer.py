"""The footer: the screen's keys, with help and quit (and the command palette's key) pinned at its right end."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PINNED_ACTIONS = ("help", "quit")


class KeysFooter(Footer):
    """Textual's footer, but keys that do not fit (longer keys from keys.toml, a narrow terminal) are cut from
    the others, never from help, which lists them all, nor quit."""

    DEFAULT_CSS = """
    KeysFooter #pinned-keys { dock: right; width: auto; height: 1; padding-left: 1; background: $footer-background; }
    KeysFooter #pinned-keys FooterKey.-command-palette { dock: none; }
    """

    def compose(self) -> ComposeResult:
        pinned = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (widget.action.rpartition(".")[2] in PINNED_ACTIONS
                                                  or widget.has_class("-command-palette")):
                pinned.append(widget)
            else:
                yield widget
        if pinned:
            with HorizontalGroup(id="pinned-keys"):
                yield from pinned
