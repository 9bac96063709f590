"""The JSON shapes of DESIGN §6, built from catalog rows.

These dicts are the contract with scripts and acceptance tests: the command
line prints them, the window reads them. Keep the keys exactly.
"""

from __future__ import annotations

from typing import Any

from core import batch_state
from core.models import BATCH, Job, Project
from core.timeutil import iso


def job_dict(job: Job) -> dict[str, Any]:
    """A job as DESIGN §6 shows it; a batch adds ``counts`` and ``items``."""
    data = {
        "id": job.id,
        "kind": job.kind,
        "profile": job.profile.name,
        "url": job.url,
        "repo": job.repo,
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "message": job.message,
        "attempts": job.attempts,
        "error": batch_state.job_error(job),
        "project_id": job.project_id,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(job.finished_at),
    }
    if job.kind == BATCH:
        items = batch_state.item_jobs(job.id)
        data["counts"] = batch_state.counts(job, items)
        data["items"] = batch_state.items_list(job, items)
    return data


def project_dict(project: Project, *, with_readme: bool = False) -> dict[str, Any]:
    stack = project.tech_stack or {}
    data = {
        "id": project.id,
        "slug": project.slug,
        "title": project.title,
        "full_name": project.full_name,
        "url": project.url,
        "github_id": project.github_id,
        "description": project.description,
        "summary": project.summary,
        "category": project.category,
        "tags": list(project.tags or []),
        "highlights": list(project.highlights or []),
        "languages": dict(project.languages or {}),
        "tech_stack": {"languages": list(stack.get("languages", [])),
                       "frameworks": list(stack.get("frameworks", [])),
                       "tools": list(stack.get("tools", []))},
        "stars": project.stars,
        "forks": project.forks,
        "license": project.license,
        "default_branch": project.default_branch,
        "homepage": project.homepage,
        "is_showcase": project.is_showcase,
        "is_private": project.is_private,
        "analyzer": project.analyzer,
        "imported_at": iso(project.imported_at),
        "updated_at": iso(project.updated_at),
    }
    if with_readme:
        data["readme"] = project.readme
        data["readme_truncated"] = project.readme_truncated
    return data
