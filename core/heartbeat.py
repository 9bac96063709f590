"""A running attempt's heartbeat: proof of life for recovery, and lease renewal."""

from __future__ import annotations

import logging
import threading

from core import jobs
from core.db import close_thread_connection

log = logging.getLogger(__name__)


class Heartbeat:
    """Beats every ``interval`` seconds in its own thread while the ``with`` block runs."""

    def __init__(self, job_id: int, attempt: int, *, interval: float, lease_ttl: float):
        self.job_id, self.attempt = job_id, attempt
        self.interval, self.lease_ttl = interval, lease_ttl
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    if not jobs.beat(self.job_id, self.attempt, self.lease_ttl):
                        return  # the attempt was taken over or ended
                except Exception:  # a busy database must not kill the import
                    log.warning("Heartbeat of job %s failed", self.job_id, exc_info=True)
        finally:
            close_thread_connection()
