"""The import queue: a Huey (``queue.db``, or Redis in team mode) with one task that takes a job id.

The job row in the catalog is the truth; the queue only says "run job N
now". Each attempt is its own queue task with id ``job-N-a``; a retry is a
new task scheduled after its delay, so nothing depends on Huey's retry
bookkeeping (which does not count RetryTask delays).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable

from huey import Huey
from huey.signals import SIGNAL_ENQUEUED
from peewee import fn

from core import batch_state, batches, jobs
from core.db import close_thread_connection, write_transaction
from core.errors import ErrorInfo
from core.importer import Importer
from core.models import ACTIVE_STATUSES, BATCH, PENDING, RETRYING, Job, Profile
from core.progress import ProgressEvent
from core.records import job_dict
from core.timeutil import utcnow
from tasks.events import EventBus
from tasks.queue_storage import make_huey
from tasks.wake import Doorbell

log = logging.getLogger(__name__)

TASK_NAME = "repofolio.import_job"


class ImportQueue:
    """Enqueues import attempts and runs them (in whichever process consumes)."""

    def __init__(self, importer: Importer, events: EventBus | None = None,
                 huey: Huey | None = None):
        self.importer = importer
        self.settings = importer.settings
        self.events = events or EventBus()
        self.huey = huey or make_huey(self.settings.queue_store)
        self._task = self.huey.task(name=TASK_NAME, context=True)(self._run_job)
        # Each worker thread opens its own catalog connection; close it when the thread ends.
        self.huey.on_shutdown()(close_thread_connection)
        # Idle workers of this process sleep on it (tasks.consumer): whatever is queued
        # here — a submit, a retry the scheduler hands over — wakes them at once.
        self.doorbell = Doorbell()
        self.huey.signal(SIGNAL_ENQUEUED)(lambda _signal, _task: self.doorbell.ring())
        self.interrupt = None  # set by the consumer: a threading.Event checked between steps

    # -- producing --------------------------------------------------------------------------

    def enqueue(self, job: Job, delay: float = 0.0) -> str:
        """Queue the job's next attempt; returns the queue task id."""
        task_id = jobs.new_task_id(job)
        jobs.assign_task(job.id, task_id)
        self._put(job.id, task_id, delay)
        return task_id

    def _put(self, job_id: int, task_id: str, delay: float = 0.0) -> None:
        if delay > 0:
            self._task.schedule(args=(job_id,), delay=delay, id=task_id)
        else:
            self.huey.enqueue(self._task.s(job_id, id=task_id))

    def wake(self, profile_id: int) -> int:
        """Queue the profile's next waiting jobs for the slots that are free; how many."""
        woken = jobs.wake(profile_id, self.settings.profile_concurrency)
        for job in woken:
            self._put(job.id, job.task_id)
        return len(woken)

    def submit(self, text: str, **options) -> Job:
        return self._placed(lambda: self.importer.submit(text, **options))

    def retry(self, job_id: int) -> Job:
        return self._queued(self.importer.resubmit(job_id))

    def refresh(self, project_ref: str | int) -> Job:
        return self._placed(lambda: self.importer.submit_refresh(project_ref))

    def _placed(self, create: Callable[[], Job]) -> Job:
        """One new job: written and put in its place in one transaction (one commit,
        not two; no read of the whole line), then enqueued when it may start."""
        with write_transaction():
            job = create()  # its own transaction becomes a savepoint of this one
            woken = jobs.place(job, self.settings.profile_concurrency)
        for each in woken:
            self._put(each.id, each.task_id)
        return job

    def submit_import_all(self, owner: str, items, **options) -> Job:
        """Queue a batch of an owner's repositories (see :mod:`core.batches`)."""
        return self._queued(batches.submit_import_all(owner, items, **options))

    def refresh_all(self, profile: str = "default") -> Job:
        return self._queued(batches.submit_refresh_all(profile))

    def _queued(self, job: Job) -> Job:
        """A job (or batch) just written to the catalog: start it if a slot is free."""
        self.wake(job.profile_id)
        return Job.get_by_id(job.id)

    def cancel(self, job_id: int) -> Job:
        """Cancel a job (a batch: its unfinished items); queued ones never run."""
        job = jobs.get_job(job_id)
        targets = batch_state.item_jobs(job.id) if job.kind == BATCH else [job]
        queued = {t.id: t.task_id for t in targets if t.status in (PENDING, RETRYING)}
        job = jobs.request_cancel(job_id)
        for task_id in queued.values():  # a running task is stopped by the job row instead
            if task_id:
                self.huey.revoke_by_id(task_id)
        if job.kind == BATCH and queued:  # the items it cancelled, as it left them: one read
            items = (Job.select(Job, Profile).join(Profile)  # job_dict names the profile
                     .where(Job.parent == job.id).order_by(Job.id))
            for item in items:
                if item.id in queued:
                    self.events.publish(_event_of(item))
        self.events.publish(_event_of(job))
        self.wake(job.profile_id)
        return job

    def reconcile(self, grace: float = 10.0) -> int:
        """The safety net, run periodically: queue again the jobs whose queue task went
        missing, wake every profile's next waiting jobs, and bring the batches in line
        with their items. Returns how many jobs were queued.

        A task may be between the queue and its worker's claim for a moment, so only
        tasks handed out more than ``grace`` seconds ago count as lost.
        """
        queued = {task.id for task in self.huey.pending()} | {task.id for task in self.huey.scheduled()}
        settled = utcnow() - timedelta(seconds=grace)
        count = 0
        waiting = list(Job.select().where(Job.status.in_((PENDING, RETRYING))
                                          & (Job.kind != BATCH) & Job.task_id.is_null(False)))
        for job in waiting:
            if (job.next_run_at or jobs.handed_out(job)) > settled or job.task_id in queued:
                continue
            log.warning("Job %s had no queue task; queueing it again", job.id)
            self.enqueue(job)
            count += 1
        profiles = Job.select(Job.profile).where(Job.status == PENDING).distinct()
        for (profile_id,) in profiles.tuples():
            count += self.wake(profile_id)
        for batch in list(Job.select(Job.id).where((Job.kind == BATCH)
                                                   & Job.status.in_(ACTIVE_STATUSES))):
            with jobs.transaction(batch.id):  # items read and batch written as one step
                jobs.settle_batch(batch.id)
        return count

    def counts(self) -> dict[str, int]:
        """Active jobs by status, for the status bar (a batch counts by its items): one
        count by the status index, not every active job read."""
        result = {status: 0 for status in ACTIVE_STATUSES}
        rows = (Job.select(Job.status, fn.COUNT(Job.id))
                .where(Job.status.in_(ACTIVE_STATUSES) & (Job.kind != BATCH))
                .group_by(Job.status).tuples())
        result.update(dict(rows))
        return result

    # -- consuming --------------------------------------------------------------------------

    def _run_job(self, job_id: int, task=None) -> None:
        outcome = self.importer.run(job_id, self.events.publish, interrupt=self.interrupt,
                                    task_id=task.id if task is not None else None)
        job = Job.get_or_none(Job.id == job_id)
        if job is None:
            return
        if outcome.retry_in is not None:
            self.enqueue(job, delay=outcome.retry_in)
        if job.parent_id is not None:
            self.events.publish(_event_of(Job.get_by_id(job.parent_id)))
        if self.interrupt is None or not self.interrupt.is_set():
            self.wake(job.profile_id)


def _event_of(job: Job) -> ProgressEvent:
    """The event a job's row amounts to, the row with it (a batch: its counts too)."""
    error = (ErrorInfo(job.error_code, job.error_message or "", job.error_suggestion or "")
             if job.error_code else None)
    return ProgressEvent(job.id, job.status, job.stage, job.progress, job.message,
                         project_id=job.project_id, error=error, job=job_dict(job),
                         parent_id=job.parent_id)
