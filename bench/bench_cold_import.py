"""A cold `repofolio import URL --wait` against GitHub at 50 ms and the AI at 300 ms.

Each run is a new process in a new data folder (nothing imported, nothing cached), as a
new user runs it. The figure is the job's own time, ``finished_at - started_at``, from
the JSON the command prints; the process's wall time is given beside it. Beside them,
in the same run:

- the **critical path** of the request pattern: repository, then the tree, then the
  README and manifests the tree names, then one AI call: 3 x 50 + 300 = 450 ms;
- the **seed-style importer**, the original web app's request pattern, built here on
  httpx in this (warm) process: README, tree and seven fixed manifest paths at once,
  then the repository, then four AI calls one after another (~1.3 s of waiting);
- a **warm** run: the same import in this process, through a Runtime whose consumer
  has already run one import (a long-lived worker).

``--baseline DIR`` runs the cold import from another checkout too (e.g. ``main`` in a
``git worktree``), so before and after sit in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

# _support comes first: importing it puts the project on sys.path.
import _support
from _support import Timer, fake_github, machine, median, ms, table, temp_home

from tests.fakes.openai_server import FakeOpenAI

GITHUB_LATENCY = 0.05
AI_LATENCY = 0.30
REPO = "pallets/flask"
RUNS = 5
CRITICAL_PATH = 3 * GITHUB_LATENCY + AI_LATENCY
SEED_MANIFESTS = ("package.json", "requirements.txt", "pyproject.toml", "Cargo.toml", "go.mod",
                  "pom.xml", "Gemfile")


def _seconds(job: dict) -> float:
    started = datetime.fromisoformat(job["started_at"].replace("Z", "+00:00"))
    finished = datetime.fromisoformat(job["finished_at"].replace("Z", "+00:00"))
    return (finished - started).total_seconds()


def cold_import(root: Path, github_url: str, ai_url: str, run: int) -> tuple[float, float]:
    """(job seconds, process wall seconds) of one cold `import --wait --json`."""
    with temp_home() as home:
        env = {**os.environ, "REPOFOLIO_HOME": str(home), "REPOFOLIO_GITHUB_API": github_url,
               "REPOFOLIO_ANALYZER": "openai", "OPENAI_API_KEY": "bench-key",
               "OPENAI_BASE_URL": ai_url, "REPOFOLIO_WORKERS": "4"}
        with Timer() as wall:
            proc = subprocess.run([sys.executable, "main.py", "import", REPO, "--wait", "--json",
                                   "--profile", f"cold{run}"], cwd=root, env=env,
                                  capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise SystemExit(f"import failed in {root}: {proc.stdout}{proc.stderr}")
        job = json.loads(proc.stdout)
        if not str(job.get("message", "")).startswith("Imported") or "offline" in job["message"]:
            raise SystemExit(f"the import did not use the AI: {job['message']}")
        return _seconds(job), wall.seconds


def seed_style(github_url: str, ai_url: str) -> float:
    """The seed's pattern: files at once, then the repository, then four AI calls in turn."""
    import httpx

    owner_repo = f"/repos/{REPO}"
    raw = {"Accept": "application/vnd.github.raw+json"}
    with httpx.Client(base_url=github_url, timeout=30) as gh, \
            httpx.Client(base_url=ai_url, timeout=30,
                         headers={"Authorization": "Bearer bench-key"}) as ai, \
            ThreadPoolExecutor(9) as pool, Timer() as t:
        paths = [f"{owner_repo}/readme", f"{owner_repo}/git/trees/main?recursive=1",
                 *(f"{owner_repo}/contents/{p}" for p in SEED_MANIFESTS)]
        list(pool.map(lambda p: gh.get(p, headers=raw), paths))
        gh.get(owner_repo).raise_for_status()
        for part in ("description", "summary", "tags", "highlights"):
            ai.post("/chat/completions", json={
                "model": "m", "messages": [{"role": "user", "content": f"{part} of {REPO}"}],
            }).raise_for_status()
    return t.seconds


def warm_import(github_url: str, ai_url: str) -> float:
    """The same import in a process whose consumer has run one before (a long-lived worker)."""
    from core.models import FINAL_STATUSES, Job
    from core.records import job_dict
    from core.settings import Settings
    from tasks.runtime import Runtime

    with temp_home() as home:
        settings = Settings(home=home, github_api=github_url, analyzer="openai",
                            openai_api_key="bench-key", openai_base_url=ai_url)
        runtime = Runtime(settings)
        try:
            runtime.start_consumer(4)
            times = []
            for n in range(RUNS + 1):
                job = runtime.queue.submit(REPO, profile=f"warm{n}")
                deadline = time.monotonic() + 60
                while Job.get_by_id(job.id).status not in FINAL_STATUSES:
                    if time.monotonic() > deadline:
                        raise SystemExit("the warm import did not end")
                    time.sleep(0.01)
                times.append(_seconds(job_dict(Job.get_by_id(job.id))))
        finally:
            runtime.close()
    return median(times[1:])  # the first one warms the process up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to run the cold import "
                        "from as well (e.g. main)")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    print(f"bench_cold_import: {REPO}, GitHub {GITHUB_LATENCY * 1000:.0f} ms, AI "
          f"{AI_LATENCY * 1000:.0f} ms, {args.runs} runs each, {machine()}")
    checkouts = [("this checkout", _support.ROOT)]
    if args.baseline:
        checkouts.insert(0, ("baseline", args.baseline.resolve()))
    with fake_github(GITHUB_LATENCY) as fake, FakeOpenAI() as ai:
        ai.latency = AI_LATENCY
        cold = {name: [] for name, _ in checkouts}
        for run in range(args.runs):  # interleaved: both see the same moment's load
            for name, root in checkouts:
                cold[name].append(cold_import(root, fake.url, ai.url, run))
        seed = median([seed_style(fake.url, ai.url) for _ in range(args.runs)])
        warm = warm_import(fake.url, ai.url)
    rows = [("critical path (3 x GitHub + 1 x AI)", ms(CRITICAL_PATH)),
            ("seed-style importer (warm, this process), median", ms(seed)),
            ("warm import (long-lived consumer), median", ms(warm))]
    for name, results in cold.items():
        job = median([r[0] for r in results])
        wall = median([r[1] for r in results])
        rows += [(f"cold `import --wait`, {name}: job, median", ms(job)),
                 ("  min / max", f"{ms(min(r[0] for r in results))} / "
                                 f"{ms(max(r[0] for r in results))}"),
                 ("  process wall time, median", ms(wall)),
                 ("  job / critical path", f"{job / CRITICAL_PATH:.2f}x (goal <= 1.25x)"),
                 ("  job / seed-style", f"{job / seed:.2f}x (goal <= 0.40x)")]
    rows.append(("warm / critical path", f"{warm / CRITICAL_PATH:.2f}x"))
    table(rows, "Import of one repository, started_at to finished_at")


if __name__ == "__main__":
    main()
