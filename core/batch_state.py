"""A batch job's state, derived from its items: counts, the item list, and its outcome.

A batch (``import-all``, ``refresh --all``) is a job of kind ``batch`` whose items
are jobs of their own (``parent`` = the batch). Its plan, kept in its ``payload``,
lists every repository considered, in order: the queued ones by item job id, the
skipped ones with a reason. Reads only: :mod:`core.jobs` writes what this computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import CANCELLED as CANCELLED_CODE
from core.models import (
    ACTIVE_STATUSES, CANCELLED, DONE, FAILURE, FETCHING, PENDING, QUEUED, STARTED, SUCCESS, Job,
)
from core.queue_order import REFRESH_ALL

SKIPPED = "SKIPPED"
# Why a repository of the listing was left out (DESIGN §6), plus ``in_progress``: the
# same repository is already queued or running in the profile.
IN_CATALOG, IN_PROGRESS, FORK, ARCHIVED = "in_catalog", "in_progress", "fork", "archived"
BELOW_MIN_STARS, OVER_LIMIT = "below_min_stars", "over_limit"


def item_jobs(batch_id: int) -> list[Job]:
    return list(Job.select().where(Job.parent == batch_id).order_by(Job.id))


def plan_of(batch: Job) -> list[dict[str, Any]]:
    return list((batch.payload or {}).get("plan", []))


def counts(batch: Job, items: list[Job]) -> dict[str, int]:
    skipped = sum(1 for entry in plan_of(batch) if entry.get("reason"))
    by_status = [item.status for item in items]
    return {"total": len(items) + skipped,
            "succeeded": by_status.count(SUCCESS), "failed": by_status.count(FAILURE),
            "skipped": skipped, "cancelled": by_status.count(CANCELLED),
            "pending": sum(1 for s in by_status if s in ACTIVE_STATUSES)}


def job_error(job: Job) -> dict[str, str] | None:
    """A job's ``error`` as DESIGN §6 shows it (an item's, or any job's): None without one."""
    if not job.error_code:
        return None
    return {"code": job.error_code, "message": job.error_message or "",
            "suggestion": job.error_suggestion or ""}


def items_list(batch: Job, items: list[Job]) -> list[dict[str, Any]]:
    """DESIGN §6's ``items``: every repository of the plan, in the plan's order."""
    by_id = {item.id: item for item in items}
    listed: list[dict[str, Any]] = []
    for entry in plan_of(batch):
        item = by_id.pop(entry.get("job_id"), None) if not entry.get("reason") else None
        if item is None:
            listed.append({"repo": entry["repo"], "status": SKIPPED,
                           "job_id": entry.get("job_id"), "project_id": entry.get("project_id"),
                           "error": None, "reason": entry.get("reason")})
        else:
            listed.append(_item_dict(item))
    listed.extend(_item_dict(item) for item in by_id.values())  # items the plan lacks
    return listed


def _item_dict(item: Job) -> dict[str, Any]:
    return {"repo": item.repo, "status": item.status, "job_id": item.id,
            "project_id": item.project_id, "error": job_error(item), "reason": None}


@dataclass(frozen=True)
class BatchState:
    """What the batch row should say, given its items."""

    status: str
    stage: str
    progress: int
    message: str
    error: dict[str, str] | None
    started: bool


def state(batch: Job, items: list[Job]) -> BatchState:
    c = counts(batch, items)
    verb = "refreshed" if batch.repo == REFRESH_ALL else "imported"
    run = len(items)
    ended = c["succeeded"] + c["failed"] + c["cancelled"]
    started = any(item.started_at is not None or item.status not in (PENDING,) for item in items)
    tally = _tally(c, verb)
    if run == 0:
        what = "refresh" if batch.repo == REFRESH_ALL else "import"
        return BatchState(SUCCESS, DONE, 100, f"Nothing to {what}: {c['skipped']} skipped.",
                          None, False)
    if c["pending"]:
        status, stage = (STARTED, FETCHING) if started else (PENDING, QUEUED)
        return BatchState(status, stage, ended * 100 // run, f"{ended} of {run} done: {tally}",
                          None, started)
    if batch.cancel_requested:
        return BatchState(CANCELLED, DONE, 100, f"Cancelled: {tally}", {
            "code": CANCELLED_CODE, "message": f"Cancelled after {ended - c['cancelled']} of "
                                               f"{run}.",
            "suggestion": f"Retry the batch (`repofolio retry {batch.id}`) to finish it."}, True)
    if c["failed"]:
        first = next(item for item in items if item.status == FAILURE)
        return BatchState(FAILURE, DONE, 100, tally, {
            "code": first.error_code or "INTERNAL_ERROR",
            "message": f"{c['failed']} of {run} failed; the first, {first.repo}: "
                       f"{first.error_message or 'failed'}",
            "suggestion": f"Retry the failed ones with `repofolio retry {batch.id}`."}, True)
    return BatchState(SUCCESS, DONE, 100, tally, None, True)


def _tally(c: dict[str, int], verb: str) -> str:
    parts = [f"{c['succeeded']} {verb}"]
    parts += [f"{c[key]} {key}" for key in ("failed", "cancelled", "skipped") if c[key]]
    return ", ".join(parts)
