"""Queue order within a profile: FIFO, run slots, "N ahead of it", without a consumer.

The queue's producer side (``runtime.queue``) runs here without any worker, so
every state is the one the catalog holds between two steps; attempts run
synchronously through ``importer.run`` (the queue task's body).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import jobs, queue_order
from core.models import PENDING, SUCCESS, Job, Lease
from core.timeutil import utcnow
from tests.time_zones import local_time_zone

pytestmark = pytest.mark.both_backends  # team mode: PostgreSQL + Redis too


def _messages(*jobs):
    return [Job.get_by_id(job.id).message for job in jobs]


def test_queued_jobs_say_how_many_are_ahead_and_move_up_in_order(runtime, fake_github):
    a, b, c = (runtime.queue.submit(name) for name in ("gorilla/mux", "spf13/cobra",
                                                        "jqlang/jq"))
    assert _messages(a, b, c) == ["Queued", "Waiting for 1 import of this profile to finish",
                                  "Waiting for 2 imports of this profile to finish"]
    assert [queue_order.ahead_of(Job.get_by_id(j.id), 1) for j in (a, b, c)] == [0, 1, 2]
    # Only the first has a queue task; the others hand out none until their turn.
    assert Job.get_by_id(a.id).task_id and Job.get_by_id(b.id).task_id is None
    assert runtime.importer.run(c.id).status == PENDING  # out of turn: parked, no request
    assert fake_github.request_count == 0 and Lease.select().count() == 0

    assert runtime.importer.run(a.id, task_id=Job.get_by_id(a.id).task_id).status == SUCCESS
    runtime.queue.wake(a.profile_id)  # what the consumer does after each job
    assert _messages(b, c) == ["Queued", "Waiting for 1 import of this profile to finish"]
    assert Job.get_by_id(b.id).task_id and Job.get_by_id(c.id).task_id is None


def test_a_retried_job_goes_to_the_end_of_the_line(runtime, fake_github):
    fake_github.fail(r"^/repos/gorilla/mux$", 404)
    first = runtime.queue.submit("gorilla/mux")
    runtime.importer.run(first.id)
    assert Job.get_by_id(first.id).status == "FAILURE"
    second = runtime.queue.submit("spf13/cobra")
    runtime.queue.retry(first.id)
    assert _messages(second, first) == ["Queued", "Waiting for 1 import of this profile to "
                                                  "finish"]


def test_a_higher_concurrency_runs_that_many_and_counts_the_rest(settings, fake_github):
    from tasks.runtime import Runtime
    rt = Runtime(settings.with_(profile_concurrency=2))
    try:
        jobs = [rt.queue.submit(name) for name in ("gorilla/mux", "spf13/cobra", "jqlang/jq")]
        assert [bool(Job.get_by_id(j.id).task_id) for j in jobs] == [True, True, False]
        assert _messages(*jobs)[2] == "Waiting for 1 import of this profile to finish"
        assert queue_order.ahead_of_new(jobs[0].profile, 2) == 2
        assert rt.importer.precheck("psf/requests").ahead == 2
    finally:
        rt.close()


def _line(profile_id):
    return [(job.id, bool(job.task_id), job.message)
            for job in Job.select().where(Job.profile == profile_id).order_by(Job.id)]


def test_a_submit_leaves_the_line_as_waking_it_would(runtime):
    """A submit places its job without reading the line; waking it afterwards changes
    nothing, whatever the concurrency and however long the line."""
    from core import jobs
    for concurrency in (1, 2, 3):
        runtime.queue.settings = runtime.settings.with_(profile_concurrency=concurrency)
        profile = f"c{concurrency}"
        submitted = [runtime.queue.submit(f"owner/repo-{n}", profile=profile) for n in range(5)]
        placed = _line(submitted[0].profile_id)
        assert sum(has_task for _id, has_task, _m in placed) == concurrency
        assert jobs.wake(submitted[0].profile_id, concurrency) == []
        assert _line(submitted[0].profile_id) == placed
        assert [s.message for s in submitted] == [m for _i, _t, m in placed]


def test_a_submit_starts_the_jobs_before_it_that_lost_their_task(runtime):
    first = runtime.queue.submit("owner/first")
    Job.update(task_id=None).where(Job.id == first.id).execute()  # its task went missing
    runtime.queue.settings = runtime.settings.with_(profile_concurrency=2)
    second = runtime.queue.submit("owner/second")
    assert Job.get_by_id(first.id).task_id and Job.get_by_id(second.id).task_id
    assert second.task_id == Job.get_by_id(second.id).task_id


def test_a_task_handed_out_now_says_now_whatever_the_time_zone(runtime):
    """A task's id holds when it was handed out, read back as UTC (reconcile's grace counts
    from it): written as local time taken for UTC, it was hours off west or east of UTC."""
    job = runtime.queue.submit("gorilla/mux")
    for zone in ("America/New_York", "Asia/Tokyo"):
        with local_time_zone(zone):
            job.task_id = jobs.new_task_id(job)
            assert abs(jobs.handed_out(job) - utcnow()) < timedelta(seconds=5), zone
