"""Every hostile-server case (tests/fakes/hostile_cases.py), as the table in docs/RELIABILITY.md.

Each case is one import in its own process under RLIMIT_AS of 300 MB, against a
loopback server that misbehaves on purpose; the table shows the bound that stopped
it and what happened: the job's code, the seconds the import took, the bytes the
server managed to send, the peak resident memory (VmHWM) and address space (VmPeak),
and whether anything reached the second host (127.0.0.2). Run from the project root:

    python bench/hostile.py            # ~20 s; prints a Markdown table
"""

from __future__ import annotations

import tempfile
from pathlib import Path

# _support comes first: importing it puts the project on sys.path.
from _support import machine

from tests.fakes.hostile_cases import CASES, MEMORY_MB, run


def main() -> None:
    print(f"bench/hostile.py: {len(CASES)} cases, RLIMIT_AS {MEMORY_MB} MB each, {machine()}\n")
    print("| case | the server | bound | ended | s | bytes sent | peak RSS MB | peak VM MB "
          "| other host |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for case in CASES:
        with tempfile.TemporaryDirectory(prefix="repofolio-hostile-") as folder:
            outcome = run(case, Path(folder) / "home")
        r = outcome.result
        ended = r["code"] or r["status"]
        if r.get("cancel_to_end_seconds") is not None:
            ended += f" ({r['cancel_to_end_seconds']:.2f} s after the cancel)"
        elif case.ai and r["status"] == "SUCCESS":
            ended += f" ({r['project']['analyzer']})"
        print(f"| {case.name} | {case.server} | {case.bound} | {ended} | {r['seconds']:.2f} "
              f"| {outcome.sent_bytes:,} | {r['peak_rss_mb']:.0f} | {r['vm_peak_mb']:.0f} "
              f"| {outcome.other_host_requests} |")


if __name__ == "__main__":
    main()
