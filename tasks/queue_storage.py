"""The queue's storage, chosen by ``REPOFOLIO_QUEUE_URL``: a SqliteHuey file or RedisHuey.

SQLite (the default) is one file in the data folder that the processes of one
machine share; its consumers poll it. Redis (team mode) is shared by workers on
every machine; its consumers wait on it (BRPOP) and pick a task up at once.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from huey import Huey, RedisHuey, SqliteHuey
from huey.storage import RedisStorage  # importable without the redis package

from core.db_servers import TEAM_EXTRA
from core.errors import StorageUnreachable
from core.store_urls import QUEUE_ENV, REDIS, SQLITE, StoreURL, unreachable

QUEUE_NAME = "repofolio"
REDIS_WAIT_SECONDS = 1  # how long a consumer's BRPOP waits before it looks around again
REDIS_SOCKET_TIMEOUT = 15  # longer than the BRPOP wait, or every idle wait would fail


class UtcRedisStorage(RedisStorage):
    """Redis storage whose schedule times are UTC epochs.

    Huey turns a retry's naive due time into an epoch with ``time.mktime``, i.e. as the
    *local* time of the process that schedules or reads it: workers on machines in
    different time zones would run retries hours early or late. With ``utc=True`` every
    due time is naive UTC, so ``calendar.timegm`` is right everywhere.
    """

    def convert_ts(self, ts: datetime) -> float:
        return calendar.timegm(ts.timetuple()) + ts.microsecond * 1e-6


class UtcRedisHuey(RedisHuey):
    storage_class = UtcRedisStorage


def make_huey(store: StoreURL) -> Huey:
    """A Huey for ``store``; a Redis server is asked once that it answers."""
    if store.kind == SQLITE:
        store.path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name=QUEUE_NAME, filename=str(store.path), results=False, utc=True,
                          timeout=10)
    if store.kind != REDIS:
        raise ValueError(f"not a queue store: {store.kind}")
    try:
        import redis
    except ImportError:
        raise StorageUnreachable("Redis support is not installed.",
                                 suggestion=f"Install it with {TEAM_EXTRA}.") from None
    tls = {"connection_class": redis.SSLConnection} if store.tls else {}
    try:
        huey = UtcRedisHuey(
            name=QUEUE_NAME, results=False, utc=True, blocking=True,
            read_timeout=REDIS_WAIT_SECONDS, host=store.host, port=store.port or 6379,
            db=int(store.database or 0), username=store.user, password=store.password,
            socket_connect_timeout=5, socket_timeout=REDIS_SOCKET_TIMEOUT,
            health_check_interval=30, **tls)
        huey.storage.conn.ping()
    except redis.RedisError as error:
        raise queue_unreachable(error, store) from None
    return huey


def queue_unreachable(error: Exception, store: StoreURL) -> StorageUnreachable:
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    advice = ("Check the queue's password: in the URL or in Settings (kept in the keyring)."
              if "auth" in detail.lower() or "password" in detail.lower() else "")
    return unreachable("queue", store, detail, env=QUEUE_ENV, default_port=6379, advice=advice)


def close_huey(huey: Huey) -> None:
    """Let go of the queue's connections (the SQLite file, or the Redis pool)."""
    pool = getattr(huey.storage, "pool", None)
    if pool is not None:
        pool.disconnect()
    else:
        huey.storage.close()


def take_turn(huey: Huey, duty: str, seconds: float) -> bool:
    """Whether this process does ``duty`` now: on Redis, one consumer of the whole team
    per ``seconds`` (the first to ask); on SQLite, every consumer (one machine, few)."""
    if not isinstance(huey.storage, RedisStorage):
        return True
    from redis import RedisError
    try:
        return bool(huey.storage.conn.set(f"repofolio:turn:{duty}", "1", nx=True,
                                          px=max(1, int(seconds * 1000))))
    except RedisError:
        return True  # better twice than never: the duty is a safety net
