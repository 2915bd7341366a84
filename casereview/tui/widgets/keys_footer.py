"""The footer: the screen's keys, with help and quit (and the command palette's key) pinned at its right end."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PINNED_ACTIONS = ("help", "quit")


class KeysFooter(Footer):
    """Textual's footer, but keys that do not fit (longer keys from keys.toml, a narrow terminal) are left out
    whole, never help, which lists them all, nor quit; ``keep`` names the binding ids left out last, the most
    essential first (the others go first, from the right end). The keys shown stay in their order."""

    DEFAULT_CSS = """
    KeysFooter #pinned-keys { dock: right; width: auto; height: 1; padding-left: 1; background: $footer-background; }
    KeysFooter #pinned-keys FooterKey.-command-palette { dock: none; }
    """

    def __init__(self, *, keep: Sequence[str] = (), **options) -> None:
        super().__init__(**options)
        self.keep = tuple(keep)

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

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the keys that fit beside the pinned ones, leaving out the least essential first."""
        if not self.size.width:
            return  # not laid out yet: on_resize comes
        keys = list(self.query_children(FooterKey))
        pinned = self.query("#pinned-keys")
        room = self.size.width - sum(width(key) for key in self.query("#pinned-keys FooterKey"))
        room -= sum(group.styles.gutter.width for group in pinned)

        def needed(shown: list[FooterKey]) -> int:  # the last one's margin may lie under the pinned keys' padding
            return sum(map(width, shown)) - (shown[-1].styles.margin.right if shown and pinned else 0)

        shown = list(keys)
        for key in sorted(keys, key=lambda k: self.essential(k, keys)):  # least essential first
            if needed(shown) <= room:
                break
            shown.remove(key)
        for key in keys:
            key.display = key in shown

    def essential(self, key: FooterKey, keys: list[FooterKey]) -> tuple[int, int]:
        """How essential a key is, least first: keys ``keep`` does not name by their place from the right end, then
        those it names, from its last."""
        active = self.screen.active_bindings.get(key.key)
        binding_id = active.binding.id if active else None
        if binding_id in self.keep:
            return 1, len(self.keep) - self.keep.index(binding_id)
        return 0, -keys.index(key)


def width(key: FooterKey) -> int:
    """The columns a key takes in the footer, shown or not: its text, padding and margin."""
    return key.render().cell_len + key.styles.gutter.width + key.styles.margin.width
