"""Search and the language list give the same answers on both backends: the index on
SQLite, LIKE (ILIKE) and the JSON on PostgreSQL, behind the same functions."""

from __future__ import annotations

import pytest

from core import catalog
from core.catalog import ProjectFilter
from core.db import close_catalog, open_catalog
from core.models import Profile, Project

pytestmark = pytest.mark.both_backends

ROWS = (("web-cache", "A web cache in C++", ["http", "cache"], {"C++": 3, "Go": 1}),
        ("cli-kit", "Build command-line tools", ["cli"], {"Rust": 2}),
        ("webhooks", "Receive GitHub webhooks", ["web", "github"], {"Go": 5}))


@pytest.fixture
def filled(settings):
    db = open_catalog(settings.catalog_store)
    profile = Profile.get()
    for n, (name, description, tags, languages) in enumerate(ROWS):
        Project.create(profile=profile, slug=name, key=f"o/{name}", github_id=n + 1,
                       full_name=f"o/{name}", title=name, url=f"https://x/{name}",
                       description=description, tags=tags, languages=languages)
    yield db
    close_catalog(db)


@pytest.mark.parametrize("text, expected", [
    ("web", {"web-cache", "webhooks"}), ("C++", {"web-cache"}), ("hook github", {"webhooks"}),
    ("cli", {"cli-kit"}), ("zz", set()), ("o/", {"web-cache", "cli-kit", "webhooks"})])
def test_search_finds_the_same_on_both_backends(filled, text, expected):
    for rows in (None, 50):
        found = catalog.query_projects(ProjectFilter(search=text), rows=rows)
        assert {p.slug for p in found} == expected


def test_languages_are_listed_and_filtered_on_both_backends(filled):
    assert catalog.all_languages() == ["C++", "Go", "Rust"]
    found = catalog.query_projects(ProjectFilter(language="Go"), rows=50)
    assert {p.slug for p in found} == {"web-cache", "webhooks"}
