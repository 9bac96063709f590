"""End-to-end imports through a real consumer: 100 distinct repositories, 1 vs 4 workers.

Each run gets a fresh data folder, a Runtime with the offline analyzer, and a
consumer started with ``start_consumer(N)``; every repository is submitted to its own
profile so that the one-import-per-profile rule lets them run side by side. The fake
GitHub (50 ms a request) runs in a process of its own, as GitHub does: its work does
not take the measured process's CPU. The repositories are the 15 corpus ones' contents
under 100 names (``bench-copies/flask-9``...), so nothing is served from the HTTP cache
of an earlier import. The clock runs from the first submit until the last job has ended.

The figure the issue asks for is the fraction of the ideal speed-up: (1-worker time /
4-worker time) / 4. ``--cap`` sets the token's limit of requests in flight (default:
the app's); ``--profile`` runs the imports once more with every thread profiled and
prints where the CPU of an import goes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import threading
import time
from collections import defaultdict
from pathlib import Path

# _support comes first: importing it puts the project on sys.path.
import _support
from _support import Timer, copy_name, machine, median, ms, remote_fake_github, table, temp_home

from core.github.rate_limiter import MAX_CONCURRENT, RateLimiterRegistry
from core.models import FINAL_STATUSES, SUCCESS, Job
from core.settings import Settings
from tasks.runtime import Runtime

LATENCY = 0.05
IMPORTS = 100
WORKER_COUNTS = (1, 4)
TIMEOUT = 600.0


def run_once(fake, imports: int, workers: int, cap: int) -> dict:
    fake.reset()
    with temp_home() as home:
        settings = Settings(home=home, github_api=fake.url, analyzer="heuristic",
                            workers=workers)
        runtime = Runtime(settings)
        runtime.importer.rate_limiters = RateLimiterRegistry(max_concurrent=cap)
        try:
            runtime.start_consumer(workers)
            loading = getattr(runtime.consumer, "preloading", None)
            if loading:  # a long-lived consumer: loaded before the clock starts
                loading.join()
            cpu = time.process_time()
            ended: set[int] = set()
            all_ended = threading.Event()

            def note(event) -> None:  # the bus, not a poll: the bench takes no CPU meanwhile
                if getattr(event, "status", None) in FINAL_STATUSES:
                    ended.add(event.job_id)
                    if len(ended) >= imports:
                        all_ended.set()
            runtime.events.subscribe(note)
            with Timer() as wall:
                ids = [runtime.queue.submit(copy_name(n), profile=f"p{n}").id
                       for n in range(imports)]
                all_ended.wait(TIMEOUT)
            if Job.select().where(Job.id.in_(ids), Job.status.not_in(FINAL_STATUSES)).exists():
                raise SystemExit("imports did not end in time")
            cpu = time.process_time() - cpu
            jobs = list(Job.select().where(Job.id.in_(ids)))
        finally:
            runtime.close()
    done = [j for j in jobs if j.status == SUCCESS]
    return {
        "wall": wall.seconds, "cpu": cpu, "succeeded": len(done), "requests": fake.request_count,
        "job_median": median([(j.finished_at - j.started_at).total_seconds() for j in done])
        if done else float("nan"),
        "failed": [(j.repo, j.status, j.error_code) for j in jobs if j.status != SUCCESS][:5],
    }


def profiled(fake, imports: int, workers: int, cap: int) -> pstats.Stats:
    """Run the imports with every thread that starts profiled; the merged statistics."""
    profiles: list[cProfile.Profile] = []
    original = threading.Thread.run

    def run(self) -> None:
        profile = cProfile.Profile()
        profiles.append(profile)
        profile.enable()
        try:
            original(self)
        finally:
            profile.disable()

    threading.Thread.run = run
    try:
        run_once(fake, imports, workers, cap)
        time.sleep(0.5)  # let the clients' pool threads see their shutdown and end
    finally:
        threading.Thread.run = original
    ended = [p for p in profiles if p.getstats()]
    stats = pstats.Stats(ended[0])
    for p in ended[1:]:
        stats.add(p)
    return stats


AREAS = (("analysis (stack, heuristic)", ("core/analysis/",)),
         ("GitHub client (requests, tree, files)", ("core/github/", "core/net/")),
         ("catalog and jobs (Peewee, SQLite)", ("peewee", "core/jobs", "core/importer",
                                                "core/leases", "core/queue_order", "sqlite3")),
         ("queue (Huey)", ("huey",)),
         ("HTTP (httpx, httpcore, ssl, sockets)", ("httpx", "httpcore", "ssl", "socket", "h11")),
         ("JSON", ("json",)))


WAITS = ("'acquire' of '_thread", "'recv", "'get' of '_queue", "'poll' of", "time.sleep",
         "'wait' of", "select.select", "'accept' of")


def by_area(stats: pstats.Stats, imports: int) -> list[tuple[str, str]]:
    """Own CPU time per area, per import; the rest as 'other'."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        where = f"{filename}:{name}"
        if any(blocking in name for blocking in WAITS):
            continue  # waiting, not working
        for area, marks in AREAS:
            if any(mark in where for mark in marks):
                totals[area] += own
                break
        else:
            totals["other"] += own
    return [(area, ms(seconds / imports)) for area, seconds in
            sorted(totals.items(), key=lambda item: -item[1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imports", type=int, default=IMPORTS)
    parser.add_argument("--cap", type=int, default=MAX_CONCURRENT,
                        help="requests of the token in flight at once")
    parser.add_argument("--profile", action="store_true", help="where an import's CPU goes")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure as well "
                        "(with its own default cap)")
    args = parser.parse_args()
    print(f"bench_import: {args.imports} repositories, fake latency {LATENCY * 1000:.0f} ms "
          f"(another process), token cap {args.cap}, {machine()}, code of {_support.CODE}")
    results = {}
    with remote_fake_github(LATENCY, copies=args.imports) as fake:
        for workers in WORKER_COUNTS:
            results[workers] = run_once(fake, args.imports, workers, args.cap)
        stats = profiled(fake, min(args.imports, 30), 1, args.cap) if args.profile else None
    rows = []
    for workers, r in results.items():
        rows.append((f"{workers} worker{'s' if workers > 1 else ''}",
                     f"{r['wall']:.2f} s, {r['succeeded']}/{args.imports} succeeded, "
                     f"{r['requests']} requests, median job {ms(r['job_median'])}, "
                     f"CPU {ms(r['cpu'] / args.imports)} an import"))
        for failure in r["failed"]:
            rows.append(("  not imported", str(failure)))
    one, many = results[WORKER_COUNTS[0]], results[WORKER_COUNTS[-1]]
    speedup = one["wall"] / many["wall"]
    rows.append((f"speed-up ({WORKER_COUNTS[0]} / {WORKER_COUNTS[-1]} workers)",
                 f"{speedup:.2f}x = {speedup / WORKER_COUNTS[-1]:.2f} of ideal (goal >= 0.80)"))
    table(rows, "Imports, first submit to last job ended")
    if stats is not None:
        table(by_area(stats, min(args.imports, 30)), "Own CPU time an import, by area "
              "(1 worker, every thread profiled: the profiler's cost included)")
        for key in [k for k in stats.stats if any(w in k[2] for w in WAITS)]:
            del stats.stats[key]  # waiting, not working
        stats.sort_stats("tottime").print_stats(25)
    if args.baseline:
        print(_support.run_baseline("bench_import.py", args.baseline, "--imports",
                                    str(args.imports)), end="")


if __name__ == "__main__":
    main()
