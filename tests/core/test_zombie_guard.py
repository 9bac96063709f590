"""A zombie worker cannot undo its replacement.

A worker presumed dead (its process gone, or silent too long) is replaced: recovery
queues its job again and attempt n+1 starts. If attempt n's code is in fact still
running, every write it makes afterwards must change nothing: each is conditional on
(job id, attempt number, STARTED). A SIGKILLed process cannot act as a zombie, so
these tests keep the old attempt alive on purpose.
"""

from __future__ import annotations

import pytest

from core import jobs
from core.errors import Cancelled, GitHubError, NetworkError
from core.models import SAVING, STARTED, Job, Project, database
from tests.lifecycle import holds_lease, take_over, world


def _succeed(job_id: int, attempt: int, settings, project_id: int) -> bool:
    with database.atomic("IMMEDIATE"):  # as the save calls it
        return jobs.succeed(job_id, attempt, project_id, "Imported by a zombie.")


# Every write an attempt makes: (job id, attempt, settings, a project's id) -> changed?
WRITES = {
    "report": lambda job_id, n, s, p: jobs.report(job_id, n, stage=SAVING, progress=90,
                                                  message="zombie progress"),
    "beat": lambda job_id, n, s, p: jobs.beat(job_id, n, s.lease_ttl),
    "fail": lambda job_id, n, s, p: jobs.fail(job_id, n, GitHubError("zombie", status=500)),
    "fail as cancelled": lambda job_id, n, s, p: jobs.fail(job_id, n, Cancelled("zombie")),
    "schedule_retry": lambda job_id, n, s, p: jobs.schedule_retry(
        job_id, n, NetworkError("zombie retry"), 1.0, s.lease_ttl),
    "give_back": lambda job_id, n, s, p: jobs.give_back(job_id, n),
    "succeed": _succeed,
}


@pytest.mark.parametrize("write", list(WRITES))
def test_an_old_attempts_write_after_a_takeover_changes_nothing(runtime, make_project, write):
    elsewhere = make_project("someone/else")  # a project a zombie's success could point at
    job = runtime.importer.submit("pallets/flask")
    old = jobs.claim(job.id, deadline_seconds=60, lease_ttl=runtime.settings.lease_ttl).attempts
    assert take_over(job.id, runtime.settings) == old + 1
    before = world(job.id)
    assert WRITES[write](job.id, old, runtime.settings, elsewhere.id) is False
    assert world(job.id) == before


def test_the_current_attempts_writes_do_change_the_job(runtime, make_project):
    """The same writes by the attempt that owns the job work (the guard is not a wall)."""
    job = runtime.importer.submit("pallets/flask")
    jobs.claim(job.id, deadline_seconds=60, lease_ttl=runtime.settings.lease_ttl)
    current = take_over(job.id, runtime.settings)
    assert jobs.report(job.id, current, stage=SAVING, progress=90, message="saving")
    assert jobs.beat(job.id, current, runtime.settings.lease_ttl)
    assert Job.get_by_id(job.id).message == "saving"


def test_an_old_attempts_save_after_a_takeover_writes_no_project(runtime, fake_github):
    """The whole import path: attempt 1 is replaced just before it saves."""
    job = runtime.importer.submit("pallets/flask")
    taken = []

    def replaced_while_saving(event):
        if event.stage == SAVING and not taken:
            taken.append(take_over(job.id, runtime.settings))

    runtime.importer.run(job.id, replaced_while_saving)
    assert taken == [2]
    assert Project.select().count() == 0  # the save rolled back
    row = Job.get_by_id(job.id)
    assert (row.status, row.attempts, row.project_id) == (STARTED, 2, None)
    assert holds_lease(job.id)  # attempt 2, running, still holds the profile
