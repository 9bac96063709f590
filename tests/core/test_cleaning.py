"""Cleaning is linear in its input, whatever a model or a README sends.

Deterministic checks that only the first items of a hostile list are looked at
(items past the bound are never used), and hang guards (``timeout``) on inputs that
took minutes before: 200,000 tags (7 min), 400,000 characters of "<!--" (quadratic).
"""

from __future__ import annotations

import pytest

from core.analysis.cleaning import (
    MAX_ITEMS_LOOKED_AT, MAX_TAGS, clean_ai_output, clean_tags, closest_category, drop_comments,
    merge_stack, strip_markup,
)
from core.analysis.ai_stack import Evidence
from core.analysis.heuristic import HeuristicAnalyzer
from core.analysis.prompt import build_messages
from core.analysis.techstack import detect_stack
from core.analysis.types import Analysis, TechStack
from core.github.snapshot import RepoSnapshot

FALLBACK = Analysis("An offline description.", "An offline summary of the project.",
                    ["offline", "tags", "here"], "Other", ["An offline highlight"],
                    TechStack(["Python"], [], []), "heuristic")


def test_tags_past_the_looked_at_bound_are_never_used():
    junk = ["!!!"] * MAX_ITEMS_LOOKED_AT  # nothing usable in the first fifty
    assert clean_tags([*junk, "late", "tags", "here"], ["x", "y", "z"]) == ["x", "y", "z"]
    assert clean_tags(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], []) == \
        ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert clean_tags(["a", "a", "A"], ["b", "c"]) == ["a", "b", "c"]  # topped up, unique
    assert clean_tags("one, two, three", []) == ["one", "two", "three"]


@pytest.mark.timeout(20)
def test_two_hundred_thousand_tags_keep_the_first_eight():
    tags = [f"tag-{i}" for i in range(200_000)]
    cleaned = clean_ai_output({"tags": tags}, FALLBACK)
    assert cleaned.tags == tags[:MAX_TAGS]
    assert clean_tags(",".join(tags), []) == tags[:MAX_TAGS]


@pytest.mark.timeout(20)
def test_highlights_and_stack_names_past_the_bound_are_never_used():
    late = [""] * MAX_ITEMS_LOOKED_AT + ["A late highlight"]
    assert clean_ai_output({"highlights": late}, FALLBACK) is None  # nothing usable
    many = [f"Highlight number {i}" for i in range(200_000)]
    assert clean_ai_output({"highlights": many}, FALLBACK).highlights == many[:5]
    shown = Evidence(RepoSnapshot(github_id=1, full_name="o/r", readme="Built with Django."))
    assert merge_stack(TechStack(), ["Django"], evidence=shown).frameworks == ["Django"]
    names = ["x" * 100] * MAX_ITEMS_LOOKED_AT + ["Django"]  # too long: not names
    assert merge_stack(TechStack(), names, evidence=shown) == TechStack()
    for many in ([f"Lib{i}" for i in range(200_000)], {"a": [f"Lib{i}" for i in range(200_000)]}):
        assert merge_stack(TechStack(), many, evidence=shown) == TechStack()  # none shown


@pytest.mark.timeout(20)
@pytest.mark.parametrize("text", ["<!--" * 100_000, "<a" * 200_000, "*a " * 130_000,
                                  "[!" * 200_000, "`a <" * 100_000, "<script>" * 50_000])
def test_strip_markup_is_linear_on_hostile_text(text):
    assert isinstance(strip_markup(text), str)


def test_comments_are_dropped_like_a_browser_would():
    assert drop_comments("a<!-- b -->c<!--d-->e") == "a c e"
    assert drop_comments("a<!-- never closed b c") == "a "
    assert strip_markup("Keep <!-- not <b>this</b> --> that") == "Keep that"
    assert closest_category("web " * 500_000 + "framework") == "Web Application"  # only the head


@pytest.mark.timeout(30)
@pytest.mark.parametrize("readme", ["<!--" * 250_000, "[a" * 500_000, "# a\n" * 250_000,
                                    "<" * 1_000_000, "README_START " * 80_000])
def test_a_hostile_readme_of_a_megabyte_is_analysed_and_prompted_in_linear_time(readme):
    snap = RepoSnapshot(github_id=1, full_name="o/r", readme=readme, readme_path="README.md")
    analysis = HeuristicAnalyzer().analyze(snap, detect_stack(snap))
    assert analysis.description
    user = build_messages(snap, detect_stack(snap))[1]["content"]
    assert len(user) < 20_000
