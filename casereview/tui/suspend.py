"""Ctrl-Z: the app steps aside for the shell, as other terminal programs do, and comes back whole on fg."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding


class Suspends(App):
    """For an App: ctrl+z suspends it to the shell (the app reads the terminal raw, so the key is the app's to act
    on: unbound, it did nothing), on every screen, a prompt's or help's too (priority, as Textual's ctrl+q); ``fg``
    brings it back, drawn whole again."""

    BINDINGS = [Binding("ctrl+z", "suspend_process", "Suspend", id="suspend", show=False, priority=True)]

    def on_mount(self) -> None:
        self.app_resume_signal.subscribe(self, self.redraw_whole)

    def redraw_whole(self, _app: App) -> None:
        # the terminal's screen is blank on fg: Textual draws what changed, and at times nothing had, so the review
        # came back as its footer alone until a key changed something
        self.refresh(layout=True)
