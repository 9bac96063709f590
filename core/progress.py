"""Progress events: what a running import tells whoever listens (CLI, queue, window)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from core.errors import ErrorInfo


@dataclass(frozen=True)
class ProgressEvent:
    """One step of a job. ``job`` is the whole job after it, as DESIGN §6 shows it
    (``core.records.job_dict``), and ``parent_id`` its batch: what a view needs, so that
    no listener reads the job again for each event. A publisher without the row at hand
    leaves them None."""

    job_id: int
    status: str
    stage: str
    progress: int
    message: str
    project_id: int | None = None
    error: ErrorInfo | None = None
    retry_in: float | None = None
    job: dict[str, Any] | None = field(default=None, compare=False, hash=False, repr=False)
    parent_id: int | None = None


ProgressCallback = Callable[[ProgressEvent], None]


class Throttle:
    """Lets an event through when the stage changes or ``interval`` seconds have passed."""

    def __init__(self, interval: float = 0.5, clock: Callable[[], float] = time.monotonic):
        self.interval, self.clock = interval, clock
        self._last_stage: str | None = None
        self._last_time = float("-inf")

    def ready(self, stage: str) -> bool:
        now = self.clock()
        if stage != self._last_stage or now - self._last_time >= self.interval:
            self._last_stage, self._last_time = stage, now
            return True
        return False
