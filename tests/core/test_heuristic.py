"""The offline analyzer over the corpus and over hand-made READMEs."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.analysis.cleaning import strip_markup
from core.analysis.heuristic import HeuristicAnalyzer
from core.analysis.techstack import detect_stack
from core.analysis.types import CATEGORIES, TechStack
from core.github.snapshot import RepoSnapshot
from tests.fakes import corpus
from tests.fakes.labels import filler_highlights

MARKUP = re.compile(r"[<>]|\]\(|\*\*|`|^#|\[!\[|!\[|\bhttps?://|&[a-z]+;|\s_\w+_\s")
TAG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def run(snap: RepoSnapshot):
    return HeuristicAnalyzer().analyze(snap, detect_stack(snap))


def assert_clean_analysis(result):
    assert result.description and len(result.description) <= 300
    assert not MARKUP.search(result.description), result.description
    assert result.summary and len(result.summary) <= 1200 and not MARKUP.search(result.summary)
    assert 3 <= len(result.tags) <= 8 and len(set(result.tags)) == len(result.tags)
    assert all(TAG.match(tag) for tag in result.tags), result.tags
    assert result.category in CATEGORIES
    assert len(result.highlights) <= 5
    for item in result.highlights:
        assert item and len(item) <= 200 and not MARKUP.search(item), item
    assert result.analyzer == "heuristic" and result.note == ""


@pytest.mark.parametrize("folder", corpus.names())
def test_every_corpus_repository_gets_a_clean_analysis(folder):
    result = run(corpus.snapshot(folder))
    assert_clean_analysis(result)
    assert not filler_highlights(result.highlights)  # none rather than padding


@pytest.mark.parametrize("folder", corpus.names())
def test_readme_gives_the_description_when_github_has_none(folder):
    snap = corpus.snapshot(folder)
    result = run(replace(snap, description=""))
    assert_clean_analysis(result)
    words = re.findall(r"[a-z0-9]+", result.description.lower())[:6]
    readme_words = " ".join(re.findall(r"[a-z0-9]+", strip_markup(snap.readme).lower()))
    assert len(words) >= 4 and " ".join(words) in readme_words  # the text comes from the README


@pytest.mark.parametrize("folder, start", [
    ("pallets__flask", "Flask is a lightweight WSGI web application framework."),
    ("BurntSushi__ripgrep", "ripgrep is a line-oriented search tool"),  # under a setext heading
    ("encode__httpx", "HTTPX is a fully featured HTTP client library for Python 3."),  # after HTML
    ("psf__requests", "Requests is a simple, yet elegant, HTTP library."),  # after badges
    ("serde-rs__serde", "Serde is a framework for serializing and deserializing Rust"),
    ("sinatra__sinatra", "Sinatra is a DSL for quickly creating web applications in Ruby"),
    ("spf13__cobra", "Cobra is a library for creating powerful modern CLI applications."),
    ("vitejs__vite", "Vite (French word for \"quick\""),
])
def test_readme_description_skips_badges_headings_html_and_markup(folder, start):
    result = run(replace(corpus.snapshot(folder), description=""))
    assert result.description.startswith(start), result.description


def test_github_description_wins_over_the_readme():
    snap = corpus.snapshot("expressjs__express")
    assert run(snap).description == "Fast, unopinionated, minimalist web framework for Node.js."


@pytest.mark.parametrize("folder, category", [
    ("BurntSushi__ripgrep", "Command-Line Tool"),
    ("jqlang__jq", "Command-Line Tool"),
    ("spf13__cobra", "Library / Framework"),  # a library for CLIs is a library
    ("pallets__flask", "Library / Framework"),
    ("expressjs__express", "Library / Framework"),
    ("google__gson", "Library / Framework"),
    ("vitejs__vite", "Developer Tool"),
])
def test_corpus_categories(folder, category):
    assert run(corpus.snapshot(folder)).category == category


def test_highlights_come_from_the_feature_list():
    assert run(corpus.snapshot("expressjs__express")).highlights[:2] == [
        "Robust routing", "Focus on high performance"]
    assert "Keep-Alive & Connection Pooling" in run(corpus.snapshot("psf__requests")).highlights
    httpx = run(corpus.snapshot("encode__httpx")).highlights
    assert httpx[0] == "A broadly requests-compatible API."  # link text kept, URL gone
    vite = run(corpus.snapshot("vitejs__vite")).highlights  # a loose list (blank lines between items)
    assert vite[0].startswith("A dev server that provides rich feature enhancements over native ES")


def test_navigation_and_housekeeping_are_not_highlights_and_nothing_pads():
    # jq's README lists links and installation channels only: no highlights at all.
    assert run(corpus.snapshot("jqlang__jq")).highlights == []
    # flask has no feature list: its package description says what it offers.
    assert run(corpus.snapshot("pallets__flask")).highlights == [
        "A simple framework for building complex web applications."]
    # sinatra's README sections say what it offers, heading first.
    sinatra = run(corpus.snapshot("sinatra__sinatra")).highlights
    assert sinatra[0] == "Routes: In Sinatra, a route is an HTTP method paired with a URL-matching pattern."
    assert not any(h.startswith(("Installation", "Contributing", "License")) for h in sinatra)


def test_tags_come_from_topics_then_stack():
    tags = run(corpus.snapshot("pallets__flask")).tags
    # Jinja and Werkzeug first: the README names them (the pyproject lists them alphabetically).
    assert tags == ["python", "flask", "wsgi", "web-framework", "pallets", "jinja", "werkzeug",
                    "blinker"]


def test_summary_mentions_the_stack_but_not_stars_or_license():
    summary = run(corpus.snapshot("pallets__flask")).summary
    for fact in ("Python", "Jinja", "Werkzeug", "GitHub Actions"):
        assert fact in summary
    assert "stars" not in summary and "BSD" not in summary and "license" not in summary


def test_summary_names_only_the_main_languages():
    summary = run(corpus.snapshot("jqlang__jq")).summary  # C 86 %, then Shell, M4, Yacc ...
    assert "written in C and" in summary and "M4" not in summary and "Shell" not in summary


def test_analysis_is_deterministic():
    snap = corpus.snapshot("fastapi__fastapi")
    assert run(snap) == run(snap)


def test_an_empty_repository_still_gets_a_full_analysis():
    result = run(RepoSnapshot(github_id=1, full_name="someone/empty"))
    assert_clean_analysis(result)
    assert result.category == "Other" and "empty" in result.description


README = """<p align="center"><img src="logo.png"></p>

[![CI](https://ci.example/badge.svg)](https://ci.example) ![cov](https://cov.example/b.svg)

Photon, a static site generator written in Go
=============================================

> [!NOTE]
> Work in progress.

<!-- a comment with a paragraph inside it that must be skipped entirely -->
**Photon** is a *tiny* [static site](https://example.com) generator for `Markdown` notes.
It renders folders into <b>fast</b> websites.

## Features

- **Fast**: builds 1,000 pages in [a second](https://bench.example)
- <em>Themes</em> &amp; layouts
  that wrap onto a second line
  - a nested detail that is not a highlight
- `photon serve` with live reload
- ~~Plugins~~ Extensions
- One
- Six: more than five items are cut
"""


def test_markup_is_stripped_from_a_handmade_readme():
    snap = RepoSnapshot(github_id=1, full_name="me/photon", readme=README,
                        topics=["static-site-generator"], languages={"Go": 100})
    result = run(snap)
    assert_clean_analysis(result)
    assert result.description == ("Photon is a tiny static site generator for Markdown notes. "
                                  "It renders folders into fast websites.")
    assert result.highlights == ["Fast: builds 1,000 pages in a second",
                                 "Themes & layouts that wrap onto a second line",
                                 "photon serve with live reload", "Plugins Extensions", "Six: more "
                                 "than five items are cut"]


@pytest.mark.parametrize("topics, stack, category", [
    (["deep-learning", "python"], TechStack(["Python"]), "AI & Machine Learning"),
    ([], TechStack(["Python"], ["PyTorch"]), "Library / Framework"),  # one weak signal is not enough
    (["terraform", "aws"], TechStack(["HCL"], [], ["Terraform"]), "DevOps & Infrastructure"),
    (["game"], TechStack(["C#"]), "Game"),
    ([], TechStack(["TypeScript"], ["React"], ["Vite"]), "Web Application"),
    (["cli"], TechStack(["Go"]), "Command-Line Tool"),
    ([], TechStack(["Go"]), "Other"),
])
def test_category_rules(topics, stack, category):
    description = "A framework." if category == "Library / Framework" else ""
    snap = RepoSnapshot(github_id=1, full_name="o/thing", topics=topics, description=description)
    assert HeuristicAnalyzer().analyze(snap, stack).category == category


@pytest.mark.parametrize("name, description, languages, stack, category", [
    ("me/dotfiles", "My macOS shell setup.", {"Shell": 90, "Vim Script": 10},
     TechStack(["Shell"]), "Developer Tool"),  # not a Command-Line Tool
    ("me/shelf", "Track the books you read.", {"Kotlin": 100},
     TechStack(["Kotlin"], ["Android", "Jetpack Compose", "Room"]), "Mobile App"),
    ("me/notes", "Notebooks from my data explorations.", {"Jupyter Notebook": 100},
     TechStack(["Jupyter Notebook"], ["pandas"]), "Data & Analytics"),
    ("me/course", "Exercises of an introductory statistics course.", {"Jupyter Notebook": 100},
     TechStack(["Jupyter Notebook"]), "Education"),
    ("hexpm/hexpm", "API server and website for Hex, the package manager for Erlang.", {"Elixir": 1},
     TechStack(["Elixir"], ["Phoenix"]), "Web Application"),  # "website" heads the clause
    ("me/top", "Yet another process monitor.", {"Rust": 1},
     TechStack(["Rust"], ["Ratatui", "Clap"]), "Command-Line Tool"),
])
def test_categories_from_the_kind_of_project(name, description, languages, stack, category):
    snap = RepoSnapshot(github_id=1, full_name=name, description=description, languages=languages)
    assert HeuristicAnalyzer().analyze(snap, stack).category == category


def test_highlights_never_pad_when_the_readme_offers_nothing():
    snap = RepoSnapshot(github_id=1, full_name="me/tool", description="A tool.", stars=5000,
                        license="MIT", languages={"C": 100}, latest_release="v1.0",
                        readme="# tool\n\nA tool.\n\n## Installation\n\n- make\n- make install\n")
    assert run(snap).highlights == []
