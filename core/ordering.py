"""The user's portfolio order: pin a project to the top, move it up or down.

Order is ``catalog.SORTS["portfolio"]``: projects with a ``position`` first (lowest
first), then every other one by stars. A move places only the projects it has to
(the ones up to the last placed or moved one); the rest keep following stars, so
a new import with many stars still rises among the unplaced ones.

Moves step over projects outside the showcase: "up" means above the previous
project that the portfolio shows, whatever the browser lists between them.
"""

from __future__ import annotations

from core.catalog import SORTS, get_project
from core.db import lock_profile, write_transaction
from core.models import Project

UP, DOWN = -1, 1


def portfolio_order(profile_id: int) -> list[tuple[int, int | None, bool]]:
    """``(id, position, is_showcase)`` of a profile's projects, in portfolio order."""
    query = (Project.select(Project.id, Project.position, Project.is_showcase)
             .where(Project.profile == profile_id).order_by(*SORTS["portfolio"]))
    return [(pid, position, bool(showcase)) for pid, position, showcase in query.tuples()]


def pin_to_top(ref: str | int) -> Project:
    """Put a project first in the portfolio."""
    return _reorder(ref, lambda ids, i, showcase: 0)


def move(ref: str | int, step: int) -> Project:
    """Move a project one showcased place up (``UP``) or down (``DOWN``); at an end, nothing."""

    def target(ids: list[int], i: int, showcase: list[bool]) -> int | None:
        j = i + step
        while 0 <= j < len(ids) and not showcase[j]:
            j += step
        return j if 0 <= j < len(ids) else None

    return _reorder(ref, target)


def unplace(ref: str | int) -> Project:
    """Give a project back to the star order (it follows every placed project)."""
    with write_transaction():
        project = get_project(ref)
        Project.update(position=None).where(Project.id == project.id).execute()
    return get_project(project.id)


def _reorder(ref, target) -> Project:
    """Move a project to ``target(ids, index, showcase)`` (an index, or None: stay) and
    number the placed prefix 0, 1, 2, … in one transaction."""
    with write_transaction():
        project = get_project(ref)
        lock_profile(project.profile_id)  # PostgreSQL: one reorder of a profile at a time
        rows = portfolio_order(project.profile_id)
        ids = [pid for pid, _, _ in rows]
        i = ids.index(project.id)
        j = target(ids, i, [showcase for _, _, showcase in rows])
        if j is None or j == i:
            return project
        placed = {pid for pid, position, _ in rows if position is not None} | {project.id}
        ids.insert(j, ids.pop(i))
        # Everything up to the last placed project gets its place; the tail, still in
        # star order and unplaced, stays so.
        last = max(n for n, pid in enumerate(ids) if pid in placed)
        positions = {pid: n for n, pid in enumerate(ids[:last + 1])}
        current = {pid: position for pid, position, _ in rows}
        for pid, n in positions.items():
            if current[pid] != n:
                Project.update(position=n).where(Project.id == pid).execute()
    return get_project(project.id)
