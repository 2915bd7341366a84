"""The ``casereview`` console script's entry point (and ``python -m casereview``'s).

It imports nothing heavy itself: the command line (typer, rich and the library, about 0.3 s) is imported inside its
``try``, so a Ctrl-C while it loads is said as one at work is, ``error: stopped (Ctrl-C)``, exit 130, not a
KeyboardInterrupt's traceback (the console script imported ``casereview.cli`` at its top, outside any handler).
A Ctrl-C once a command runs is said by ``cli.SaysWhenStopped``, with what the command has done. One once the command
has ended, its output written, is ignored (:func:`_shutdown_ignores_ctrl_c`).
"""

import signal
import sys

#: the exit code of a command stopped by Ctrl-C, as the shell gives one killed by SIGINT (128 + 2)
STOPPED_BY_CTRL_C = 130
#: what a command stopped by Ctrl-C says, after "error: " (cli.say_stopped adds what the command has done)
STOPPED = "stopped (Ctrl-C)"


def main() -> None:
    try:
        from .cli import main as run_command

        run_command()
    except KeyboardInterrupt:  # rich may be half imported: plain text, as cli.say_error writes it to a pipe
        if sys.stderr is not None:  # None: started with stderr closed (2>&-)
            sys.stderr.write(f"error: {STOPPED}\n")
        sys.exit(STOPPED_BY_CTRL_C)
    finally:
        _shutdown_ignores_ctrl_c()


def _shutdown_ignores_ctrl_c() -> None:
    """From the command's end (its work done, stdout flushed, its last line said) a Ctrl-C is ignored: the process
    ends as it would have, with the command's exit code. What follows is Python's own shutdown (modules torn down, a
    second on a loaded machine with spaCy loaded), where Python puts back the system's handling of a signal with a
    handler of its own, not of one ignored: a Ctrl-C there killed the process with no line (-2 to its parent)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
