"""Plain-text renderings of jobs and projects for the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.models import BATCH, Job, Project

if TYPE_CHECKING:
    from core.batches import OwnerPlan


def job_line(job: Job) -> str:
    what = f"{job.repo} (batch)" if job.kind == BATCH else job.repo
    return f"job {job.id}  {job.status:<9} {what}  {job.stage} {job.progress}%  {job.message}"


def plan_text(planned: "OwnerPlan") -> str:
    """``import-all --dry-run``: what would be imported, what skipped and why, the cost."""
    queued = [item for item in planned.items if item.reason is None]
    lines = [f"{planned.owner}: {len(planned.items)} repositories, {len(queued)} to import, "
             f"{len(planned.items) - len(queued)} skipped."]
    for item in planned.items:
        mark = "import" if item.reason is None else f"skip ({item.reason})"
        lines.append(f"  {mark:<24} {item.repo}  {item.stars}★")
    cost = planned.estimate
    left = "no limit" if cost["remaining"] is None else f"{cost['remaining']:,} left"
    lines.append(f"About {cost['requests']:,} GitHub requests; {left}: "
                 f"{'fits' if cost['fits'] else 'does not fit'}.")
    return "\n".join(lines)


def progress_line(job: Job) -> str:
    return f"[{job.progress:3d}%] {job.stage}: {job.message}"


def job_detail(job: Job) -> str:
    lines = [job_line(job)]
    if job.error_code:
        lines.append(f"  error [{job.error_code}]: {job.error_message}")
        lines.append(f"  {job.error_suggestion}")
    if job.project_id:
        lines.append(f"  project {job.project_id}")
    return "\n".join(lines)


def job_table(found: list[Job]) -> str:
    if not found:
        return "No jobs."
    return "\n".join(job_line(job) for job in found)


def project_table(projects: list[Project]) -> str:
    if not projects:
        return "No projects yet. Import one: repofolio import https://github.com/OWNER/REPO"
    width = max(len(p.full_name) for p in projects)
    return "\n".join(f"{p.id:>4}  {p.full_name:<{width}}  {p.stars:>7}★  {p.category}"
                     for p in projects)


def project_detail(p: Project) -> str:
    stack = p.tech_stack or {}
    parts = [
        f"{p.full_name}  ({p.url})",
        f"{p.description}",
        "",
        p.summary,
        "",
        f"Category: {p.category}    Tags: {', '.join(p.tags or [])}",
        f"Stars: {p.stars}  Forks: {p.forks}  License: {p.license or '—'}",
        "Stack: " + ", ".join([*stack.get("languages", []), *stack.get("frameworks", []),
                               *stack.get("tools", [])]),
    ]
    if p.highlights:
        parts += ["", *(f"  • {h}" for h in p.highlights)]
    if p.readme:  # DESIGN §5: `show` includes the README
        heading = "README (cut at the size limit)" if p.readme_truncated else "README"
        parts += ["", f"── {heading} ──", p.readme.rstrip()]
    return "\n".join(parts)


def publish_summary(result, branch: str | None = None) -> str:
    """A publish's outcome (a ``core.publish.PublishResult``); ``branch`` when it was pushed."""
    what = "Wrote" if result.changed else "Unchanged:"
    lines = [f"{what} {len(result.files)} files for {result.projects} projects in {result.out}"]
    if "index.html" in result.files:
        lines.append(f"  open {Path(result.out, 'index.html').as_uri()}")
    if result.commit:
        lines.append(f"  pushed commit {result.commit[:12]} to {branch}")
    elif branch:
        lines.append(f"  {branch} already holds this version: nothing to push")
    return "\n".join(lines)
