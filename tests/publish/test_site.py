"""The static site is safe and self-contained (DESIGN §7): every text escaped, links only to
http(s) addresses, nothing loaded from another host, a real heading order."""

from __future__ import annotations

import re

import pytest

from core.publish import PublishOptions, publish
from core.publish.content import web_link
from tests.publish.html_check import heading_levels_ok, is_remote, read

HOSTILE = '<script>alert("x")</script> <img src=x onerror=alert(1)> "quoted" & \'single\''


def _pages(out):
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in out.rglob("*.html")}


@pytest.mark.parametrize("url, link", [
    ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
    ("http://example.org", "http://example.org"),
    ("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    (" javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:msgbox", None),
    ("//evil.example/x", None),
    ("https:///nohost", None),
    ("ftp://example.org/file", None),
    ('https://example.org/" onmouseover="alert(1)', None),
    ("example.org", None),
    ("", None),
    (None, None),
])
def test_only_http_addresses_with_a_host_become_links(url, link):
    assert web_link(url) == link


def test_hostile_text_shows_as_text_and_never_as_markup(add_project, out):
    add_project("alice/hostile", title='Title <b>bold</b> "q"', description=HOSTILE,
                summary=HOSTILE, highlights=[HOSTILE], category="Web Application",
                tech_stack={"languages": ["<i>Py</i>"], "frameworks": ['"><svg onload=x>'],
                            "tools": []},
                homepage="javascript:alert(document.cookie)")
    publish(PublishOptions(out=out, title='<h1>Me</h1> & "co"', intro="<em>hi</em>"))
    for name, markup in _pages(out).items():
        page = read(markup)
        tags = {tag for tag, _ in page.tags}
        assert not tags & {"script", "img", "svg", "b", "i", "em", "iframe", "object"}, name
        for _, attrs in page.tags:
            assert not any(key.startswith("on") for key in attrs), (name, attrs)
        assert all(not href.lower().startswith(("javascript:", "data:", "vbscript:"))
                   for href in page.links()), name
        assert HOSTILE in page.visible_text, name  # shown, as the very same characters
        assert 'Title <b>bold</b> "q"' in page.visible_text
        assert '<h1>Me</h1> & "co"' in page.visible_text
    index = read((out / "index.html").read_text())
    assert "<em>hi</em>" in index.visible_text
    assert "<i>Py</i>" in index.visible_text and '"><svg onload=x>' in index.visible_text
    # The javascript: homepage is no link and no text: the only links are the GitHub one
    # and the project's own page.
    assert index.links() == ["#main", "projects/" + next((out / "projects").iterdir()).name,
                             "https://github.com/alice/hostile", "portfolio.json",
                             "PORTFOLIO.md"]


def test_nothing_is_loaded_from_another_host(add_project, out):
    add_project("alice/web", homepage="https://alice.example/web",
                description="See https://cdn.example/lib.js and //cdn.example/x.css")
    publish(PublishOptions(out=out))
    for name, markup in _pages(out).items():
        page = read(markup)
        assert page.loaded_urls(), name  # the stylesheet, at least
        assert not [u for u in page.loaded_urls() if is_remote(u)], name
        assert not page.all("script") and not page.all("iframe"), name
        # Absolute addresses appear only as links a reader clicks.
        absolute = [v for tag, attrs in page.tags for k, v in attrs.items()
                    if re.match(r"(?i)\s*(https?:)?//", v)]
        linked = [href for href in page.links() if is_remote(href)]
        assert sorted(absolute) == sorted(linked), name
        csp = [m for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "default-src 'none'" in csp[0]["content"], name
    css = (out / "style.css").read_text()
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_pages_have_one_h1_and_no_skipped_heading_level(add_project, out):
    add_project("alice/one", category="Game", highlights=["a", "b"])
    add_project("alice/two", category="Security", highlights=[])
    publish(PublishOptions(out=out))
    for name, markup in _pages(out).items():
        page = read(markup)
        assert heading_levels_ok(page.headings), (name, page.headings)
        assert page.all("html")[0].get("lang") == "en"
        assert any(m.get("name") == "viewport" for m in page.all("meta")), name
        assert page.all("main") and page.all("header") and page.all("footer"), name


def test_the_category_filter_is_radio_buttons_with_labels_and_a_css_rule_each(add_project, out):
    add_project("alice/a", category="Game")
    add_project("alice/b", category="Security")
    add_project("alice/c", category="Something not on the list")
    publish(PublishOptions(out=out))
    page = read((out / "index.html").read_text())
    radios = [i for i in page.all("input") if i.get("type") == "radio"]
    labels = {label.get("for") for label in page.all("label")}
    assert [r["id"] for r in radios] == ["filter-all", "filter-game", "filter-security",
                                         "filter-other"]
    assert all(r["id"] in labels for r in radios)
    assert page.all("fieldset") and page.all("legend")
    cards = [li["data-category"] for li in page.all("li") if "data-category" in li]
    assert sorted(cards) == ["game", "other", "security"]
    css = (out / "style.css").read_text()
    for key in ("game", "security", "other"):
        assert (f'.projects:has(#filter-{key}:checked) .card:not([data-category="{key}"])'
                in css)


def test_skills_count_the_projects_using_each_technology(add_project, out):
    add_project("alice/a", tech_stack={"languages": ["Python"], "frameworks": ["Flask"],
                                       "tools": ["Docker"]})
    add_project("alice/b", tech_stack={"languages": ["Python", "python"], "frameworks": [],
                                       "tools": ["Docker"]})
    add_project("alice/c", tech_stack={"languages": ["Rust"], "frameworks": [],
                                       "tools": ["docker", "Cargo"]})
    publish(PublishOptions(out=out))
    page = read((out / "index.html").read_text())
    text = page.visible_text
    skills = text[text.index("Skills"):]
    assert "Python 2 projects" in skills and "Rust 1 project " in skills
    assert "Docker 3 projects" in skills and "Flask 1 project" in skills
    assert skills.index("Python") < skills.index("Rust")  # most used first
    assert [h for h in page.headings if h[0] == 3][-3:] == [
        (3, "Languages"), (3, "Frameworks and libraries"), (3, "Tools and services")]
