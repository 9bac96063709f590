"""Which projects a publish shows, in which order, and why the others are left out.

Privacy by construction: the query itself asks for ``is_showcase`` and not
``is_private`` (unless private ones are asked for by name), so nothing that
follows ever holds a project that must not be published. The default title is
read from the shown projects only: a private organization never names the page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from core.catalog import SORTS, profile_named
from core.models import Profile, Project
from core.records import project_dict


@dataclass(frozen=True)
class Preview:
    """What a publish of a profile would show: the count, and why the others will not appear."""

    shown: int
    hidden: int  # not in the showcase (private or not)
    private: int  # in the showcase, but private and not asked for
    title: str  # the title the page gets without one given
    intro: str  # the introduction it gets without one given

    def explanation(self) -> str:
        reasons = []
        if self.hidden:
            reasons.append(f"{self.hidden} not in the showcase")
        if self.private:
            reasons.append(f"{self.private} private")
        head = f"{self.shown} project{'s' if self.shown != 1 else ''} will appear."
        return head + (f" Left out: {', '.join(reasons)}." if reasons else "")


def _where(profile: Profile, include_private: bool):
    where = (Project.profile == profile) & (Project.is_showcase == True)  # noqa: E712
    if not include_private:
        where &= Project.is_private == False  # noqa: E712
    return where


def shown_projects(profile: Profile, include_private: bool = False) -> list[dict[str, Any]]:
    """The published projects in portfolio order, as §6 dicts without the README."""
    listed = [f for f in Project._meta.sorted_fields if f is not Project.readme]
    query = (Project.select(*listed).where(_where(profile, include_private))
             .order_by(*SORTS["portfolio"]))
    return [project_dict(p) for p in query]


def default_title(profile: Profile, projects: list[dict[str, Any]]) -> str:
    """The saved title, else the owner most of the shown projects belong to (the user's
    GitHub login or organization), else the profile's name."""
    if profile.publish_title:
        return profile.publish_title
    owners = Counter(p["full_name"].split("/", 1)[0] for p in projects if "/" in p["full_name"])
    if owners:
        # Most projects first; on a tie, the name first in alphabetical order (stable).
        return min(owners.items(), key=lambda item: (-item[1], item[0].lower()))[0]
    return profile.name


def default_intro(profile: Profile, shown: int) -> str:
    if profile.publish_intro:
        return profile.publish_intro
    return f"{shown} project{'s' if shown != 1 else ''}, what they do and what they are built with."


def preview(profile_name: str, include_private: bool = False) -> Preview:
    profile = profile_named(profile_name, create=False)
    in_profile = Project.profile == profile
    hidden = Project.select().where(in_profile & (Project.is_showcase == False)).count()  # noqa: E712
    private = 0
    if not include_private:
        private = Project.select().where(
            in_profile & (Project.is_showcase == True) & (Project.is_private == True)).count()  # noqa: E712
    projects = shown_projects(profile, include_private)
    return Preview(shown=len(projects), hidden=hidden, private=private,
                   title=default_title(profile, projects),
                   intro=default_intro(profile, len(projects)))


def remember_texts(profile_name: str, *, title: str, intro: str) -> None:
    """Keep the title and introduction the window was given, for the next publish (the
    command line's ``--title`` is for one run and is not kept)."""
    profile = profile_named(profile_name, create=False)
    Profile.update(publish_title=title, publish_intro=intro).where(
        Profile.id == profile.id).execute()
