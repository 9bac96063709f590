"""Taking back the work of a worker that died: stale running jobs, orphan leases, consumers.

Huey has no acknowledgement: a task that was running when its process died is
gone from the queue. The catalog still says STARTED, with a heartbeat that
stopped. Any running consumer calls :func:`reclaim_stale_jobs` periodically
and re-enqueues what it returns.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from core import jobs, leases
from core.errors import Cancelled, InternalError
from core.models import BATCH, STARTED, Consumer, Job
from core.timeutil import utcnow

log = logging.getLogger(__name__)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_gone(worker: str | None) -> bool:
    """True when the worker ran on this host in a process that no longer exists."""
    if not worker:
        return True
    host, _, rest = worker.partition(":")
    pid = rest.split(":", 1)[0]
    return host == jobs.HOST and pid.isdigit() and not pid_alive(int(pid))


def reclaim_stale_jobs(*, stale_after: float, max_attempts: int, lease_ttl: float) -> list[Job]:
    """Queue again (or fail) the running jobs whose worker died; return those queued again.

    A job queued again keeps its run slot when it still holds one (the caller enqueues
    it at once); one whose slot was freed meanwhile waits in line like any other.
    """
    limit = utcnow() - timedelta(seconds=stale_after)
    requeued: list[Job] = []
    # Read first, write after: a write inside an open read fails at once under contention.
    stale = Job.select().where((Job.status == STARTED) & (Job.kind != BATCH))
    for job in list(stale):
        if not _abandoned(job, limit):
            continue
        with jobs.transaction(job.id):
            fresh = Job.get_by_id(job.id)
            if fresh.status != STARTED or not _abandoned(fresh, limit):
                continue
            if fresh.cancel_requested:
                jobs.fail(fresh.id, fresh.attempts, Cancelled("Cancelled; its worker had stopped."))
                continue
            if fresh.attempts >= max_attempts:
                jobs.fail(fresh.id, fresh.attempts, InternalError(
                    "The import stopped: its worker stopped responding and its attempts "
                    "are spent.",
                    suggestion="Retry the import; if it keeps stopping, send the log."))
                log.warning("Job %s failed: its worker stopped and its attempts are spent",
                            fresh.id)
                continue
            jobs.requeue_abandoned(fresh.id)
            leases.renew(fresh.id, lease_ttl)
            log.warning("Job %s re-queued after its worker stopped (attempt %s)",
                        fresh.id, fresh.attempts)
            requeued.append(Job.get_by_id(fresh.id))
    leases.release_orphans()
    return requeued


def _abandoned(job: Job, limit) -> bool:
    stale = job.heartbeat_at is None or job.heartbeat_at < limit
    return stale or _worker_gone(job.worker)


def register_consumer(workers: int) -> str:
    consumer_id = f"{jobs.HOST}:{os.getpid()}"
    now = utcnow()
    Consumer.insert(id=consumer_id, host=jobs.HOST, pid=os.getpid(), workers=workers,
                    started_at=now, seen_at=now).on_conflict(  # an upsert both backends know
        conflict_target=[Consumer.id],
        update={Consumer.workers: workers, Consumer.started_at: now, Consumer.seen_at: now},
    ).execute()
    return consumer_id


def consumer_seen(consumer_id: str) -> None:
    Consumer.update(seen_at=utcnow()).where(Consumer.id == consumer_id).execute()


def unregister_consumer(consumer_id: str) -> None:
    Consumer.delete().where(Consumer.id == consumer_id).execute()


def live_consumers(*, stale_after: float) -> list[Consumer]:
    """Consumers that beat recently and, on this host, whose process still exists."""
    limit = utcnow() - timedelta(seconds=stale_after)
    alive = []
    for consumer in Consumer.select():
        if consumer.seen_at < limit or (consumer.host == jobs.HOST and not pid_alive(consumer.pid)):
            continue
        alive.append(consumer)
    return alive
