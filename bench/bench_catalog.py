"""The catalog at 10,000 and 100,000 projects: search, filters, sorts, the language list.

Synthetic projects (``_support.fill_catalog``: random titles, descriptions, tags,
three languages each, a ~1.4 KB README) in a temp data folder. Each query is timed as
the window runs it: the first page (50 rows) of ``query_projects``, materialised; the
count of its matches; ``all_languages()``. Times are medians of REPEAT runs.
``--baseline DIR`` measures another checkout's code on the same rows in the same run.
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

# _support comes first: importing it puts the project on sys.path.
import _support
from _support import Timer, machine, median, ms, table, temp_home

from core import catalog
from core.catalog import ProjectFilter
from core.db import ensure_profile, open_catalog

SIZES = (10_000, 100_000)
PAGE = 50
REPEAT = 9
FIRST_PAGES = [
    ("search 'web' (a third match)", ProjectFilter(search="web")),
    ("search 'fast http' (two words)", ProjectFilter(search="fast http")),
    ("search with no match", ProjectFilter(search="zzzz-nothing")),
    ("search 'w' (one letter, a keystroke)", ProjectFilter(search="w")),
    ("search 'qx' (two letters, no match)", ProjectFilter(search="qx")),
    ("category filter", ProjectFilter(category="Developer Tool")),
    ("language filter 'Rust'", ProjectFilter(language="Rust")),
    ("language 'Haskell', sorted by stars", ProjectFilter(language="Haskell", sort="stars")),
    ("sort by stars", ProjectFilter(sort="stars")),
]


def rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS


def timed(fn) -> float:
    times = []
    for _ in range(REPEAT):
        with Timer() as t:
            fn()
        times.append(t.seconds)
    return median(times)


def first_page(flt: ProjectFilter):
    def read() -> list:
        try:
            query = catalog.query_projects(flt, rows=PAGE)
        except TypeError:  # a checkout from before the paging hint
            query = catalog.query_projects(flt)
        return list(query.limit(PAGE))
    return read


def measure(size: int) -> list[tuple[str, str]]:
    with temp_home() as home:
        db = open_catalog(home / "repofolio.db")
        with Timer() as insert:
            _support.fill_catalog(ensure_profile("default").id, size)
        rows = [(f"insert {size:,} (insert_many, batches of 500)", f"{insert.seconds:.2f} s")]
        rows += [(f"{label}, first page", ms(timed(first_page(flt)))) for label, flt in FIRST_PAGES]
        rows += [("count of matches for 'web'",
                  ms(timed(lambda: catalog.query_projects(ProjectFilter(search="web")).count()))),
                 ("count of matches for 'zzzz-nothing'", ms(timed(
                     lambda: catalog.query_projects(ProjectFilter(search="zzzz-nothing")).count()))),
                 ("catalog.all_languages()", ms(timed(catalog.all_languages))),
                 ("peak RSS of the process so far", f"{rss_mb():.0f} MB")]
        sizes = {p.name: p.stat().st_size / 2**20 for p in home.iterdir() if p.is_file()}
        rows.append(("catalog on disk", ", ".join(f"{name} {mb:.0f} MB"
                                                  for name, mb in sorted(sizes.items()))))
        db.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to measure as well")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    print(f"bench_catalog: {machine()}, code of {_support.CODE}")
    for size in sizes:
        table(measure(size), f"{size:,} projects (median of {REPEAT})")
    if args.baseline:
        print(_support.run_baseline("bench_catalog.py", args.baseline, "--sizes", args.sizes),
              end="")


if __name__ == "__main__":
    main()
