"""The HTTP layer of the GitHub client: one GET, with everything GitHub's protocol asks.

:class:`GitHubTransport` owns the ``httpx.Client`` and does, for every request:
headers (token only when given), a timeout, the proactive rate-limit wait and the
rate-limit bookkeeping (through the token's shared
:class:`~core.github.rate_limiter.RateLimiter`), the conditional request through
:class:`EtagCache`, the response policy of
:mod:`core.net` (a byte cap per kind of answer counted after decompression, a total
time per request, a stop switch), the request count, and the mapping of a status to a typed error from :mod:`core.errors`. It knows nothing about
repositories beyond the ``subject`` each caller names for error messages.

A caller that gives up (a cancel, the job's deadline) marks its requests with
:meth:`GitHubTransport.stop_when`: once its event is set, their reads end at the next
chunk and their rate-limit waits wake. :meth:`GitHubTransport.close` does the same for
every request, and no new one starts.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from core.errors import AuthFailed, GitHubError, NetworkError, RateLimited, RepoNotFound
from core.github import validate
from core.github.bounded import BodySink, Received, feed_all, stream_get
from core.github.connections import ACCEPT_JSON, SharedConnections, new_client
from core.github.etag_cache import EtagCache
from core.github.rate_limiter import Check, RateLimiter, rate_message
from core.net.limits import (
    ERROR_BODY, METADATA, AnswerRefused, AnswerStopped, AnswerTooLarge, AnswerTooSlow, Cap,
    ResponseLimits, human_bytes,
)
from core.urls import hide_credentials

ACCEPT_RAW = "application/vnd.github.raw+json"
SECONDARY_MIN_WAIT = 60.0  # GitHub: after a secondary limit, wait at least a minute
_SECONDARY_MARKERS = ("secondary rate limit", "abuse detection")


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
    truncated: bool = False  # the body was longer than its cap and was cut
    from_cache: bool = False  # a 304: the body is the cached one
    subject: str = ""
    what: str = "answer"
    parsed: Any = None  # the sink's result, when the caller gave one

    def json(self):
        """The body's JSON; GITHUB_ERROR (never ValueError) when it is not JSON."""
        return validate.json_body(self.body, subject=self.subject, what=self.what,
                                  content_type=self.headers.get("content-type", ""),
                                  status=self.status)


class GitHubTransport:
    """GET requests against one GitHub REST base URL, thread-safe."""

    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 20.0,
                 cache: EtagCache | None = None, rate_limit_max_wait: float = 120.0,
                 limits: ResponseLimits | None = None,
                 sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] = time.time,
                 limiter: RateLimiter | None = None, check: Check | None = None,
                 connections: SharedConnections | None = None):
        """``limiter``: the token's shared limiter (a private one when None); ``check``
        runs while a request waits for the limit and may raise to stop it (cancel);
        ``connections``: the importer's kept-alive connections (a client of its own,
        closed with it, when None)."""
        self.base_url = base_url.rstrip("/")
        self._token = token or None
        self.limits = limits or ResponseLimits()
        self._timeout = min(timeout, self.limits.request_seconds)
        self._cache = cache
        self._max_wait = rate_limit_max_wait
        self._closing = threading.Event()
        self._caller = threading.local()  # .stop: the event of the call this thread serves
        self._clock = clock
        self._limiter = limiter or RateLimiter(clock=clock, sleep=sleep)
        self._check = check
        # Shown in messages: never the user:password@ a configured URL may carry.
        self._host = _shown_host(self.base_url)
        self._own_http = connections is None
        self._http = (new_client(self._token, self._timeout) if connections is None
                      else connections.client(self.base_url, self._token, self._timeout))
        self._count_lock = threading.Lock()
        self._requests_made = 0

    @property
    def requests_made(self) -> int:
        with self._count_lock:
            return self._requests_made

    def close(self) -> None:
        self._closing.set()  # reads in flight end at their next chunk, none starts
        if self._own_http:  # a shared one serves the next import
            self._http.close()

    @contextmanager
    def stop_when(self, event: threading.Event) -> Iterator[None]:
        """Requests made in this block (on this thread) give up once ``event`` is set."""
        self._caller.stop = event
        try:
            yield
        finally:
            self._caller.stop = None

    def _stopped(self) -> bool:
        event = getattr(self._caller, "stop", None)
        return self._closing.is_set() or (event is not None and event.is_set())

    def _waiting(self, subject: str) -> Check:
        """What a wait for the rate limit looks at: this call's stop, then the caller's check."""
        def check() -> None:
            if self._stopped():
                raise NetworkError(f"Stopped while waiting for the rate limit ({subject}).")
            if self._check is not None:
                self._check()
        return check

    # -- the request ----------------------------------------------------------------

    def get(self, path: str, *, subject: str, kind: str = METADATA, what: str | None = None,
            accept: str = ACCEPT_JSON, params: Mapping[str, str] | None = None,
            expect: Collection[int] = (200,),
            sink: Callable[[], BodySink] | None = None) -> Response:
        """GET ``base_url + path``; statuses in ``expect`` are returned, others raised.

        ``subject`` names what is fetched ("pallets/flask") and ``what`` the answer
        ("languages"; default: the kind's name) in error messages. ``kind`` picks the
        byte cap from :class:`ResponseLimits`: over it, GITHUB_ERROR — or, for a README
        or a file, the body cut at a UTF-8 boundary with ``truncated`` set. ``sink``
        makes a :class:`BodySink` that takes a 200's body as it streams in; its result
        is ``Response.parsed``.
        """
        cap = self.limits.cap(kind, what)
        url = self.base_url + path + (f"?{urlencode(params)}" if params else "")
        limited = path != "/rate_limit"  # asking for the limit is free, and never waits
        if limited:
            self._limiter.acquire(subject, max_wait=self._max_wait,
                                  check=self._waiting(subject))
        headers = {"Accept": accept}
        cache_key = cached = None
        try:  # from here on the slot is given back whatever fails, the cache's read too
            if self._cache is not None:
                cache_key = EtagCache.key(self._token, accept, url)
                cached = self._cache.get(cache_key)
                if cached:
                    headers["If-None-Match"] = cached[0]
            got = self._send(url, headers, subject, cap, sink)
        finally:
            if limited:
                self._limiter.release()
        self._limiter.note(_int_header(got.headers, "x-ratelimit-remaining"),
                           _int_header(got.headers, "x-ratelimit-reset"))
        if got.status == 304 and cached is not None:
            self._cache.touch(cache_key)
            parsed = None
            if sink is not None:
                parsed = feed_all(sink(), cached[1])
            return Response(200, got.headers, cached[1], from_cache=True, subject=subject,
                            what=cap.what, parsed=parsed)
        if got.status in expect:
            etag = got.headers.get("etag")
            if (got.status == 200 and cache_key is not None and etag and not got.truncated
                    and got.complete is not None):
                self._cache.put(cache_key, etag, got.complete)
            return Response(got.status, got.headers, got.body, truncated=got.truncated,
                            subject=subject, what=cap.what, parsed=got.parsed)
        raise self._error(got.status, got.headers, got.body, subject)

    def _send(self, url: str, headers: dict[str, str], subject: str, cap: Cap,
              sink: Callable[[], BodySink] | None) -> Received:
        if self._stopped():
            raise NetworkError(f"Stopped before fetching {subject}.")
        with self._count_lock:
            self._requests_made += 1
        try:
            return stream_get(self._http, url, headers, cap=cap,
                              error_cap=self.limits.cap(ERROR_BODY),
                              seconds=self.limits.request_seconds, stopping=self._stopped,
                              sink=sink)
        except AnswerTooLarge as exc:
            raise GitHubError(self._redact(
                f"GitHub's {exc.what} for {subject} is larger than {human_bytes(exc.max_bytes)}; "
                "Repofolio stopped reading it."), status=200,
                suggestion="The server sent far more than GitHub does. If REPOFOLIO_GITHUB_API "
                           "points at a proxy or a GitHub-compatible server, check it.") from None
        except AnswerTooSlow as exc:
            raise NetworkError(self._redact(
                f"GitHub ({self._host}) took more than {exc.seconds:g} s to send the "
                f"{exc.what} for {subject}; Repofolio stopped waiting.")) from None
        except AnswerStopped:
            raise NetworkError(f"Stopped while fetching {subject}.") from None
        except AnswerRefused as exc:  # an encoding we did not ask for, or broken gzip
            raise validate.invalid(subject, f"the {exc}") from None
        except httpx.TimeoutException as exc:
            raise NetworkError(self._redact(
                f"GitHub ({self._host}) did not answer within {self._timeout:g} s while "
                f"fetching {subject} (timeout).")) from exc
        except httpx.TransportError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise NetworkError(self._redact(
                f"Could not connect to GitHub ({self._host}) while fetching {subject} "
                f"(connection failed: {reason[:200]}).")) from exc

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
                if limited.secondary or _int_header(headers, "retry-after") is not None:
                    self._limiter.hold(limited.reset_at)  # every request of the token waits
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
            return RateLimited(rate_message(subject, wait, now + wait, secondary=secondary),
                               wait_seconds=wait, reset_at=now + wait, secondary=secondary,
                               status=status)
        if remaining == 0 and reset is not None and not secondary:
            wait = max(0.0, reset - now)
            return RateLimited(rate_message(subject, wait, reset), wait_seconds=wait,
                               reset_at=float(reset), status=status)
        if secondary or status == 429:
            # No header says how long: GitHub asks for at least a minute, then backoff.
            wait = SECONDARY_MIN_WAIT
            return RateLimited(rate_message(subject, wait, now + wait, secondary=True),
                               wait_seconds=wait, reset_at=now + wait, secondary=True,
                               status=status)
        return None

    def _redact(self, text: str) -> str:
        """Last line of defence: whatever built the message, no token or URL password."""
        text = hide_credentials(text)
        return text.replace(self._token, "***") if self._token else text


def _shown_host(base_url: str) -> str:
    """``host[:port]`` of the base URL, without any ``user:password@``."""
    parts = urlsplit(base_url)
    return parts.netloc.rpartition("@")[2] or base_url


def next_page_path(base_url: str, link: str) -> str | None:
    """``link``'s path and query below ``base_url``'s path, or None when it names another
    place. Scheme, host and port are compared as URLs mean them (``HTTPS://GHE.example``
    and ``https://ghe.example:443`` are one place), the path exactly; the caller asks
    for the result on its own base, so a link's own form never carries the token."""
    try:
        ours, theirs = urlsplit(base_url), urlsplit(link)
        same = (ours.scheme, ours.hostname, _port(ours)) == (theirs.scheme, theirs.hostname,
                                                           _port(theirs))
    except ValueError:  # a port that is no number, or out of range
        return None
    base_path = ours.path.rstrip("/")
    if not same or not theirs.hostname or not theirs.path.startswith(base_path + "/"):
        return None
    rest = theirs.path[len(base_path):]
    return f"{rest}?{theirs.query}" if theirs.query else rest


def _port(parts) -> int | None:
    return parts.port if parts.port is not None else {"http": 80, "https": 443}.get(parts.scheme)


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except (ValueError, OverflowError):  # "inf" from a broken server: no usable number
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
