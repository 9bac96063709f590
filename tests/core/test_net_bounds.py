"""core/net: reading a body within its cap, deadline and stop switch; abandonable waits."""

from __future__ import annotations

import gzip
import threading
import zlib

import pytest

from core.net.body import STEP, BoundedBody, decoder_for
from core.net.limits import (
    AnswerStopped, AnswerTooLarge, AnswerTooSlow, AnswerUndecodable, Cap, ResponseLimits,
    human_bytes,
)
from core.net.waiting import DaemonPool, run_abandonable


def chunks(data: bytes, size: int = 65536):
    for start in range(0, len(data), size):
        yield data[start:start + size]


def body(raw, *, encoding=None, cap=Cap("answer", 1_000_000), clock=lambda: 0.0,
         deadline=10.0, stopping=None) -> BoundedBody:
    return BoundedBody(raw, encoding=encoding, cap=cap, deadline=deadline, seconds=10.0,
                       stopping=stopping, clock=clock)


def test_a_gzip_bomb_is_stopped_after_the_cap_in_small_steps():
    bomb = gzip.compress(b"\0" * 50_000_000, 9)  # 50 MB in ~50 KB
    reader = body(chunks(bomb), encoding="gzip", cap=Cap("repository object", 1_000_000))
    biggest = 0
    with pytest.raises(AnswerTooLarge) as caught:
        for piece in reader:
            biggest = max(biggest, len(piece))
    assert caught.value.what == "repository object" and caught.value.max_bytes == 1_000_000
    assert biggest <= STEP  # never a whole chunk's expansion at once
    assert reader.decoded_bytes <= 1_000_000 and reader.raw_bytes <= len(bomb)


@pytest.mark.parametrize("encoding, packed", [
    ("gzip", gzip.compress(b"hello " * 50_000) + gzip.compress(b"world")),  # two members
    ("x-gzip", gzip.compress(b"hello " * 50_000 + b"world")),
    ("deflate", zlib.compress(b"hello " * 50_000 + b"world")),
    ("deflate", zlib.compress(b"hello " * 50_000 + b"world")[2:-4]),  # raw, no zlib header
    ("identity", b"hello " * 50_000 + b"world"),
    (None, b"hello " * 50_000 + b"world"),
])
@pytest.mark.parametrize("size", [1, 7, 65536])
def test_bodies_decode_whatever_the_chunking(encoding, packed, size):
    assert b"".join(body(chunks(packed, size), encoding=encoding)) == b"hello " * 50_000 + b"world"


def test_an_encoding_we_did_not_ask_for_is_refused():
    with pytest.raises(AnswerUndecodable, match="'br'"):
        decoder_for("br", "README")
    with pytest.raises(AnswerUndecodable, match="does not decompress"):
        list(body([b"not gzip at all"], encoding="gzip"))


def test_a_cut_cap_keeps_the_beginning_and_says_so():
    reader = body(chunks(b"x" * 1000, 64), cap=Cap("README", 250, cut=True))
    assert b"".join(reader) == b"x" * 250 and reader.truncated
    exact = body(chunks(b"x" * 250, 64), cap=Cap("README", 250, cut=True))
    assert b"".join(exact) == b"x" * 250 and not exact.truncated


def test_the_total_deadline_ends_a_drip_whatever_each_read_takes():
    now = [0.0]

    def drip():  # one byte per "second" of the injected clock
        while True:
            now[0] += 1.0
            yield b"x"

    reader = body(drip(), clock=lambda: now[0], deadline=5.0)
    with pytest.raises(AnswerTooSlow) as caught:
        b"".join(reader)
    # The sixth byte came after the deadline: received, not used.
    assert (reader.raw_bytes, reader.decoded_bytes) == (6, 5) and caught.value.seconds == 10.0


def test_the_stop_switch_ends_reading_at_the_next_chunk():
    stop = threading.Event()

    def endless():
        for index in range(10**9):
            if index == 3:
                stop.set()
            yield b"y" * 10

    reader = body(endless(), stopping=stop.is_set)
    with pytest.raises(AnswerStopped):
        b"".join(reader)
    assert reader.raw_bytes == 40 and reader.decoded_bytes == 30


def test_limits_are_data_with_a_name_per_kind():
    limits = ResponseLimits(repository=10, readme=20)
    assert limits.cap("repository") == Cap("repository object", 10)
    assert limits.cap("readme") == Cap("README", 20, cut=True)
    assert limits.cap("metadata", "languages").what == "languages"
    assert [human_bytes(n) for n in (512, 64_000, 1_000_000, 2_500_000)] == \
        ["512 bytes", "64 KB", "1 MB", "2.5 MB"]


def test_a_check_that_raises_gives_control_back_while_the_call_is_stuck():
    release, abandoned = threading.Event(), threading.Event()
    checks = []

    def check():
        checks.append(1)
        if len(checks) == 3:
            raise KeyError("cancelled")

    with pytest.raises(KeyError):
        run_abandonable(lambda: release.wait(60), what="x", check=check,
                        on_abandon=abandoned.set, poll=0.01)
    assert abandoned.is_set() and len(checks) == 3
    release.set()


def test_an_abandonable_call_returns_its_value_or_raises_its_error():
    assert run_abandonable(lambda: 42, what="x") == 42
    with pytest.raises(ZeroDivisionError):
        run_abandonable(lambda: 1 / 0, what="x")
    stuck = threading.Event()
    with pytest.raises(AnswerTooSlow):
        run_abandonable(lambda: stuck.wait(60), what="x", seconds=0.05, poll=0.01)
    stuck.set()


def test_the_daemon_pool_runs_calls_on_daemon_threads():
    pool = DaemonPool(2, "test-pool")
    futures = [pool.submit(lambda i=i: (i, threading.current_thread().daemon)) for i in range(5)]
    assert [f.result(timeout=10) for f in futures] == [(i, True) for i in range(5)]
    failing = pool.submit(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=10)
    pool.shutdown()
    with pytest.raises(RuntimeError):
        pool.submit(lambda: None)
