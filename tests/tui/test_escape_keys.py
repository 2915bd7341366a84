"""The terminal's keys as the review apps read them: Escape and a key typed straight after it are two keys."""

from __future__ import annotations

import pytest
from textual import events

from casereview.tui.escape_keys import EscapeThenKey


def keys_read(typed: str) -> list[str]:
    parser = EscapeThenKey(debug=False)
    return [e.key for e in [*parser.feed(typed), *parser.feed("")] if isinstance(e, events.Key)]


@pytest.mark.parametrize(("typed", "keys"), [
    ("\x1by", ["escape", "y"]),  # Textual: alt+y, which nothing binds: both keys lost
    ("\x1bY", ["escape", "Y"]),
    ("\x1b\r", ["escape", "enter"]),  # Textual: enter alone, which saved the comment Escape had closed
    ("\x1b\x7f", ["escape", "backspace"]),  # Textual: ctrl+w, a word of the comment deleted
    ("\x1b1", ["escape", "1"]),  # Textual: "¡"
    ("\x1b/", ["escape", "slash"]),  # Textual: slash alone
    ("\x1b ", ["escape", "space"]),
    ("\x1b\x1by", ["escape", "escape", "y"]),
])
def test_escape_and_the_key_typed_after_it_are_read_as_both(typed, keys):
    assert keys_read(typed) == keys


@pytest.mark.parametrize(("typed", "keys"), [
    ("\x1b", ["escape"]),
    ("\x1b[A", ["up"]),
    ("\x1b[1;5C", ["ctrl+right"]),
    ("\x1bOP", ["f1"]),
    ("\x1bb", ["ctrl+left"]),  # a word left in a prompt, as iTerm sends Option+Left
    ("y", ["y"]),
])
def test_the_terminals_own_sequences_are_read_as_before(typed, keys):
    assert keys_read(typed) == keys
