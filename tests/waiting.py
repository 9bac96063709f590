"""Waiting on a condition in tests: poll it until a deadline, never a fixed sleep."""

from __future__ import annotations

import time
from typing import Callable


def wait_until(predicate: Callable[[], object], timeout: float = 30.0,
               poll: float = 0.02, what: str = "condition") -> None:
    """Return once ``predicate()`` is true; fail the test if it is not by ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(poll)
    raise AssertionError(f"{what} not met within {timeout:g} s")
