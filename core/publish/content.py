"""What the pages show, worked out once from the published projects (no markup here).

The site's templates and the Markdown writer both read a :class:`Portfolio`:
cards in portfolio order, the categories present (for the filter), and the
skills, which sum the tech stacks of the shown projects. Only http(s) addresses
become links (:func:`web_link`); anything else, ``javascript:`` included, stays text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from core.analysis.types import CATEGORIES

STACK_GROUPS = (("languages", "Languages"), ("frameworks", "Frameworks and libraries"),
                ("tools", "Tools and services"))
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,200}$")
_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")


def web_link(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address with a host, else None (never a link)."""
    text = (url or "").strip()
    if not text or _UNSAFE_IN_URL.search(text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text


def category_key(category: str) -> str:
    """The filter's key of a category (``Web Application`` -> ``web-application``); a
    category off the fixed list files under ``other``."""
    name = category if category in CATEGORIES else "Other"
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def page_name(project: dict[str, Any]) -> str:
    """``<slug>.html``; catalog slugs are already ``[a-z0-9-]``, anything else falls back."""
    slug = str(project.get("slug") or "")
    return f"{slug if _SLUG.match(slug) else 'project-%d' % project['id']}.html"


def main_language(project: dict[str, Any]) -> str:
    languages = project.get("languages") or {}
    if languages:
        return max(languages.items(), key=lambda item: (item[1], item[0]))[0]
    stack_languages = (project.get("tech_stack") or {}).get("languages") or []
    return stack_languages[0] if stack_languages else ""


def _names(values) -> list[str]:
    """Names without repeats (compared case-insensitively), first spelling kept."""
    seen, names = set(), []
    for value in values or []:
        name = " ".join(str(value).split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


@dataclass(frozen=True)
class Card:
    """One project as the pages show it."""

    project: dict[str, Any]  # the §6 dict (portfolio.json writes it as it is)
    page: str
    category_key: str
    language: str
    stack: dict[str, list[str]]  # group -> names
    repository: str | None
    homepage: str | None

    @property
    def all_stack(self) -> list[str]:
        return _names(name for key, _ in STACK_GROUPS for name in self.stack[key])


@dataclass(frozen=True)
class Skill:
    name: str
    projects: int


@dataclass(frozen=True)
class Portfolio:
    """Everything a publish writes, before any format is chosen."""

    title: str
    intro: str
    generated_at: str
    cards: list[Card]
    categories: list[tuple[str, str, int]] = field(default_factory=list)  # key, label, count
    skills: list[tuple[str, list[Skill]]] = field(default_factory=list)  # label, skills

    @property
    def projects(self) -> list[dict[str, Any]]:
        return [card.project for card in self.cards]


def card_of(project: dict[str, Any]) -> Card:
    stack = project.get("tech_stack") or {}
    return Card(project=project, page=page_name(project),
                category_key=category_key(project.get("category") or "Other"),
                language=main_language(project),
                stack={key: _names(stack.get(key)) for key, _ in STACK_GROUPS},
                repository=web_link(project.get("url")),
                homepage=web_link(project.get("homepage")))


def skills_of(cards: list[Card]) -> list[tuple[str, list[Skill]]]:
    """Per stack group, each technology and how many shown projects use it (most first)."""
    groups = []
    for key, label in STACK_GROUPS:
        counts: Counter[str] = Counter()
        spelling: dict[str, str] = {}
        for card in cards:
            for name in card.stack[key]:
                spelling.setdefault(name.lower(), name)
                counts[name.lower()] += 1
        skills = [Skill(spelling[k], n) for k, n in counts.items()]
        skills.sort(key=lambda s: (-s.projects, s.name.lower()))
        if skills:
            groups.append((label, skills))
    return groups


def categories_of(cards: list[Card]) -> list[tuple[str, str, int]]:
    """The categories present, in the fixed order, with how many cards each has."""
    counts = Counter(card.category_key for card in cards)
    return [(category_key(name), name, counts[category_key(name)])
            for name in CATEGORIES if counts[category_key(name)]]


def build(projects: list[dict[str, Any]], *, title: str, intro: str,
          generated_at: str) -> Portfolio:
    cards = [card_of(p) for p in projects]
    return Portfolio(title=title, intro=intro, generated_at=generated_at, cards=cards,
                     categories=categories_of(cards), skills=skills_of(cards))
