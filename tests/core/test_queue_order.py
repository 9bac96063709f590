"""Queue order within a profile: FIFO, run slots, "N ahead of it", without a consumer.

The queue's producer side (``runtime.queue``) runs here without any worker, so
every state is the one the catalog holds between two steps; attempts run
synchronously through ``importer.run`` (the queue task's body).
"""

from __future__ import annotations

import pytest

from core import queue_order
from core.models import PENDING, SUCCESS, Job, Lease

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
