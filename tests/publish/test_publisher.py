"""A publish as a whole: the four outputs of DESIGN §7, the --json answer, the order, the
title and introduction, and an unchanged publish that writes nothing."""

from __future__ import annotations

import json
import re

import pytest

from core import ordering
from core.errors import InvalidInput, NotFound
from core.models import Profile
from core.publish import PublishOptions, preview, publish
from core.publish.selection import remember_texts
from tests.publish.html_check import read

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
PROJECT_KEYS = {"id", "slug", "title", "full_name", "url", "github_id", "description",
                "summary", "category", "tags", "highlights", "languages", "tech_stack", "stars",
                "forks", "license", "default_branch", "homepage", "is_showcase", "is_private",
                "analyzer", "imported_at", "updated_at"}


def card_titles(out) -> list[str]:
    """The h3s of the Projects section (those after it belong to Skills)."""
    headings = read((out / "index.html").read_text()).headings
    start = headings.index((2, "Projects"))
    end = headings.index((2, "Skills"))
    return [text for level, text in headings[start + 1:end]]


def test_all_formats_and_the_json_answer(add_project, out):
    one = add_project("alice/one", stars=5)
    add_project("alice/two", stars=50)
    result = publish(PublishOptions(out=out)).to_dict()
    assert set(result) == {"out", "projects", "files", "commit"}
    assert result["out"] == str(out) and result["projects"] == 2 and result["commit"] is None
    assert result["files"] == sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                                     if p.is_file())
    assert {"index.html", "style.css", "portfolio.json", "PORTFOLIO.md",
            f"projects/{one.slug}.html"} <= set(result["files"])
    feed = json.loads((out / "portfolio.json").read_text())
    assert set(feed) == {"title", "generated_at", "projects"}
    assert ISO_MS.match(feed["generated_at"]) and feed["title"] == "alice"
    assert [p["full_name"] for p in feed["projects"]] == ["alice/two", "alice/one"]
    assert all(set(p) == PROJECT_KEYS for p in feed["projects"])  # §6, without readme


@pytest.mark.parametrize("fmt, files", [
    ({"json"}, ["portfolio.json"]), ({"markdown"}, ["PORTFOLIO.md"]),
    ({"site"}, ["index.html", "projects/x.html", "style.css"])])
def test_one_format_writes_only_its_files(add_project, out, fmt, files):
    add_project("alice/x", slug="x")
    assert publish(PublishOptions(out=out, formats=frozenset(fmt))).files == files


def test_the_users_order_comes_first_then_stars(add_project, out):
    low = add_project("alice/low", title="Low", stars=1)
    add_project("alice/mid", title="Mid", stars=10)
    add_project("alice/high", title="High", stars=100)
    publish(PublishOptions(out=out))
    assert card_titles(out) == ["High", "Mid", "Low"]
    ordering.pin_to_top(low.id)
    publish(PublishOptions(out=out))
    assert card_titles(out) == ["Low", "High", "Mid"]
    feed = json.loads((out / "portfolio.json").read_text())
    assert [p["title"] for p in feed["projects"]] == ["Low", "High", "Mid"]
    assert "### [Low]" in (out / "PORTFOLIO.md").read_text().split("### [High]")[0]


def test_an_unchanged_publish_keeps_its_time_and_writes_nothing(add_project, out):
    add_project("alice/one")
    first = publish(PublishOptions(out=out))
    stamp = json.loads((out / "portfolio.json").read_text())["generated_at"]
    mtime = (out / "index.html").stat().st_mtime_ns
    again = publish(PublishOptions(out=out))
    assert (first.changed, again.changed) == (True, False)
    assert json.loads((out / "portfolio.json").read_text())["generated_at"] == stamp
    assert (out / "index.html").stat().st_mtime_ns == mtime
    changed = publish(PublishOptions(out=out, title="Someone else"))
    assert changed.changed
    assert json.loads((out / "portfolio.json").read_text())["title"] == "Someone else"


def test_titles_and_introductions_saved_for_the_profile(add_project, out):
    add_project("alice/one")
    remember_texts("default", title="Alice Example", intro="I make <small> tools.")
    publish(PublishOptions(out=out))
    page = read((out / "index.html").read_text())
    assert page.headings[0] == (1, "Alice Example")
    assert "I make <small> tools." in page.visible_text
    publish(PublishOptions(out=out, title="Given", intro=""))  # given values win, not saved
    page = read((out / "index.html").read_text())
    assert page.headings[0] == (1, "Given") and "I make" not in page.visible_text
    assert Profile.get(Profile.name == "default").publish_title == "Alice Example"


def test_an_empty_showcase_still_publishes_a_page_that_says_so(catalog, out):
    result = publish(PublishOptions(out=out))
    assert result.projects == 0
    assert "No projects to show yet." in (out / "index.html").read_text()
    assert json.loads((out / "portfolio.json").read_text())["projects"] == []
    assert read((out / "index.html").read_text()).headings[0] == (1, "default")


def test_preview_counts_what_will_appear_and_why_the_rest_will_not(add_project):
    add_project("alice/a")
    add_project("alice/b", is_private=True)
    add_project("alice/c", is_showcase=False)
    add_project("alice/d", is_showcase=False, is_private=True)
    shown = preview("default")
    assert (shown.shown, shown.hidden, shown.private) == (1, 2, 1)
    assert shown.explanation() == ("1 project will appear. Left out: 2 not in the showcase, "
                                   "1 private.")
    assert preview("default", include_private=True).shown == 2


def test_bad_options_are_refused_before_anything_is_written(catalog, out):
    for options in (PublishOptions(out=out, formats=frozenset()),
                    PublishOptions(out=out, formats=frozenset({"pdf"})),
                    PublishOptions(out=out, title="   "),
                    PublishOptions(out=out, title="x" * 500),
                    PublishOptions(out=out, profile="no such name!")):
        with pytest.raises(InvalidInput):
            publish(options)
    with pytest.raises(NotFound):
        publish(PublishOptions(out=out, profile="nobody"))
    assert not out.exists()
