"""What every benchmark needs: the project on sys.path, a fake GitHub, a temp data folder.

Benchmarks print figures; they assert nothing about time. Run each from the
project root as ``python bench/NAME.py``. Nothing here touches the network
beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# REPOFOLIO_BENCH_CODE=DIR measures another checkout's code (e.g. main, for a "before"
# beside the "after" in one run): its packages come first, these scripts stay.
CODE = Path(os.environ.get("REPOFOLIO_BENCH_CODE") or ROOT).resolve()
for _path in dict.fromkeys((str(ROOT), str(CODE))):
    if _path not in sys.path:
        sys.path.insert(0, _path)

# A benchmark must measure this checkout, never the developer's own configuration.
for _name in ("GITHUB_TOKEN", "OPENAI_API_KEY", "OPENAI_BASE_URL", "REPOFOLIO_GITHUB_API",
              "REPOFOLIO_ANALYZER", "REPOFOLIO_WORKERS", "REPOFOLIO_HOME"):
    os.environ.pop(_name, None)
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from tests.fakes.github_server import FakeGitHub  # noqa: E402

CORPUS = ["BurntSushi/ripgrep", "coleifer/huey", "encode/httpx", "expressjs/express",
          "fastapi/fastapi", "google/gson", "gorilla/mux", "guzzle/guzzle", "jqlang/jq",
          "pallets/flask", "psf/requests", "serde-rs/serde", "sinatra/sinatra", "spf13/cobra",
          "vitejs/vite"]


@contextlib.contextmanager
def fake_github(latency: float = 0.0) -> Iterator[FakeGitHub]:
    """A loopback GitHub with ``latency`` per answer and a rate limit that never bites."""
    with FakeGitHub() as fake:
        fake.latency = latency
        fake.rate_limit = fake.rate_remaining = 1_000_000
        yield fake


COPY_OWNER = "bench-copies"


def copy_name(n: int) -> str:
    """The n-th repository of :func:`remote_fake_github`'s copies: ``bench-copies/name-n``."""
    return f"{COPY_OWNER}/{CORPUS[n % len(CORPUS)].split('/')[1]}-{n}"


def _serve(conn, latency: float, copies: int) -> None:
    """The child process of :func:`remote_fake_github`: serve, and answer the parent."""
    from dataclasses import replace

    from tests.fakes import corpus

    fake = FakeGitHub()
    fake.latency = latency
    fake.rate_limit = fake.rate_remaining = 1_000_000
    folders = {c.replace("/", "__").lower(): c for c in CORPUS}
    originals = {folders[name.lower()]: corpus.load(name) for name in corpus.names()
                 if name.lower() in folders}
    for n in range(copies):
        original = originals[CORPUS[n % len(CORPUS)]]
        fake.add_corpus(replace(original, repo={**original.repo, "full_name": copy_name(n),
                                                "id": 900_000_000 + n}))
    with fake:
        conn.send(fake.url)
        while True:
            command = conn.recv()
            if command == "stop":
                break
            if command == "count":
                conn.send(fake.request_count)
            elif command == "reset":
                fake.reset()
                conn.send(None)


class RemoteFake:
    """The parent's handle on a fake GitHub in a child process."""

    def __init__(self, conn, url: str):
        self._conn, self.url = conn, url

    @property
    def request_count(self) -> int:
        self._conn.send("count")
        return self._conn.recv()

    def reset(self) -> None:
        self._conn.send("reset")
        self._conn.recv()


@contextlib.contextmanager
def remote_fake_github(latency: float = 0.0, copies: int = 0) -> Iterator[RemoteFake]:
    """A fake GitHub in a process of its own, as the real one is: its work does not take
    the measured process's CPU (or its GIL). ``copies``: that many more repositories,
    the corpus's contents under the names :func:`copy_name` gives."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, latency, copies), daemon=True)
    process.start()
    try:
        yield RemoteFake(parent, parent.recv())
    finally:
        parent.send("stop")
        process.join(10)


def run_baseline(script: str, baseline: Path, *args: str) -> str:
    """Run ``bench/script`` again with ``baseline``'s code (see CODE); its output."""
    import subprocess

    env = {**os.environ, "REPOFOLIO_BENCH_CODE": str(Path(baseline).resolve())}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], env=env,
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"{script} on {baseline} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def temp_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="repofolio-bench-") as folder:
        yield Path(folder)


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self) -> "Timer":
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.perf_counter() - self._start


WORDS = ("web", "fast", "async", "tiny", "http", "parser", "cli", "graph", "queue", "cache",
         "render", "stream", "secure", "data", "model", "sync", "image", "audio", "shell")
LANGUAGES = ("Python", "Rust", "Go", "JavaScript", "TypeScript", "Java", "Ruby", "PHP", "C",
             "C++", "Shell", "HTML", "CSS", "Kotlin", "Swift", "C#", "Elixir", "Haskell")


def synthetic_rows(profile_id: int, count: int, seed: int = 7, start: int = 0):
    """``count`` project rows (dicts for ``Project.insert_many``): random titles,
    descriptions, tags, three languages each, a ~1.4 KB README; yielded one at a time."""
    import random

    from core.analysis.types import CATEGORIES
    from core.timeutil import utcnow

    rng = random.Random(seed)
    now = utcnow()
    for n in range(start, start + count):
        owner, name = f"owner{n % 997}", f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{n}"
        words = rng.sample(WORDS, 6)
        languages = {lang: rng.randint(1_000, 900_000) for lang in rng.sample(LANGUAGES, 3)}
        yield {
            "profile": profile_id, "slug": f"{owner}-{name}", "key": f"{owner}/{name}",
            "github_id": 1_000_000 + n, "full_name": f"{owner}/{name}", "title": name,
            "url": f"https://github.com/{owner}/{name}",
            "description": f"A {words[0]} {words[1]} library for {words[2]} {words[3]}.",
            "summary": " ".join(rng.choice(WORDS) for _ in range(80)),
            "category": rng.choice(CATEGORIES), "tags": words[:5], "highlights": words[:3],
            "languages": languages,
            "tech_stack": {"languages": list(languages), "frameworks": [], "tools": []},
            "stars": rng.randint(0, 200_000), "forks": rng.randint(0, 20_000),
            "license": "MIT", "readme": "# README\n" + " ".join(words) * 40,
            "imported_at": now, "updated_at": now,
        }


def fill_catalog(profile_id: int, count: int, batch: int = 500) -> None:
    """Insert ``count`` synthetic projects, in batches, in one transaction (the catalog
    must be open and bound)."""
    from itertools import islice

    from core.models import Project, database

    rows = synthetic_rows(profile_id, count)
    with database.atomic():
        while chunk := list(islice(rows, batch)):
            Project.insert_many(chunk).execute()


def fill_import_jobs(profile_id: int, batch: int = 500) -> list[dict]:
    """Insert one finished import job per project of the profile (the job that made it),
    in batches, in one transaction; returns the rows (the catalog must be open and bound)."""
    from core.models import SUCCESS, Job, Project, database
    from core.timeutil import utcnow

    now = utcnow()
    projects = Project.select(Project.id, Project.key, Project.full_name).where(
        Project.profile == profile_id)
    rows = [dict(profile=profile_id, kind="import", url=f"https://github.com/{name}",
                 repo=name, key=key, status=SUCCESS, stage="done", progress=100,
                 message="Imported", attempts=1, project=pid, created_at=now, queued_at=now,
                 started_at=now, finished_at=now)
            for pid, key, name in projects.tuples()]
    with database.atomic():
        for start in range(0, len(rows), batch):
            Job.insert_many(rows[start:start + batch]).execute()
    return rows


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0–100)."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def machine() -> str:
    return f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {sys.platform}"


def table(rows: list[tuple[str, str]], title: str) -> None:
    print(f"\n{title}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
