"""Connecting to a catalog: an SQLite file, or a PostgreSQL server through a pool (team mode).

A server that cannot be reached, or refuses us, becomes a
:class:`~core.errors.StorageUnreachable` that says where (without the password)
and what to do; the driver's own words are kept when they help.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from typing import Callable

from peewee import Database, ImproperlyConfigured, SqliteDatabase
from playhouse.pool import MaxConnectionsExceeded, PooledPostgresqlDatabase

from core.errors import StorageUnreachable
from core.store_urls import DATABASE_ENV, SQLITE, StoreURL
from core.store_urls import unreachable as store_unreachable

log = logging.getLogger(__name__)

SQLITE_PRAGMAS = {"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1,
                  "synchronous": "normal"}
# Pool defaults; a URL may set them (?max_connections=40&stale_timeout=600).
POOL_SIZE = 20
POOL_STALE_SECONDS = 300
POOL_WAIT_SECONDS = 30  # a thread waits this long for a free connection before it fails
CONNECT_TIMEOUT = 5  # seconds, libpq's connect_timeout
_POOL_OPTIONS = ("max_connections", "stale_timeout")
TEAM_EXTRA = "pip install 'repofolio[team]'"
# pg_advisory_xact_lock key: schema changes (migrations, triggers), one process at a time.
MIGRATION_LOCK = 0x7265706F  # "repo"


def connect(store: StoreURL) -> Database:
    """A Peewee database for ``store`` (not yet connected)."""
    if store.kind == SQLITE:
        store.path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(str(store.path), pragmas=SQLITE_PRAGMAS, timeout=10)
    try:
        import psycopg  # noqa: F401  (Peewee would otherwise fall back with a vaguer error)
    except ImportError:
        raise StorageUnreachable("PostgreSQL support is not installed.",
                                 suggestion=f"Install it with {TEAM_EXTRA}.") from None
    pool = _pool_settings(store)
    params = libpq_params(store)
    return TeamPool(
        params.pop("dbname"), prefer_psycopg3=True,
        max_connections=pool.get("max_connections", POOL_SIZE),
        stale_timeout=pool.get("stale_timeout", POOL_STALE_SECONDS),
        timeout=POOL_WAIT_SECONDS, **params)


def libpq_params(store: StoreURL, application_name: str = "repofolio") -> dict:
    """The keywords that open a connection to ``store``'s PostgreSQL server (for
    ``psycopg.connect``): host, port, user, password, dbname, the URL's libpq options
    (not the pool's) and our defaults where the URL sets none."""
    params = dict(store.options)
    for key in _pool_settings(store):
        del params[key]
    params.update(host=store.host, port=store.port or 5432, user=store.user,
                  password=store.password, dbname=store.database)
    params.setdefault("connect_timeout", str(CONNECT_TIMEOUT))
    params.setdefault("application_name", application_name)
    return params


def _pool_settings(store: StoreURL) -> dict[str, int]:
    """The pool's own options in ``store``'s URL. One that is not a number is left among
    the libpq options, for libpq to refuse by name."""
    options = dict(store.options)
    return {key: int(options[key]) for key in _POOL_OPTIONS
            if options.get(key, "").isdigit()}


class TeamPool(PooledPostgresqlDatabase):
    """playhouse's PostgreSQL pool, which also takes back the connections of ended threads.

    Peewee connections are per thread, and a thread that ends without closing its
    connection (a pool thread of the GitHub client that checked for a cancel, say)
    would hold it for ever: the pool would run dry after 20 such threads. When it is
    dry, the connections of threads that no longer exist are closed and the checkout
    tried again.
    """

    def __init__(self, *args, **kwargs):
        self._owners: dict[int, weakref.ref] = {}
        super().__init__(*args, **kwargs)

    def _connect(self):
        try:
            conn = super()._connect()
        except MaxConnectionsExceeded:
            if not self._reclaim_orphans():
                raise
            conn = super()._connect()
        self._owners[self.conn_key(conn)] = weakref.ref(threading.current_thread())
        return conn

    def _reclaim_orphans(self) -> int:
        with self._pool_lock:
            orphans = [key for key in self._in_use
                       if (owner := self._owners.get(key)) is None
                       or (thread := owner()) is None or not thread.is_alive()]
            for key in orphans:
                self._owners.pop(key, None)
                self._close_raw(self._in_use.pop(key).connection)
        return len(orphans)


# Heartbeats, run-slot expiries and consumers' last signs of life are written with the
# writer's clock and judged with the reader's: machines must agree within a few seconds
# (stale after 30 s, DESIGN §2).
MAX_CLOCK_SKEW = 5.0


def check_clock(db: Database, *, clock: Callable[[], float] = time.time) -> float:
    """How many seconds the catalog server's clock is ahead of this machine's; a warning
    in the log when it is more than :data:`MAX_CLOCK_SKEW` either way."""
    before = clock()
    (server,) = db.execute_sql("SELECT EXTRACT(EPOCH FROM clock_timestamp())").fetchone()
    offset = float(server) - (before + clock()) / 2
    if abs(offset) > MAX_CLOCK_SKEW:
        log.warning("This machine's clock is %.0f s %s the catalog server's. Workers on "
                    "different machines judge each other's heartbeats by their clocks: "
                    "keep them in step (NTP), or a live import may be taken back.",
                    abs(offset), "behind" if offset > 0 else "ahead of")
    return offset


def is_postgres(db: Database) -> bool:
    return not isinstance(db, SqliteDatabase)


def unreachable(error: Exception, store: StoreURL, what: str = "catalog") -> StorageUnreachable:
    """The error a person sees when ``store``'s server failed us with ``error``."""
    if isinstance(error, ImproperlyConfigured):
        return StorageUnreachable(f"The {what} needs a driver that is not installed.",
                                  suggestion=f"Install it with {TEAM_EXTRA}.")
    detail = _driver_detail(str(error))
    lowered = detail.lower()
    advice = ""
    if "password" in lowered or "authentication" in lowered:
        advice = ("Check the user and the password: in the URL, in Settings (kept in the "
                  "keyring), or in PGPASSWORD / ~/.pgpass.")
    elif "does not exist" in lowered:
        advice = f"Create the database (createdb {store.database}) or fix REPOFOLIO_DATABASE_URL."
    return store_unreachable(what, store, detail, env=DATABASE_ENV, default_port=5432,
                             advice=advice)


def _driver_detail(message: str) -> str:
    """psycopg's first useful line: 'connection to server at "h", port p failed: FATAL:  x'
    -> 'x'."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    first = lines[0] if lines else "no answer"
    first = first.rsplit("failed: ", 1)[-1]
    for prefix in ("FATAL:", "ERROR:"):
        if first.startswith(prefix):
            first = first[len(prefix):].strip()
    first = first.rstrip(".")
    return (first[:1].upper() + first[1:] + ".") if first else "No answer."
