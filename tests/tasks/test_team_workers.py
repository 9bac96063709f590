"""Workers on several machines: `repofolio worker` processes, each with its own data folder,
sharing one PostgreSQL catalog and one Redis queue; one is SIGKILLed in the middle of its
imports.

The kill lands at a known point without timing anything: every import stops at its
README request (held by the fake GitHub) until the test has killed one worker.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.batches import plan_owner
from core.models import BATCH, STARTED, SUCCESS, Consumer, Job, Lease, Project
from tasks.runtime import Runtime
from tests.backends import app_environment
from tests.fakes.owners import populate
from tests.waiting import wait_until

pytestmark = pytest.mark.team_only
ROOT = Path(__file__).resolve().parents[2]
CONCURRENCY = "2"  # imports of one profile at once, the same on every machine


def start_worker(settings, fake_github, home: Path) -> subprocess.Popen:
    env = app_environment(settings, fake_github, REPOFOLIO_HOME=str(home),
                          REPOFOLIO_PROFILE_CONCURRENCY=CONCURRENCY)
    return subprocess.Popen([sys.executable, "main.py", "worker", "--workers", "2"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_two_workers_share_the_queue_and_one_killed_mid_import_loses_nothing(
        settings, fake_github, tmp_path):
    populate(fake_github, "dana", 6)
    fake_github.rate_limit = fake_github.rate_remaining = 5000  # a token's hour, not 60
    readme = fake_github.hold(r"/readme$")  # every import waits at its README
    rt = Runtime(settings.with_(profile_concurrency=int(CONCURRENCY)))  # submits and looks
    workers = [start_worker(settings, fake_github, tmp_path / f"machine-{n}") for n in (1, 2)]
    try:
        wait_until(lambda: Consumer.select().count() == 2, timeout=60)
        planned = plan_owner(rt.importer, "dana")
        batch = rt.queue.submit_import_all(planned.owner, planned.items, url=planned.url)
        singles = [rt.queue.submit(name, profile="work") for name in ("pallets/flask",
                                                                      "psf/requests")]
        # Two slots in each profile, two threads in each worker: four imports, two per worker.
        readme.wait_until_held(4)
        running = list(Job.select().where((Job.status == STARTED) & (Job.kind != BATCH)))
        pids = {int(job.worker.split(":")[1]) for job in running}
        assert pids == {worker.pid for worker in workers}  # both machines took work
        victim, survivor = workers
        lost = {job.id for job in running if job.worker.split(":")[1] == str(victim.pid)}
        victim.send_signal(signal.SIGKILL)
        victim.wait(30)
        readme.release()
        batch = rt.wait_for(batch.id, timeout=90)
        ended = [rt.wait_for(job.id, timeout=90) for job in singles]
        assert survivor.poll() is None  # the other machine kept working
    finally:
        readme.release()
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
            worker.stderr.close()
        rt.close()

    items = list(Job.select().where(Job.parent == batch.id))
    outcomes = [(j.repo, j.status, j.attempts, j.error_code, j.error_message)
                for j in items + ended if j.status != SUCCESS]
    assert batch.status == SUCCESS and len(items) == 6, outcomes
    assert all(job.status == SUCCESS for job in items + ended), outcomes
    # Every job ended once: the killed worker's imports as a second attempt, the rest first time.
    attempts = {job.id: job.attempts for job in items + ended}
    assert len(lost) == 2 and {attempts[i] for i in lost} == {2}
    assert all(n == 1 for i, n in attempts.items() if i not in lost)
    # No duplicate project, no slot left behind.
    projects = list(Project.select())
    assert len(projects) == 8 and len({(p.profile_id, p.github_id) for p in projects}) == 8
    assert Lease.select().count() == 0


def test_four_imports_at_once_fit_a_small_connection_pool(settings, fake_github):
    """Threads that only look (the GitHub client's pool threads asking for a cancel) hand
    their connection back at once; each would otherwise hold one for a whole import."""
    # Four import threads, their heartbeats, the maintenance thread and this one: 10.
    small = settings.with_(database_url=settings.database_url + "&max_connections=12")
    rt = Runtime(small)
    try:
        assert rt.database._max_connections == 12
        rt.start_consumer(4)
        names = ("pallets/flask", "psf/requests", "encode/httpx", "fastapi/fastapi")
        queued = [rt.queue.submit(name, profile=f"p{n}") for n, name in enumerate(names)]
        ended = [rt.wait_for(job.id, timeout=60) for job in queued]
    finally:
        rt.close()
    assert [(job.status, job.error_message) for job in ended] == [(SUCCESS, None)] * 4
