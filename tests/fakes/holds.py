"""Holding a fake server's answers until the test says go.

A test that needs "the import is in the middle of fetching", "these requests were
all out at once" or "kill the process now" waits on what the server has seen, not
on the clock: ``hold = fake.hold(r"/readme$")`` makes every matching request wait,
after it is logged, until ``hold.release()``; ``hold.wait_until_held(n)`` returns
once ``n`` of them are waiting at the same time (or fails after ``timeout``).

A held request waits at most ``limit`` seconds, so a test that forgets to release
cannot leave server threads behind for ever; the fakes release every hold when
they stop.
"""

from __future__ import annotations

import re
import threading
import time


class Hold:
    """Matching requests wait in the server until released; counts what arrived."""

    def __init__(self, path_regex: str, *, limit: float = 60.0):
        self.pattern = re.compile(path_regex)
        self.limit = limit
        self._released = threading.Event()
        self._changed = threading.Condition()
        self.arrived = 0  # matching requests so far
        self.held = 0  # waiting right now
        self.most_held = 0  # the most that waited at the same time

    def matches(self, path: str) -> bool:
        return bool(self.pattern.search(path))

    def enter(self) -> None:
        """Called by the server's request thread: wait here until released."""
        with self._changed:
            self.arrived += 1
            self.held += 1
            self.most_held = max(self.most_held, self.held)
            self._changed.notify_all()
        try:
            self._released.wait(self.limit)
        finally:
            with self._changed:
                self.held -= 1
                self._changed.notify_all()

    def release(self) -> None:
        """Let the held requests (and every later match) through."""
        self._released.set()

    @property
    def released(self) -> bool:
        return self._released.is_set()

    def wait_until_held(self, count: int = 1, timeout: float = 20.0) -> None:
        """Return once ``count`` matching requests wait at the same time."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.held < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{self.pattern.pattern!r}: {self.held} request(s) held at once, "
                        f"expected {count} (arrived in all: {self.arrived})")
                self._changed.wait(left)


class Holds:
    """The holds of one fake server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holds: list[Hold] = []

    def add(self, path_regex: str, *, limit: float = 60.0) -> Hold:
        hold = Hold(path_regex, limit=limit)
        with self._lock:
            self._holds.append(hold)
        return hold

    def enter(self, path: str) -> None:
        with self._lock:
            matching = [h for h in self._holds if not h.released and h.matches(path)]
        for hold in matching:
            hold.enter()

    def release_all(self) -> None:
        with self._lock:
            holds, self._holds = self._holds, []
        for hold in holds:
            hold.release()
