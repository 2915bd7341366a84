"""What an app prints when it crashes: a traceback of code only, never local variables (they hold note text)."""

from __future__ import annotations


class CodeOnlyTracebacks:
    """For an App: exit after an unhandled error with a traceback of code only.

    Textual's default shows local variables, which would print note text to the terminal; case notes never appear
    in errors. Every app the tool runs takes this (the review app, the audit and adjudication apps).
    """

    def _fatal_error(self) -> None:
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()
