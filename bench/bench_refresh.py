"""Refreshing unchanged repositories: GitHub requests, rate-limit units and AI calls.

The 15 corpus repositories are imported with the AI analyzer (the fake OpenAI server)
by the real command line, then refreshed with nothing changed on the fake GitHub
(`repofolio refresh --all --wait`, one batch). Requests, units (what the fake's
bucket lost: every answer but a 304 and /rate_limit) and AI calls are counted at the
fake servers, for the refreshes alone. ``--baseline DIR`` runs another checkout (e.g.
main) the same way, so before and after sit in one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

# _support comes first: importing it puts the project on sys.path.
import _support
from _support import CORPUS, Timer, fake_github, machine, table, temp_home

from tests.fakes.openai_server import FakeOpenAI


def _cli(root: Path, env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "main.py", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"`repofolio {' '.join(args)}` failed in {root}: {done.stderr}")


def measure(root: Path, fake, ai) -> dict:
    with temp_home() as home:
        env = {**os.environ, "REPOFOLIO_HOME": str(home), "REPOFOLIO_GITHUB_API": fake.url,
               "REPOFOLIO_ANALYZER": "openai", "OPENAI_API_KEY": "bench-key",
               "OPENAI_BASE_URL": ai.url}
        for name in CORPUS:
            _cli(root, env, "import", name, "--wait", "--json")
        fake.reset()
        units, calls = fake.rate_remaining, ai.request_count
        with Timer() as t:
            _cli(root, env, "refresh", "--all", "--wait", "--json")
        statuses = [r.status for r in fake.requests]
        return {"requests": len(statuses), "units": units - fake.rate_remaining,
                "ai": ai.request_count - calls, "seconds": t.seconds,
                "not_modified": statuses.count(304), "not_found": statuses.count(404)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to measure as well")
    args = parser.parse_args()
    n = len(CORPUS)
    print(f"bench_refresh: {n} repositories imported, then refreshed unchanged, {machine()}")
    checkouts = ([("baseline", args.baseline.resolve())] if args.baseline else []) + [
        ("this checkout", _support.ROOT)]
    rows = []
    with fake_github() as fake, FakeOpenAI() as ai:
        for label, root in checkouts:
            r = measure(root, fake, ai)
            rows += [(f"{label}: requests a refresh", f"{r['requests'] / n:.2f} "
                      f"({r['not_modified']} answered 304, {r['not_found']} 404, of {r['requests']})"),
                     (f"{label}: rate-limit units a refresh", f"{r['units'] / n:.2f}"),
                     (f"{label}: AI calls a refresh", f"{r['ai'] / n:.2f}"),
                     (f"{label}: `refresh --all --wait`", f"{r['seconds']:.2f} s")]
    table(rows, f"Refresh of {n} unchanged repositories (goal: <= 3 requests, 0 units, "
                "0 AI calls each)")


if __name__ == "__main__":
    main()
