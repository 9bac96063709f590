"""The per-profile import lease: at most one import in flight for each profile.

A lease is one row keyed by the profile, so taking it inside the submit's
``BEGIN IMMEDIATE`` transaction is atomic. It is held through retries,
renewed by the running attempt's heartbeat, and released at every end. A
lease whose running holder stopped beating expires after its TTL and may be
taken over; a queued job's lease does not expire (the job is still coming).
"""

from __future__ import annotations

from core.errors import ImportInProgress
from core.models import ACTIVE_STATUSES, STARTED, Job, Lease, Profile
from core.timeutil import after, utcnow


def holder(profile: Profile) -> Job | None:
    """The job in flight for ``profile``, or None if the lease is free (or dead)."""
    lease = Lease.get_or_none(Lease.profile == profile)
    if lease is None:
        return None
    job = lease.job
    if job.status not in ACTIVE_STATUSES:
        return None
    if job.status == STARTED and lease.expires_at < utcnow():
        return None
    return job


def refuse_if_busy(profile: Profile, *, besides: Job | None = None) -> None:
    """Raise ImportInProgress when another job holds the profile's lease."""
    current = holder(profile)
    if current is not None and (besides is None or current.id != besides.id):
        raise ImportInProgress(
            f"An import is already running for this profile: {current.repo} "
            f"({current.stage}, {current.progress}%).", job_id=current.id)


def acquire(profile: Profile, job: Job, ttl: float) -> None:
    """Take the profile's lease for ``job``; call inside an IMMEDIATE transaction."""
    refuse_if_busy(profile, besides=job)
    Lease.delete().where(Lease.profile == profile).execute()
    Lease.create(profile=profile, job=job, expires_at=after(ttl))


def renew(job_id: int, ttl: float) -> bool:
    """Extend the job's lease; False if it holds none."""
    return bool(Lease.update(expires_at=after(ttl)).where(Lease.job == job_id).execute())


def take_back(job: Job, ttl: float) -> None:
    """Give a job that lost its lease row the profile's lease again, if it is free."""
    Lease.insert(profile=job.profile, job=job, expires_at=after(ttl)).on_conflict_ignore().execute()


def release(job_id: int) -> None:
    Lease.delete().where(Lease.job == job_id).execute()


def release_orphans() -> int:
    """Drop leases whose job has ended (they can only be left by a crash mid-way)."""
    ended = Job.select(Job.id).where(Job.status.not_in(ACTIVE_STATUSES))
    return Lease.delete().where(Lease.job.in_(ended)).execute()
