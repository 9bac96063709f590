"""A repository's own files are server input too: a manifest that is small on the wire
but costly to read must not hold an import (and its profile's run slot) for minutes of
CPU. Analysis runs where neither cancel nor the deadline can reach it, and a regular
expression holds the GIL: a slow one freezes the whole process, window included.

Each case runs one import like the hostile-server cases (tests/fakes/hostile_cases.py):
in a subprocess of its own, which the test stops DEADLINE + 40 s on at the latest.
"""

from __future__ import annotations

import sys

import pytest

from tests.fakes.hostile_cases import DEADLINE, MEMORY_MB, Case, run
from tests.fakes.hostile_server import json_answer, raw_answer

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="RLIMIT_AS and /proc/self/status are Linux's")


def workflow_alias_bomb(size: int = 190_000) -> str:
    """One step with an 80,000-character ``run`` script, then that step again by alias
    (``- *s``, 11 bytes) ~10,000 times: 800 million characters for a reader that follows
    every alias."""
    head = f'jobs:\n  build:\n    steps:\n      - &s {{run: "{"make;" * 16_000}"}}\n'
    return head + "      - *s\n" * ((size - len(head)) // 11)


def conda_alias_bomb(size: int = 190_000) -> str:
    """One 80,000-character dependency, then ~16,000 ``- *s``: a gigabyte of copies."""
    head = 'dependencies:\n  - &s "' + "x" * 80_000 + '"\n'
    return head + "  - *s\n" * ((size - len(head)) // 7)


def import_with_files(tmp_path, files: dict[str, str], *, memory_mb: int = MEMORY_MB) -> dict:
    """Import o/r, whose tree holds a README and ``files`` (path -> text)."""
    data = {path: body.encode() for path, body in files.items()}
    folders = sorted({folder for path in files for folder in _folders(path)})
    tree = {"sha": "a" * 40, "truncated": False, "tree": [
        {"path": "README.md", "type": "blob", "size": 20},
        *({"path": folder, "type": "tree"} for folder in folders),
        *({"path": path, "type": "blob", "size": len(body)} for path, body in data.items())]}
    rules = {r"/git/trees/main$": json_answer(tree)}
    for path, body in data.items():
        rules[r"/contents/" + path.replace(".", r"\.") + "$"] = raw_answer(
            body, content_type="application/vnd.github.raw")
    case = Case("costly manifests", "", lambda hostile: rules, "", "SUCCESS", None,
                "Imported o/r.")
    return run(case, tmp_path / "home", memory_mb=memory_mb).result


def _folders(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


SETUP_PY_EXTRAS = "setup(extras_require={" + "'a':[x" * 33_000 + "})"  # lists never closed


@pytest.mark.parametrize("files", [
    {".github/workflows/ci.yml": workflow_alias_bomb()},
    # Not YAML (an unclosed "["): read by line patterns, whose nested \s* went cubic.
    {".github/workflows/ci.yml": "a: [\n" + "\n" * 5_000},
    {"build.gradle": "a" + " \n" * 99_000},  # ^\s* across blank lines: quadratic
    {"build.gradle": "/*a" * 66_000},  # comments that never close: quadratic
    {"setup.py": SETUP_PY_EXTRAS, "packages/one/setup.py": SETUP_PY_EXTRAS,
     "packages/two/setup.py": SETUP_PY_EXTRAS},
], ids=["workflow-aliases", "workflow-5kb-of-newlines", "gradle-blank-lines",
        "gradle-unclosed-comments", "setup-py-unclosed-lists"])
def test_costly_manifests_are_read_in_bounded_time(tmp_path, files):
    result = import_with_files(tmp_path, files)

    assert (result["status"], result["code"]) == ("SUCCESS", None), result
    assert result["seconds"] < DEADLINE  # it ended, by its own bound
    assert result["slot_free"] and result["leases"] == 0


def test_a_conda_file_whose_aliases_expand_is_read_in_bounded_memory(tmp_path):
    """Run without the address-space limit so that the peak is measured rather than cut
    short by a MemoryError."""
    result = import_with_files(tmp_path, {"environment.yml": conda_alias_bomb()}, memory_mb=0)

    assert (result["status"], result["code"]) == ("SUCCESS", None), result
    assert result["peak_rss_mb"] < MEMORY_MB, result
