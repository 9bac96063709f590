"""What every benchmark needs: the project on sys.path, a fake GitHub, a temp data folder.

Benchmarks print figures; they assert nothing about time. Run each from the
project root as ``python bench/NAME.py``. Nothing here touches the network
beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

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
