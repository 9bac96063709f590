"""Pickup: how long a queued job waits before a worker starts it, with the workers idle.

The wait is ``started_at`` minus the moment its queue task was handed out (the
timestamp in the task id, written in the submit's own transaction just before the
enqueue). Jobs are submitted one at a time, ``GAP`` apart, so the workers are idle
and asleep each time, the case that polling made slow. Three places a submit comes
from and a consumer runs:

1. **the app**: the consumer and the submit in one process (the window's own import);
2. **the app, a submit from a terminal**: the consumer here, the submit from another
   process (a Runtime of its own, as `repofolio import` has);
3. **`repofolio worker`**: the real command as a subprocess, the submits from here.

"before" is the consumer polling alone (``wake=False``, the old 0.5 s longest pause);
for the worker, ``--baseline DIR`` runs another checkout's `repofolio worker`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

# _support comes first: importing it puts the project on sys.path.
import _support
from _support import fake_github, machine, median, ms, percentile, table, temp_home

from core.models import FINAL_STATUSES, Job
from core.settings import Settings
from tasks.consumer import ConsumerService
from tasks.runtime import Runtime

JOBS = 15
GAP = 0.8  # between submits: idle workers back off to their longest sleep (0.5 s before)
WORKERS = 4


def _pickup(job: Job) -> float:
    handed_out = datetime.fromtimestamp(float(job.task_id.rsplit("-", 1)[1]), timezone.utc)
    return (job.started_at.replace(tzinfo=timezone.utc) - handed_out).total_seconds()


def _wait_all(ids: list[int], timeout: float = 120) -> list[Job]:
    deadline = time.monotonic() + timeout
    while Job.select().where(Job.id.in_(ids), Job.status.not_in(FINAL_STATUSES)).exists():
        if time.monotonic() > deadline:
            raise SystemExit("jobs did not end")
        time.sleep(0.02)
    return list(Job.select().where(Job.id.in_(ids)))


def _submit_spaced(runtime: Runtime) -> list[int]:
    """JOBS submits from this process, GAP apart; their ids."""
    ids = []
    for n in range(JOBS):
        ids.append(runtime.queue.submit(_support.CORPUS[n % len(_support.CORPUS)],
                                        profile=f"q{n}").id)
        time.sleep(GAP)
    return ids


def _submit_from_child(home: str, github: str, start: int, count: int, gap: float) -> None:
    """Another process: submits ``count`` jobs, ``gap`` apart."""
    runtime = Runtime(Settings(home=Path(home), github_api=github, analyzer="heuristic"))
    try:
        for n in range(start, start + count):
            runtime.queue.submit(_support.CORPUS[n % len(_support.CORPUS)], profile=f"q{n}")
            time.sleep(gap)
    finally:
        runtime.close()


def _submit_elsewhere(home: Path, github: str, start: int) -> list[int]:
    context = multiprocessing.get_context("spawn")
    child = context.Process(target=_submit_from_child, args=(str(home), github, start, JOBS, GAP))
    child.start()
    child.join(120)
    return [j.id for j in Job.select(Job.id).where(Job.profile.in_(
        _profiles(start)))]


def _profiles(start: int):
    from core.models import Profile
    return Profile.select(Profile.id).where(Profile.name.in_([f"q{n}" for n in
                                                               range(start, start + JOBS)]))


def in_app(github: str, *, wake: bool, from_elsewhere: bool) -> list[float]:
    with temp_home() as home:
        runtime = Runtime(Settings(home=home, github_api=github, analyzer="heuristic"))
        try:
            runtime.consumer = ConsumerService(runtime.queue, WORKERS, wake=wake,
                                               poll_max_delay=2.0 if wake else 0.5).start()
            runtime.consumer.preloading and runtime.consumer.preloading.join()
            time.sleep(1.0)  # idle: the workers are at their longest sleep
            ids = (_submit_elsewhere(home, github, 0) if from_elsewhere
                   else _submit_spaced(runtime))
            return [_pickup(j) for j in _wait_all(ids)]
        finally:
            runtime.close()


def in_worker(root: Path, github: str) -> list[float]:
    with temp_home() as home:
        env = {**os.environ, "REPOFOLIO_HOME": str(home), "REPOFOLIO_GITHUB_API": github,
               "REPOFOLIO_ANALYZER": "heuristic", "REPOFOLIO_WORKERS": str(WORKERS)}
        runtime = Runtime(Settings(home=home, github_api=github, analyzer="heuristic"))
        worker = subprocess.Popen([sys.executable, "main.py", "worker"], cwd=root, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 30
            while not runtime.consumer_available():
                if time.monotonic() > deadline or worker.poll() is not None:
                    raise SystemExit(f"the worker did not start: {worker.stderr.read()}")
                time.sleep(0.05)
            time.sleep(1.5)  # idle: at its longest sleep
            return [_pickup(j) for j in _wait_all(_submit_spaced(runtime))]
        finally:
            worker.terminate()
            worker.wait(30)
            runtime.close()


def _figure(values: list[float]) -> str:
    return (f"median {ms(median(values))}, p90 {ms(percentile(values, 90))}, "
            f"max {ms(max(values))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout's `repofolio worker` "
                        "to measure as well (e.g. main)")
    args = parser.parse_args()
    print(f"bench_pickup: {JOBS} jobs each, {GAP * 1000:.0f} ms apart, {WORKERS} workers, "
          f"{machine()}")
    rows = []
    with fake_github() as fake:
        for label, elsewhere in (("the app, a submit in the app", False),
                                 ("the app, a submit from another process", True)):
            for when, wake in (("before (polling)", False), ("after (woken)", True)):
                rows.append((f"{label}: {when}",
                             _figure(in_app(fake.url, wake=wake, from_elsewhere=elsewhere))))
        if args.baseline:
            rows.append(("`repofolio worker`, a submit from another process: baseline",
                         _figure(in_worker(args.baseline.resolve(), fake.url))))
        rows.append(("`repofolio worker`, a submit from another process: this checkout",
                     _figure(in_worker(_support.ROOT, fake.url))))
    table(rows, "Pickup: started_at - the task handed out (goal: median <= 50 ms)")


if __name__ == "__main__":
    main()
