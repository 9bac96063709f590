"""Waking idle workers: the doorbell, the queue file's watcher, and a real consumer asleep."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from huey import SqliteHuey

from core.models import FINAL_STATUSES, SUCCESS, Job
from tasks.consumer import ConsumerService
from tasks.wake import Doorbell, QueueWatcher
from tests.backends import app_environment
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
LONG_SLEEP = 60.0  # what an idle worker would otherwise sleep: far past every wait below


def test_a_ring_wakes_a_sleeper_and_one_before_the_sleep_is_not_lost():
    bell = Doorbell()
    seen = bell.rings
    bell.ring()  # between looking at the queue and going to sleep
    assert bell.wait(seen, LONG_SLEEP) is True
    assert bell.wait(bell.rings, 0.01) is False  # nothing new: the timeout ends it
    woke = []
    sleeper = threading.Thread(target=lambda: woke.append(bell.wait(bell.rings, LONG_SLEEP)))
    sleeper.start()
    wait_until(lambda: sleeper.is_alive())
    bell.ring()
    sleeper.join(10)
    assert woke == [True]


def test_the_watcher_rings_once_per_write_of_another_connection(tmp_path):
    path = tmp_path / "queue.db"
    other = SqliteHuey(name="repofolio", filename=str(path), results=False)
    other.storage.enqueue(b"first")  # the file exists before the watcher looks
    bell = Doorbell()
    watcher = QueueWatcher(path, bell, interval=0.005).start()
    try:
        wait_until(lambda: watcher.version.connection is not None)
        before = bell.rings
        for n in range(3):
            other.storage.enqueue(b"task %d" % n)
            wait_until(lambda n=n: bell.rings == before + n + 1)
        assert bell.wait(bell.rings, 0.1) is False  # nothing more was written: no ring
    finally:
        watcher.stop()
        other.storage.close()


def _asleep(service: ConsumerService) -> None:
    """Put every idle worker at the end of a long back-off, as after a quiet hour."""
    for worker, _thread in service._consumer.worker_threads:
        worker.delay = worker.max_delay = LONG_SLEEP


def test_a_submit_in_the_process_wakes_a_sleeping_consumer(runtime):
    service = ConsumerService(runtime.queue, 2, poll_max_delay=LONG_SLEEP)
    runtime.consumer = service
    _asleep(service)
    service.start()
    job = runtime.queue.submit("spf13/cobra")
    wait_until(lambda: Job.get_by_id(job.id).status in FINAL_STATUSES, timeout=20)
    assert Job.get_by_id(job.id).status == SUCCESS


def test_stopping_wakes_sleeping_workers_to_see_it(runtime):
    service = ConsumerService(runtime.queue, 2, poll_max_delay=LONG_SLEEP, shutdown_timeout=5)
    runtime.consumer = service
    _asleep(service)
    service.start()
    wait_until(lambda: all(t.is_alive() for _w, t in service._consumer.worker_threads))
    service.stop()  # joins the workers for at most shutdown_timeout
    assert not any(thread.is_alive() for _worker, thread in service._consumer.worker_threads)


def test_a_submit_from_another_process_wakes_a_sleeping_consumer(runtime, fake_github):
    service = ConsumerService(runtime.queue, 2, poll_max_delay=LONG_SLEEP)
    runtime.consumer = service
    _asleep(service)
    service.start()
    env = app_environment(runtime.settings, fake_github)
    done = subprocess.run([sys.executable, "main.py", "import", "spf13/cobra", "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    wait_until(lambda: Job.select().where(Job.status == SUCCESS).exists(), timeout=20)
