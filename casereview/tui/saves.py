"""Saves that run one at a time, in the order their keys were pressed, off the UI thread."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from textual.dom import DOMNode


class SaveQueue:
    """A FIFO of save jobs drained by one thread worker at a time.

    Separate workers per key would race (a quick ``y`` then ``n`` could land as
    ``n`` then ``y``), and an exclusive worker would drop decisions. The worker
    exits when the queue is empty, so none idles in the app between keys.
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

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._draining = False
                    return
                job = self._jobs.popleft()
            job()
