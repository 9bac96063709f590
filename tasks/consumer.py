"""A Huey consumer that lives inside a process we own (the app, `import --wait`, `worker`).

Huey's ``Consumer.start()`` installs signal handlers, which would swallow
Ctrl-C in the window; ours installs none. A maintenance thread registers the
consumer, takes back the jobs of dead workers and re-queues jobs whose queue
task went missing.
"""

from __future__ import annotations

import logging
import threading

from huey.consumer import Consumer

from core import leases, recovery
from core.db import close_thread_connection
from tasks.queue import ImportQueue
from tasks.queue_storage import take_turn

log = logging.getLogger(__name__)


class _EmbeddedConsumer(Consumer):
    def _set_signal_handlers(self) -> None:
        """Leave the process's signal handlers alone (see LIBRARIES.md)."""


class ConsumerService:
    """Runs ``workers`` import threads and the maintenance loop until :meth:`stop`."""

    def __init__(self, queue: ImportQueue, workers: int | None = None, *,
                 maintenance_interval: float = 5.0, poll_max_delay: float = 0.5,
                 shutdown_timeout: float = 20.0):
        self.queue = queue
        self.settings = queue.settings
        self.workers = workers or self.settings.workers
        self.maintenance_interval = maintenance_interval
        self.interrupt = threading.Event()
        self._stopped = threading.Event()
        self._consumer = _EmbeddedConsumer(
            queue.huey, workers=self.workers, worker_type="thread", periodic=False,
            initial_delay=0.05, backoff=1.5, max_delay=poll_max_delay, scheduler_interval=1,
            check_worker_health=False,
            # A worker waiting on a slow AI answer must not hold a quit for minutes: past
            # this, the process goes and the next start takes the job back (its pid is gone).
            shutdown_timeout=shutdown_timeout)
        self._maintenance = threading.Thread(target=self._maintain, name="repofolio-maintenance",
                                             daemon=True)
        self.consumer_id: str | None = None

    @property
    def running(self) -> bool:
        return self.consumer_id is not None and not self._stopped.is_set()

    def start(self) -> "ConsumerService":
        self.queue.interrupt = self.interrupt
        self.consumer_id = recovery.register_consumer(self.workers)
        self.maintain_once()
        self._consumer.start()
        self._maintenance.start()
        log.info("Consumer %s started with %d workers", self.consumer_id, self.workers)
        return self

    def maintain_once(self) -> None:
        """Beat, take back dead workers' jobs, and re-queue lost tasks."""
        s = self.settings
        recovery.consumer_seen(self.consumer_id)
        for job in recovery.reclaim_stale_jobs(stale_after=s.stale_after,
                                               max_attempts=s.max_attempts, lease_ttl=s.lease_ttl):
            if leases.holds(job.id):  # it kept its slot: it goes on at once
                self.queue.enqueue(job)
        # The others wait in line. The safety net looks at every profile with work waiting
        # (2,000 waiting students: 3.6 s of the catalog's time); in team mode one consumer of
        # the team runs it per interval, not each of them.
        if take_turn(self.queue.huey, "reconcile", self.maintenance_interval):
            self.queue.reconcile()

    def _maintain(self) -> None:
        try:
            while not self._stopped.wait(self.maintenance_interval):
                try:
                    self.maintain_once()
                except Exception:  # keep maintaining; the next round may succeed
                    log.exception("Queue maintenance failed")
        finally:
            close_thread_connection()

    def stop(self, *, graceful: bool = True) -> None:
        """Stop taking jobs; running ones stop at their next step and go back to the queue."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self.interrupt.set()
        self._consumer.stop(graceful=graceful)
        self._maintenance.join(timeout=10)
        if self.consumer_id:
            recovery.unregister_consumer(self.consumer_id)
        log.info("Consumer %s stopped", self.consumer_id)

    def __enter__(self) -> "ConsumerService":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
