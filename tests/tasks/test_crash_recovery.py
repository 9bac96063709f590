"""Kill the importing process with SIGKILL at different moments, then start again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from core import recovery
from core.models import PENDING, STARTED, SUCCESS, Job, Lease, Project
from core.timeutil import utcnow
from tasks.runtime import Runtime
from tests.backends import app_environment
from tests.lifecycle import age_job, finished_pid, holds_lease

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.both_backends  # team mode: PostgreSQL + Redis too


def cli(settings, fake_github, *args) -> subprocess.Popen:
    env = app_environment(settings, fake_github, REPOFOLIO_WORKERS="1")
    return subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# The kill lands while the importing process waits for one of these answers, which the
# fake holds until the process is dead: the first request, the snapshot's first step,
# and its last (the README and manifests, right before the analysis and the save).
KILL_MOMENTS = {"first request": r"^/repos/pallets/flask$", "mid-snapshot": r"/languages$",
                "manifests": r"/contents/"}


@pytest.mark.parametrize("moment", list(KILL_MOMENTS))
def test_sigkill_mid_import_then_restart_finishes_once(settings, fake_github, moment):
    held = fake_github.hold(KILL_MOMENTS[moment])
    runtime = Runtime(settings)  # the test's view of the same catalog
    try:
        proc = cli(settings, fake_github, "import", "pallets/flask", "--wait", "--json")
        try:
            held.wait_until_held()
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        held.release()
        job = Job.get_by_id(1)
        assert job.status == STARTED and holds_lease(job.id)

        runtime.start_consumer(1)  # the app starting again
        job = runtime.wait_for(job.id, timeout=30)
        assert job.status == SUCCESS and job.attempts == 2
        assert Project.select().count() == 1 and Lease.select().count() == 0
        runtime.queue.submit("psf/requests")  # the profile accepts the next import
    finally:
        runtime.close()


def test_queued_job_survives_a_restart(settings, fake_github):
    first = Runtime(settings)
    job = first.queue.submit("gorilla/mux")
    first.close()  # the app quits before any consumer ran

    second = Runtime(settings)
    try:
        second.start_consumer(1)
        assert second.wait_for(job.id, timeout=20).status == SUCCESS
    finally:
        second.close()


def test_stale_job_with_spent_attempts_fails_and_frees_the_profile(runtime):
    job = runtime.importer.submit("pallets/flask")
    Job.update(status=STARTED, attempts=runtime.settings.max_attempts,
               worker="elsewhere:1:1", heartbeat_at=Job.created_at).execute()
    age_job(job.id, 60)  # its last heartbeat was a minute ago
    requeued = recovery.reclaim_stale_jobs(stale_after=30, max_attempts=runtime.settings.max_attempts,
                                           lease_ttl=60)
    assert requeued == []
    job = Job.get_by_id(job.id)
    assert job.status == "FAILURE" and job.error_message.startswith("The import stopped")
    assert Lease.select().count() == 0


def test_live_job_in_another_process_is_left_alone(runtime):
    job = runtime.importer.submit("pallets/flask")
    Job.update(status=STARTED, attempts=1, worker=f"{recovery.jobs.HOST}:{os.getpid()}:1",
               heartbeat_at=Job.created_at).execute()
    assert recovery.reclaim_stale_jobs(stale_after=3600, max_attempts=4, lease_ttl=60) == []
    assert Job.get_by_id(job.id).status == STARTED
    # The same job with its process gone is taken back at once, without waiting for staleness.
    gone = finished_pid()
    Job.update(worker=f"{recovery.jobs.HOST}:{gone}:1").execute()
    [again] = recovery.reclaim_stale_jobs(stale_after=3600, max_attempts=4, lease_ttl=60)
    assert again.id == job.id and again.status == PENDING


def test_a_job_on_another_host_is_judged_by_its_heartbeat_not_by_a_pid_here(runtime):
    """A pid names a process only on its own machine: a worker elsewhere whose pid does not
    exist here is alive while it beats, and taken back once it stops."""
    job = runtime.importer.submit("pallets/flask")
    elsewhere = f"worker-7.example:{finished_pid()}:1"  # no such process here; irrelevant
    Job.update(status=STARTED, attempts=1, worker=elsewhere, heartbeat_at=utcnow()).execute()
    assert recovery.reclaim_stale_jobs(stale_after=30, max_attempts=4, lease_ttl=60) == []
    assert Job.get_by_id(job.id).status == STARTED
    Job.update(heartbeat_at=utcnow() - timedelta(seconds=31)).execute()  # it stopped beating
    [again] = recovery.reclaim_stale_jobs(stale_after=30, max_attempts=4, lease_ttl=60)
    assert again.id == job.id and again.status == PENDING and again.worker is None


def test_job_whose_queue_task_was_lost_is_queued_again(runtime, fake_github):
    # A crash between the catalog's commit and the queue's write leaves a job with no task.
    job = runtime.importer.submit("spf13/cobra")
    Job.update(created_at=_long_ago()).where(Job.id == job.id).execute()
    runtime.start_consumer(1)
    assert runtime.wait_for(job.id, timeout=20).status == SUCCESS


def _long_ago():
    from datetime import datetime
    return datetime(2020, 1, 1)


def test_cancel_asked_while_running_ends_the_job_even_if_its_worker_stopped(runtime):
    # The user presses Cancel because the import looks stuck; its worker is in fact dead.
    job = runtime.importer.submit("pallets/flask")
    Job.update(status=STARTED, attempts=1, worker=f"{recovery.jobs.HOST}:{finished_pid()}:1",
               heartbeat_at=Job.created_at).execute()
    runtime.queue.cancel(job.id)
    assert recovery.reclaim_stale_jobs(stale_after=3600, max_attempts=4, lease_ttl=60) == []
    job = Job.get_by_id(job.id)
    assert job.status == "CANCELLED" and Lease.select().count() == 0
    runtime.importer.submit("psf/requests")  # the profile is free


def test_cancel_asked_before_the_app_quit_is_honoured_at_the_next_start(runtime, fake_github):
    first = fake_github.hold(r"^/repos/pallets/flask$")  # no step runs until after the quit
    runtime.start_consumer(1)
    job = runtime.queue.submit("pallets/flask")
    first.wait_until_held()
    Job.update(cancel_requested=True).where(Job.id == job.id).execute()
    runtime.consumer.interrupt.set()  # quit: the attempt is given back to the queue
    first.release()
    runtime.stop_consumer()
    runtime.start_consumer(1)
    job = runtime.wait_for(job.id, timeout=20)
    assert job.status == "CANCELLED" and Lease.select().count() == 0
    assert Project.select().count() == 0


def test_an_import_given_back_at_quit_gets_a_fresh_time_limit(settings, fake_github):
    rt = Runtime(settings.with_(import_deadline=2.0))
    try:
        readme = fake_github.hold(r"/readme$")
        rt.start_consumer(1)
        job = rt.queue.submit("gorilla/mux")
        readme.wait_until_held()
        rt.stop_consumer()
        readme.release()
        assert Job.get_by_id(job.id).deadline_at is None
        age_job(job.id, 2.2)  # the app stays closed longer than the limit
        rt.start_consumer(1)
        assert rt.wait_for(job.id, timeout=20).status == SUCCESS
    finally:
        rt.close()


def test_a_stray_second_queue_task_for_a_job_does_nothing(runtime, fake_github):
    job = runtime.queue.submit("gorilla/mux")
    current = Job.get_by_id(job.id).task_id
    stray = runtime.queue._task.s(job.id, id="stray-task")
    outcome = runtime.importer.run(job.id, task_id=stray.id)
    assert Job.get_by_id(job.id).status == PENDING and fake_github.request_count == 0
    assert outcome.status == PENDING
    assert runtime.importer.run(job.id, task_id=current).status == SUCCESS
