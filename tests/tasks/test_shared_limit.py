"""One rate limit per token across workers and jobs: a real consumer and the fake GitHub."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.models import STARTED, SUCCESS, Job
from tests.backends import app_environment
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.both_backends  # team mode: PostgreSQL + Redis too


def test_a_spent_limit_holds_two_workers_and_two_jobs_until_the_reset(settings, fake_github):
    from tasks.runtime import Runtime
    rt = Runtime(settings.with_(profile_concurrency=2))
    limiter = rt.importer.rate_limiters.get(settings.github_api, None)
    try:
        fake_github.rate_remaining = 1
        fake_github.rate_reset = int(time.time()) + 2
        rt.start_consumer(2)
        first = rt.queue.submit("gorilla/mux")
        wait_until(lambda: limiter.remaining == 0)  # the first answer spent the limit
        second = rt.queue.submit("spf13/cobra")  # another job, on the other worker
        wait_until(lambda: Job.get_by_id(second.id).status == STARTED)
        a, b = rt.wait_for(first.id, timeout=30), rt.wait_for(second.id, timeout=30)
    finally:
        rt.close()
    assert a.status == b.status == SUCCESS
    log = fake_github.requests
    assert [r.status for r in log if r.status in (403, 429)] == []  # never refused
    spent_at = log[0].answered_at
    later = log[1:]
    assert any("/spf13/cobra" in r.path for r in later)
    # Nothing went out between the answer that said 0 and the reset (+ the margin).
    assert all(r.received_at - spent_at >= 1.0 for r in later)
    assert limiter.waits >= 2  # each job's first request after the spend waited


@pytest.mark.team_only
def test_a_limit_spent_on_one_machine_holds_a_worker_on_another(settings, fake_github, tmp_path):
    """Machine A's answer says the token has nothing left; machine B (another process with
    its own data folder, the same servers) sends nothing until the reset, so GitHub
    refuses no one. Without the shared state B would learn it by a 403."""
    from tasks.runtime import Runtime
    fake_github.rate_remaining = 1
    fake_github.rate_reset = int(time.time()) + 3
    machine_a = Runtime(settings)
    try:
        with machine_a.importer.github("default") as github:
            github.get_repository("gorilla", "mux")  # the answer: 0 left
    finally:
        machine_a.close()
    assert [r.status for r in fake_github.requests] == [200]
    env = app_environment(settings, fake_github, REPOFOLIO_HOME=str(tmp_path / "machine-b"))
    done = subprocess.run([sys.executable, "main.py", "import", "spf13/cobra", "--wait",
                           "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == SUCCESS
    assert [r.status for r in fake_github.requests if r.status in (403, 429)] == []
