"""Seeing a PostgreSQL catalog change (team mode): listening for the triggers' notices.

What :class:`tasks.watcher.CatalogWatcher` learns by polling SQLite, PostgreSQL
tells: :mod:`core.changes_notify` sends a notice on the catalog's channel when a
transaction that changed projects or shown job fields commits, from any machine.
:class:`NotifyWatcher` LISTENs on a connection of its own and publishes
:class:`~tasks.watcher.CatalogChanged` with counters of the notices it has heard (a
viewer that compares them with :func:`core.changes.current`, which PostgreSQL
cannot give, reads again at every notice).
"""

from __future__ import annotations

import logging

from core import changes
from core.changes_notify import channel
from core.db_servers import libpq_params
from core.store_urls import StoreURL
from tasks.watcher import POLL_INTERVAL_S, CatalogChanged, WatcherThread

log = logging.getLogger(__name__)


class NotifyWatcher(WatcherThread):
    """Listens for the catalog's change notices and publishes them; ``start()``, ``stop()``."""

    def __init__(self, store: StoreURL, events, *, interval: float = POLL_INTERVAL_S):
        super().__init__(events, interval)
        self.store = store
        self._connection = None
        self._counts = {changes.PROJECTS: 0, changes.JOBS: 0}
        self._listens = 0

    def _next(self) -> CatalogChanged | None:
        return self.poll(wait=self.interval)  # waits for a notice, at most one round

    def poll(self, wait: float = 0.0) -> CatalogChanged | None:
        """The notices heard within ``wait`` seconds (and any already waiting), or None.
        The first call starts listening; given ``since`` (a viewer read before), and after
        listening again, it also says that anything may have changed: what was written
        while nobody listened is not heard."""
        import psycopg
        try:
            if self._connection is None:
                self._connection = self._listen()
                self._listens += 1
                if self._since is None and self._listens == 1:
                    return None  # nobody read before: nothing to catch up on
                # Listening again after the server went away, or for a viewer that read
                # before: what was written meanwhile was not heard.
                return CatalogChanged(projects=True, jobs=True, counters=dict(self._counts))
            heard = {note.payload for note in self._connection.notifies(timeout=wait,
                                                                        stop_after=1)}
            if heard:  # the rest of a burst, without waiting again
                heard |= {note.payload for note in self._connection.notifies(timeout=0.0)}
        except psycopg.Error as error:  # the server went away: listen again later
            log.warning("Could not listen for the catalog's changes: %s", error)
            self._close()
            self._stop.wait(wait)
            return None
        for kind in heard & set(self._counts):
            self._counts[kind] += 1
        if not heard & set(self._counts):
            return None
        return CatalogChanged(projects=changes.PROJECTS in heard, jobs=changes.JOBS in heard,
                              counters=dict(self._counts))

    def _listen(self):
        import psycopg
        from psycopg import sql
        connection = psycopg.connect(
            autocommit=True, **libpq_params(self.store, application_name="repofolio-watcher"))
        (schema,) = connection.execute("SELECT current_schema()").fetchone()
        connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel(schema))))
        return connection

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
