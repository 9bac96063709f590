"""Submitting imports: latency of Importer.submit, of a duplicate refusal, of a 100-thread
race on one URL, and the wall time of `repofolio import URL --json` as a subprocess.

Submitting never touches the network (DESIGN §2), so the fake GitHub only serves
the one import that makes a project to be refused as a duplicate.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

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


def main() -> None:
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
    if won != 1:
        raise SystemExit(f"RACE: {won} submits were accepted for one profile")


if __name__ == "__main__":
    main()
