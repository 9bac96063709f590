"""Reading one GitHub answer within its cap, its total time and its caller's patience.

:func:`stream_get` sends one GET and streams the body through
:class:`core.net.body.BoundedBody` (decoded by us, counted after decompression, ended by
the request's total time or a stop), into bytes or into a :class:`BodySink` that reads
it as it comes (the tree). What it raises are :mod:`core.net.limits`' errors and
httpx's; :class:`core.github.http.GitHubTransport` turns them into the user's errors.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from core.net.body import BoundedBody
from core.net.limits import Cap

CACHE_LIMIT = 8_000_000  # bodies kept for the ETag cache; a larger tree is just fetched again


class BodySink(Protocol):
    """Takes a body as it streams in (a tree parsed entry by entry)."""

    def feed(self, data: bytes) -> bool:
        """Take the next piece; False: enough, read no further."""

    def result(self) -> Any:
        """What the body meant, once fed."""


def whole_characters(data: bytes) -> bytes:
    """``data`` without a UTF-8 character cut in half at its end (a body cut at a cap)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # the last character starts here
            need = 2 if 0xC0 <= byte < 0xE0 else 3 if 0xE0 <= byte < 0xF0 else \
                4 if 0xF0 <= byte < 0xF8 else 1
            return data if back >= need else data[:-back]
    return data  # not UTF-8 at all: a plain byte cut will do


@dataclass
class Received:
    body: bytes  # what the caller reads (cut at a UTF-8 boundary when truncated)
    complete: bytes | None  # the whole body, for the ETag cache (None: not kept)
    truncated: bool
    parsed: Any = None
    status: int = 0
    headers: httpx.Headers | None = None


def receive(body: BoundedBody, sink: BodySink | None) -> Received:
    """Drain ``body`` into bytes, or into ``sink`` (keeping bytes only while cacheable)."""
    kept: list[bytes] | None = []
    size = 0
    stopped_early = False
    for piece in body:
        if kept is not None:
            size += len(piece)
            if sink is not None and size > CACHE_LIMIT:
                kept = None  # a sink keeps what it needs; the raw body is not worth caching
            else:
                kept.append(piece)
        if sink is not None and not sink.feed(piece):
            stopped_early = True  # the sink has enough: the rest is never read
            break
    data = b"".join(kept) if kept is not None else b""
    if sink is not None:
        return Received(b"", None if stopped_early else (data if kept is not None else None),
                         stopped_early, parsed=sink.result())
    if body.truncated:
        return Received(whole_characters(data), None, True)
    return Received(data, data, False)


def feed_all(sink: BodySink, body: bytes) -> Any:
    for start in range(0, len(body), 1 << 16):
        if not sink.feed(body[start:start + (1 << 16)]):
            break
    return sink.result()


def stream_get(http: httpx.Client, url: str, headers: dict[str, str], *, cap: Cap,
               error_cap: Cap, seconds: float, stopping: Callable[[], bool],
               sink: Callable[[], BodySink] | None) -> Received:
    """GET ``url``: a 200's body within ``cap`` (into ``sink()`` if given), any other's
    within ``error_cap``; the whole request within ``seconds``."""
    deadline = time.monotonic() + seconds
    with http.stream("GET", url, headers=headers) as resp:
        ok = resp.status_code == 200
        body = BoundedBody(resp.iter_raw(), encoding=resp.headers.get("content-encoding"),
                           cap=cap if ok else error_cap, deadline=deadline, seconds=seconds,
                           stopping=stopping)
        received = receive(body, sink() if ok and sink is not None else None)
        received.status, received.headers = resp.status_code, resp.headers
        return received
