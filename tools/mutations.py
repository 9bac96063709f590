"""Mutation check: break the code one small plausible way at a time and see the tests notice.

Each fault in ``tools/faults.py`` names a file, an exact snippet of it, its
replacement, and the tests that must fail with it. For each fault this script
copies the tree once to a temporary folder, swaps the snippet in, runs the mapped
tests there, puts the snippet back, and reports:

- ``caught``: the mapped tests failed (pytest exit 1), as they must;
- ``SURVIVED``: they all passed: a promise no test holds;
- ``ERROR``: the snippet is not in the file exactly once (the code moved on: update
  the fault), or pytest could not run the tests (exit 2 and above).

Run from the project root: ``python tools/mutations.py`` (every fault, about three
minutes), ``--only heartbeat`` (names containing a word), ``--list``, ``--markdown``
(the table for docs/RELIABILITY.md). It first runs every mapped test unmutated: a
fault can only count as caught against tests that pass without it. Exit status 0
only when every fault is caught.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.faults import FAULTS, Fault  # noqa: E402


@dataclass
class Result:
    fault: Fault
    verdict: str  # caught | SURVIVED | ERROR
    detail: str
    seconds: float


def copy_tree(destination: Path) -> None:
    """The working tree as git sees it (tracked and new files, nothing ignored)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def environment(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPOFOLIO_CI")}
    # The copy must win over the editable install, which points at the real tree.
    env["PYTHONPATH"] = str(tree)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def pytest(tree: Path, tests: list[str], timeout: float) -> tuple[int, str]:
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
               "-o", "addopts=", *tests]
    try:
        done = subprocess.run(command, cwd=tree, env=environment(tree), capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, f"timed out after {timeout:g} s"
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, (lines[-1] if lines else done.stderr.strip()[-300:])


def check_copy_is_imported(tree: Path) -> None:
    found = subprocess.run([sys.executable, "-c", "import core; print(core.__file__)"],
                           cwd=tree, env=environment(tree), capture_output=True, text=True)
    if not found.stdout.strip().startswith(str(tree)):
        raise SystemExit(f"the copy's code is not the one imported: {found.stdout or found.stderr}")


def mutate(tree: Path, fault: Fault, timeout: float) -> Result:
    started = time.monotonic()
    path = tree / fault.path
    if not path.is_file():
        return Result(fault, "ERROR", f"no file {fault.path}", 0.0)
    original = path.read_text(encoding="utf-8")
    found = original.count(fault.original)
    if found != 1:
        return Result(fault, "ERROR", f"snippet found {found} times in {fault.path}", 0.0)
    path.write_text(original.replace(fault.original, fault.replacement), encoding="utf-8")
    try:
        code, last = pytest(tree, list(fault.tests), timeout)
    finally:
        path.write_text(original, encoding="utf-8")
    verdict = {0: "SURVIVED", 1: "caught"}.get(code, "ERROR")
    return Result(fault, verdict, last, time.monotonic() - started)


def markdown(results: list[Result]) -> str:
    rows = ["| fault | where | tests that must catch it | result |", "| --- | --- | --- | --- |"]
    for r in results:
        tests = ", ".join(f"`{t.split('::')[-1] if '::' in t else t}`" for t in r.fault.tests)
        rows.append(f"| {r.fault.name} | `{r.fault.path}` | {tests} | {r.verdict} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[],
                        help="run the faults whose name contains this (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the faults and stop")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip running the mapped tests unmutated first")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per fault")
    args = parser.parse_args(argv)
    faults = [f for f in FAULTS if not args.only or any(w in f.name for w in args.only)]
    if args.list:
        for fault in faults:
            print(f"{fault.name}: {fault.path} -> {', '.join(fault.tests)}")
        return 0
    with tempfile.TemporaryDirectory(prefix="repofolio-mutants-") as temp:
        tree = Path(temp)
        copy_tree(tree)
        check_copy_is_imported(tree)
        if not args.no_baseline:
            tests = sorted({t for f in faults for t in f.tests})
            code, last = pytest(tree, tests, args.timeout * 2)
            if code != 0:
                print(f"The mapped tests fail without any fault ({last}); fix that first.")
                return 2
            print(f"baseline: {last}")
        results = []
        for fault in faults:
            result = mutate(tree, fault, args.timeout)
            results.append(result)
            print(f"{result.verdict:8}  {fault.name}  ({result.seconds:.0f} s: {result.detail})",
                  flush=True)
    counts = {v: sum(r.verdict == v for r in results) for v in ("caught", "SURVIVED", "ERROR")}
    print(f"\n{counts['caught']} caught, {counts['SURVIVED']} survived, {counts['ERROR']} errors "
          f"of {len(results)} faults")
    if args.markdown:
        print("\n" + markdown(results))
    return 0 if counts["caught"] == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
