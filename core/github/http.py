"""The HTTP layer of the GitHub client: one GET, with everything GitHub's protocol asks.

:class:`GitHubTransport` owns the ``httpx.Client`` and does, for every request:
headers (token only when given), a timeout, the proactive rate-limit wait, the
conditional request through :class:`EtagCache`, a size cap on bodies read, the
request count, rate-limit bookkeeping, and the mapping of a status to a typed
error from :mod:`core.errors`. It knows nothing about repositories beyond the
``subject`` each caller names for error messages.
"""

from __future__ import annotations

import functools
import json
import ssl
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from urllib.parse import urlencode, urlsplit

import httpx

from core.errors import AuthFailed, GitHubError, NetworkError, RateLimited, RepoNotFound
from core.github.etag_cache import EtagCache

ACCEPT_JSON = "application/vnd.github+json"
ACCEPT_RAW = "application/vnd.github.raw+json"
API_VERSION = "2022-11-28"
SECONDARY_MIN_WAIT = 60.0  # GitHub: after a secondary limit, wait at least a minute
RESET_MARGIN = 1.0  # reset times are whole seconds and clocks drift: wait a little longer
_ERROR_BODY_LIMIT = 64_000
_SECONDARY_MARKERS = ("secondary rate limit", "abuse detection")


def _user_agent() -> str:
    try:
        version = metadata.version("repofolio")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"repofolio/{version}"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verified TLS context for all clients: building one costs ~50 ms (CA bundle)."""
    return httpx.create_ssl_context()


def utf8_prefix(data: bytes, limit: int) -> bytes:
    """``data[:limit]``, moved back so that no UTF-8 character is cut in half."""
    if len(data) <= limit:
        return data
    cut = limit
    # A continuation byte (0b10xxxxxx) at the cut means a character straddles it.
    while cut > 0 and limit - cut < 3 and (data[cut] & 0xC0) == 0x80:
        cut -= 1
    if (data[cut] & 0xC0) == 0x80:  # not UTF-8 after all: a plain byte cut will do
        cut = limit
    return data[:cut]


@dataclass
class Response:
    """A GitHub answer the caller expected (200, or a status it listed)."""

    status: int
    headers: httpx.Headers
    body: bytes
    truncated: bool = False  # the body was longer than max_bytes and was cut
    from_cache: bool = False  # a 304: the body is the cached one

    def json(self):
        return json.loads(self.body)


class GitHubTransport:
    """GET requests against one GitHub REST base URL, thread-safe."""

    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 20.0,
                 cache: EtagCache | None = None, rate_limit_max_wait: float = 120.0,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time):
        self.base_url = base_url.rstrip("/")
        self._token = token or None
        self._timeout = timeout
        self._cache = cache
        self._max_wait = rate_limit_max_wait
        self._sleep = sleep
        self._clock = clock
        self._host = urlsplit(self.base_url).netloc or self.base_url
        headers = {"Accept": ACCEPT_JSON, "X-GitHub-Api-Version": API_VERSION,
                   "User-Agent": _user_agent()}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        # Redirects are followed by the client where GitHub's protocol says so (a
        # renamed repository), never blindly: a redirect elsewhere would carry the token.
        self._http = httpx.Client(headers=headers, timeout=httpx.Timeout(timeout),
                                  follow_redirects=False, verify=_ssl_context())
        self._count_lock = threading.Lock()
        self._requests_made = 0
        self._state_lock = threading.Lock()
        self._wait_lock = threading.Lock()
        self._rate_remaining: int | None = None
        self._rate_reset: float | None = None

    @property
    def requests_made(self) -> int:
        with self._count_lock:
            return self._requests_made

    def close(self) -> None:
        self._http.close()

    # -- the request ----------------------------------------------------------------

    def get(self, path: str, *, subject: str, accept: str = ACCEPT_JSON,
            params: Mapping[str, str] | None = None, max_bytes: int | None = None,
            expect: Collection[int] = (200,)) -> Response:
        """GET ``base_url + path``; statuses in ``expect`` are returned, others raised.

        ``subject`` names what is fetched ("pallets/flask") in error messages.
        ``max_bytes`` caps the body read (cut at a UTF-8 boundary, ``truncated`` set).
        """
        url = self.base_url + path + (f"?{urlencode(params)}" if params else "")
        if path != "/rate_limit":  # asking for the limit is free, and how one waits it out
            self._await_rate_limit(subject)
        headers = {"Accept": accept}
        cache_key = cached = None
        if self._cache is not None:
            cache_key = EtagCache.key(self._token, accept, url)
            cached = self._cache.get(cache_key)
            if cached:
                headers["If-None-Match"] = cached[0]
        status, resp_headers, body, truncated = self._send(url, headers, subject, max_bytes)
        self._note_rate_limit(resp_headers)
        if status == 304 and cached is not None:
            self._cache.touch(cache_key)
            return Response(200, resp_headers, cached[1], from_cache=True)
        if status in expect:
            etag = resp_headers.get("etag")
            if status == 200 and cache_key is not None and etag and not truncated:
                self._cache.put(cache_key, etag, body)
            return Response(status, resp_headers, body, truncated=truncated)
        raise self._error(status, resp_headers, body, subject)

    def _send(self, url: str, headers: dict[str, str], subject: str,
              max_bytes: int | None) -> tuple[int, httpx.Headers, bytes, bool]:
        with self._count_lock:
            self._requests_made += 1
        try:
            with self._http.stream("GET", url, headers=headers) as resp:
                limit = max_bytes if resp.status_code == 200 else _ERROR_BODY_LIMIT
                body, truncated = _read_capped(resp, limit)
                return resp.status_code, resp.headers, body, truncated
        except httpx.TimeoutException as exc:
            raise NetworkError(self._redact(
                f"GitHub ({self._host}) did not answer within {self._timeout:g} s while "
                f"fetching {subject} (timeout).")) from exc
        except httpx.TransportError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise NetworkError(self._redact(
                f"Could not connect to GitHub ({self._host}) while fetching {subject} "
                f"(connection failed: {reason[:200]}).")) from exc

    # -- rate limits ----------------------------------------------------------------

    def _note_rate_limit(self, headers: httpx.Headers) -> None:
        remaining = _int_header(headers, "x-ratelimit-remaining")
        reset = _int_header(headers, "x-ratelimit-reset")
        if remaining is None or reset is None:
            return
        with self._state_lock:
            # Answers of concurrent requests arrive in any order: within one window
            # the lowest count is the true one; a later reset starts a new window.
            if self._rate_reset is None or reset > self._rate_reset:
                self._rate_reset, self._rate_remaining = float(reset), remaining
            elif reset == self._rate_reset and self._rate_remaining is not None:
                self._rate_remaining = min(self._rate_remaining, remaining)

    def _await_rate_limit(self, subject: str) -> None:
        """Before sending: if the last answer said the limit is spent, wait or refuse."""
        with self._wait_lock:  # one waiter at a time; the others find the window reset
            with self._state_lock:
                remaining, reset = self._rate_remaining, self._rate_reset
            if remaining != 0 or reset is None:
                return
            wait = reset - self._clock()
            if wait > self._max_wait:
                raise RateLimited(_rate_message(subject, wait, reset), wait_seconds=wait,
                                  reset_at=reset)
            if wait > 0:
                self._sleep(wait + RESET_MARGIN)
            with self._state_lock:
                if self._rate_reset == reset:
                    self._rate_remaining = None  # unknown until the next answer says

    # -- errors ---------------------------------------------------------------------

    def _error(self, status: int, headers: httpx.Headers, body: bytes,
               subject: str) -> Exception:
        github_message = _github_message(body)
        if status == 404:
            if self._token:
                text = (f"{subject} was not found on GitHub (or it is private and the token "
                        "cannot see it).")
            else:
                text = (f"{subject} was not found on GitHub. If it is a private repository, "
                        "Repofolio needs a GitHub token that can see it.")
            return RepoNotFound(self._redact(text), status=status)
        if status == 401:
            what = "refused the token" if self._token else "asked for a token"
            return AuthFailed(self._redact(
                f"GitHub {what} (401 {github_message or 'Unauthorized'}) while fetching "
                f"{subject}."), status=status)
        if status in (403, 429):
            limited = self._rate_limited(status, headers, github_message, subject)
            if limited is not None:
                return limited
        detail = f": {github_message}" if github_message else ""
        if status >= 500:
            text = f"GitHub answered {status}{detail} while fetching {subject}; try again later."
        else:
            text = f"GitHub answered {status}{detail} while fetching {subject}."
        return GitHubError(self._redact(text), status=status)

    def _rate_limited(self, status: int, headers: httpx.Headers, github_message: str,
                      subject: str) -> RateLimited | None:
        retry_after = _int_header(headers, "retry-after")
        remaining = _int_header(headers, "x-ratelimit-remaining")
        reset = _int_header(headers, "x-ratelimit-reset")
        secondary = any(m in github_message.lower() for m in _SECONDARY_MARKERS)
        now = self._clock()
        if retry_after is not None:
            wait = float(max(retry_after, SECONDARY_MIN_WAIT if secondary else 0))
            return RateLimited(_rate_message(subject, wait, now + wait, secondary=secondary),
                               wait_seconds=wait, reset_at=now + wait, secondary=secondary,
                               status=status)
        if remaining == 0 and reset is not None and not secondary:
            wait = max(0.0, reset - now)
            return RateLimited(_rate_message(subject, wait, reset), wait_seconds=wait,
                               reset_at=float(reset), status=status)
        if secondary or status == 429:
            # No header says how long: GitHub asks for at least a minute, then backoff.
            wait = SECONDARY_MIN_WAIT
            return RateLimited(_rate_message(subject, wait, now + wait, secondary=True),
                               wait_seconds=wait, reset_at=now + wait, secondary=True,
                               status=status)
        return None

    def _redact(self, text: str) -> str:
        """Last line of defence: whatever built the message, the token is not in it."""
        return text.replace(self._token, "***") if self._token else text


def _read_capped(resp: httpx.Response, limit: int | None) -> tuple[bytes, bool]:
    if limit is None:
        return resp.read(), False
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:  # stop reading: a hostile body may be endless
            break
    data = b"".join(chunks)
    if len(data) > limit:
        return utf8_prefix(data, limit), True
    return data, False


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def _github_message(body: bytes) -> str:
    """GitHub's own ``message`` from an error body, on one line, shortened."""
    try:
        data = json.loads(body)
        text = str(data.get("message", "")) if isinstance(data, dict) else ""
    except ValueError:
        text = body[:300].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text[:200]


def _rate_message(subject: str, wait: float, reset_at: float, *, secondary: bool = False) -> str:
    at = datetime.fromtimestamp(reset_at, tz=timezone.utc).strftime("%H:%M UTC")
    if wait >= 90:
        span = f"{round(wait / 60)} min"
    else:
        span = f"{max(0, round(wait))} s"
    kind = "secondary rate limit (too many requests at once)" if secondary else "rate limit"
    return f"GitHub's {kind} was reached while fetching {subject}; it resets in {span} (at {at})."
