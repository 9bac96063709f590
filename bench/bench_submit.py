"""Submitting imports: latency of Importer.submit, of a duplicate refusal, of a 100-thread
race on one URL, the whole queued submit at 100,000 projects, and the wall time of
`repofolio import URL --json` as a subprocess.

Submitting never touches the network (DESIGN §2), so the fake GitHub only serves
the one import that makes a project to be refused as a duplicate.

The 100,000-project part fills a catalog with that many projects and as many ended
import jobs (one each, as importing them left), then times ``ImportQueue.submit`` —
validate, refuse a duplicate or a repeat, write the job, hand it a queue task and
enqueue it — with no consumer running: 200 imports into the profile that holds the
100,000 (they queue behind each other, as a user's do), and 200 into profiles of their
own; then 200 refused duplicates.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from pathlib import Path

# _support comes first: importing it puts the project on sys.path.
import _support
from _support import Timer, fake_github, machine, median, ms, percentile, table, temp_home

from core.db import close_thread_connection, open_catalog
from core.errors import DuplicateImport, ImportInProgress
from core.importer import Importer
from core.models import Job
from core.settings import Settings

SUBMITS = 200
THREADS = 100
CLI_RUNS = 5
LARGE = 100_000


def submit_latency(importer: Importer) -> list[float]:
    """One accepted submit per profile (one in flight each), 200 profiles."""
    times = []
    for n in range(SUBMITS):
        with Timer() as t:
            importer.submit(f"https://github.com/owner{n}/repo{n}", profile=f"p{n}")
        times.append(t.seconds)
    return times


def duplicate_latency(importer: Importer) -> list[float]:
    job = importer.submit("pallets/flask", profile="dup")
    importer.run(job.id)
    times = []
    for _ in range(SUBMITS):
        with Timer() as t:
            try:
                importer.submit("git@github.com:Pallets/Flask.git", profile="dup")
            except DuplicateImport:
                pass
            else:
                raise SystemExit("a duplicate was accepted")
        times.append(t.seconds)
    return times


def race(importer: Importer) -> tuple[int, int, int, float]:
    """THREADS threads submit the same URL to one profile at once."""
    barrier = threading.Barrier(THREADS + 1)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        barrier.wait()
        try:
            importer.submit("https://github.com/psf/requests", profile="race")
            outcome = "accepted"
        except ImportInProgress:
            outcome = "in progress"
        except Exception as exc:  # anything else is a finding, not a crash of the bench
            outcome = type(exc).__name__
        finally:
            close_thread_connection()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    with Timer() as t:
        barrier.wait()
        for thread in threads:
            thread.join()
    jobs = Job.select().join(Job.profile.rel_model).where(
        Job.profile.rel_model.name == "race").count()
    return outcomes.count("accepted"), outcomes.count("in progress"), jobs, t.seconds


def cli_wall_times(home, url: str) -> tuple[list[float], list[float]]:
    env = {**os.environ, "REPOFOLIO_HOME": str(home), "REPOFOLIO_GITHUB_API": url,
           "REPOFOLIO_ANALYZER": "heuristic"}
    imports, bare = [], []
    for n in range(CLI_RUNS):
        with Timer() as t:
            proc = subprocess.run([sys.executable, "main.py", "import", "psf/requests", "--json",
                                   "--profile", f"cli{n}"], cwd=_support.ROOT, env=env,
                                  capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"repofolio import failed: {proc.stdout}{proc.stderr}")
        imports.append(t.seconds)
        with Timer() as t:
            subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(t.seconds)
    return imports, bare


def large_catalog(fake) -> list[tuple[str, str]]:
    """The queued submit's latency at LARGE projects (see the module docstring)."""
    from core.db import ensure_profile
    from tasks.runtime import Runtime

    with temp_home() as home:
        runtime = Runtime(Settings(home=home, github_api=fake.url, analyzer="heuristic"))
        try:
            profile = ensure_profile("default")
            with Timer() as filling:
                _support.fill_catalog(profile.id, LARGE)
                rows = _support.fill_import_jobs(profile.id)
            one_profile, own_profiles, duplicates = [], [], []
            for n in range(SUBMITS):
                with Timer() as t:
                    runtime.queue.submit(f"newowner/new-{n}")
                one_profile.append(t.seconds)
            for n in range(SUBMITS):
                with Timer() as t:
                    runtime.queue.submit(f"other{n}/repo{n}", profile=f"own{n}")
                own_profiles.append(t.seconds)
            taken = rows[12_345]["repo"]
            for _ in range(SUBMITS):
                with Timer() as t:
                    try:
                        runtime.queue.submit(taken)
                    except DuplicateImport:
                        pass
                duplicates.append(t.seconds)
        finally:
            runtime.close()

    def line(times: list[float]) -> str:
        return (f"p50 {ms(percentile(times, 50))}, p99 {ms(percentile(times, 99))}, "
                f"max {ms(max(times))}")
    return [(f"catalog of {LARGE:,} projects and {LARGE:,} jobs, built in", f"{filling.seconds:.1f} s"),
            (f"queued submit, one profile ({SUBMITS}, queued behind each other)", line(one_profile)),
            (f"queued submit, a profile each ({SUBMITS})", line(own_profiles)),
            (f"duplicate refused ({SUBMITS})", line(duplicates))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout whose submit at "
                        f"{LARGE:,} projects is measured as well (e.g. main)")
    parser.add_argument("--large-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.large_only:  # the baseline's run (see --baseline)
        with fake_github() as fake:
            table(large_catalog(fake), f"ImportQueue.submit at {LARGE:,} projects")
        return
    print(f"bench_submit: {machine()}")
    with fake_github() as fake, temp_home() as home:
        settings = Settings(home=home / "data", github_api=fake.url, analyzer="heuristic")
        settings.ensure_dirs()
        database = open_catalog(settings.catalog_path)
        importer = Importer(settings)
        accepted = submit_latency(importer)
        refused = duplicate_latency(importer)
        won, lost, jobs, settle = race(importer)
        database.close()
        cli, bare = cli_wall_times(home / "cli", fake.url)
        large = large_catalog(fake)

    table([
        (f"submit accepted, p50 / p95 ({SUBMITS})",
         f"{ms(percentile(accepted, 50))} / {ms(percentile(accepted, 95))}"),
        (f"duplicate refused, p50 / p95 ({SUBMITS})",
         f"{ms(percentile(refused, 50))} / {ms(percentile(refused, 95))}"),
        (f"{THREADS} threads, same URL: accepted", f"{won} (must be 1); refused {lost}; "
                                                   f"jobs in catalog {jobs}"),
        (f"{THREADS} threads: time to settle", ms(settle)),
    ], "Importer.submit (in process, no network)")
    table([
        (f"`repofolio import URL --json`, median of {CLI_RUNS}", ms(median(cli))),
        ("  min / max", f"{ms(min(cli))} / {ms(max(cli))}"),
        ("`python -c pass`, median (interpreter start-up)", ms(median(bare))),
    ], "Command line, as a subprocess (no worker: the job is queued)")
    table(large, f"ImportQueue.submit at {LARGE:,} projects, this checkout "
                 "(goal: p50 <= 2 ms, p99 <= 10 ms)")
    if args.baseline:
        print(f"\nThe same with the code of {args.baseline}:", end="")
        print(_support.run_baseline("bench_submit.py", args.baseline, "--large-only"), end="")
    if won != 1:
        raise SystemExit(f"RACE: {won} submits were accepted for one profile")


if __name__ == "__main__":
    main()
