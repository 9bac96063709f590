"""Reading a streamed body within its cap, its deadline and its caller's patience.

:class:`BoundedBody` wraps the *raw* chunks of a response (as they come off the
socket, still compressed) and yields decoded pieces. It decodes gzip and deflate
itself, at most :data:`STEP` bytes of output at a time, so a gzip bomb never expands
in memory past the cap; it counts decoded bytes against the cap, and checks the
request's deadline and a stop switch between chunks. The per-read timeout of the
HTTP library bounds a silent server; this bounds a slow one.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable, Iterator

from core.net.limits import AnswerStopped, AnswerTooLarge, AnswerTooSlow, AnswerUndecodable, Cap

STEP = 64 * 1024  # the most output one decompression step may produce
ACCEPT_ENCODING = "gzip, deflate"  # what we ask for, and all we decode


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data


class _Zlib:
    """gzip (several members too) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, encoding: str, what: str):
        self._what = what
        self._gzip = encoding != "deflate"
        self._undecided = not self._gzip  # deflate: zlib-wrapped or raw, seen at byte two
        self._head = b""  # what was fed while undecided, to feed again as raw deflate
        self._decoder = self._new()

    def _new(self, raw: bool = False):
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else
                                  16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._undecided:
            self._head += data
        while data:
            try:
                out = self._decoder.decompress(data, STEP)
            except zlib.error as exc:
                if self._undecided:  # "deflate" without the zlib header
                    self._undecided = False
                    self._decoder = self._new(raw=True)
                    data = self._head
                    continue
                raise AnswerUndecodable(self._what, f"does not decompress ({exc})") from None
            if out or len(self._head) > 64:
                self._undecided, self._head = False, b""
            if out:
                yield out
            data = self._decoder.unconsumed_tail
            if self._gzip and self._decoder.eof and self._decoder.unused_data:
                data = self._decoder.unused_data  # the next gzip member
                self._decoder = self._new()
            elif not data and len(out) == STEP:
                while len(out) == STEP:  # output may still be pending inside zlib: drain it
                    out = self._decoder.decompress(b"", STEP)
                    if out:
                        yield out


def decoder_for(content_encoding: str | None, what: str = "body"):
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return _Identity()
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Zlib(encoding, what)
    raise AnswerUndecodable(what, f"uses an encoding we did not ask for ({encoding[:40]!r})")


class BoundedBody:
    """Decoded pieces of ``raw``, ending at the cap (error, or cut), the deadline or a stop.

    ``deadline`` is a ``clock()`` value; ``seconds`` (the request's whole allowance) only
    names it in the error. After iterating, ``raw_bytes``/``decoded_bytes`` say what was
    read and ``truncated`` whether a cut cap stopped it.
    """

    def __init__(self, raw: Iterable[bytes], *, encoding: str | None, cap: Cap,
                 deadline: float, seconds: float,
                 stopping: Callable[[], bool] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self._raw = raw
        self._cap = cap
        self._deadline, self._seconds = deadline, seconds
        self._stopping = stopping or (lambda: False)
        self._clock = clock
        self._decoder = decoder_for(encoding, cap.what)
        self.raw_bytes = 0
        self.decoded_bytes = 0
        self.truncated = False

    def check_time(self) -> None:
        if self._stopping():
            raise AnswerStopped(self._cap.what)
        if self._clock() > self._deadline:
            raise AnswerTooSlow(self._cap.what, self._seconds)

    def __iter__(self) -> Iterator[bytes]:
        self.check_time()
        for chunk in self._raw:
            self.raw_bytes += len(chunk)
            self.check_time()  # a chunk that came too late is not used
            for piece in self._decoder.feed(chunk):
                room = self._cap.max_bytes - self.decoded_bytes
                if len(piece) > room:
                    if not self._cap.cut:
                        raise AnswerTooLarge(self._cap.what, self._cap.max_bytes)
                    self.truncated = True
                    if room:
                        self.decoded_bytes += room
                        yield piece[:room]
                    return
                self.decoded_bytes += len(piece)
                yield piece


def read_all(body: BoundedBody) -> bytes:
    return b"".join(body)
