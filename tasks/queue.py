"""The import queue: a Huey (``queue.db``, or Redis in team mode) with one task that takes a job id.

The job row in the catalog is the truth; the queue only says "run job N
now". Each attempt is its own queue task with id ``job-N-a``; a retry is a
new task scheduled after its delay, so nothing depends on Huey's retry
bookkeeping (which does not count RetryTask delays).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import Huey

from core import jobs
from core.db import close_thread_connection
from core.errors import ErrorInfo
from core.importer import Importer
from core.models import ACTIVE_STATUSES, PENDING, RETRYING, Job
from core.progress import ProgressEvent
from core.timeutil import utcnow
from tasks.events import EventBus
from tasks.queue_storage import make_huey

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
        self.interrupt = None  # set by the consumer: a threading.Event checked between steps

    # -- producing --------------------------------------------------------------------------

    def enqueue(self, job: Job, delay: float = 0.0) -> str:
        """Queue the job's next attempt; returns the queue task id."""
        task_id = f"job-{job.id}-{job.attempts + 1}-{utcnow().timestamp():.3f}"
        Job.update(task_id=task_id).where(Job.id == job.id).execute()
        if delay > 0:
            self._task.schedule(args=(job.id,), delay=delay, id=task_id)
        else:
            self.huey.enqueue(self._task.s(job.id, id=task_id))
        return task_id

    def submit(self, text: str, **options) -> Job:
        job = self.importer.submit(text, **options)
        self.enqueue(job)
        return Job.get_by_id(job.id)

    def retry(self, job_id: int) -> Job:
        job = self.importer.resubmit(job_id)
        self.enqueue(job)
        return Job.get_by_id(job.id)

    def refresh(self, project_ref: str | int) -> Job:
        job = self.importer.submit_refresh(project_ref)
        self.enqueue(job)
        return Job.get_by_id(job.id)

    def cancel(self, job_id: int) -> Job:
        was_queued = jobs.get_job(job_id).status in (PENDING, RETRYING)
        job = jobs.request_cancel(job_id)
        if was_queued and job.task_id:  # a running task is stopped by the job row instead
            self.huey.revoke_by_id(job.task_id)
        self.events.publish(_event_of(job))
        return job

    def reconcile(self, grace: float = 10.0) -> int:
        """Queue again the PENDING/RETRYING jobs whose queue task is missing; return how many.

        A task may be between the queue and its worker's claim for a moment, so only
        jobs that have been waiting for longer than ``grace`` seconds count as lost.
        """
        queued = {task.id for task in self.huey.pending()} | {task.id for task in self.huey.scheduled()}
        settled = utcnow() - timedelta(seconds=grace)
        count = 0
        waiting = list(Job.select().where(Job.status.in_((PENDING, RETRYING))))
        for job in waiting:
            if (job.next_run_at or job.created_at) > settled:
                continue
            if job.task_id not in queued:
                log.warning("Job %s had no queue task; queueing it again", job.id)
                self.enqueue(job)
                count += 1
        return count

    def counts(self) -> dict[str, int]:
        """Active jobs by status, for the status bar."""
        result = {status: 0 for status in ACTIVE_STATUSES}
        for job in jobs.active_jobs():
            result[job.status] += 1
        return result

    # -- consuming --------------------------------------------------------------------------

    def _run_job(self, job_id: int, task=None) -> None:
        outcome = self.importer.run(job_id, self.events.publish, interrupt=self.interrupt,
                                    task_id=task.id if task is not None else None)
        if outcome.retry_in is not None:
            self.enqueue(Job.get_by_id(job_id), delay=outcome.retry_in)


def _event_of(job: Job) -> ProgressEvent:
    error = (ErrorInfo(job.error_code, job.error_message or "", job.error_suggestion or "")
             if job.error_code else None)
    return ProgressEvent(job.id, job.status, job.stage, job.progress, job.message,
                         project_id=job.project_id, error=error)
