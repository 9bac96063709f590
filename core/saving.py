"""Saving what an attempt found, in the transaction that ends its job: a new project, a
refreshed one, or a refresh that found nothing new (only its counts change).

Each save checks again, under ``BEGIN IMMEDIATE``, what may have changed while the
attempt worked — a cancel, a duplicate found meanwhile — and ends the job with the
project (``jobs.succeed``); an attempt that no longer owns its job rolls back.
"""

from __future__ import annotations

from core import catalog, jobs, refresh
from core.analysis.types import Analysis
from core.errors import Cancelled, DuplicateImport, NotFound
from core.github.snapshot import RepoSnapshot
from core.db import write_transaction
from core.models import REFRESH, Job, Profile, Project
from core.timeutil import utcnow


class AttemptLost(Exception):
    """This attempt no longer owns its job (it was presumed dead and replaced)."""


def refuse_duplicate(owner: Profile, key: str, *, github_id: int | None = None,
                     besides: Project | None = None) -> None:
    existing = catalog.find_duplicate(owner, key, github_id=github_id, besides=besides)
    if existing is not None:
        raise duplicate_of(existing)


def duplicate_of(existing: Project) -> DuplicateImport:
    return DuplicateImport(f"{existing.full_name} is already in your catalog "
                           f"(project {existing.id}).", project_id=existing.id)


def refuse_renamed_duplicate(job: Job, repo: dict) -> None:
    """A repository renamed since its import answers under a new name with the same id."""
    refuse_duplicate(job.profile, str(repo["full_name"]).lower(), github_id=int(repo["id"]),
                     besides=project_to_refresh(job))


def project_to_refresh(job: Job) -> Project | None:
    """The project a refresh job rewrites (None for a first import)."""
    if job.kind != REFRESH:
        return None
    project = Project.get_or_none(Project.id == job.project_id) if job.project_id else None
    if project is None:
        raise NotFound("The project was deleted before its refresh finished.",
                       suggestion="Import the repository again if you still want it.")
    return project


def _identity(snap: RepoSnapshot) -> dict:
    """The fields that follow the repository wherever it moves, and its counts."""
    return dict(key=snap.full_name.lower(), github_id=snap.github_id, full_name=snap.full_name,
                title=snap.name, url=snap.url, stars=snap.stars, forks=snap.forks,
                default_branch=snap.default_branch, updated_at=utcnow())


def _checked(job: Job, snap: RepoSnapshot) -> Project | None:
    """Inside the transaction: still wanted, still no duplicate; the project refreshed."""
    if jobs.cancel_wanted(job.id):
        raise Cancelled("Cancelled before the project was saved.")
    refreshing = project_to_refresh(job)
    refuse_duplicate(job.profile, snap.full_name.lower(), github_id=snap.github_id,
                     besides=refreshing)
    return refreshing


def _ended(job: Job, project_id: int, message: str, snap: RepoSnapshot) -> None:
    if not jobs.succeed(job.id, job.attempts, project_id, message, repo=snap.full_name,
                        url=snap.url):
        raise AttemptLost()  # rolls the project back


def save(job: Job, snap: RepoSnapshot, analysis: Analysis, message: str) -> Project:
    """A new project, or the refreshed one rewritten, and the job ended with it."""
    with write_transaction(profile_id=job.profile_id):
        refreshing = _checked(job, snap)
        fields = dict(
            _identity(snap), description=analysis.description, summary=analysis.summary,
            category=analysis.category, tags=analysis.tags, highlights=analysis.highlights,
            languages=snap.languages, tech_stack=analysis.tech_stack.to_dict(),
            license=snap.license, homepage=snap.homepage or "", analyzer=analysis.analyzer,
            readme=snap.readme, readme_truncated=snap.readme_truncated,
            inputs_hash=refresh.inputs_hash(snap))
        if refreshing is not None:
            Project.update(**fields).where(Project.id == refreshing.id).execute()
            project = Project.get_by_id(refreshing.id)
        else:
            project = Project.create(
                profile=job.profile, slug=catalog.unique_slug(snap.full_name),
                is_showcase=job.showcase, is_private=job.private or snap.is_private,
                imported_at=fields["updated_at"], **fields)
        _ended(job, project.id, message, snap)
    return project


def save_counts(job: Job, repository: RepoSnapshot, message: str) -> Project:
    """A refresh that found the files unchanged: the repository object's counts (and
    name, should it have moved) on the project; its analysis, README and languages stay."""
    with write_transaction(profile_id=job.profile_id):
        project = _checked(job, repository)
        Project.update(**_identity(repository)).where(Project.id == project.id).execute()
        _ended(job, project.id, message, repository)
    return Project.get_by_id(project.id)
