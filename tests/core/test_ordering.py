"""The user's portfolio order: pin to top, move up/down over showcased neighbours, and the
unplaced rest by stars."""

from __future__ import annotations

import pytest

from core import ordering
from core.catalog import ProjectFilter, query_projects
from core.db import close_catalog, open_catalog
from core.models import Profile, Project

pytestmark = pytest.mark.both_backends  # the sorts and the reordering transaction


@pytest.fixture
def make(settings):
    db = open_catalog(settings.catalog_store)
    count = iter(range(1, 1000))

    def project(title: str, stars: int, **fields) -> Project:
        n = next(count)
        profile = Profile.get_or_create(name=fields.pop("profile", "default"))[0]
        return Project.create(profile=profile, slug=f"o-{title.lower()}-{n}",
                              key=f"o/{title.lower()}-{n}", github_id=n, full_name=f"o/{title}",
                              title=title, url=f"https://github.com/o/{title}", stars=stars,
                              **fields)

    yield project
    close_catalog(db)


def order(profile: str = "default") -> list[str]:
    return [p.title for p in query_projects(ProjectFilter(profile=profile, sort="portfolio"))]


def test_without_moves_the_order_is_by_stars(make):
    for title, stars in (("B", 5), ("A", 50), ("C", 1)):
        make(title, stars)
    assert order() == ["A", "B", "C"]


def test_pin_to_top_and_moves(make):
    a, b, c, d = make("A", 40), make("B", 30), make("C", 20), make("D", 10)
    ordering.pin_to_top(c.id)
    assert order() == ["C", "A", "B", "D"]
    ordering.move(d.id, ordering.UP)
    assert order() == ["C", "A", "D", "B"]
    ordering.move(c.id, ordering.DOWN)
    assert order() == ["A", "C", "D", "B"]
    ordering.move(a.id, ordering.UP)  # already first: nothing changes
    ordering.move(b.id, ordering.DOWN)  # already last
    assert order() == ["A", "C", "D", "B"]


def test_only_the_places_needed_are_fixed_and_the_rest_follow_stars(make):
    a, b, c = make("A", 40), make("B", 30), make("C", 20)
    ordering.move(a.id, ordering.DOWN)
    assert order() == ["B", "A", "C"]
    assert Project.get_by_id(c.id).position is None  # untouched: still ranked by stars
    make("Star", 1000)  # a new import with many stars joins the unplaced rest, by stars
    assert order() == ["B", "A", "Star", "C"]
    ordering.unplace(b.id)  # back among the unplaced, by its stars
    assert order() == ["A", "Star", "B", "C"]


def test_moves_step_over_projects_the_portfolio_does_not_show(make):
    a = make("A", 40)
    make("Hidden", 30, is_showcase=False)
    c = make("C", 20)
    ordering.move(c.id, ordering.UP)
    assert order() == ["C", "A", "Hidden"]
    ordering.move(a.id, ordering.UP)
    assert order() == ["A", "C", "Hidden"]
    ordering.unplace(a.id)
    ordering.unplace(c.id)
    assert order() == ["A", "Hidden", "C"]
    ordering.move(a.id, ordering.DOWN)  # one showcased place: below C, past Hidden
    assert order() == ["Hidden", "C", "A"]


def test_orders_of_two_profiles_do_not_mix(make):
    make("A", 40)
    b = make("B", 30)
    make("W", 50, profile="work")
    w2 = make("W2", 5, profile="work")
    ordering.pin_to_top(b.id)
    ordering.pin_to_top(w2.id)
    assert order() == ["B", "A"] and order("work") == ["W2", "W"]
