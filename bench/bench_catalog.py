"""The catalog at 10,000 projects: insert, search, filter, sort, all_languages, memory.

Synthetic projects (core.models.Project rows written with insert_many) in a temp
data folder. Each query is timed as the window runs it: the first page (50 rows)
of ``query_projects``, materialised. Times are medians of REPEAT runs.
"""

from __future__ import annotations

import random
import resource
import sys

# _support comes first: importing it puts the project on sys.path.
from _support import Timer, machine, median, ms, table, temp_home

from core import catalog
from core.analysis.types import CATEGORIES
from core.catalog import ProjectFilter
from core.db import ensure_profile, open_catalog
from core.models import Project, database
from core.timeutil import utcnow

PROJECTS = 10_000
BATCH = 500
PAGE = 50
REPEAT = 15
WORDS = ("web", "fast", "async", "tiny", "http", "parser", "cli", "graph", "queue", "cache",
         "render", "stream", "secure", "data", "model", "sync", "image", "audio", "shell")
FIRST_PAGES = [
    ("search 'web'", ProjectFilter(search="web")),
    ("search 'fast http' (two words)", ProjectFilter(search="fast http")),
    ("search with no match (full scan)", ProjectFilter(search="zzzz-nothing")),
    ("category filter", ProjectFilter(category="Developer Tool")),
    ("language filter 'Rust'", ProjectFilter(language="Rust")),
    ("sort by stars", ProjectFilter(sort="stars")),
]
LANGUAGES = ("Python", "Rust", "Go", "JavaScript", "TypeScript", "Java", "Ruby", "PHP", "C",
             "C++", "Shell", "HTML", "CSS", "Kotlin", "Swift", "C#", "Elixir", "Haskell")


def rss_mb() -> tuple[float, float]:
    """(peak RSS from getrusage, current RSS from /proc when there is one), in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS
    try:
        with open("/proc/self/statm") as statm:
            current_mb = int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        current_mb = float("nan")
    return peak_mb, current_mb


def synthetic_rows(profile_id: int, rng: random.Random) -> list[dict]:
    now = utcnow()
    rows = []
    for n in range(PROJECTS):
        owner, name = f"owner{n % 997}", f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{n}"
        words = rng.sample(WORDS, 6)
        languages = {lang: rng.randint(1_000, 900_000) for lang in rng.sample(LANGUAGES, 3)}
        rows.append({
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
        })
    return rows


def timed(fn) -> float:
    times = []
    for _ in range(REPEAT):
        with Timer() as t:
            fn()
        times.append(t.seconds)
    return median(times)


def first_page(flt: ProjectFilter):
    return lambda: list(catalog.query_projects(flt).limit(PAGE))


def main() -> None:
    print(f"bench_catalog: {PROJECTS:,} projects, {machine()}")
    with temp_home() as home:
        db = open_catalog(home / "repofolio.db")
        profile = ensure_profile("default")
        rows = synthetic_rows(profile.id, random.Random(7))
        peak_before, current_before = rss_mb()
        with Timer() as insert:
            with database.atomic():
                for start in range(0, PROJECTS, BATCH):
                    Project.insert_many(rows[start:start + BATCH]).execute()
        del rows
        figures = [
            (f"insert {PROJECTS:,} (insert_many, batches of {BATCH})", f"{insert.seconds:.2f} s"),
            *((f"{label}, first page", ms(timed(first_page(flt)))) for label, flt in FIRST_PAGES),
            ("count of matches for 'web'",
             ms(timed(lambda: catalog.query_projects(ProjectFilter(search="web")).count()))),
            ("catalog.all_languages()", ms(timed(catalog.all_languages))),
        ]
        peak_after, current_after = rss_mb()
        sizes = {p.name: p.stat().st_size / 2**20 for p in home.iterdir() if p.is_file()}
        db.close()

    table(figures, f"Catalog queries (median of {REPEAT})")
    table([
        ("peak RSS (getrusage) before / after insert+queries",
         f"{peak_before:.1f} MB / {peak_after:.1f} MB"),
        ("current RSS before / after", f"{current_before:.1f} MB / {current_after:.1f} MB"),
        ("catalog files on disk", ", ".join(f"{name} {mb:.1f} MB"
                                            for name, mb in sorted(sizes.items()))),
    ], "Memory (the synthetic rows are built before the 'before' figure)")


if __name__ == "__main__":
    main()
