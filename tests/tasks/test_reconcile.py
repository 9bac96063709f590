"""The queue's safety net (``ImportQueue.reconcile``) racing the imports it looks after.

Reconcile runs every few seconds in every consumer while items of batches end in other
threads and processes. Whatever it writes must be decided inside the write transaction,
or it writes back what it read before someone else's commit.
"""

from __future__ import annotations

import threading

from core import errors, jobs
from core.batches import plan_owner
from core.models import FAILURE, STARTED, Job, database
from tests.fakes.owners import populate


def test_reconcile_never_writes_a_batch_back_to_what_it_was_before_its_last_item_ended(
        runtime, fake_github):
    populate(fake_github, "dana", 1)
    batch = runtime.queue.submit_import_all("dana", plan_owner(runtime.importer, "dana").items)
    (item,) = Job.select().where(Job.parent == batch.id)
    s = runtime.settings
    attempt = jobs.claim(item.id, deadline_seconds=60, lease_ttl=s.lease_ttl,
                         task_id=Job.get_by_id(item.id).task_id).attempts
    assert Job.get_by_id(batch.id).status == STARTED

    reconcile_writes = threading.Event()
    failures = []

    def reconcile():
        # Tell the test when reconcile starts to write (a transaction, or a job row at
        # once): what it read outside a transaction is read by then.
        database.connection().set_trace_callback(
            lambda sql: reconcile_writes.set() if sql.lstrip().upper().startswith(
                ("BEGIN", 'UPDATE "JOB"')) else None)
        try:
            runtime.queue.reconcile(grace=3600)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            database.connection().set_trace_callback(None)
            database.close()

    with database.atomic("IMMEDIATE"):  # the item's worker ends it (batch settled inside)
        jobs.fail(item.id, attempt, errors.GitHubError("GitHub answered 500.", status=500))
        other = threading.Thread(target=reconcile)
        other.start()
        reconcile_writes.wait(10)  # it read before this commit, and now waits to write
    other.join(20)

    assert failures == [] and not other.is_alive()
    assert Job.get_by_id(item.id).status == FAILURE
    batch = Job.get_by_id(batch.id)
    assert batch.status == FAILURE and batch.finished_at is not None, batch.message
