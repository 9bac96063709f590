"""The queue's storage: SqliteHuey by default, RedisHuey in team mode, shared by every worker."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

import pytest
from huey.storage import RedisStorage

from core.models import SUCCESS, Job
from core.store_urls import parse_queue_url
from tasks.queue_storage import UtcRedisStorage, close_huey, make_huey, take_turn
from tasks.runtime import Runtime
from tests.waiting import wait_until


@pytest.fixture
def time_zone():
    """Switch this process's local time zone; restored afterwards."""
    before = os.environ.get("TZ")

    def switch(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield switch
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("storage, same", [(UtcRedisStorage, True), (RedisStorage, False)])
def test_a_retry_is_due_at_one_moment_on_machines_in_different_time_zones(time_zone, storage, same):
    """A retry scheduled on a machine in Tokyo is read by one in New York: both must turn
    the naive UTC due time into the same epoch (stock Huey does not, shown here)."""
    due = datetime(2026, 11, 28, 12, 0, 0, 250000)  # naive UTC, as Huey keeps it with utc=True
    convert = storage.convert_ts  # does not touch the server
    time_zone("Asia/Tokyo")
    in_tokyo = convert(None, due)
    time_zone("America/New_York")
    in_new_york = convert(None, due)
    assert (in_tokyo == in_new_york) is same
    if same:
        assert in_tokyo == due.replace(tzinfo=timezone.utc).timestamp()


@pytest.mark.team_only
def test_two_processes_share_one_redis_queue(stores, tmp_path):
    """What one process queues, another (another machine's worker) takes, once."""
    store = parse_queue_url(stores.queue_url, tmp_path)
    here, there = make_huey(store), make_huey(store)
    try:
        assert here.storage.blocking  # workers wait on the queue and take a task at once
        noop, _ = _task(here), _task(there)  # each process knows the task by its name
        for n in range(3):
            here.enqueue(noop.s(n))
        assert len(there.pending()) == 3
        first = there.dequeue()
        assert first is not None and len(here.pending()) == 2
        here.dequeue(), here.dequeue()
        assert there.dequeue() is None and here.pending() == []
    finally:
        close_huey(here), close_huey(there)


def _task(huey):
    @huey.task(name="tests.noop")
    def noop(n):
        return n
    return noop


@pytest.mark.team_only
def test_imports_and_their_retries_run_through_a_redis_queue(settings, fake_github, stores):
    """A consumer takes import attempts from Redis; a retry waits in Redis' schedule."""
    fake_github.fail("/languages", 502, times=1)
    rt = Runtime(settings.with_(database_url=None))  # this part needs only the queue on Redis
    try:
        assert type(rt.queue.huey.storage) is UtcRedisStorage
        job = rt.importer.submit("pallets/flask")
        rt.queue.enqueue(job)
        rt.start_consumer(1)
        job = rt.wait_for(job.id, timeout=30)
        assert job.status == SUCCESS and job.attempts == 2
        assert Job.select().count() == 1
    finally:
        rt.close()


@pytest.mark.team_only
def test_a_duty_of_the_team_falls_to_one_consumer_per_interval(stores, tmp_path):
    """The queue's periodic safety net runs once per interval for the whole team."""
    store = parse_queue_url(stores.queue_url, tmp_path)
    consumers = [make_huey(store) for _ in range(3)]
    try:
        turns = [take_turn(huey, "reconcile", 0.3) for huey in consumers]
        assert turns == [True, False, False]
        assert take_turn(consumers[0], "other-duty", 0.3)  # each duty has its own turn
        wait_until(lambda: take_turn(consumers[2], "reconcile", 30))  # after the interval
        assert not take_turn(consumers[1], "reconcile", 30)
    finally:
        for huey in consumers:
            close_huey(huey)


def test_on_sqlite_every_consumer_takes_its_turn(tmp_path):
    huey = make_huey(parse_queue_url(None, tmp_path))
    try:
        assert take_turn(huey, "reconcile", 5) and take_turn(huey, "reconcile", 5)
    finally:
        close_huey(huey)
