"""reader_may_leave: a failed write to stdout is said once the command ends, but never in place of another error."""

import sys

import pytest

from casereview.cli_stdout import StdoutError, reader_may_leave


def run_on_a_full_disk(monkeypatch, command):
    with open("/dev/full", "w") as full:
        monkeypatch.setattr(sys, "stdout", full)  # in the test itself: pytest's capture sets stdout again after setup
        with reader_may_leave():
            print("x" * 100_000)
            command()


def test_a_failed_write_is_said_when_the_command_exits(monkeypatch):
    with pytest.raises(StdoutError, match="No space left on device"):
        run_on_a_full_disk(monkeypatch, lambda: sys.exit(0))


def test_an_error_in_the_command_is_not_hidden_behind_the_failed_write(monkeypatch):
    def bug():
        raise RuntimeError("a real bug")

    with pytest.raises(RuntimeError, match="a real bug"):
        run_on_a_full_disk(monkeypatch, bug)
