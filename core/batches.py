"""Batches: ``import-all`` (an owner's repositories) and ``refresh --all`` (a profile's projects).

:func:`plan` decides from a listing and the catalog which repositories to queue and
why the others are skipped — without a request; :func:`estimate` says what the plan
costs in GitHub requests against what ``/rate_limit`` reports; the ``submit_*``
functions write a batch and its item jobs in one ``BEGIN IMMEDIATE`` transaction,
checking the catalog again (the plan may have been shown to someone for a while).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from core import catalog, jobs, queue_order, urls
from core.batch_state import (
    ARCHIVED, BELOW_MIN_STARS, FORK, IN_CATALOG, IN_PROGRESS, OVER_LIMIT, REFRESH_ALL, SKIPPED,
)
from core.errors import InvalidInput
from core.db import lock_profile, write_transaction
from core.models import PENDING, REFRESH, Job, Profile, Project
from core.timeutil import clock_time

if TYPE_CHECKING:
    from core.importer import Importer

# GitHub requests one item costs (languages, README, tree, latest release and the manifests
# the tree names; the listing stands in for the repository request): the corpus needs 10.6,
# small tools 4-5 (bench/bench_units.py, docs/PERFORMANCE.md); erring on the high side.
REQUESTS_PER_ITEM = 10
ANONYMOUS_LIMIT, TOKEN_LIMIT = 60, 5000


@dataclass(frozen=True)
class BatchOptions:
    """What ``import-all`` leaves out: forks, archived repositories, few stars, the rest."""

    forks: bool = False
    archived: bool = False
    min_stars: int = 0
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.min_stars < 0 or (self.limit is not None and self.limit < 1):
            raise InvalidInput("--min-stars must be 0 or more and --limit 1 or more.")


@dataclass(frozen=True)
class PlanItem:
    """One repository of a listing: queued (``reason`` None) or skipped, and why."""

    repository: dict[str, Any]  # the listing's (trimmed) repository object
    reason: str | None = None
    project_id: int | None = None  # in_catalog: the project that holds it
    job_id: int | None = None  # in_progress: the job that has it

    @property
    def repo(self) -> str:
        return str(self.repository["full_name"])

    @property
    def key(self) -> str:
        return self.repo.lower()

    @property
    def stars(self) -> int:
        return int(self.repository.get("stargazers_count") or 0)

    @property
    def private(self) -> bool:
        return bool(self.repository.get("private"))

    def to_dict(self) -> dict[str, Any]:
        """The shape of a batch's ``items`` (DESIGN §6); queued in a plan means PENDING."""
        return {"repo": self.repo, "status": SKIPPED if self.reason else PENDING,
                "job_id": self.job_id, "project_id": self.project_id, "error": None,
                "reason": self.reason}


def plan(profile: Profile | None, repos: list[dict[str, Any]],
         options: BatchOptions = BatchOptions()) -> list[PlanItem]:
    """Every repository of the listing, in order, with the reason it is skipped (if it is)."""
    by_id: dict[int, int] = {}
    by_key: dict[str, int] = {}
    busy: dict[str, int] = {}
    if profile is not None:
        for project_id, github_id, key in (Project.select(Project.id, Project.github_id,
                                                          Project.key)
                                           .where(Project.profile == profile).tuples()):
            by_id[github_id], by_key[key] = project_id, project_id
        busy = queue_order.in_flight_keys(profile)
    items: list[PlanItem] = []
    taken = 0
    for repo in repos:
        key = str(repo["full_name"]).lower()
        project_id = by_id.get(int(repo["id"])) or by_key.get(key)
        if project_id is not None:
            items.append(PlanItem(repo, IN_CATALOG, project_id=project_id))
        elif key in busy:
            items.append(PlanItem(repo, IN_PROGRESS, job_id=busy[key]))
        elif repo.get("fork") and not options.forks:
            items.append(PlanItem(repo, FORK))
        elif repo.get("archived") and not options.archived:
            items.append(PlanItem(repo, ARCHIVED))
        elif int(repo.get("stargazers_count") or 0) < options.min_stars:
            items.append(PlanItem(repo, BELOW_MIN_STARS))
        elif options.limit is not None and taken >= options.limit:
            items.append(PlanItem(repo, OVER_LIMIT))
        else:
            taken += 1
            items.append(PlanItem(repo))
    return items


@dataclass(frozen=True)
class OwnerPlan:
    """What ``import-all`` would do: the owner as GitHub spells it, every repository with
    its fate, and the estimate (``--dry-run`` prints it; the window's checklist shows it)."""

    owner: str
    url: str
    items: list[PlanItem]
    estimate: dict[str, Any]
    requests: int  # spent on the listing (and the token's login)
    limit: int | None = None  # the hour's limit /rate_limit reported (60 without a token)

    def cost_of(self, items: list[PlanItem]) -> dict[str, Any]:
        """The estimate for another choice among the same items (the checklist's)."""
        return estimate(items, self.estimate)

    def to_dict(self) -> dict[str, Any]:
        return {"owner": self.owner, "items": [item.to_dict() for item in self.items],
                "estimate": self.estimate}


def plan_owner(importer: Importer, text: str, *, profile: str = "default",
               options: BatchOptions = BatchOptions()) -> OwnerPlan:
    """List an owner's repositories (with the profile's token) and plan their import.

    Refuses first, without a request, when the owner's batch is already in flight."""
    from core.github.listing import list_repositories  # the HTTP client: only here

    owner = urls.parse_owner(text, enterprise_host=importer.settings.enterprise_host)
    who = Profile.get_or_none(Profile.name == catalog.check_profile_name(profile))
    if who is not None:
        queue_order.refuse_in_flight(who, owner.key)
    with importer.github(profile) as github:
        token_login = (github.current_user().get("login") if importer.token_of(profile)
                       else None)
        listing = list_repositories(github, owner.login, token_login=token_login)
        rate = github.rate_limit()
        spent = github.requests_made - 1  # /rate_limit is free
    items = plan(who, listing.repos, options)
    return OwnerPlan(owner=listing.owner, url=f"https://{owner.host}/{listing.owner}",
                     items=items, estimate=estimate(items, rate), requests=spent,
                     limit=rate.get("limit"))


# -- what it costs --------------------------------------------------------------------------

def estimate(items: list[PlanItem], rate: dict[str, Any]) -> dict[str, Any]:
    """``{"requests", "remaining", "reset", "fits"}`` for the queued items of a plan;
    ``rate`` is what ``/rate_limit`` said (``remaining`` None: no limit)."""
    requests = REQUESTS_PER_ITEM * sum(1 for item in items if item.reason is None)
    remaining = rate.get("remaining")
    return {"requests": requests, "remaining": remaining, "reset": rate.get("reset"),
            "fits": remaining is None or requests <= remaining}


def estimate_sentence(cost: dict[str, Any], *, limit: int | None = None) -> str | None:
    """A plain sentence when the plan does not fit in what is left of the hour; ``limit``
    is the hour's limit (above 60: a token is in use, so its advice is not repeated)."""
    if cost["fits"]:
        return None
    hours = max(1, math.ceil((cost["requests"] - (cost["remaining"] or 0)) / ANONYMOUS_LIMIT))
    reset = (f" (it resets at {clock_time(cost['reset'], '%H:%M', utc=False)})"
             if cost.get("reset") else "")
    lead = (f"These imports need about {cost['requests']:,} GitHub requests and "
            f"{cost['remaining']:,} are left this hour{reset}.")
    if limit is not None and limit > ANONYMOUS_LIMIT:
        return f"{lead} Some imports will fail with RATE_LIMITED; retry them after the reset."
    return (f"{lead} Without a token GitHub allows {ANONYMOUS_LIMIT} requests an hour, so "
            f"this would take about {hours} hour{'s' if hours != 1 else ''}. A GitHub token "
            f"(Settings) raises the limit from {ANONYMOUS_LIMIT} to {TOKEN_LIMIT:,} requests "
            "an hour.")


# -- writing a batch --------------------------------------------------------------------------

def submit_import_all(owner: str, items: list[PlanItem], *, profile: str = "default",
                      url: str | None = None, options: BatchOptions = BatchOptions()) -> Job:
    """Queue a batch of ``owner``'s repositories: the ``items`` without a reason become item
    jobs; the others are recorded as skipped. Raises ImportInProgress (the same owner's
    batch is queued or running in the profile)."""
    with write_transaction():
        who = catalog.profile_named(profile)
        lock_profile(who.id)
        queue_order.refuse_in_flight(who, owner.lower())
        # Again, inside the lock: what was imported or queued since the plan was made.
        again = iter(plan(who, [item.repository for item in items if item.reason is None],
                          BatchOptions(forks=True, archived=True)))
        checked = [next(again) if item.reason is None else item for item in items]
        return _write(who, url=url or f"https://github.com/{owner}", repo=owner,
                      key=owner.lower(), options=asdict(options), items=checked,
                      job_fields=_import_fields)


def submit_refresh_all(profile: str = "default") -> Job:
    """Queue a refresh of every project of the profile as one batch (``repo`` ``"*"``)."""
    with write_transaction():
        who = catalog.profile_named(profile)
        lock_profile(who.id)
        queue_order.refuse_in_flight(who, REFRESH_ALL)
        busy = queue_order.in_flight_keys(who)
        items = []
        for project in Project.select().where(Project.profile == who).order_by(Project.id):
            repository = {"full_name": project.full_name, "project": project}
            items.append(PlanItem(repository, IN_PROGRESS, job_id=busy[project.key])
                         if project.key in busy else PlanItem(repository))
        return _write(who, url="*", repo=REFRESH_ALL, key=REFRESH_ALL, options={},
                      items=items, job_fields=_refresh_fields)


def _import_fields(item: PlanItem) -> dict[str, Any]:
    repository = item.repository
    return dict(url=repository.get("html_url") or f"https://github.com/{item.repo}",
                repo=item.repo, key=item.key, showcase=not item.private, private=item.private,
                payload=repository)


def _refresh_fields(item: PlanItem) -> dict[str, Any]:
    project: Project = item.repository["project"]
    return dict(kind=REFRESH, url=project.url, repo=project.full_name, key=project.key,
                project=project.id, showcase=project.is_showcase, private=project.is_private,
                message="Queued for refresh")


def _write(profile: Profile, *, url: str, repo: str, key: str, options: dict[str, Any],
           items: list[PlanItem], job_fields) -> Job:
    entries: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    for item in items:
        if item.reason is None:
            entries.append({"repo": item.repo, "item": len(fields)})
            fields.append(job_fields(item))
        else:
            entries.append({"repo": item.repo, "reason": item.reason,
                            "project_id": item.project_id, "job_id": item.job_id})
    return jobs.create_batch(profile, url=url, repo=repo, key=key, plan=entries, items=fields,
                             options=options)
