"""The smallest terminal the apps are laid out for, and the notice that asks for it on a narrower one.

Under 60 columns the lists' columns no longer fit (at 46 the queue's labels fell off every row, at 40 its
state too) and the footers drop keys a review needs; rather than broken rows and keys pressed on a screen
that cannot be read, a notice covers the screen until the terminal is wide enough again. It is modal: the
keys of the screens under it do nothing meanwhile (no decision lands unseen), except its quit key.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from .help import key_for

#: Every screen's layout is made and tested for this many columns and more (at 60: the lists' short forms, a case
#: id of 16 characters with room for the label marks, the footers' essential keys).
MIN_WIDTH = 60


class TooNarrowScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TooNarrowScreen { align: center middle; background: $background; }
    TooNarrowScreen #too-narrow { width: 100%; height: auto; padding: 0 1; text-align: center; }
    """
    BINDINGS = [Binding("q", "app.quit", "Quit", id="quit")]

    def __init__(self, width: int) -> None:
        super().__init__()
        self.terminal_width = width

    def compose(self) -> ComposeResult:
        yield Static(id="too-narrow", markup=False)

    def on_mount(self) -> None:
        self.show_width(self.terminal_width)

    def show_width(self, width: int) -> None:
        self.terminal_width = width
        for notice in self.query("#too-narrow").results(Static):  # none before it is composed: on_mount shows it
            notice.update(
                f"casereview needs a terminal at least {MIN_WIDTH} columns wide; this one is {width}. Widen it (or "
                f"make the font smaller) and the review comes back as you left it.\n\n"
                f"{key_for(self, 'quit')} quits (your decisions are saved)."
            )


class NeedsMinWidth(App):
    """An app that covers its screens with :class:`TooNarrowScreen` while the terminal is under MIN_WIDTH."""

    # Screens under 80 columns get the class -narrow (app.tcss gives the header's title the whole line there).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]

    @property
    def too_narrow_notice(self) -> TooNarrowScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, TooNarrowScreen)), None)

    width_checked = False  # the first check is the app's, once its screens are pushed (a resize comes before)

    def check_width(self, width: int | None = None) -> None:
        """Called by the app once it has pushed its screens, then on every resize (with the new width: the app's
        size is still the old one while its resize is handled)."""
        self.width_checked = True
        notice, width = self.too_narrow_notice, self.size.width if width is None else width
        if width < MIN_WIDTH and notice is None:
            self.push_screen(TooNarrowScreen(width))
        elif notice is not None and width < MIN_WIDTH:
            notice.show_width(width)
        elif notice is not None and self.screen is notice:  # nothing opens over it: its keys are its own
            self.pop_screen()

    def on_resize(self, event: events.Resize) -> None:
        if self.width_checked:
            self.check_width(event.size.width)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the command palette's key is Textual's priority binding, which a modal screen does not stop
        if action == "command_palette" and self.too_narrow_notice is not None:
            return False
        return super().check_action(action, parameters)
