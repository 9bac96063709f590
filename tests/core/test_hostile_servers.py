"""Imports against servers that misbehave on purpose (tests/fakes/hostile_cases.py).

Each case runs one import in a subprocess whose address space is limited to 300 MB
(``RLIMIT_AS``), against a hostile loopback GitHub/OpenAI server and a witness on
127.0.0.2, and asserts: the job's status, code and message; that it ended before the
job's deadline (a generous bound that proves "it ended", not a timing); the bytes
the server managed to send (far below what it would have sent a reader without a
cap); the peak memory; and that nothing reached the other host. The figures are
printed (``-s``) and tabled in docs/RELIABILITY.md by ``bench/hostile.py``.
"""

from __future__ import annotations

import sys

import pytest

from tests.fakes.hostile_cases import (
    CASES, DEADLINE, LIMITS, MEMORY_MB, STALL_READ_TIMEOUT, Case, run,
)
from tests.fakes.hostile_server import endless

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="RLIMIT_AS and /proc/self/status are Linux's")

# An endless or exploding body, unbounded, would send gigabytes; with the caps the
# server gets out only what the loopback's socket buffers take before we hang up.
MAX_SENT_BYTES = 48_000_000


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_server_ends_the_import_with_the_right_error(case: Case, tmp_path):
    outcome = run(case, tmp_path / "home")
    result = outcome.result
    print(f"\n{case.name}: {result['status']} {result['code']} in {result['seconds']} s, "
          f"sent {outcome.sent_bytes:,} bytes, peak RSS {result['peak_rss_mb']} MB, "
          f"VmPeak {result['vm_peak_mb']} MB, cancel→end {result.get('cancel_to_end_seconds')}")

    assert (result["status"], result["code"]) == (case.status, case.code), result
    assert case.says in result["message"], result["message"]
    assert result["seconds"] < DEADLINE  # it ended, by its own bound
    assert result["slot_free"] and result["leases"] == 0  # the profile can import again
    assert result["peak_rss_mb"] < MEMORY_MB
    assert outcome.sent_bytes < MAX_SENT_BYTES
    assert outcome.other_host_requests == 0  # nothing, not even a header, went elsewhere
    assert "Traceback" not in result["message"]
    if case.only_paths is not None:  # no request was built from the server's bad name
        assert outcome.paths == sorted(case.only_paths)
    if "cancel_when" in case.spec:
        # Ended by the cancel, not by a read timeout: a stalled job frees its slot.
        assert result["cancel_to_end_seconds"] < STALL_READ_TIMEOUT
    if case.ai and case.status == "SUCCESS" and case.name != "ai-200000-tags":
        assert result["project"]["analyzer"] == "heuristic"  # the offline fallback


def test_a_huge_tag_list_keeps_eight_of_the_models_own_tags(tmp_path):
    case = next(c for c in CASES if c.name == "ai-200000-tags")
    project = run(case, tmp_path / "home").result["project"]
    assert project["analyzer"].startswith("openai:")
    assert project["tags"] == [f"tag-{i}" for i in range(8)]


def test_the_memory_limit_bites_a_reader_without_a_cap(tmp_path):
    """The limit is meaningful: with the caps lifted, an endless body exhausts it."""
    lifted = Case("no-cap", "endless", lambda h: {r"^/repos/o/r$": endless()}, "none",
                  "FAILURE", "INTERNAL_ERROR", "",
                  spec={"limits": {**LIMITS, "repository": 4_000_000_000}})
    try:
        result = run(lifted, tmp_path / "home").result
    except AssertionError as driver_died:  # killed or crashed by MemoryError: also a bite
        assert "MemoryError" in str(driver_died) or "returncode" in str(driver_died)
        return
    assert result["code"] == "INTERNAL_ERROR"  # MemoryError, not a cap
