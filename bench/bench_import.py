"""End-to-end imports of the 15-repository corpus through a real consumer: 1 vs 4 workers.

Each run gets a fresh data folder, a Runtime with the offline analyzer, and a
consumer started with ``start_consumer(N)``; every repository is submitted to its
own profile so that the one-import-per-profile rule lets them run in parallel.
The clock runs from the first submit until the last job has ended.
"""

from __future__ import annotations

import time

# _support comes first: importing it puts the project on sys.path.
from _support import CORPUS, Timer, fake_github, machine, median, ms, table, temp_home

from core.models import FINAL_STATUSES, SUCCESS, Job
from core.settings import Settings
from tasks.runtime import Runtime

LATENCY = 0.05
WORKER_COUNTS = (1, 4)
TIMEOUT = 120.0


def run_once(fake, workers: int) -> dict:
    fake.reset()
    with temp_home() as home:
        settings = Settings(home=home, github_api=fake.url, analyzer="heuristic",
                            workers=workers)
        runtime = Runtime(settings)
        try:
            runtime.start_consumer(workers)
            with Timer() as wall:
                ids = [runtime.queue.submit(f"https://github.com/{name}", profile=f"p{n}").id
                       for n, name in enumerate(CORPUS)]
                deadline = time.monotonic() + TIMEOUT
                while time.monotonic() < deadline:
                    if Job.select().where(Job.id.in_(ids),
                                          Job.status.not_in(FINAL_STATUSES)).count() == 0:
                        break
                    time.sleep(0.02)
            jobs = list(Job.select().where(Job.id.in_(ids)))
        finally:
            runtime.close()
    done = [j for j in jobs if j.status == SUCCESS]
    return {
        "wall": wall.seconds,
        "succeeded": len(done),
        "requests": fake.request_count,
        "job_median": median([(j.finished_at - j.started_at).total_seconds() for j in done])
        if done else float("nan"),
        "failed": [(j.repo, j.status, j.error_code) for j in jobs if j.status != SUCCESS],
    }


def main() -> None:
    print(f"bench_import: {len(CORPUS)} repositories, fake latency {LATENCY * 1000:.0f} ms, "
          f"{machine()}")
    results = {}
    with fake_github(LATENCY) as fake:
        for workers in WORKER_COUNTS:
            results[workers] = run_once(fake, workers)
    rows = []
    for workers, r in results.items():
        rows.append((f"{workers} worker{'s' if workers > 1 else ''}",
                     f"{r['wall']:.2f} s total, {r['succeeded']}/{len(CORPUS)} succeeded, "
                     f"{r['requests']} requests, median job {ms(r['job_median'])}"))
        for failure in r["failed"]:
            rows.append(("  not imported", str(failure)))
    one, many = results[WORKER_COUNTS[0]], results[WORKER_COUNTS[-1]]
    rows.append((f"speed-up ({WORKER_COUNTS[0]} / {WORKER_COUNTS[-1]} workers)",
                 f"{one['wall'] / many['wall']:.2f}x"))
    table(rows, "Corpus import, first submit to last job ended")


if __name__ == "__main__":
    main()
