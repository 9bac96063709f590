"""What tests ask about a job's life, in one place.

Waiting for a state (polled by tests/waiting.py), whether a job still holds a run
slot, taking a running attempt over as recovery would, and moving a job's clock
back. These say *what* happened, not how the catalog stores it: when the queue's
layout changes, adapt this module and the tests that use it keep their meaning.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta

from peewee import DateTimeField

from core import jobs, recovery
from core.models import RETRYING, Job, Lease, Project
from core.settings import Settings
from tests.waiting import wait_until


def wait_for_status(job_id: int, status: str, timeout: float = 20.0) -> Job:
    wait_until(lambda: Job.select().where((Job.id == job_id) & (Job.status == status)).exists(),
               timeout, what=f"job {job_id} {status}")
    return Job.get_by_id(job_id)


def holds_lease(job_id: int) -> bool:
    """True while the job holds one of its profile's run slots (a ``Lease`` row)."""
    return Lease.select().where(Lease.job == job_id).exists()


def run_to_end(importer, job_id: int, events: list | None = None) -> Job:
    """Run attempts until the job ends, as the queue would (without its waits)."""
    for _ in range(10):
        outcome = importer.run(job_id, events.append if events is not None else None)
        if outcome.status != RETRYING:
            return Job.get_by_id(job_id)
    raise AssertionError("job never ended")


def finished_pid() -> int:
    """The pid of a process that has ended (and been reaped): a dead worker's."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def take_over(job_id: int, settings: Settings) -> int:
    """Start the job's next attempt as a second consumer would after the running one's
    process died: recovery re-queues the job, the next attempt claims it. The old
    attempt's code may still be running (a zombie); returns the new attempt's number."""
    Job.update(worker=f"{jobs.HOST}:{finished_pid()}:1").where(Job.id == job_id).execute()
    requeued = recovery.reclaim_stale_jobs(stale_after=settings.stale_after,
                                           max_attempts=settings.max_attempts,
                                           lease_ttl=settings.lease_ttl)
    assert job_id in [job.id for job in requeued], "recovery did not take the job back"
    claimed = jobs.claim(job_id, deadline_seconds=settings.import_deadline,
                         lease_ttl=settings.lease_ttl)
    assert claimed is not None, "the next attempt could not start"
    return claimed.attempts


def world(job_id: int) -> dict:
    """Everything an attempt's write could change: the job row, the leases, the projects."""
    return {"job": Job.select().where(Job.id == job_id).dicts().get(),
            "leases": list(Lease.select().dicts()),
            "projects": list(Project.select(Project.id, Project.full_name).dicts())}


def age_job(job_id: int, seconds: float) -> None:
    """Move every time of the job back by ``seconds``: as if that long had passed."""
    job = Job.get_by_id(job_id)
    shift = timedelta(seconds=seconds)
    fields = {name: getattr(job, name) - shift for name, field in Job._meta.fields.items()
              if isinstance(field, DateTimeField) and getattr(job, name) is not None}
    Job.update(**fields).where(Job.id == job_id).execute()
