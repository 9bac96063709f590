"""A profile's run slots: at most N imports of one profile run at once.

A slot is a row of ``run_slot`` (the :class:`~core.models.Lease` model) numbered
``0 .. N-1`` and unique per profile, so taking one inside a ``BEGIN IMMEDIATE``
transaction can never hand out more than N. A slot is taken when an attempt
starts (:func:`core.jobs.claim`), kept through retries, renewed by the running
attempt's heartbeat and released when the job ends. A slot whose job has ended, or
whose running holder stopped beating past the TTL, is dead and is dropped by the
next taker; a slot held by a job waiting to retry (or queued again after a crash)
does not expire: that job is still coming.

These functions write slot rows only, never job rows (that is :mod:`core.jobs`).
"""

from __future__ import annotations

from core.models import ACTIVE_STATUSES, STARTED, Job, Lease
from core.timeutil import after, utcnow


def _dead(lease: Lease, job: Job, now) -> bool:
    return job.status not in ACTIVE_STATUSES or (job.status == STARTED and lease.expires_at < now)


def live(profile_id: int) -> list[Lease]:
    """The profile's slots that are held by a job still in flight."""
    now = utcnow()
    rows = Lease.select(Lease, Job).join(Job).where(Lease.profile == profile_id)
    return [lease for lease in rows if not _dead(lease, lease.job, now)]


def drop_dead(profile_id: int) -> None:
    """Free the slots of ended jobs and of running ones that stopped beating."""
    now = utcnow()
    rows = Lease.select(Lease, Job).join(Job).where(Lease.profile == profile_id)
    dead = [lease.id for lease in rows if _dead(lease, lease.job, now)]
    if dead:
        Lease.delete().where(Lease.id.in_(dead)).execute()


def take(job: Job, concurrency: int, ttl: float) -> bool:
    """Give ``job`` a free slot of its profile; False when all are taken.

    Call inside an IMMEDIATE transaction (the count and the insert must be one step).
    """
    drop_dead(job.profile_id)
    used = {lease.slot for lease in live(job.profile_id)}
    free = [slot for slot in range(concurrency) if slot not in used]
    if not free:
        return False
    inserted = (Lease.insert(profile=job.profile_id, slot=free[0], job=job.id,
                             acquired_at=utcnow(), expires_at=after(ttl))
                .on_conflict_ignore().as_rowcount().execute())
    return bool(inserted)


def holds(job_id: int) -> bool:
    return Lease.select().where(Lease.job == job_id).exists()


def renew(job_id: int, ttl: float) -> bool:
    """Extend the job's slot; False if it holds none."""
    return bool(Lease.update(expires_at=after(ttl)).where(Lease.job == job_id).execute())


def release(job_id: int) -> None:
    Lease.delete().where(Lease.job == job_id).execute()


def release_orphans() -> int:
    """Drop slots whose job has ended (they can only be left by a crash mid-way)."""
    ended = Job.select(Job.id).where(Job.status.not_in(ACTIVE_STATUSES))
    return Lease.delete().where(Lease.job.in_(ended)).execute()
