"""Waking the consumer's workers when a task is queued, instead of letting them poll.

SqliteHuey cannot block on its queue: an idle worker polls it, backing off to its
longest pause (0.5 s), so a job waited 0–500 ms before it started. Here a worker
sleeps on a :class:`Doorbell` instead, and two things ring it:

- in this process, every enqueue (Huey's ``enqueued`` signal: submits, retries the
  scheduler hands over, re-queued jobs) — the app's own submits start at once;
- for other processes (a command line while the app or ``repofolio worker`` runs),
  :class:`QueueWatcher`: a thread with its own connection to the queue file that
  reads SQLite's ``PRAGMA data_version`` every ``interval`` (20 ms). The pragma changes
  when another connection commits, costs no table read, and so a poll with nothing
  new costs a few microseconds whatever the queue holds.

The workers' own poll stays as a slow safety net (a ring lost to a bug, a storage
that changed under us).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from tasks.events import EventBus
from tasks.watcher import DataVersion, WatcherThread

log = logging.getLogger(__name__)

WATCH_INTERVAL_S = 0.02


class Doorbell:
    """A counter that sleepers wait on; :meth:`ring` wakes all of them."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._rings = 0

    @property
    def rings(self) -> int:
        with self._cond:
            return self._rings

    def ring(self) -> None:
        with self._cond:
            self._rings += 1
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> bool:
        """Sleep until a ring after ``seen`` (a value of :attr:`rings`) or ``timeout``
        seconds; True when rung. A ring between reading ``rings`` and calling this is
        not missed."""
        with self._cond:
            return self._cond.wait_for(lambda: self._rings != seen, timeout)


class QueueWatcher(WatcherThread):
    """Rings ``doorbell`` whenever the queue file changes; ``start()``, then ``stop()``.

    A watcher thread (:class:`~tasks.watcher.WatcherThread`) that publishes nothing: its
    news is a ring."""

    def __init__(self, queue_path: Path, doorbell: Doorbell, *,
                 interval: float = WATCH_INTERVAL_S):
        super().__init__(EventBus(), interval)
        self.version = DataVersion(queue_path)
        self.doorbell = doorbell

    def poll(self) -> None:
        try:
            if self.version.changed():
                self.doorbell.ring()
        except sqlite3.Error as error:  # locked, or being replaced: look again
            log.debug("Could not look at the queue file: %s", error)
            self.version.close()

    def _next(self) -> None:
        if not self._stop.wait(self.interval):
            self.poll()

    def _close(self) -> None:
        self.version.close()
