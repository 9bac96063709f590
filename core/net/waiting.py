"""Waiting for a blocking call without being stuck in it.

:func:`run_abandonable` runs ``fn`` in a daemon thread and waits for it in slices,
running ``check`` (the job's cancel and deadline) between slices. When ``check``
raises, or the call's own ``seconds`` run out, the caller gets control back at once:
``on_abandon`` tells the call to stop (its reads check a switch between chunks), and
the thread, if still blocked in a read, ends with that read's timeout. Its memory is
bounded by the response caps meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
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
