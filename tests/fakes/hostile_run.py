"""One import against a (hostile) server, in a process of its own, under a memory limit.

    python -m tests.fakes.hostile_run '{"home": DIR, "github": URL, ...}'

prints one JSON object: how the job ended (status, error code and message, the
success message), the seconds it took, the process's peak RSS and peak address
space, and — with ``cancel_when`` — how long the job took to end after the cancel
and whether the profile's run slot was free again. The spec (JSON) holds:

- ``home``, ``github`` (base URL), ``ai`` (base URL, or null for the offline analyzer)
- ``memory_mb``: ``RLIMIT_AS`` for this process (0: none)
- ``limits``: ResponseLimits fields to change (small caps keep a test fast)
- ``read_timeout``, ``ai_seconds``, ``deadline``: Settings.request_timeout,
  ai_timeout, import_deadline
- ``cancel_when``: a path substring; once the server has seen such a request, cancel
  the job (the driver asks the server's ``/_hostile/seen``)

The import runs through :class:`core.importer.Importer` (submit, then one attempt:
``max_attempts`` is 1, so a retryable error ends the job at once). Used by
``tests/core/test_hostile_servers.py`` and ``bench/hostile.py``.
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time
from pathlib import Path
from urllib.request import urlopen


def _limit_memory(megabytes: int) -> None:
    if megabytes:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _status_mb(field: str) -> float:
    """A figure of /proc/self/status: VmHWM (peak RSS), VmPeak (peak address space).

    Not getrusage's ru_maxrss: Linux carries that over fork and exec, so a child of a
    large test process would report its parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _seen(server: str, path: str) -> int:
    with urlopen(f"{server}/_hostile/seen?path={path}", timeout=5) as answer:
        return json.load(answer)["count"]


def run(spec: dict) -> dict:
    _limit_memory(spec.get("memory_mb", 0))
    from core import leases
    from core.db import open_catalog
    from core.importer import Importer
    from core.models import Job, Lease
    from core.net.limits import ResponseLimits
    from core.settings import Settings

    ai = spec.get("ai")
    settings = Settings(
        home=Path(spec["home"]), github_api=spec["github"],
        analyzer="openai" if ai else "heuristic", openai_api_key="sk-hostile" if ai else None,
        openai_base_url=ai, workers=1, request_timeout=spec.get("read_timeout", 20.0),
        ai_timeout=spec.get("ai_seconds", 60.0), ai_max_retries=0,
        import_deadline=spec.get("deadline", 300.0), max_attempts=1, heartbeat_interval=0.5,
        limits=ResponseLimits(**spec.get("limits", {})))
    settings.ensure_dirs()
    open_catalog(settings.catalog_path)
    importer = Importer(settings)
    job = importer.submit(spec.get("repo", "o/r"))
    started = time.monotonic()
    result: dict = {}
    cancel_when = spec.get("cancel_when")
    if cancel_when:
        worker = threading.Thread(target=importer.run, args=(job.id,), daemon=True)
        worker.start()
        while not _seen(spec["github"], cancel_when) and worker.is_alive():
            time.sleep(0.02)
        from core import jobs
        cancelled_at = time.monotonic()
        jobs.request_cancel(job.id)
        worker.join(timeout=120)
        result["cancel_to_end_seconds"] = round(time.monotonic() - cancelled_at, 3)
    else:
        importer.run(job.id)
    seconds = time.monotonic() - started
    job = Job.get_by_id(job.id)
    owner = job.profile
    result.update(
        status=job.status, code=job.error_code, error=job.error_message, message=job.message,
        seconds=round(seconds, 3), slot_free=not leases.live(owner.id),
        leases=Lease.select().count(),
        peak_rss_mb=_status_mb("VmHWM"), vm_peak_mb=_status_mb("VmPeak"))
    if job.project_id:
        project = job.project
        result["project"] = {"full_name": project.full_name, "tags": project.tags,
                             "analyzer": project.analyzer}
    return result


def main(argv: list[str]) -> int:
    print(json.dumps(run(json.loads(argv[1]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
