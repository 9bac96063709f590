"""The search index finds what LIKE found; the language table follows every write."""

from __future__ import annotations

import sqlite3

import pytest

from core import catalog, search
from core.catalog import ProjectFilter
from core.db import open_catalog
from core.models import Profile, Project

PROJECTS = {  # name -> (title, description, tags, languages)
    "cafe": ("Café Racer", "Un café pour les développeurs", ["coffee", "français"],
             {"Python": 10}),
    "cpp": ("CPP Tools", "Helpers for C++ and .NET", ["c++", ".net"], {"C++": 5, "C#": 5}),
    "socket": ("socket.io-client", "Realtime client", ["websocket"], {"JavaScript": 3}),
    "umlaut": ("ÄRGER", "Ärger mit Umlauten", ["umlaut"], {}),
    "percent": ("100%_done", "Done at 100% with under_scores", ["50%"], {"Go": 1}),
    "node": ("node-js helper", "For Node.js", ["node", "js"], {"JavaScript": 9, "Shell": 1}),
    "quotes": ("Quotes", 'He said "hi"', ['say "hi"'], {"Ruby": 2}),
}
QUERIES = ["café", "CAFÉ", "cafe", "Racer", "c++", ".net", ".NET", "socket.io", "ocket.i",
           "io", "ärger", "Ärger", "umlauten", "100%", "_", "%", "under_scores", "node.js",
           "node-js", "js", "websocket", "coffee fr", "français", "hi", '"hi"', '"', "zzz",
           "a", "co", "C", "ä", "owner/cpp", "OWNER/CP", "helpers c++", "for node"]
# LIKE folds ASCII letters only: the index also finds "Ärger" for "ärger".
FOUND_BEYOND_LIKE = {"ärger": {"umlaut"}, "Ärger": {"umlaut"}}


@pytest.fixture
def projects(tmp_path):
    db = open_catalog(tmp_path / "catalog.db")
    profile = Profile.get()
    for n, (name, (title, description, tags, languages)) in enumerate(PROJECTS.items()):
        Project.create(profile=profile, slug=name, key=f"owner/{name}", github_id=n + 1,
                       full_name=f"owner/{name}", title=title, url=f"https://x/{name}",
                       description=description, tags=tags, languages=languages)
    yield db
    db.close()


def _names(condition) -> set[str]:
    return {p.slug for p in Project.select(Project.slug).where(condition)}


def _found(text: str) -> set[str]:
    return {p.slug for p in catalog.query_projects(ProjectFilter(search=text))}


@pytest.mark.parametrize("text", QUERIES)
def test_the_index_finds_what_like_found(projects, text):
    words = text.lower().split()
    like = _names(search.like_condition(words))
    assert _found(text) == like | FOUND_BEYOND_LIKE.get(text, set())


def test_the_index_is_what_the_search_uses(projects):
    sql, _params = catalog.query_projects(ProjectFilter(search="racer xy")).sql()
    # The long word by trigram, the short one by LIKE on the index's own copy of the text:
    # no LIKE over the projects' rows.
    assert "MATCH" in sql and '"t1"."description" LIKE' not in sql
    assert '"t1"."title" LIKE' not in sql and '"title" LIKE' in sql


@pytest.mark.parametrize("text", QUERIES)
def test_walking_a_page_finds_what_gathering_the_matches_finds(projects, monkeypatch, text):
    gathered = [p.slug for p in catalog.query_projects(ProjectFilter(search=text))]
    for factor in ("WALK_FACTOR", "INDEX_WALK_FACTOR"):  # every word "common": row by row
        monkeypatch.setattr(search, factor, 0)
    sql, _ = catalog.query_projects(ProjectFilter(search=text), rows=2).sql()
    walked = [p.slug for p in catalog.query_projects(ProjectFilter(search=text), rows=2)]
    assert walked == gathered
    if gathered and all(len(word) >= 3 for word in text.split()):  # each row tested:
        assert ('"t1"."title" LIKE' if text.isascii() else "EXISTS") in sql  # by LIKE, or index


def test_writes_of_any_kind_keep_the_index_and_the_languages(projects, tmp_path):
    assert _found("racer") == {"cafe"} and "Python" in catalog.all_languages()
    cafe = Project.get(Project.slug == "cafe")
    cafe.title, cafe.languages = "Espresso", {"Rust": 1}
    cafe.save()
    assert _found("racer") == set() and _found("espresso") == {"cafe"}
    assert "Python" not in catalog.all_languages() and "Rust" in catalog.all_languages()
    catalog.delete_project("cafe")
    assert _found("espresso") == set() and "Rust" not in catalog.all_languages()
    # Another process writes with plain SQL: the triggers keep up as well.
    other = sqlite3.connect(tmp_path / "catalog.db")
    other.execute("UPDATE project SET description = 'now with gauges', "
                  "languages = '{\"Zig\": 3}' WHERE slug = 'cpp'")
    other.execute("UPDATE project SET languages = 'not json' WHERE slug = 'quotes'")
    other.commit()
    other.close()
    assert _found("gauges") == {"cpp"} and _found("helpers") == set()
    assert catalog.all_languages() == ["Go", "JavaScript", "Shell", "Zig"]


def test_the_language_list_and_filter_read_the_table(projects, monkeypatch):
    assert catalog.all_languages() == ["C#", "C++", "Go", "JavaScript", "Python", "Ruby",
                                       "Shell"]
    monkeypatch.setattr(search, "LANGUAGE_WALK_FACTOR", 0)  # any language "common"
    for rows in (None, 1):  # all rows (gathered), a page (walked)
        found = catalog.query_projects(ProjectFilter(language="JavaScript"), rows=rows)
        assert {p.slug for p in found} == {"socket", "node"}
        assert not list(catalog.query_projects(ProjectFilter(language="C"), rows=rows))


def test_an_older_catalog_is_indexed_when_it_is_opened(tmp_path, projects):
    projects.close()
    raw = sqlite3.connect(tmp_path / "catalog.db")
    for name in ("project_search", "project_language"):
        raw.execute(f"DROP TABLE {name}")
    for (trigger,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                  "AND name LIKE 'project_%'").fetchall():
        raw.execute(f"DROP TRIGGER {trigger}")
    raw.execute("PRAGMA user_version = 7")
    raw.commit()
    raw.close()
    open_catalog(tmp_path / "catalog.db")
    assert _found("socket.io") == {"socket"} and "Ruby" in catalog.all_languages()
