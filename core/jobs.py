"""Every write to a job row, each transition conditional so racing actors cannot undo each other.

This is the only module that writes ``job`` rows (a test scans the others). A
running attempt is identified by (job id, attempt number): every write an attempt
makes says ``WHERE attempts = n AND status = STARTED``, so a worker that was
presumed dead and replaced can no longer change the job.

Queue order: a job is created PENDING without a run slot. :func:`wake` hands the
next waiting jobs of a profile a queue task while slots are free; :func:`claim`
takes a slot when the attempt starts, or parks the job again (no task, a message
saying what it waits for) when the slots are taken. Nothing sleeps on a slot.
A batch job is never run: :func:`settle_batch` derives its state from its items
whenever one of them changes.

A write that depends on what it read runs in :func:`transaction` (one job) or
:func:`core.db.write_transaction` with the profile: every rule about a job — the
same repository in flight, run slots, the queue order, its batch — is a rule about
its profile's jobs, so on PostgreSQL the profile's row is what serializes them,
across every worker of every machine, while other profiles go on in parallel.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import datetime, timezone
from typing import Any

from core import batch_state, leases, queue_order
from core.db import write_transaction
from core.errors import Cancelled, NotFound, RepofolioError
from core.models import (
    ACTIVE_STATUSES, BATCH, CANCELLED, DONE, FAILURE, PENDING, QUEUED, REFRESH, RETRYING, STARTED,
    SUCCESS, Job, Profile, database,
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


def transaction(job_id: int):
    """A write transaction for one job: on PostgreSQL its profile's row is locked in it."""
    profile_id = Job.select(Job.profile).where(Job.id == job_id).scalar()
    return write_transaction(profile_id=profile_id)


def _attempt(job_id: int, attempt: int):
    return (Job.id == job_id) & (Job.attempts == attempt) & (Job.status == STARTED)


# -- creating -------------------------------------------------------------------------------

def create(profile: Profile, *, url: str, repo: str, key: str, kind: str = "import",
           showcase: bool = True, private: bool = False, project: int | None = None,
           parent: int | None = None, payload: Any = None, message: str = "Queued") -> Job:
    """A new PENDING job at the end of its profile's queue (no slot, no task yet)."""
    now = utcnow()
    return Job.create(profile=profile, kind=kind, url=url, repo=repo, key=key,
                      showcase=showcase, private=private, project=project, parent=parent,
                      payload=payload, message=message, created_at=now, queued_at=now)


def create_batch(profile: Profile, *, url: str, repo: str, key: str,
                 plan: list[dict[str, Any]], items: list[dict[str, Any]],
                 options: dict[str, Any] | None = None) -> Job:
    """A batch and its item jobs, in the caller's transaction.

    ``plan`` holds the skipped entries (``repo``, ``reason``, ``project_id``) and, for
    each queued one, ``{"repo", "item": n}``: the index of its fields in ``items``
    (keyword arguments of :func:`create`).
    """
    batch = create(profile, kind=BATCH, url=url, repo=repo, key=key, message="Queued")
    entries = []
    for entry in plan:
        if "item" in entry:
            item = create(profile, parent=batch.id, **items[entry["item"]])
            entries.append({"repo": entry["repo"], "job_id": item.id})
        else:
            entries.append({key: entry.get(key) for key in ("repo", "reason", "project_id",
                                                             "job_id")})
    Job.update(payload={"plan": entries, "options": options or {}}).where(
        Job.id == batch.id).execute()
    settle_batch(batch.id)
    return Job.get_by_id(batch.id)


# -- the queue --------------------------------------------------------------------------------

def new_task_id(job: Job) -> str:
    """``job-N-a-<epoch>``: the task of attempt ``a`` of job N, handed out at ``<epoch>``
    (seconds since 1970 UTC, whatever this machine's time zone; :func:`handed_out`)."""
    return f"job-{job.id}-{job.attempts + 1}-{time.time():.3f}"


def handed_out(job: Job) -> datetime:
    """When the job's current task was handed out (naive UTC), read from its id; its
    creation when the id holds no time."""
    try:
        return datetime.fromtimestamp(float(job.task_id.rsplit("-", 1)[1]), timezone.utc
                                      ).replace(tzinfo=None)
    except (AttributeError, IndexError, ValueError):
        return job.created_at


def assign_task(job_id: int, task_id: str) -> None:
    """Record the queue task that runs the job's next attempt (only it may start it)."""
    Job.update(task_id=task_id).where(Job.id == job_id).execute()


def wake(profile_id: int, concurrency: int) -> list[Job]:
    """Give the first waiting jobs of a profile a queue task, as many as slots are free.

    Returns them (with their new ``task_id``) for the caller to enqueue. Jobs already
    woken and not started yet count as taking a slot; the others' messages are brought
    up to date with how many stand ahead of them.
    """
    woken: list[Job] = []
    with write_transaction(profile_id=profile_id):
        holders = len(leases.drop_dead(profile_id))
        line = list(queue_order.waiting(profile_id))
        for position, job in enumerate(line):
            jobs_ahead = queue_order.ahead(holders, position, concurrency)
            message = queue_order.waiting_message(jobs_ahead)
            if jobs_ahead == 0 and job.task_id is None:  # its turn: hand it a task
                job.task_id = new_task_id(job)
                Job.update(task_id=job.task_id, message=message).where(
                    Job.id == job.id).execute()
                woken.append(job)
            elif jobs_ahead and (job.message != message or job.task_id is not None):
                Job.update(message=message, task_id=None).where(Job.id == job.id).execute()
    return woken


def place(job: Job, concurrency: int) -> list[Job]:
    """Put a job just created (in the caller's transaction) in its place in the line:
    what :func:`wake` would do for it, without reading the whole line. It is last in its
    profile's line, so no other job's place or message changes; it gets a queue task when
    no job stands before it and a slot is free, else the message of how many are ahead.
    Returns the jobs to enqueue (it; or, when the jobs before it could start but a task
    went missing, whatever :func:`wake` hands out)."""
    holders = len(leases.live(job.profile_id))
    before = queue_order.waiting_before(job)
    jobs_ahead = queue_order.ahead(holders, before, concurrency)
    if jobs_ahead == 0 and before:  # the ones before it may start too: the whole line
        woken = wake(job.profile_id, concurrency)
        job.task_id, job.message = Job.select(Job.task_id, Job.message).where(
            Job.id == job.id).tuples().get()
        return woken
    job.message = queue_order.waiting_message(jobs_ahead)
    if jobs_ahead == 0:
        job.task_id = new_task_id(job)
    Job.update(task_id=job.task_id, message=job.message).where(Job.id == job.id).execute()
    return [job] if job.task_id else []


def claim(job_id: int, *, deadline_seconds: float, lease_ttl: float, concurrency: int = 1,
          task_id: str | None = None) -> Job | None:
    """Start the next attempt of a queued job; None if it is not to run now.

    ``task_id`` names the queue task that asks: only the job's current task may
    start it, so a stray duplicate task (re-queued by recovery) does nothing. A job
    whose cancel was asked for while it ran, then went back to the queue, ends here.
    A job without a run slot takes a free one when it is first in line; otherwise it
    is parked again (:func:`wake` hands it a task when its turn comes).
    """
    now = utcnow()
    with transaction(job_id):
        job = Job.get_or_none(Job.id == job_id)
        if job is None or job.kind == BATCH or job.status not in (PENDING, RETRYING):
            return None
        if task_id is not None and job.task_id != task_id:
            return None
        if job.cancel_requested:
            _end_cancelled(job)
            return None
        if not leases.renew(job_id, lease_ttl):
            jobs_ahead = queue_order.ahead_of(job, concurrency)
            if jobs_ahead or not leases.take(job, concurrency, lease_ttl):
                Job.update(task_id=None, stage=QUEUED,
                           message=queue_order.waiting_message(max(1, jobs_ahead))).where(
                    Job.id == job_id).execute()
                return None
        Job.update(
            status=STARTED, attempts=Job.attempts + 1, worker=worker_id(), heartbeat_at=now,
            started_at=job.started_at or now, next_run_at=None,
            deadline_at=job.deadline_at or after(deadline_seconds, now),
            message=f"Starting (attempt {job.attempts + 1})",
        ).where(Job.id == job_id).execute()
        # An item's start changes its batch only when it is the first to start: a batch
        # already STARTED would be written back as it is, after reading all its items.
        if job.parent_id is not None and Job.select(Job.status).where(
                Job.id == job.parent_id).scalar() != STARTED:
            settle_batch(job.parent_id)
    # With its profile: the attempt needs the name (its token) at once.
    return Job.select(Job, Profile).join(Profile).where(Job.id == job_id).get()


# -- a running attempt ------------------------------------------------------------------------

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


def _ended(job_id: int, *, settle: bool = True) -> None:
    """What every end of a job does: free its slot and bring its batch up to date
    (``settle=False``: the caller settles the batch once for many items)."""
    leases.release(job_id)
    if settle:
        parent = Job.select(Job.parent).where(Job.id == job_id).scalar()
        if parent is not None:
            settle_batch(parent)


def fail(job_id: int, attempt: int, error: RepofolioError, *, project_id: int | None = None) -> bool:
    """End the attempt's job as FAILURE (or CANCELLED) and free its slot."""
    status = CANCELLED if isinstance(error, Cancelled) else FAILURE
    with transaction(job_id):
        done = Job.update(
            status=status, finished_at=utcnow(), worker=None, message=error.message,
            project=project_id, **_error_fields(error),
        ).where(_attempt(job_id, attempt)).execute()
        if done:
            _ended(job_id)
    return bool(done)


def schedule_retry(job_id: int, attempt: int, error: RepofolioError, delay: float,
                   lease_ttl: float) -> bool:
    """Mark the job RETRYING in ``delay`` seconds; it keeps its slot."""
    with transaction(job_id):
        done = Job.update(
            status=RETRYING, worker=None, next_run_at=after(delay), stage=QUEUED,
            message=f"{error.message} Retrying in {delay:.0f} s.", **_error_fields(error),
        ).where(_attempt(job_id, attempt)).execute()
        if done:
            leases.renew(job_id, delay + lease_ttl)
    return bool(done)


def succeed(job_id: int, attempt: int, project_id: int, message: str, *,
            repo: str | None = None, url: str | None = None) -> bool:
    """Call inside the saving transaction, so the project and the job's end commit together.
    ``repo`` is the canonical ``owner/name`` the API gave, ``url`` the canonical address
    (DESIGN §6), whatever form or old name was typed."""
    canonical = {"repo": repo} if repo else {}
    if url:
        canonical["url"] = url
    done = Job.update(
        status=SUCCESS, stage=DONE, progress=100, finished_at=utcnow(), worker=None,
        project=project_id, message=message, error_code=None, error_message=None,
        error_suggestion=None, **canonical,
    ).where(_attempt(job_id, attempt)).execute()
    if done:
        _ended(job_id)
    return bool(done)


# -- back to the queue: one way, three reasons ------------------------------------------------

def _back_to_pending(where, *, message: str, refund_attempt: bool = False,
                     fresh: bool = False, **fields: Any) -> bool:
    """Put a job back in the queue. Every return goes through here, so each resets the
    same fields; ``refund_attempt`` gives back the attempt that was interrupted, and
    ``fresh`` makes it a new request (attempts, errors, times and place in the line)."""
    values: dict[Any, Any] = dict(status=PENDING, stage=QUEUED, progress=0, worker=None,
                                  deadline_at=None, next_run_at=None, message=message)
    if refund_attempt:
        values["attempts"] = Job.attempts - 1
    if fresh:
        values.update(attempts=0, error_code=None, error_message=None, error_suggestion=None,
                      cancel_requested=False, started_at=None, finished_at=None,
                      task_id=None, queued_at=utcnow())
    values.update(fields)
    return bool(Job.update(**values).where(where).execute())


def give_back(job_id: int, attempt: int) -> bool:
    """Return an interrupted attempt to the queue, as if it had not started (it keeps its
    slot); its time limit starts again with the next attempt (the time the app was closed
    is not the import's fault)."""
    # Its time starts again too: elapsed time must not count the hours the app was closed.
    return _back_to_pending(_attempt(job_id, attempt), refund_attempt=True, started_at=None,
                            message="Queued again: the app stopped while importing.")


def requeue_abandoned(job_id: int) -> bool:
    """A running job whose worker died: queued again as a new attempt (the one that died
    counts); it keeps its slot if it still holds one."""
    return _back_to_pending((Job.id == job_id) & (Job.status == STARTED),
                            message="Queued again: the worker running it stopped.")


def reopen(*items: Job) -> None:
    """Queue failed or cancelled jobs again as new requests, at the end of the line. An
    item retried is its batch taken up again: the batch's cancel no longer holds."""
    for job in items:
        _back_to_pending(Job.id == job.id, fresh=True, message="Queued again",
                         project=job.project_id if job.kind == REFRESH else None)
    for batch_id in {job.parent_id for job in items if job.parent_id is not None}:
        Job.update(cancel_requested=False).where(Job.id == batch_id).execute()
        settle_batch(batch_id)


# -- cancelling -------------------------------------------------------------------------------

def _end_cancelled(job: Job, *, settle: bool = True) -> None:
    Job.update(status=CANCELLED, finished_at=utcnow(), worker=None, message="Cancelled",
               cancel_requested=True, error_code=Cancelled.code,
               error_message="Cancelled before it finished.",
               error_suggestion=Cancelled.suggestion).where(Job.id == job.id).execute()
    _ended(job.id, settle=settle)


def request_cancel(job_id: int) -> Job:
    """Cancel a queued job now; ask a running one to stop at its next step. A batch:
    every unfinished item, the same way."""
    with transaction(get_job(job_id).id):
        job = get_job(job_id)
        targets = batch_state.item_jobs(job.id) if job.kind == BATCH else [job]
        if job.kind == BATCH and job.status in ACTIVE_STATUSES:  # its message: settle_batch's
            Job.update(cancel_requested=True).where(Job.id == job.id).execute()
        for target in targets:
            if target.status in (PENDING, RETRYING):
                _end_cancelled(target, settle=job.kind != BATCH)  # a batch: once, below
            elif target.status == STARTED:
                Job.update(cancel_requested=True, message="Cancelling…").where(
                    Job.id == target.id).execute()
        if job.kind == BATCH:
            settle_batch(job.id)
    return Job.get_by_id(job.id)


# -- batches ----------------------------------------------------------------------------------

def settle_batch(batch_id: int) -> None:
    """Bring a batch's row in line with its items (call inside the items' transaction)."""
    batch = Job.get_or_none(Job.id == batch_id)
    if batch is None:
        return
    state = batch_state.state(batch, batch_state.item_jobs(batch_id))
    final = state.status not in ACTIVE_STATUSES
    error = state.error or {}
    now = utcnow()
    Job.update(status=state.status, stage=state.stage, progress=state.progress,
               message=state.message, error_code=error.get("code"),
               error_message=error.get("message"), error_suggestion=error.get("suggestion"),
               started_at=(batch.started_at or now) if state.started else batch.started_at,
               finished_at=(batch.finished_at or now) if final else None,
               ).where(Job.id == batch_id).execute()

