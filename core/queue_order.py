"""Where a job stands in its profile's queue: reads only, no writes.

A profile runs at most ``concurrency`` jobs at once, each holding a run slot
(:mod:`core.leases`). The others wait: they are PENDING, hold no slot and start
in the order they were queued (``queued_at``, then id). A batch job is never in
the queue itself; its items are.
"""

from __future__ import annotations

from core import leases
from core.errors import ImportInProgress
from core.models import ACTIVE_STATUSES, BATCH, PENDING, STARTED, Job, Lease, Profile

REFRESH_ALL = "*"  # the key (and repo) of `refresh --all`


def waiting(profile_id: int):
    """The profile's jobs waiting for a slot, first in line first."""
    return (Job.select()
            .where((Job.profile == profile_id) & (Job.status == PENDING) & (Job.kind != BATCH)
                   & Job.id.not_in(Lease.select(Lease.job)))
            .order_by(Job.queued_at, Job.id))


def waiting_before(job: Job) -> int:
    """How many of its profile's jobs wait for a slot besides ``job`` (a count, no rows)."""
    return waiting(job.profile_id).where(Job.id != job.id).count()


def ahead(holders: int, position: int, concurrency: int) -> int:
    """How many jobs must leave (finish, or start before it) until a job at ``position``
    among the waiting ones (0 = first) can start, with ``holders`` slots taken."""
    return max(0, holders + position - concurrency + 1)


def ahead_of(job: Job, concurrency: int) -> int:
    """How many jobs stand between ``job`` and its start (0 when it holds a slot)."""
    if job.status != PENDING or job.kind == BATCH or leases.holds(job.id):
        return 0
    # Its place: the waiting jobs before it in the line's order (a count, not the line).
    position = waiting(job.profile_id).where(
        (Job.queued_at < job.queued_at)
        | ((Job.queued_at == job.queued_at) & (Job.id < job.id))).count()
    return ahead(len(leases.live(job.profile_id)), position, concurrency)


def positions(profile_id: int, concurrency: int) -> dict[int, int]:
    """Every waiting job of the profile -> how many stand ahead of it (two queries)."""
    holders = len(leases.live(profile_id))
    return {job.id: ahead(holders, position, concurrency)
            for position, job in enumerate(waiting(profile_id))}


def ahead_of_new(profile: Profile, concurrency: int) -> int:
    """How many jobs a job queued now would have ahead of it."""
    return ahead(len(leases.live(profile.id)), waiting(profile.id).count(), concurrency)


# Beyond this many, a queued job's message stops counting: rewriting thousands of
# messages each time the line moves would cost more than it tells (the window counts
# positions itself, see positions()).
COUNTED_AHEAD = 100


def waiting_message(jobs_ahead: int) -> str:
    if jobs_ahead <= 0:
        return "Queued"
    if jobs_ahead > COUNTED_AHEAD:
        return f"Waiting for more than {COUNTED_AHEAD} imports of this profile to finish"
    plural = "s" if jobs_ahead != 1 else ""
    return f"Waiting for {jobs_ahead} import{plural} of this profile to finish"


def in_flight(profile: Profile | int, key: str) -> Job | None:
    """The profile's queued or running job for ``key`` (a repository, or a batch's owner)."""
    found = (Job.select(Job.id).where((Job.profile == profile) & (Job.key == key)
                                      & Job.status.in_(ACTIVE_STATUSES))
             .order_by(Job.id).tuples().first())
    return Job.get_by_id(found[0]) if found else None  # the id first: most find none


def refuse_in_flight(profile: Profile | int, key: str, *, besides: Job | None = None) -> None:
    """Raise ImportInProgress, naming the job, when ``key`` (a repository, or a batch's
    owner) is already queued or running in the profile."""
    current = in_flight(profile, key)
    if current is None or (besides is not None and current.id == besides.id):
        return
    if current.kind == BATCH:
        what = ("A refresh of every project is" if current.repo == REFRESH_ALL
                else f"The repositories of {current.repo} are")
        text = (f"{what} already being handled in this profile (job {current.id}: "
                f"{current.message}).")
    else:
        doing = "being imported" if current.status == STARTED else "queued"
        text = (f"{current.repo} is already {doing} in this profile (job {current.id}: "
                f"{current.stage}, {current.progress}%).")
    raise ImportInProgress(text, job_id=current.id, suggestion=(
        f"Wait for job {current.id} to finish (see `repofolio jobs`), or cancel it."))


def in_flight_keys(profile: Profile | int) -> dict[str, int]:
    """Every key queued or running in the profile -> its job id (one query)."""
    rows = (Job.select(Job.key, Job.id)
            .where((Job.profile == profile) & Job.status.in_(ACTIVE_STATUSES)
                   & (Job.kind != BATCH)).tuples())
    return {key: job_id for key, job_id in rows}
