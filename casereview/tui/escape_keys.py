"""Escape and the key typed straight after it, read as the two keys they are, not as one Alt key."""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver

ESC = "\x1b"
#: what follows ESC in a sequence Textual goes on reading (CSI, SS3): an arrow key, a mouse event, a terminal's report
_SEQUENCE_STARTS = "[O"
#: ESC b, ESC f: a word left or right in a prompt, as iTerm's natural text editing sends Option+Left/Right; kept so
_WORD_MOVES = {ESC + "b", ESC + "f"}


class EscapeThenKey(XTermParser):
    """Textual's reading of the terminal's keys, but for ESC and one character after it, which terminals send for Alt
    and the character, and tmux (its escape-time) and SSH for Escape typed just before it: read as Escape, then that
    key. Textual read them as an Alt key (alt+y), which no screen binds, or as a key of its table alone, the Escape
    lost: on the comment prompt, Escape (close, the draft kept) then Enter (next note) saved the comment; Escape out
    of the queue list then y did nothing, nor Escape then / or 1 ("¡"). No casereview key is an Alt key. (A printable
    key so typed on a prompt still reaches its box: Textual hands a key to the focused widget before acting on the
    Escape before it, which comes back up from there to the screen's binding.)"""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if alt and sequence not in _SEQUENCE_STARTS:  # the character after an ESC nothing more followed
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence)
            return
        keys = list(super()._sequence_to_key_events(sequence, alt))
        if keys and len(sequence) == 2 and sequence[0] == ESC and sequence not in _WORD_MOVES:
            # an Alt key of Textual's table: ESC Enter read as Enter alone, ESC Backspace as ctrl+w, ESC 1 as "¡"
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence[1])
            return
        yield from keys


class EscapeThenKeyDriver(LinuxDriver):
    """Textual's terminal driver (Linux and macOS), its keys read by :class:`EscapeThenKey`."""

    def run_input_thread(self) -> None:
        linux_driver.XTermParser = EscapeThenKey  # the name Textual's input thread makes its parser by
        super().run_input_thread()
