"""Saves that run one at a time, in the order their keys were pressed, off the UI thread."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode

from ..errors import CaseReviewError


class SaveQueue:
    """A FIFO of save jobs drained by one thread worker at a time.

    Separate workers per key would race (a quick ``y`` then ``n`` could land as
    ``n`` then ``y``), and an exclusive worker would drop decisions. The worker
    exits when the queue is empty, so none idles in the app between keys.

    The owner must outlive its saves: Textual cancels a node's workers when it is
    unmounted, so a screen that is dismissed (a modal) queues on the app.
    """

    def __init__(self, owner: DOMNode, group: str = "save") -> None:
        self.owner, self.group = owner, group
        self._jobs: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._draining = False

    def put(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._jobs.append(job)
            if self._draining:
                return  # the running worker takes it after the earlier ones
            self._draining = True
        self.owner.run_worker(self._drain, thread=True, group=self.group)

    def save(self, save: Callable[[], str], then: Callable[[str], None]) -> None:
        """Queue ``save`` (it returns the status message), then ``then(message)``, both in the worker thread.

        A library error (a workspace locked by another program, a refused decision)
        becomes 'NOT saved · why', notified as well, and the app keeps running; any
        other error is a bug and ends the app.
        """
        app = self.owner.app

        def job() -> None:
            try:
                message = save()
            except CaseReviewError as e:
                message = f"NOT saved · {e}"
                app.call_from_thread(app.notify, message, title="Not saved", severity="error", timeout=20)
            then(message)

        self.put(job)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._draining = False
                    return
                job = self._jobs.popleft()
            job()


class NoteSaves:
    """For a screen showing one note of ``self.session`` (``current_id``, ``view()``, ``next()``, ``previous()``).

    Its deciding keys take the note open when the key is pressed and queue their
    saves, which run in key order; each save then shows the current note with what
    was saved. The screen gives ``show_view(view, message)`` and ``refresh_note(message)``,
    and calls ``start_saves()`` on mount.
    """

    def start_saves(self) -> None:
        self.saves = SaveQueue(self)

    def is_stale(self, view: Any) -> bool:
        """A view read before the reviewer moved on (the current note's view follows): show_view skips it."""
        return view is not None and view.note.note_id != self.session.current_id

    def _save(self, save: Callable[[], str]) -> None:
        """Queue ``save`` (it returns the status message); then show the current note."""
        self.saves.save(save, lambda message: self.app.call_from_thread(self.show_view, self.session.view(), message))

    def _save_on_note(self, action: Callable[[str], Any], describe: Callable[[Any], str],
                      note_id: str | None = None) -> None:
        """Save ``action(note_id)`` for the note open when the key was pressed, not when the save runs."""
        note_id = note_id or self.session.current_id
        if note_id is None:
            return  # an empty queue: nothing to decide on
        self._save(lambda: describe(action(note_id)) + self._elsewhere(note_id))

    def _elsewhere(self, note_id: str) -> str:
        """' (on note X)' when the reviewer has moved on from the note saved."""
        return "" if note_id == self.session.current_id else f" (on note {note_id})"

    # -- navigation: at once, on the UI thread, so a following key takes the new note ------------
    def action_next_note(self) -> None:
        self._move(self.session.next, "end of the queue")

    def action_previous_note(self) -> None:
        self._move(self.session.previous, "start of the queue")

    def _move(self, step: Callable[[], str | None], edge: str) -> None:
        before = self.session.current_id
        after = step()
        self.refresh_note(edge if after is not None and after == before else "")
