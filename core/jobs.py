"""Job state transitions, each one conditional so that racing actors cannot undo each other.

A running attempt is identified by (job id, attempt number): every write an
attempt makes says ``WHERE attempts = n AND status = STARTED``, so a worker
that was presumed dead and replaced can no longer change the job.
"""

from __future__ import annotations

import os
import socket
import threading

from core import leases
from core.errors import Cancelled, NotFound, RepofolioError
from core.models import (
    ACTIVE_STATUSES, CANCELLED, DONE, FAILURE, PENDING, QUEUED, RETRYING, STARTED, SUCCESS, Job,
    database,
)
from core.timeutil import after, utcnow

HOST = socket.gethostname()


def worker_id() -> str:
    return f"{HOST}:{os.getpid()}:{threading.get_ident()}"


def get_job(job_id: int | str) -> Job:
    try:
        job = Job.get_or_none(Job.id == int(job_id))
    except (TypeError, ValueError):
        job = None
    if job is None:
        raise NotFound(f"No job {job_id!r}.", suggestion="Run `repofolio jobs --all` to see the jobs.")
    return job


def _attempt(job_id: int, attempt: int):
    return (Job.id == job_id) & (Job.attempts == attempt) & (Job.status == STARTED)


def claim(job_id: int, *, deadline_seconds: float, lease_ttl: float,
          task_id: str | None = None) -> Job | None:
    """Start the next attempt of a queued job; None if it is not queued any more.

    ``task_id`` names the queue task that asks: only the job's current task may
    start it, so a stray duplicate task (re-queued by recovery) does nothing. A job
    whose cancel was asked for while it ran, then went back to the queue, ends here.
    """
    now = utcnow()
    with database.atomic("IMMEDIATE"):
        job = Job.get_or_none(Job.id == job_id)
        if job is None or job.status not in (PENDING, RETRYING):
            return None
        if task_id is not None and job.task_id != task_id:
            return None
        if job.cancel_requested:
            _end_cancelled(job)
            return None
        Job.update(
            status=STARTED, attempts=Job.attempts + 1, worker=worker_id(), heartbeat_at=now,
            started_at=job.started_at or now, next_run_at=None,
            deadline_at=job.deadline_at or after(deadline_seconds, now),
            message=f"Starting (attempt {job.attempts + 1})",
        ).where(Job.id == job_id).execute()
        if not leases.renew(job_id, lease_ttl):
            leases.take_back(job, lease_ttl)  # lost to a crash or an old catalog: hold it again
    return Job.get_by_id(job_id)


def _end_cancelled(job: Job) -> None:
    Job.update(status=CANCELLED, finished_at=utcnow(), worker=None, message="Cancelled",
               error_code=Cancelled.code, error_message="Cancelled before it finished.",
               error_suggestion=Cancelled.suggestion).where(Job.id == job.id).execute()
    leases.release(job.id)


def report(job_id: int, attempt: int, *, stage: str, progress: int, message: str) -> bool:
    """Persist progress; False if this attempt no longer owns the job."""
    return bool(Job.update(stage=stage, progress=progress, message=message, heartbeat_at=utcnow())
                .where(_attempt(job_id, attempt)).execute())


def beat(job_id: int, attempt: int, lease_ttl: float) -> bool:
    with database.atomic():
        alive = Job.update(heartbeat_at=utcnow()).where(_attempt(job_id, attempt)).execute()
        if alive:
            leases.renew(job_id, lease_ttl)
    return bool(alive)


def cancel_wanted(job_id: int) -> bool:
    return bool(Job.select(Job.cancel_requested).where(Job.id == job_id).scalar())


def _error_fields(error: RepofolioError) -> dict:
    return {"error_code": error.code, "error_message": error.message,
            "error_suggestion": error.suggestion}


def fail(job_id: int, attempt: int, error: RepofolioError, *, project_id: int | None = None) -> bool:
    """End the attempt's job as FAILURE (or CANCELLED) and free the profile."""
    status = CANCELLED if isinstance(error, Cancelled) else FAILURE
    with database.atomic("IMMEDIATE"):
        done = Job.update(
            status=status, finished_at=utcnow(), worker=None, message=error.message,
            project=project_id, **_error_fields(error),
        ).where(_attempt(job_id, attempt)).execute()
        if done:
            leases.release(job_id)
    return bool(done)


def schedule_retry(job_id: int, attempt: int, error: RepofolioError, delay: float,
                   lease_ttl: float) -> bool:
    """Mark the job RETRYING in ``delay`` seconds; the lease stays with it."""
    with database.atomic("IMMEDIATE"):
        done = Job.update(
            status=RETRYING, worker=None, next_run_at=after(delay), stage=QUEUED,
            message=f"{error.message} Retrying in {delay:.0f} s.", **_error_fields(error),
        ).where(_attempt(job_id, attempt)).execute()
        if done:
            leases.renew(job_id, delay + lease_ttl)
    return bool(done)


def give_back(job_id: int, attempt: int) -> bool:
    """Return an interrupted attempt to the queue, as if it had not started; its time
    limit starts again with the next attempt (the time the app was closed is not the
    import's fault)."""
    return bool(Job.update(
        status=PENDING, stage=QUEUED, progress=0, worker=None, attempts=Job.attempts - 1,
        # Its time starts again too: elapsed time must not count the hours the app was closed.
        started_at=None, deadline_at=None, message="Queued again: the app stopped while importing.",
    ).where(_attempt(job_id, attempt)).execute())


def succeed(job_id: int, attempt: int, project_id: int, message: str) -> bool:
    """Call inside the saving transaction, so the project and the job's end commit together."""
    done = Job.update(
        status=SUCCESS, stage=DONE, progress=100, finished_at=utcnow(), worker=None,
        project=project_id, message=message, error_code=None, error_message=None,
        error_suggestion=None,
    ).where(_attempt(job_id, attempt)).execute()
    if done:
        leases.release(job_id)
    return bool(done)


def request_cancel(job_id: int) -> Job:
    """Cancel a queued job now; ask a running one to stop at its next step."""
    with database.atomic("IMMEDIATE"):
        job = get_job(job_id)
        if job.status in (PENDING, RETRYING):
            _end_cancelled(job)
            Job.update(cancel_requested=True).where(Job.id == job.id).execute()
        elif job.status == STARTED:
            Job.update(cancel_requested=True, message="Cancelling…").where(Job.id == job.id).execute()
    return Job.get_by_id(job.id)


def active_jobs():
    return Job.select().where(Job.status.in_(ACTIVE_STATUSES)).order_by(Job.id)
