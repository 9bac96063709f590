"""Seeing the catalog change from outside: a command line, a ``repofolio worker``, any process.

Writes made elsewhere send no events to this process. :class:`CatalogWatcher`
polls, on a thread of its own with a connection of its own, SQLite's
``PRAGMA data_version`` (it changes when any other connection commits; reading
it touches no table), and only then the change counters of :mod:`core.changes`
(one small table). When projects or jobs changed it publishes
:class:`CatalogChanged` on the runtime's :class:`~tasks.events.EventBus`, which
the window's bridge turns into a Qt signal like the progress events.

A poll that finds nothing new costs one pragma, whatever the catalog's size;
it runs every ``interval`` seconds (0.5 s: a delete in a terminal shows within
a second). Writes of this process's own threads are seen too (each thread has
its own connection); the counters in each event let a listener skip a change
it has already shown.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from core import changes
from core.store_urls import StoreURL
from tasks.events import EventBus

log = logging.getLogger(__name__)

POLL_INTERVAL_S = 0.5


@dataclass(frozen=True)
class CatalogChanged:
    """The catalog changed since the last poll: which kinds of rows, and the counters now."""

    projects: bool
    jobs: bool
    counters: dict[str, int]


class WatcherThread:
    """The thread of a watcher: a first look that only notes, then one look per round,
    each change published, until :meth:`stop`. Subclasses say how to look
    (:meth:`poll`), how to wait between looks (:meth:`_next`) and what to close."""

    def __init__(self, events: EventBus, interval: float):
        self.events, self.interval = events, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._since: dict[str, int] | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, since: dict[str, int] | None = None) -> "WatcherThread":
        """Start watching. ``since``: the change counters (:func:`core.changes.current`)
        as a viewer read them before its first reads; a change after them and before the
        thread's first look is then news too (else that first look only notes)."""
        if not self.running:
            self._since = since
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="repofolio-watcher",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        try:
            first = self.poll()  # what is there now: news only against ``since``
            if first is not None:
                self.events.publish(first)
            while not self._stop.is_set():
                event = self._next()
                if event is not None:
                    self.events.publish(event)
        finally:
            self._close()

    def poll(self) -> CatalogChanged | None:
        raise NotImplementedError

    def _next(self) -> CatalogChanged | None:
        """Wait for the next round, then look (None: nothing new, or stopping)."""
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError


class CatalogWatcher(WatcherThread):
    """Polls the catalog file for changes and publishes them; ``start()``, then ``stop()``."""

    def __init__(self, catalog_path: Path, events: EventBus, *,
                 interval: float = POLL_INTERVAL_S):
        super().__init__(events, interval)
        self.catalog_path = Path(catalog_path)
        self._version = DataVersion(self.catalog_path)
        self._counters: dict[str, int] | None = None

    def _next(self) -> CatalogChanged | None:
        return None if self._stop.wait(self.interval) else self.poll()

    def poll(self) -> CatalogChanged | None:
        """Look once; the change since the last look (the first time: since the counters
        ``start`` was given, if any), or None."""
        try:
            if self._counters is None and self._since is not None:
                self._counters = dict(self._since)
            opened = self._version.connection is not None  # else a first look: read them
            if not self._version.changed() and opened and self._counters is not None:
                return None
            counters = changes.read(self._version.connection)
        except sqlite3.Error as error:  # a catalog being replaced or locked: look again later
            log.warning("Could not read the catalog's change counters: %s", error)
            self._close()
            return None
        before, self._counters = self._counters, counters
        if before is None or before == counters:
            return None
        return CatalogChanged(
            projects=counters.get(changes.PROJECTS) != before.get(changes.PROJECTS),
            jobs=counters.get(changes.JOBS) != before.get(changes.JOBS), counters=counters)

    def _close(self) -> None:
        self._version.close()


class DataVersion:
    """Whether an SQLite file was written by another connection since the last look
    (SQLite's ``PRAGMA data_version``: no table read, whatever the file holds)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None

    def changed(self) -> bool:
        """True when another connection committed since the last call (False the first
        time: that one only notes where things stand). Raises sqlite3.Error."""
        if self._connection is None:
            # Its own connection: data_version counts commits by every *other* connection.
            self._connection = sqlite3.connect(str(self.path), timeout=1.0,
                                               check_same_thread=False, isolation_level=None)
            self._connection.execute("PRAGMA query_only = 1")
        (version,) = self._connection.execute("PRAGMA data_version").fetchone()
        before, self._version = self._version, version
        return before is not None and before != version

    @property
    def connection(self) -> sqlite3.Connection | None:
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            self._version = None


def make_watcher(store: StoreURL, events: EventBus):
    """The watcher for the catalog at ``store``: polling an SQLite file, or listening to
    PostgreSQL's notices (:mod:`tasks.watcher_notify`)."""
    if not store.shared:
        return CatalogWatcher(store.path, events)
    from tasks.watcher_notify import NotifyWatcher
    return NotifyWatcher(store, events)
