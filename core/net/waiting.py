"""Waiting for a blocking call without being stuck in it.

:func:`run_abandonable` runs ``fn`` in a daemon thread and waits for it in slices,
running ``check`` (the job's cancel and deadline) between slices. When ``check``
raises, or the call's own ``seconds`` run out, the caller gets control back at once:
``on_abandon`` tells the call to stop (its reads check a switch between chunks), and
the thread, if still blocked in a read, ends with that read's timeout. Its memory is
bounded by the response caps meanwhile.

:class:`DaemonPool` is a thread pool for the same purpose: ``ThreadPoolExecutor``
joins its threads at interpreter exit, so one abandoned read would hold a finished
``repofolio import --wait`` open for the length of its read timeout.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from core.net.limits import AnswerTooSlow

T = TypeVar("T")
POLL_SECONDS = 0.1


def run_abandonable(fn: Callable[[], T], *, what: str, seconds: float | None = None,
                    check: Callable[[], None] | None = None,
                    on_abandon: Callable[[], None] | None = None,
                    poll: float = POLL_SECONDS, name: str = "repofolio-call") -> T:
    """``fn()``'s result or exception; ``check``'s exception or AnswerTooSlow if sooner."""
    done = threading.Event()
    outcome: dict[str, object] = {}

    def call() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 — handed to the waiting thread
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=call, name=name, daemon=True).start()
    end = None if seconds is None else time.monotonic() + seconds
    try:
        while not done.wait(poll if end is None else max(0.0, min(poll, end - time.monotonic()))):
            if check is not None:
                check()
            if end is not None and time.monotonic() >= end:
                raise AnswerTooSlow(what, seconds)
    except BaseException:
        if on_abandon is not None:
            on_abandon()
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


class DaemonPool:
    """Up to ``workers`` daemon threads running submitted calls, started as needed."""

    def __init__(self, workers: int, name: str):
        self._workers, self._name = workers, name
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0
        self._closed = False

    def submit(self, fn: Callable[[], T]) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the pool is shut down")
            self._calls.put((future, fn))
            if self._idle == 0 and self._threads < self._workers:
                self._threads += 1
                threading.Thread(target=self._work, daemon=True,
                                 name=f"{self._name}-{self._threads}").start()
            else:
                self._idle -= 1  # one idle thread will take it
        return future

    def _work(self) -> None:
        while True:
            item = self._calls.get()
            if item is None:
                return
            future, fn = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn())
                except BaseException as exc:  # noqa: BLE001 — the future carries it
                    future.set_exception(exc)
            with self._lock:
                self._idle += 1

    def shutdown(self) -> None:
        """Stop taking calls; idle threads end, busy ones end after their call."""
        with self._lock:
            self._closed = True
            threads = self._threads
        for _ in range(threads):
            self._calls.put(None)
