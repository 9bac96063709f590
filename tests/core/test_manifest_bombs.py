"""A repository's own files are server input too: a CI file that is small on the wire
but huge once its YAML aliases are followed must not hold an import (and its profile's
run slot) for minutes of CPU, where neither cancel nor the deadline can reach it.

Run like the hostile-server cases (tests/fakes/hostile_cases.py): one import in a
subprocess of its own, ended by the job's deadline at the latest.
"""

from __future__ import annotations

import sys

import pytest

from tests.fakes.hostile_cases import DEADLINE, MEMORY_MB, Case, run
from tests.fakes.hostile_server import json_answer, raw_answer

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="RLIMIT_AS and /proc/self/status are Linux's")

WORKFLOW = ".github/workflows/ci.yml"


def alias_bomb(size: int = 190_000) -> bytes:
    """A GitHub Actions workflow of ``size`` bytes: one step with an 80,000-character
    ``run`` script, then that step again by alias (``- *s``, 11 bytes) ~10,000 times:
    800 million characters of script for a reader that follows every alias."""
    head = f'jobs:\n  build:\n    steps:\n      - &s {{run: "{"make;" * 16_000}"}}\n'
    return (head + "      - *s\n" * ((size - len(head)) // 11)).encode()


def _rules(hostile) -> dict:
    tree = {"sha": "a" * 40, "truncated": False, "tree": [
        {"path": "README.md", "type": "blob", "size": 20},
        {"path": ".github", "type": "tree"}, {"path": ".github/workflows", "type": "tree"},
        {"path": WORKFLOW, "type": "blob", "size": len(alias_bomb())}]}
    return {r"/git/trees/main$": json_answer(tree),
            r"/contents/\.github/workflows/ci\.yml$": raw_answer(
                alias_bomb(), content_type="application/vnd.github.raw")}


def test_a_workflow_whose_aliases_expand_a_thousandfold_is_read_in_bounded_time(tmp_path):
    case = Case("yaml-alias-bomb", "workflow: 190 KB of YAML aliases, 800 M chars followed",
                _rules, "the manifest's expanded size", "SUCCESS", None, "Imported o/r.")
    result = run(case, tmp_path / "home").result  # the driver is stopped DEADLINE + 40 s on

    assert (result["status"], result["code"]) == ("SUCCESS", None), result
    assert result["seconds"] < DEADLINE  # it ended, by its own bound
    assert result["slot_free"] and result["leases"] == 0


def test_a_conda_file_whose_aliases_expand_is_read_in_bounded_memory(tmp_path):
    """environment.yml: one 80,000-character dependency, then ~16,000 ``- *s``: a reader
    that follows the aliases copies a gigabyte of names. Run without the address-space
    limit so that the peak is measured rather than cut short by a MemoryError."""
    head = 'dependencies:\n  - &s "' + "x" * 80_000 + '"\n'
    bomb = (head + "  - *s\n" * ((190_000 - len(head)) // 7)).encode()
    tree = {"sha": "a" * 40, "truncated": False, "tree": [
        {"path": "README.md", "type": "blob", "size": 20},
        {"path": "environment.yml", "type": "blob", "size": len(bomb)}]}
    case = Case("yaml-alias-bomb-conda", "environment.yml: 190 KB of aliases, 1.3 G chars",
                lambda hostile: {r"/git/trees/main$": json_answer(tree),
                                 r"/contents/environment\.yml$": raw_answer(
                                     bomb, content_type="application/vnd.github.raw")},
                "the manifest's expanded size", "SUCCESS", None, "Imported o/r.")
    result = run(case, tmp_path / "home", memory_mb=0).result

    assert (result["status"], result["code"]) == ("SUCCESS", None), result
    assert result["peak_rss_mb"] < MEMORY_MB, result
