"""Team mode throughput: 1, 2 and 4 ``repofolio worker`` processes sharing one PostgreSQL
catalog and one Redis queue (or, with ``--stores sqlite``, one SQLite catalog and queue).

PostgreSQL and Redis start as the tests start them (tests/services.py: 127.0.0.1,
temporary data, no fsync); a fake GitHub answers after ``--latency`` seconds and, with
``--ai-latency``, a fake OpenAI-compatible server writes the descriptions. Every student
is a profile that imports ``--repos`` copies of corpus repositories under its own login;
profiles run one import at a time (REPOFOLIO_PROFILE_CONCURRENCY=1), so the imports of
different students run in parallel. The workers start first (each with its own
REPOFOLIO_HOME, as on separate machines); the clock runs from the first submit until
every job has ended. Besides time it counts GitHub requests, AI calls, PostgreSQL
transactions and Redis commands per import.

    python bench/bench_team.py                       # 1, 2, 4 workers x 4 threads
    python bench/bench_team.py --workers 1,2 --students 40 --repos 5 --ai-latency 1.0
    python bench/bench_team.py --backlog 1000,4000    # one maintenance round vs a backlog

``--backlog`` measures the queue's periodic safety net (``ImportQueue.reconcile``, run by
every consumer every 5 s) against that many students with a repository waiting each
and their slot taken, as when a whole school has queued its imports.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

# _support comes first: importing it puts the project on sys.path.
from _support import ROOT, CORPUS, Timer, fake_github, machine, table, temp_home

from core.models import FINAL_STATUSES, SUCCESS, Consumer, Job
from core.settings import Settings
from tasks.runtime import Runtime
from tests.backends import child_environment
from tests.fakes import corpus
from tests.fakes.openai_server import FakeOpenAI
from tests.services import TeamServices

TIMEOUT = 1800.0


def add_students(fake, students: int, repos: int) -> list[tuple[str, str]]:
    """``students`` logins each owning ``repos`` corpus copies; (profile, URL) to import."""
    folders = [name.replace("/", "__") for name in CORPUS]
    plan = []
    for s in range(students):
        login = f"student{s:04d}"
        for r in range(repos):
            original = corpus.load(folders[r % len(folders)])
            name = f"{original.repo['full_name'].split('/')[1]}-{r}"
            copy = dataclasses.replace(original, repo={
                **original.repo, "full_name": f"{login}/{name}", "id": 10_000_000 + s * 1000 + r})
            fake.add_corpus(copy)
            plan.append((login, f"https://github.com/{login}/{name}"))
    return plan


def counters(runtime: Runtime) -> dict[str, float]:
    found = {}
    db = runtime.database
    if runtime.catalog_store.shared:
        found["pg_tx"] = db.execute_sql(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()").fetchone()[0]
    if runtime.queue_store.shared:
        found["redis_cmds"] = runtime.queue.huey.storage.conn.info("stats")[
            "total_commands_processed"]
    return found


def start_workers(count: int, threads: int, env: dict[str, str], base: Path) -> list:
    procs = []
    for n in range(count):
        home = base / f"worker-{n}"
        procs.append(subprocess.Popen(
            [sys.executable, "main.py", "worker", "--workers", str(threads)], cwd=ROOT,
            env={**env, "REPOFOLIO_HOME": str(home)}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True))
    return procs


def stop_workers(procs: list) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def children_cpu() -> float:
    """CPU seconds (user + system) of the child processes that have ended: the workers."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(args, fake, ai, services, workers: int) -> dict:
    fake.reset()
    cpu_before = children_cpu()
    if ai is not None:
        ai.reset()
        ai.latency = args.ai_latency
    plan = add_students(fake, args.students, args.repos)
    with temp_home() as base:
        stores = services.allocate() if services else None
        env = child_environment(REPOFOLIO_GITHUB_API=fake.url, REPOFOLIO_PROFILE_CONCURRENCY="1",
                                REPOFOLIO_ANALYZER="openai" if ai else "heuristic",
                                PYTHONUNBUFFERED="1")
        if ai:
            env.update(OPENAI_API_KEY="bench-key", OPENAI_BASE_URL=ai.url)
        if stores:
            env.update(REPOFOLIO_DATABASE_URL=stores.database_url,
                       REPOFOLIO_QUEUE_URL=stores.queue_url)
        else:  # one machine: every process shares the files of one data folder
            env.update(REPOFOLIO_DATABASE_URL=f"sqlite:///{base / 'shared' / 'repofolio.db'}",
                       REPOFOLIO_QUEUE_URL=f"sqlite:///{base / 'shared' / 'queue.db'}")
        settings = Settings.from_env({**env, "REPOFOLIO_HOME": str(base / "submitter")})
        runtime = Runtime(settings)
        procs = start_workers(workers, args.threads, env, base)
        try:
            deadline = time.monotonic() + 120
            while Consumer.select().count() < workers:  # every worker is up and waiting
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    raise SystemExit("workers did not start: " + "".join(
                        p.stderr.read() for p in procs if p.poll() is not None))
                time.sleep(0.1)
            before = counters(runtime)
            with Timer() as wall:
                ids = [runtime.queue.submit(url, profile=login).id for login, url in plan]
                deadline = time.monotonic() + TIMEOUT
                while time.monotonic() < deadline:
                    if Job.select().where(Job.id.in_(ids),
                                          Job.status.not_in(FINAL_STATUSES)).count() == 0:
                        break
                    time.sleep(0.2)
            after = counters(runtime)
            jobs = list(Job.select().where(Job.id.in_(ids)))
        finally:
            stop_workers(procs)
            runtime.close()
            if stores:
                stores.release()
    done = sum(j.status == SUCCESS for j in jobs)
    per = max(done, 1)
    return {"workers": workers, "wall": wall.seconds, "done": done, "total": len(plan),
            "cpu": (children_cpu() - cpu_before) / per,
            "requests": fake.request_count / per,
            "ai": (ai.request_count / per) if ai else 0.0,
            **{k: (after[k] - before[k]) / per for k in after},
            "failed": sorted({(j.repo, j.status, j.error_code, j.error_message)
                              for j in jobs if j.status != SUCCESS})}


def measure_backlog(services, students: int) -> dict:
    """Seconds and PostgreSQL transactions of one maintenance round with ``students``
    profiles that each have one import running and one waiting."""
    from core import jobs
    from core.db import write_transaction
    from core.models import Profile

    stores = services.allocate()
    with temp_home() as base:
        env = {"REPOFOLIO_HOME": str(base), "REPOFOLIO_DATABASE_URL": stores.database_url,
               "REPOFOLIO_QUEUE_URL": stores.queue_url}
        runtime = Runtime(Settings.from_env(env))
        try:
            with write_transaction():
                for s in range(students):
                    profile = Profile.create(name=f"student{s:05d}")
                    for r in range(2):
                        jobs.create(profile, url=f"https://github.com/student{s:05d}/r{r}",
                                    repo=f"student{s:05d}/r{r}", key=f"student{s:05d}/r{r}")
            runtime.queue.reconcile()  # the first round hands every first job a slot's task
            before = counters(runtime)
            with Timer() as took:
                runtime.queue.reconcile()
            after = counters(runtime)
        finally:
            runtime.close()
            stores.release()
    return {"students": students, "seconds": took.seconds,
            "pg_tx": after["pg_tx"] - before["pg_tx"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4", help="worker process counts to compare")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--repos", type=int, default=5, help="repositories per student")
    parser.add_argument("--latency", type=float, default=0.1, help="fake GitHub, s per answer")
    parser.add_argument("--ai-latency", type=float, default=None,
                        help="use the fake AI server, s per answer (default: offline analyzer)")
    parser.add_argument("--stores", choices=("team", "sqlite"), default="team")
    parser.add_argument("--backlog", default="",
                        help="student counts for the maintenance-round measure (team only)")
    args = parser.parse_args()
    if args.backlog:
        services = TeamServices().start()
        try:
            rows = [(f"{r['students']:,} students waiting",
                     f"one round {r['seconds']:.2f} s, {r['pg_tx']:,} PG transactions")
                    for r in (measure_backlog(services, int(n)) for n in args.backlog.split(","))]
        finally:
            services.stop()
        table(rows, f"Maintenance round (reconcile) against a backlog; {machine()}")
        return
    counts = [int(n) for n in args.workers.split(",")]
    print(f"bench_team: {args.students} students x {args.repos} repositories, "
          f"{args.threads} threads per worker, GitHub latency {args.latency * 1000:.0f} ms, "
          f"AI {'off' if args.ai_latency is None else f'{args.ai_latency:.1f} s'}, "
          f"stores {args.stores}; {machine()}")
    services = TeamServices().start() if args.stores == "team" else None
    ai = FakeOpenAI() if args.ai_latency is not None else None
    try:
        with fake_github(args.latency) as fake:
            results = [run_once(args, fake, ai, services, n) for n in counts]
    finally:
        if ai:
            ai.close()
        if services:
            services.stop()
    rows = []
    for r in results:
        rate = r["done"] / r["wall"] * 60
        extra = "".join(f", {r[k]:.1f} {label}/import" for k, label in
                        (("pg_tx", "PG transactions"), ("redis_cmds", "Redis commands"))
                        if k in r)
        rows.append((f"{r['workers']} worker process{'es' if r['workers'] > 1 else ''}",
                     f"{r['wall']:.1f} s, {r['done']}/{r['total']} imported, {rate:.0f} imports/min, "
                     f"{r['requests']:.1f} GitHub requests/import, "
                     f"{r['cpu'] * 1000:.0f} ms worker CPU/import"
                     + (f", {r['ai']:.2f} AI calls/import" if r["ai"] else "") + extra))
        for failure in r["failed"]:
            rows.append(("  not imported", str(failure)))
    first = results[0]
    for r in results[1:]:
        rows.append((f"speed-up {first['workers']} -> {r['workers']}",
                     f"{first['wall'] / r['wall']:.2f}x"))
    table(rows, "Team import: first submit to last job ended")


if __name__ == "__main__":
    main()
