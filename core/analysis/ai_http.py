"""The AI client's HTTP: one origin, a byte cap, a total deadline, a stop switch, quiet logs.

The openai SDK takes any ``httpx.Client`` (LIBRARIES.md); we give it one whose
transport, :class:`GuardedTransport`,

- sends nothing to another origin than the configured server: the prompt quotes the
  README (of a private repository too), so a redirect elsewhere is refused before a
  byte leaves (same-origin redirects are followed);
- reads the answer through :class:`core.net.body.BoundedBody`: capped after
  decompression, and ended by the call's total deadline or its stop switch even while
  a server drips one byte a second;
- clips every read and connect timeout to what is left of the deadline;
- goes through the proxy the environment names for that origin (``HTTPS_PROXY``,
  ``NO_PROXY``…), as the SDK's own client would: a client given a transport gets no
  proxy from httpx itself.

Its errors are not httpx errors, so the SDK neither retries them nor wraps them.
:func:`quiet_sdk_loggers` keeps the SDK's and HTTP libraries' loggers at WARNING,
with user-info masked, so request URLs and bodies never reach our log.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import urllib.request

import httpx

from core.net.body import ACCEPT_ENCODING, BoundedBody
from core.net.limits import AnswerStopped, AnswerTooSlow, Cap, ForeignRedirect
from core.net.tls import verified_context
from core.urls import hide_credentials

SDK_LOGGERS = ("openai", "httpx", "httpx2", "httpcore", "httpcore2")


class GuardedTransport(httpx.BaseTransport):
    """An ``httpx`` transport for one origin, with the response policy of :mod:`core.net`."""

    def __init__(self, cap: Cap, *, inner: httpx.BaseTransport | None = None):
        self._cap = cap
        self._inner = inner  # made by allow() when not given
        self._origin: tuple[str, str, int | None] | None = None
        self._deadline = math.inf
        self._seconds = 0.0
        self.stopping = threading.Event()

    def allow(self, base_url: str) -> None:
        """The one origin requests may go to (the SDK's resolved base URL)."""
        url = httpx.URL(base_url)
        self._origin = _origin(url)
        if self._inner is None:
            self._inner = httpx.HTTPTransport(verify=verified_context(), proxy=_proxy_for(url))

    def arm(self, seconds: float) -> None:
        """Start a call's total allowance: every request and read of it ends by then."""
        self._seconds = seconds
        self._deadline = time.monotonic() + seconds
        self.stopping.clear()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._inner is None or _origin(request.url) != self._origin:
            raise ForeignRedirect(self._cap.what, request.url.host or "?")
        if self.stopping.is_set():
            raise AnswerStopped(self._cap.what)
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise AnswerTooSlow(self._cap.what, self._seconds)
        timeouts = dict(request.extensions.get("timeout") or {})
        request.extensions = {**request.extensions, "timeout": {
            key: min(value, left) if value is not None else left
            for key, value in {"connect": None, "read": None, "write": None, "pool": None,
                               **timeouts}.items()}}
        request.headers["Accept-Encoding"] = ACCEPT_ENCODING
        response = self._inner.handle_request(request)
        body = BoundedBody(response.stream, encoding=response.headers.get("content-encoding"),
                           cap=self._cap, deadline=self._deadline, seconds=self._seconds,
                           stopping=self.stopping.is_set)
        # The body is decoded here, within the cap: httpx must not decode it again.
        headers = [(k, v) for k, v in response.headers.raw
                   if k.lower() not in (b"content-encoding", b"content-length")]
        return httpx.Response(response.status_code, headers=headers,
                              stream=_DecodedStream(body, response.stream),
                              extensions=response.extensions, request=request)

    def close(self) -> None:
        self.stopping.set()
        if self._inner is not None:
            self._inner.close()


class _DecodedStream(httpx.SyncByteStream):
    def __init__(self, body: BoundedBody, raw: httpx.SyncByteStream):
        self._body, self._raw = body, raw

    def __iter__(self):
        yield from self._body

    def close(self) -> None:
        self._raw.close()


def _proxy_for(url: httpx.URL) -> str | None:
    """The proxy the environment names for ``url`` (None: direct), by the usual rules."""
    proxies = urllib.request.getproxies_environment()
    if not proxies or urllib.request.proxy_bypass_environment(url.host or "", proxies):
        return None
    return proxies.get(url.scheme) or proxies.get("all")


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, (url.host or "").lower(), url.port or default


def make_http_client(cap: Cap, timeout: float) -> tuple[httpx.Client, GuardedTransport]:
    """An ``httpx.Client`` for the openai SDK, and its transport (to allow, arm, stop)."""
    transport = GuardedTransport(cap)
    client = httpx.Client(transport=transport, timeout=httpx.Timeout(timeout),
                          follow_redirects=True)
    return client, transport


class _MaskCredentials(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        masked = hide_credentials(text)
        if masked != text:
            record.msg, record.args = masked, None
        return True


_MASK = _MaskCredentials()


def quiet_sdk_loggers() -> None:
    """Request lines, URLs and bodies of the SDK and HTTP libraries stay out of our log.

    At INFO and DEBUG they log every request URL (with any ``user:password@``) and,
    with ``OPENAI_LOG=debug``, whole request bodies — the prompt quotes the README."""
    for name in SDK_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING)
        if _MASK not in logger.filters:
            logger.addFilter(_MASK)
