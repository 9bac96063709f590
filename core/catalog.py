"""Reading and managing the project catalog: look-ups, search, filters, edits, deletes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from peewee import fn

from core import search
from core.errors import InvalidInput, NotFound
from core.db import lock_name, write_transaction
from core.models import Profile, Project
from core.timeutil import utcnow

PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
SORTS = {
    "name": (fn.LOWER(Project.title), Project.id),
    "stars": (Project.stars.desc(), fn.LOWER(Project.title)),
    "imported": (Project.imported_at.desc(), Project.id.desc()),
    # The published order (core.ordering): placed projects first, then the rest by stars.
    "portfolio": (Project.position.is_null(), Project.position, Project.stars.desc(),
                  fn.LOWER(Project.title), Project.id),
}


def check_profile_name(name: str) -> str:
    if not PROFILE_NAME.match(name or ""):
        raise InvalidInput(f"{name!r} is not a valid profile name.",
                           suggestion="Use letters, digits, '.', '-' or '_' (at most 40).")
    return name


def profile_named(name: str, *, create: bool = True) -> Profile:
    check_profile_name(name)
    if create:
        return Profile.get_or_create(name=name)[0]
    profile = Profile.get_or_none(Profile.name == name)
    if profile is None:
        raise NotFound(f"There is no profile named {name!r}.")
    return profile


@dataclass(frozen=True)
class ProjectFilter:
    """What the browser and `list` ask for; empty fields do not filter."""

    search: str = ""
    category: str = ""
    language: str = ""
    showcase_only: bool = False
    profile: str | None = None
    sort: str = "imported"


def query_projects(flt: ProjectFilter = ProjectFilter(), *, rows: int | None = None):
    """A lazy query (callers page it with offset/limit), without the README text:
    a list of thousands of projects must not carry megabytes of README each.

    ``rows``: how many rows the caller will read (offset + limit of its page), if it
    pages: a search then picks the cheaper way to fill that page (core.search)."""
    listed = [f for f in Project._meta.sorted_fields if f is not Project.readme]
    query = Project.select(*listed).join(Profile)
    if flt.profile:
        query = query.where(Profile.name == flt.profile)
    found = search.condition(flt.search.lower().split(), rows=rows)
    if found is not None:
        query = query.where(found)
    if flt.category:
        query = query.where(Project.category == flt.category)
    if flt.language:
        query = query.where(search.language_condition(flt.language, rows=rows))
    if flt.showcase_only:
        query = query.where(Project.is_showcase == True)  # noqa: E712 (Peewee expression)
    return query.order_by(*SORTS.get(flt.sort, SORTS["imported"]))


def all_languages() -> list[str]:
    """Every language of the catalog's projects, sorted by name (case-insensitively)."""
    indexed = search.languages()
    if indexed is not None:
        return indexed
    names: set[str] = set()
    for (languages,) in Project.select(Project.languages).tuples():
        if isinstance(languages, str):  # .tuples() already converts on Peewee 4
            languages = Project.languages.python_value(languages)
        names.update(languages or {})
    return sorted(names, key=str.lower)


def get_project(ref: str | int) -> Project:
    """A project by id, slug or owner/name (case-insensitive)."""
    text = str(ref).strip()
    project = None
    if text.isdigit():
        project = Project.get_or_none(Project.id == int(text))
    if project is None:
        project = (Project.get_or_none(Project.slug == text.lower())
                   or Project.get_or_none(Project.key == text.lower()))
    if project is None:
        raise NotFound(f"No project {text!r} in the catalog.",
                       suggestion="Run `repofolio list` to see the projects and their ids.")
    return project


def find_duplicate(profile: Profile, key: str, *, github_id: int | None = None,
                   besides: Project | None = None) -> Project | None:
    """The profile's project with this key (or this GitHub id), other than ``besides``."""
    match = Project.key == key
    if github_id is not None:
        match |= Project.github_id == github_id
    where = (Project.profile == profile) & match
    if besides is not None:
        where &= Project.id != besides.id
    # The id first: every submit asks, few find one, and a query of one column is
    # a fraction of the cost of all of them (README included).
    found = Project.select(Project.id).where(where).tuples().first()
    return Project.get_by_id(found[0]) if found else None


def set_flags(project_id: int, *, showcase: bool | None = None,
              private: bool | None = None) -> Project:
    """Set a project's flags: those columns only, read and written in one transaction (a
    whole-row save would write back what a refresh saved meanwhile)."""
    fields = {Project.updated_at: utcnow()}
    if showcase is not None:
        fields[Project.is_showcase] = showcase
    if private is not None:
        fields[Project.is_private] = private
    with write_transaction(profile_id=get_project(project_id).profile_id):
        project = get_project(project_id)
        Project.update(fields).where(Project.id == project.id).execute()
    return get_project(project.id)


def delete_project(ref: str | int) -> Project:
    with write_transaction(profile_id=get_project(ref).profile_id):
        project = get_project(ref)
        project.delete_instance()
    return project


def unique_slug(full_name: str) -> str:
    """``owner-name`` lowercased; a suffix when another profile has the same repository.

    Call inside the write transaction that saves the project: slugs are unique across
    profiles, and on PostgreSQL two profiles saving the same repository at once would
    otherwise both find ``owner-name`` free."""
    base = re.sub(r"[^a-z0-9]+", "-", full_name.lower()).strip("-") or "project"
    lock_name(f"slug:{base}")
    slug, n = base, 1
    while Project.select().where(Project.slug == slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
