"""The queue's safety net (``ImportQueue.reconcile``) racing the imports it looks after.

Reconcile runs every few seconds in every consumer while items of batches end in other
threads and processes. Whatever it writes must be decided inside the write transaction,
or it writes back what it read before someone else's commit.
"""

from __future__ import annotations

from core import errors, jobs
from core.batches import plan_owner
from core.models import FAILURE, STARTED, Job
from tests.fakes.owners import populate
from tests.interleave import commit_while_it_reads
from tests.time_zones import local_time_zone


def test_reconcile_never_writes_a_batch_back_to_what_it_was_before_its_last_item_ended(
        runtime, fake_github):
    populate(fake_github, "dana", 1)
    batch = runtime.queue.submit_import_all("dana", plan_owner(runtime.importer, "dana").items)
    (item,) = Job.select().where(Job.parent == batch.id)
    s = runtime.settings
    attempt = jobs.claim(item.id, deadline_seconds=60, lease_ttl=s.lease_ttl,
                         task_id=Job.get_by_id(item.id).task_id).attempts
    assert Job.get_by_id(batch.id).status == STARTED

    commit_while_it_reads(  # the item's worker ends it (and settles the batch) meanwhile
        lambda: jobs.fail(item.id, attempt, errors.GitHubError("GitHub answered 500.",
                                                                status=500)),
        lambda: runtime.queue.reconcile(grace=3600))

    assert Job.get_by_id(item.id).status == FAILURE
    batch = Job.get_by_id(batch.id)
    assert batch.status == FAILURE and batch.finished_at is not None, batch.message


def test_a_task_a_worker_just_took_is_not_taken_for_lost_east_of_utc(runtime):
    """In Tokyo (UTC+9) a task taken off the queue a moment ago and not claimed yet is
    within reconcile's grace: it is not queued a second time."""
    with local_time_zone("Asia/Tokyo"):
        runtime.queue.submit("gorilla/mux")
        assert runtime.queue.huey.dequeue() is not None  # a worker holds it now
        assert runtime.queue.reconcile(grace=60) == 0
        assert len(runtime.queue.huey.pending()) == 0
