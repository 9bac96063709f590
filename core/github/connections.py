"""GitHub's HTTP connections, one ``httpx.Client`` per (API, token), and the open HTTP
cache: both kept from one import to the next.

Each import used to build its own client, so every import opened its connections
anew: a TCP and a TLS handshake (two round trips, and a few milliseconds of CPU) for
each of the requests it sends side by side, at each of its three steps; and it
opened the ETag cache file (a connection, its pragmas, its clean-up) again. A
:class:`SharedConnections` (the importer owns one, as it owns the rate limiters)
hands every client of a token the same ``httpx.Client``, whose pool keeps the
connections alive, and every client the same open cache. Both are thread-safe; what
belongs to one import (its stop switch, its check, its count) stays in
:class:`~core.github.http.GitHubTransport`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from core.github.etag_cache import EtagCache, open_cache, token_key

from core.net.agent import user_agent
from core.net.body import ACCEPT_ENCODING
from core.net.tls import verified_context

ACCEPT_JSON = "application/vnd.github+json"
API_VERSION = "2022-11-28"
# Several workers of one token each send up to a client's pool at once: keep them all.
KEPT_ALIVE = 32


def new_client(token: str | None, timeout: float) -> httpx.Client:
    """A client with GitHub's headers; the token only when there is one."""
    headers = {"Accept": ACCEPT_JSON, "X-GitHub-Api-Version": API_VERSION,
               "User-Agent": user_agent(), "Accept-Encoding": ACCEPT_ENCODING}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    # Redirects are followed by the client where GitHub's protocol says so (a renamed
    # repository), never blindly: a redirect elsewhere would carry the token.
    return httpx.Client(headers=headers, timeout=httpx.Timeout(timeout), follow_redirects=False,
                        verify=verified_context(),
                        limits=httpx.Limits(max_keepalive_connections=KEPT_ALIVE))


class SharedConnections:
    """One client per (API base URL, token, timeout), made on first use; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str, float], httpx.Client] = {}
        self._caches: dict[Path, EtagCache] = {}

    def client(self, base_url: str, token: str | None, timeout: float) -> httpx.Client:
        key = (*token_key(base_url, token), timeout)
        with self._lock:
            client = self._clients.get(key)
            if client is None or client.is_closed:
                client = self._clients[key] = new_client(token, timeout)
            return client

    def cache(self, cache_dir: Path) -> EtagCache | None:
        """The HTTP cache in ``cache_dir``, opened once; None (and a warning) when it cannot
        be opened, tried again by the next caller."""
        with self._lock:
            cache = self._caches.get(cache_dir)
            if cache is None and (cache := open_cache(cache_dir)) is not None:
                self._caches[cache_dir] = cache
            return cache

    def close(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
            caches, self._caches = list(self._caches.values()), {}
        for client in clients:
            client.close()
        for cache in caches:
            cache.close()
