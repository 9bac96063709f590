"""Conditional-request cache for GitHub GET responses: ETag + body, in one SQLite file.

Why our own and not an HTTP caching library: a generic cache stores request and
response headers, and the request headers carry ``Authorization`` — the token would
end up in a file in the data folder (DESIGN §2 forbids that). This cache stores only
``(key, etag, body)``. The key is ``sha256(token)[:16] + " " + accept + " " + URL``:
GitHub's ETags differ per token (and per media type), so entries of one token are
never offered to another, while the token itself never reaches the file. A base URL's
``user:password@`` is treated like a token: hashed into the key, never stored.

A 304 answer to ``If-None-Match`` costs no rate limit when authorized, which is the
point: refreshing a project re-reads mostly unchanged files for free.

The cache is only an optimisation: a file that cannot be opened (damaged, read-only)
or written (a full disk) means no cache, with a warning in the log — never a failed
import. :func:`open_cache` and the methods below take care of that.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from core.urls import without_credentials

log = logging.getLogger(__name__)

CACHE_FILENAME = "http.sqlite3"
MAX_AGE_SECONDS = 30 * 24 * 3600  # entries unused for a month are dropped on open


def token_fingerprint(token: str | None) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()[:16]


def token_key(base_url: str, token: str | None) -> tuple[str, str]:
    """What tells one (API base URL, token) from another in this process's tables (the
    token's connections, its rate limiter): the token's whole digest, never the secret."""
    return base_url.rstrip("/").lower(), hashlib.sha256((token or "").encode("utf-8")).hexdigest()


class EtagCache:
    """Thread-safe store of the last 200 body per (token, media type, URL)."""

    def __init__(self, cache_dir: Path):
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.path = cache_dir / CACHE_FILENAME
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False,
                                   isolation_level=None)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # A cache: a write lost to a power cut costs one full answer later, so no
            # sync at every commit (each answer is one; FULL made each wait for the disk).
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses ("
                " key TEXT PRIMARY KEY, etag TEXT NOT NULL, body BLOB NOT NULL,"
                " used_at REAL NOT NULL)")
            # Every client opens the cache (one per import): without the index, dropping
            # old entries read the whole file each time.
            self._db.execute("CREATE INDEX IF NOT EXISTS responses_used_at ON responses (used_at)")
            self._db.execute("DELETE FROM responses WHERE used_at < ?",
                             (time.time() - MAX_AGE_SECONDS,))

    @staticmethod
    def key(token: str | None, accept: str, url: str) -> str:
        userinfo = urlsplit(url).netloc.rpartition("@")[0]
        secret = f"{token or ''}\n{userinfo}" if userinfo else token
        return f"{token_fingerprint(secret)} {accept} {without_credentials(url)}"

    def get(self, key: str) -> tuple[str, bytes] | None:
        row = self._run("SELECT etag, body FROM responses WHERE key = ?", (key,))
        if not row or not isinstance(row[0], str) or not isinstance(row[1], bytes):
            return None  # absent, or damaged (text where the bytes belong): a miss
        return row[0], row[1]

    def put(self, key: str, etag: str, body: bytes) -> None:
        self._run("INSERT OR REPLACE INTO responses (key, etag, body, used_at) VALUES (?, ?, ?, ?)",
                  (key, etag, body, time.time()))

    def touch(self, key: str) -> None:
        self._run("UPDATE responses SET used_at = ? WHERE key = ?", (time.time(), key))

    def _run(self, sql: str, args: tuple):
        """One statement; a failure (a full disk, say) is a cache miss, never an error."""
        try:
            with self._lock:
                return self._db.execute(sql, args).fetchone()
        except sqlite3.Error as exc:
            log.warning("HTTP cache %s not used for this request: %s", self.path, exc)
            return None

    def close(self) -> None:
        with self._lock:
            self._db.close()


def open_cache(cache_dir: Path) -> EtagCache | None:
    """The cache in ``cache_dir``, or None (and a warning) when it cannot be opened."""
    try:
        return EtagCache(cache_dir)
    except (sqlite3.Error, OSError) as exc:
        log.warning("HTTP cache in %s not used: %s (move %s aside to start a new one)",
                    cache_dir, exc, CACHE_FILENAME)
        return None
