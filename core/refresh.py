"""Refreshing a project: only what changed since its last read is asked for or redone.

A refresh used to fetch everything again (6–8 conditional requests, a 404 for the
latest release costing a unit) and call the AI again. Now:

1. the repository object, conditionally (304 when nothing about it changed: free);
2. when what the analysis read of that object is unchanged, the default branch's
   tree alone, conditionally: a 304 means no file changed, so the project keeps its
   analysis, README and languages, and takes the object's stars and forks — two
   requests, no unit of the rate limit, no AI call;
3. otherwise everything, as an import does (conditional requests, through the HTTP
   cache), and the analysis runs again only when its inputs' digest differs from the
   one stored with the project (``inputs_hash``), or when an AI is configured now and
   the stored text was written by another analyzer (a model, or the offline fallback).

The digest has two halves, ``repository.content``: what the analysis reads of the
repository object (name, description, homepage, topics, main language, licence,
archived), and what it reads of the files (README, the tree's paths, the manifests,
each language's whole-percent share, the latest release) with
:data:`ANALYSIS_VERSION`. Stars and forks are not inputs: they change by themselves
and are simply brought up to date. Bump :data:`ANALYSIS_VERSION` when the analysis
changes in a way worth redoing on a refresh.
"""

from __future__ import annotations

import hashlib
import json

from core.analysis.types import Analysis, TechStack
from core.github.snapshot import RepoSnapshot
from core.models import Project

ANALYSIS_VERSION = 1
OFFLINE = "heuristic"


def _digest(value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def repository_part(s: RepoSnapshot) -> str:
    """The digest of what the analysis reads of the repository object."""
    return _digest([s.full_name, s.description, s.homepage, list(s.topics), s.primary_language,
                    s.license, s.archived])


def _shares(languages: dict[str, int]) -> dict[str, int]:
    counts = {name: value for name, value in languages.items() if isinstance(value, (int, float))}
    total = sum(counts.values()) or 1
    return {name: round(value * 100 / total) for name, value in counts.items()}


def content_part(s: RepoSnapshot) -> str:
    """The digest of what the analysis reads of the files (and of the analysis itself)."""
    return _digest([ANALYSIS_VERSION, s.readme, s.readme_path, s.readme_truncated,
                    [[entry.path, entry.type] for entry in s.tree], s.tree_truncated,
                    sorted(s.manifests.items()), _shares(s.languages), s.latest_release])


def inputs_hash(s: RepoSnapshot) -> str:
    return f"{repository_part(s)}.{content_part(s)}"


def _writer_current(project: Project, configured: str) -> bool:
    """The stored text stands with the analyzer the settings choose now (``configured``:
    its name): an AI asked for now rewrites what another one, or the offline fallback,
    wrote; the offline analyzer never replaces an AI's text of the same inputs."""
    return configured == OFFLINE or project.analyzer == configured


def tree_decides(project: Project, repository: RepoSnapshot, configured: str) -> bool:
    """Whether an unchanged tree alone means nothing to redo: the project has a digest,
    the repository object's half of it still holds, and its writer stands."""
    stored = project.inputs_hash or ""
    return (stored.partition(".")[0] == repository_part(repository)
            and _writer_current(project, configured))


def analysis_current(project: Project, snapshot: RepoSnapshot, configured: str) -> bool:
    """Whether the stored analysis still stands for ``snapshot``."""
    return project.inputs_hash == inputs_hash(snapshot) and _writer_current(project, configured)


def kept_analysis(project: Project) -> Analysis:
    """The project's stored analysis, to save again unchanged."""
    stack = project.tech_stack or {}
    return Analysis(description=project.description, summary=project.summary,
                    tags=list(project.tags or []), category=project.category,
                    highlights=list(project.highlights or []),
                    tech_stack=TechStack(languages=list(stack.get("languages", [])),
                                         frameworks=list(stack.get("frameworks", [])),
                                         tools=list(stack.get("tools", []))),
                    analyzer=project.analyzer)
