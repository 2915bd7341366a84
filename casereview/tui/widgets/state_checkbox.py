"""A checkbox whose state shows without colour: X checked, empty unchecked.

Textual's draws an X either way and tells them apart by its colour alone, which NO_COLOR (and a
monochrome terminal) takes away.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class StateCheckbox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # read by ToggleButton each time it draws the button
        return "X" if self.value else " "
