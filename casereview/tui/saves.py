"""Saves that run one at a time, in the order their keys were pressed, off the UI thread."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from textual import work
from textual.app import App

from ..errors import CaseReviewError


class SaveQueue:
    """The app's FIFO of save jobs, drained by one thread worker at a time.

    Separate workers per key would race (a quick ``y`` then ``n`` could land as
    ``n`` then ``y``), and an exclusive worker would drop decisions. The worker
    exits when the queue is empty, so none idles in the app between keys. One
    queue per app: every screen's saves run in key order, and a dismissed modal's
    saves are not cancelled with it.

    Quitting queues the exit behind the saves (``SavesBeforeQuit``); whatever is
    still queued when the app has stopped anyway (a crash) runs in :meth:`flush`.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self._jobs: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()  # guards _jobs and _draining
        self._running = threading.Lock()  # one job at a time, popped and run together: key order
        self._draining = False
        self.not_saved: list[str] = []  # failures with no screen left to show them (after the app stopped)
        self.quitting = False  # quit was asked: it runs after the jobs before it, and no key acts meanwhile

    def put(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._jobs.append(job)
            if self._draining:
                return  # the running worker takes it after the earlier ones
            self._draining = True
        self.app.run_worker(self._drain, thread=True, group="save")

    def save(self, save: Callable[[], str], then: Callable[[str], None],
             said: Callable[[str], str] | None = None) -> None:
        """Queue ``save`` (it returns the status message), then ``then(message)``, both in the worker thread;
        ``said(message)``, if given, is the message as shown (the note it was saved on named).

        A library error (a workspace locked by another program, a refused decision)
        becomes 'NOT saved · why', notified as well, and the app keeps running; any
        other error is a bug and ends the app.
        """
        said = said or (lambda message: message)

        def job() -> None:
            try:
                message = said(save())
            except CaseReviewError as e:
                message = said(f"NOT saved · {e}")
                shown = self.show(self.app.notify, message, title="Not saved", severity="error", timeout=20)
                if not shown or self.quitting:  # quitting: the notice would go with the screen, unread
                    self.not_saved.append(message)
            then(message)

        self.put(job)

    @property
    def pending(self) -> bool:
        """Whether a save is queued or running."""
        with self._lock:
            return self._draining

    def show(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run ``callback`` on the UI thread; skipped (False) once the app has stopped: the save itself is done."""
        if not self.app.is_running:
            return False
        try:
            self.app.call_from_thread(callback, *args, **kwargs)
        except RuntimeError:
            if self.app.is_running:
                raise
            return False  # the app stopped between the check and the call
        return True

    def _run_next(self) -> bool:
        with self._running:
            with self._lock:
                if not self._jobs:
                    self._draining = False
                    return False
                job = self._jobs.popleft()
            job()
            return True

    def _drain(self) -> None:
        try:
            while self._run_next():
                pass
        except BaseException:
            with self._lock:
                self._draining = False  # a later put starts a worker; flush runs what is left
            raise

    def flush(self) -> list[str]:
        """Run every save still queued, here, after the app has stopped; returns what was NOT saved.

        A worker still running finishes its job first (saves keep key order). A bug in one
        save does not cost the others: it is reported by its type (never with note text).
        """
        while True:  # the jobs hold their session and this queue: they need no running app
            try:
                if not self._run_next():
                    break
            except Exception as e:  # noqa: BLE001 - the remaining saves still run
                self.not_saved.append(f"NOT saved · {type(e).__name__}")
        return self.not_saved


class SavesBeforeQuit:
    """For an App: one :class:`SaveQueue` for all its screens, and quit waits for the saves queued before it.

    Once quit is asked, no key acts (nor a click): a decision typed in that wait would be saved unseen.
    """

    @cached_property
    def saves(self) -> SaveQueue:
        return SaveQueue(self)

    async def action_quit(self) -> None:
        if self.saves.pending:  # held up, by another program's write lock say: the keys doing nothing are why
            self.notify("Quitting once the decisions made before it are saved.", title="Quitting")
        self.saves.quitting = True
        # Exiting at once would cancel the worker before it saved the decisions typed before q.
        self.saves.put(lambda: self.saves.show(self.exit))

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        # every key's binding and every click runs its action here; taken as done: nothing else handles it
        if self.saves.quitting:
            return True
        return await super().run_action(action, default_namespace, namespaces)


#: The signals that end a review from outside: a hang-up (an SSH connection dropped, a terminal window closed) and a
#: termination (`kill`, a shutdown). Windows has no SIGHUP.
ENDING_SIGNALS = tuple(s for s in (getattr(signal, "SIGHUP", None), signal.SIGTERM) if s is not None)


@contextmanager
def signals_end_app(app: App) -> Iterator[None]:
    """While an app runs and then its saves are flushed: a hang-up or termination ends the app as a crash does, its
    queued saves then run (:meth:`SaveQueue.flush`), rather than killing the process with them, and the terminal, if
    it is still there, is given back as the app found it. The app's return code is the shell's for the signal (129,
    143). A signal while the saves are flushed waits for them; a forked worker ends on it as it would have.
    """
    owner = os.getpid()
    received: list[int] = []

    def end(signum: int, frame: object) -> None:
        if os.getpid() != owner:  # a forked worker inherits this handler
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if received:
            return  # already ending (sshd and the shell both send SIGHUP)
        received.append(signum)
        try:
            loop = asyncio.get_running_loop()  # a handler runs in the main thread: the app's loop, if it runs
        except RuntimeError:
            return  # the app has stopped: the saves being flushed finish
        loop.call_soon_threadsafe(app.exit, None, 128 + signum)

    before = {signum: signal.signal(signum, end) for signum in ENDING_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


#: the status line's width at 80 columns (its padding takes one column each side)
STATUS_COLUMNS = 78
#: a note id named in a message is shortened to fit the line, never below this many characters ("…" included)
NOTE_ID_MIN = 9


def shortened_id(note_id: str, width: int) -> str:
    """``note_id`` in ``width`` characters, its start and end kept and "…" between: one system's ids share their start
    ("CMS-2024-") and tell notes apart at their end, where one more character goes. Whole where it fits, and where
    ``width`` is under :data:`NOTE_ID_MIN`: the message takes two lines then anyway, and the id says which note."""
    if len(note_id) <= width or width < NOTE_ID_MIN:
        return note_id
    end = width // 2
    return f"{note_id[:width - 1 - end]}…{note_id[-end:]}"


def on_note(message: str, note_id: str | None) -> str:
    """``message`` said of ``note_id``, a note the reviewer has left (None: the one on screen): its id after the
    message's first words, "saved on X · ...", "undone on X · ...", "comment saved on X". At the end, " (on note X)",
    a message with the longest title wrapped at 80 columns, and the note's text lost a row to it. A long id (the
    importer takes any length) is shortened in its middle so that the message keeps to 80 columns, its label whole."""
    if note_id is None:
        return message
    head, dot, rest = message.partition(" · ")
    if not dot:
        head, dot, rest = message.partition("; ")
    named = shortened_id(note_id, STATUS_COLUMNS - len(f"{head} on {dot}{rest}"))
    return f"{head} on {named}{dot}{rest}"


def left_note(session: Any, note_id: str) -> str | None:
    """``note_id`` if the reviewer has moved on from it (a save of a key typed there ends after the move), else None."""
    return None if note_id == session.current_id else note_id


#: how often a screen showing a note checks for decisions made elsewhere (another window, another reviewer or
#: adjudicator): a check reads no table (``changed_elsewhere``), and the note is read again only when something was
#: written
CHECK_ELSEWHERE_SECONDS = 1.0


class NoteSaves:
    """For a screen showing one note of ``self.session`` (``current_id``, ``view()``, ``next()``, ``previous()``).

    Its deciding keys take the note open when the key is pressed and queue their
    saves, which run in key order; each save then shows the current note with what
    was saved. The screen gives ``show_view(view, message)``, which shows only a
    ``fresh`` view, and ``refresh_note(message)`` (a worker that calls ``read_and_show``);
    with :meth:`watch_elsewhere`, ``said_changed(before, after)``, what the status line
    says of the note read again after a write elsewhere (the session's ``changed_elsewhere()``).
    """

    _shown_read = 0  # the read stamp of the view on screen
    _checking = False  # a check for changes made elsewhere is running: the next waits for it to end

    @property
    def saves(self) -> SaveQueue:
        return self.app.saves

    def fresh(self, view: Any) -> bool:
        """Whether to show ``view``; if so, it is taken as the view on screen.

        Skipped: a view read before the reviewer moved on (the current note's view
        follows), and a view read before the one on screen (a refresh's read that
        arrives after a save's read, which would hide the new decision).
        """
        if view is None:
            return True
        if view.note.note_id != self.session.current_id or view.read < self._shown_read:
            return False
        self._shown_read = view.read
        return True

    def read_and_show(self, message: str = "") -> None:
        """In a worker thread: read the current note's view and show it (not once the app has stopped)."""
        if self.app.is_running:
            self.saves.show(self.show_view, self.session.view(), message)

    def _save(self, save: Callable[[Any], str]) -> None:
        """Queue ``save(session)`` (it returns the status message); then show the current note.

        The queue and the session are taken now, as the key is pressed: a save that runs after
        the app has stopped (:meth:`SaveQueue.flush`) could not reach them through the screen.
        """
        self._save_said(save)

    def _save_said(self, save: Callable[[Any], str], said: Callable[[Any, str], str] | None = None) -> None:
        """:meth:`_save`; ``said(session, message)`` gives what the status line says, NOT saved too."""
        saves, session = self.saves, self.session
        saves.save(lambda: save(session),
                   lambda message: saves.app.is_running and saves.show(self.show_view, session.view(), message),
                   said=said and (lambda message: said(session, message)))

    def _save_on_note(self, action: Callable[[Any, str], Any], describe: Callable[[Any], str],
                      note_id: str | None = None) -> None:
        """Save ``action(session, note_id)`` for the note open when the key was pressed, not when the save runs: what
        it says names that note once the reviewer has left it (:func:`on_note`)."""
        note_id = note_id or self.session.current_id
        if note_id is None:
            return  # an empty queue: nothing to decide on
        self._save_said(lambda session: describe(action(session, note_id)),
                        lambda session, message: on_note(message, left_note(session, note_id)))

    # -- the open note changed elsewhere: another window, another reviewer or adjudicator ------------------
    def watch_elsewhere(self) -> None:
        """Check every second for writes made elsewhere, and show the open note read again after one."""
        self.set_interval(CHECK_ELSEWHERE_SECONDS, self.check_elsewhere)

    def check_elsewhere(self) -> None:
        """Read the open note again if the workspace was written to elsewhere (in a worker, one at a time: a check
        held up behind another program's write lock is not joined by more)."""
        if not self._checking:
            self._checking = True
            self._check_elsewhere()

    @work(thread=True, group="elsewhere")
    def _check_elsewhere(self) -> None:
        try:
            if self.app.is_running and self.session.changed_elsewhere():
                self.saves.show(self.show_changed, self.session.view())
        finally:
            self._checking = False

    def show_changed(self, view: Any) -> None:
        """Show the open note read again after a write elsewhere, saying what changed (the screen's
        ``said_changed(before, after)``; '' for nothing to say: the view is shown, the status line left as it is,
        only if it differs, a count of the scope's in its header say); while a key's save is pending, only the note
        (the save says what it saved, and a state it changed is not another window's)."""
        before = getattr(self, "view", None)
        if view is None or before is None or view.note.note_id != before.note.note_id:
            return  # moved on meanwhile: a note is read as it opens
        message = None if self.saves.pending else self.said_changed(before, view)
        if message != "" or view != before:
            self.show_view(view, message or None)

    # -- navigation: at once, on the UI thread, so a following key takes the new note ------------
    def action_next_note(self) -> None:
        self._move(self.session.next, "end of the queue")

    def action_previous_note(self) -> None:
        self._move(self.session.previous, "start of the queue")

    def _move(self, step: Callable[[], str | None], edge: str, moved: str = "") -> None:
        """Step to another note; say ``edge`` if there was none, else ``moved``."""
        before = self.session.current_id
        after = step()
        self.refresh_note(edge if after is not None and after == before else moved)
