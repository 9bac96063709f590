"""Fixtures for publishing tests: a real temporary catalog and projects made quickly.

``catalog`` opens a catalog file in the test's folder (no queue, no fake GitHub:
publishing reads only the catalog). ``add_project`` inserts a project row with
plausible fields; a test passes the fields it cares about.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from core.db import DEFAULT_PROFILE, open_catalog
from core.models import Profile, Project

_ids = itertools.count(1)


@pytest.fixture
def catalog(tmp_path):
    db = open_catalog(tmp_path / "home" / "repofolio.db")
    yield db
    db.close()


@pytest.fixture
def add_project(catalog):
    """``add_project("owner/name", stars=5, ...)``: a showcased public project by default."""

    def make(full_name: str, **fields) -> Project:
        n = next(_ids)
        profile_name = fields.pop("profile", DEFAULT_PROFILE)
        profile = Profile.get_or_create(name=profile_name)[0]
        owner, name = full_name.split("/", 1)
        values = dict(
            profile=profile, slug=f"{owner}-{name}".lower() + f"-{n}", key=full_name.lower(),
            github_id=500_000 + n, full_name=full_name, title=name,
            url=f"https://github.com/{full_name}", description=f"What {name} does.",
            summary=f"{name} in a paragraph.", category="Developer Tool", tags=["tool"],
            highlights=[f"{name} does one thing well"], languages={"Python": 1000},
            tech_stack={"languages": ["Python"], "frameworks": [], "tools": ["pytest"]},
            stars=10, homepage="")
        values.update(fields)
        return Project.create(**values)

    return make


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "site"
