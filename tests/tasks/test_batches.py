"""Batches through real consumers: run slots per profile, FIFO, cancel, and a crash mid-batch.

Concurrency is read from the catalog, not from a clock: an item holds its run slot
from its start (``started_at``, written when the slot is taken) to its end
(``finished_at``, written in the transaction that frees it), so the most intervals
that overlap is the most imports the profile ran at once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.batches import plan_owner
from core.models import CANCELLED, FINAL_STATUSES, STARTED, SUCCESS, Job, Lease, Project
from core.timeutil import utcnow
from tasks.runtime import Runtime
from tests.backends import app_environment
from tests.fakes.owners import populate
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.both_backends  # team mode: PostgreSQL + Redis too


def most_at_once(jobs) -> int:
    edges = sorted([(j.started_at, 1) for j in jobs] + [(j.finished_at, -1) for j in jobs],
                   key=lambda edge: (edge[0], edge[1]))
    running = most = 0
    for _, step in edges:
        running += step
        most = max(most, running)
    return most


def submit_batch(rt: Runtime, owner: str, **options) -> Job:
    planned = plan_owner(rt.importer, owner, **options)
    return rt.queue.submit_import_all(planned.owner, planned.items, url=planned.url)


def items_of(batch_id: int) -> list[Job]:
    return list(Job.select().where(Job.parent == batch_id).order_by(Job.id))


@pytest.mark.parametrize("concurrency", [1, 3])
def test_a_batch_of_25_on_4_workers_never_runs_more_than_the_profile_allows(
        settings, fake_github, concurrency):
    populate(fake_github, "dana", 25)
    fake_github.rate_limit = fake_github.rate_remaining = 10_000
    fake_github.latency = 0.01
    rt = Runtime(settings.with_(profile_concurrency=concurrency))
    try:
        rt.start_consumer(4)
        batch = submit_batch(rt, "dana")
        batch = rt.wait_for(batch.id, timeout=120)
    finally:
        rt.close()
    items = items_of(batch.id)
    assert batch.status == SUCCESS and len(items) == 25
    assert all(item.status == SUCCESS and item.attempts == 1 for item in items)
    assert Project.select().count() == 25 and Lease.select().count() == 0
    most = most_at_once(items)
    assert most <= concurrency
    if concurrency > 1:
        assert most >= 2  # the slots were used, not just allowed
    # FIFO: each item started no earlier than the one queued before it.
    starts = [item.started_at for item in items]
    if concurrency == 1:  # with more than one slot at once, a later item may start first
        assert starts == sorted(starts)
    assert fake_github.count("/repos/dana/tool-01/languages") == 1


def test_a_single_import_waits_behind_the_batch_in_the_same_profile(settings, fake_github):
    populate(fake_github, "dana", 4)
    rt = Runtime(settings)
    try:
        batch = submit_batch(rt, "dana")  # no consumer yet: everything waits in line
        single = rt.queue.submit("gorilla/mux")
        assert Job.get_by_id(single.id).message == \
            "Waiting for 4 imports of this profile to finish"
        rt.start_consumer(4)
        single = rt.wait_for(single.id, timeout=60)
        batch = rt.wait_for(batch.id, timeout=60)
    finally:
        rt.close()
    assert single.status == batch.status == SUCCESS
    assert single.started_at >= max(item.finished_at for item in items_of(batch.id))
    assert most_at_once([*items_of(batch.id), single]) == 1


def test_cancelling_mid_batch_sends_no_request_for_the_items_not_started(settings,
                                                                         fake_github):
    names = populate(fake_github, "dana", 10)
    fake_github.latency = 0.05
    rt = Runtime(settings)
    try:
        rt.start_consumer(4)
        batch = submit_batch(rt, "dana")
        wait_until(lambda: Job.select().where((Job.parent == batch.id)
                                              & (Job.status == SUCCESS)).count() >= 2)
        rt.queue.cancel(batch.id)
        cancelled_at, sent_at_cancel = utcnow(), fake_github.request_count
        batch = rt.wait_for(batch.id, timeout=60)
    finally:
        rt.close()
    assert batch.status == CANCELLED
    # The items that had started when the cancel came (one may start between a look at the
    # jobs and the cancel: its started_at says so, a look before the cancel could not).
    started = {j.repo for j in items_of(batch.id)
               if j.started_at is not None and j.started_at <= cancelled_at}
    after = {"/".join(r.path.split("/")[2:4]) for r in fake_github.requests[sent_at_cancel:]}
    assert after <= started  # only those that were running may finish their step
    items = items_of(batch.id)
    cancelled = [j for j in items if j.status == CANCELLED]
    assert len(cancelled) >= len(names) - 3 and all(j.status in FINAL_STATUSES for j in items)
    assert Project.select().count() == sum(j.status == SUCCESS for j in items)


def test_sigkill_mid_batch_then_restart_ends_every_item_once(settings, fake_github):
    populate(fake_github, "dana", 6)
    fake_github.latency = 0.1  # each item takes a while, so the kill lands inside one
    env = app_environment(settings, fake_github, REPOFOLIO_WORKERS="2")
    rt = Runtime(settings)  # the test's view of the same catalog
    try:
        proc = subprocess.Popen([sys.executable, "main.py", "import-all", "dana", "--wait",
                                 "--json"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            wait_until(lambda: Job.select().where((Job.parent.is_null(False))
                                                  & (Job.status == SUCCESS)).count() >= 2)
            wait_until(lambda: Job.select().where((Job.parent.is_null(False))
                                                  & (Job.status == STARTED)).count() >= 1)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=10)
        batch = Job.get(Job.kind == "batch")
        interrupted = [j for j in items_of(batch.id) if j.status == STARTED]
        assert interrupted and batch.status == STARTED

        fake_github.latency = 0.0
        rt.start_consumer(2)  # the app starting again
        batch = rt.wait_for(batch.id, timeout=60)
    finally:
        rt.close()
    items = items_of(batch.id)
    assert batch.status == SUCCESS and len(items) == 6
    assert all(item.status == SUCCESS for item in items)
    again = {item.id: item.attempts for item in items if item.id in {j.id for j in interrupted}}
    assert again == {job.id: 2 for job in interrupted}  # taken back once, as a new attempt
    assert Project.select().count() == 6  # no duplicate
    assert len({item.project_id for item in items}) == 6
    assert Lease.select().count() == 0
