"""What a running attempt checks between its steps and while it waits: quit, cancel, deadline."""

from __future__ import annotations

import threading
import time
from typing import Callable

from core import jobs
from core.db import close_thread_connection
from core.errors import Cancelled, ImportTimeout, Interrupted
from core.models import Job
from core.timeutil import utcnow

CANCEL_POLL = 0.5  # seconds between two looks at the catalog for a cancel, per attempt


def checker(job: Job, interrupt: threading.Event | None) -> Callable[[], None]:
    """What an attempt checks between steps and while it waits: quit, cancel, deadline.

    It runs often (between requests, and every 0.2 s of a wait for the rate limit), and
    on the GitHub client's pool threads too. The catalog is asked about a cancel at most
    once every :data:`CANCEL_POLL` seconds, and a pool thread hands its connection back at
    once: each would otherwise hold one for the whole import (on PostgreSQL, a pool of
    20 ran dry with four imports at once).
    """
    home = threading.current_thread()
    asked = [float("-inf"), False]  # when the catalog was last asked, and what it said

    def check() -> None:
        if interrupt is not None and interrupt.is_set():
            raise Interrupted("The app is stopping.")
        now = time.monotonic()
        if now - asked[0] >= CANCEL_POLL:
            asked[:] = [now, jobs.cancel_wanted(job.id)]
            if threading.current_thread() is not home:
                close_thread_connection()
        if asked[1]:
            raise Cancelled("Cancelled by the user.")
        if job.deadline_at is not None and utcnow() > job.deadline_at:
            raise ImportTimeout("The import ran past its time limit.")
    return check
