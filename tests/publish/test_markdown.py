"""PORTFOLIO.md renders on GitHub as the catalog's text, never as markup a README wrote.

Checked with cmarkgfm, Python bindings to cmark-gfm, the renderer GitHub itself uses.
"""

from __future__ import annotations

import html
import re

import cmarkgfm
from hypothesis import given, settings, strategies as st

from core.publish import PublishOptions, publish
from core.publish.markdown import md_text, md_url

MARKDOWN_PUNCTUATION = "\\`*_{}[]()#+-.!|~<>&$=:;'\"/@ \n\t"
texts = st.text(alphabet=st.sampled_from(MARKDOWN_PUNCTUATION) | st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80)


def rendered(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def paragraph_text(markdown: str) -> str:
    """The text of a one-paragraph document; fails if anything but one <p> came out."""
    out = rendered(markdown).strip()
    if not out:
        return ""
    match = re.fullmatch(r"<p>(.*)</p>", out, re.S)
    assert match, f"not a plain paragraph: {out!r}"
    inner = match[1]
    assert "<" not in inner, f"markup in {out!r}"
    return html.unescape(inner)


@settings(max_examples=300, deadline=None)
@given(texts.filter(lambda t: "@" not in t))
def test_any_text_renders_as_itself(text):
    assert paragraph_text(md_text(text)) == " ".join(text.split())


def test_known_tricks_stay_text():
    for text in ["**bold** _em_ `code` ~~gone~~", "[click](javascript:alert(1))",
                 "<img src=https://tracker.example/p.gif>", "# not a heading",
                 "1. not a list", "- nor this", "> nor a quote", "| a | b |",
                 "see https://evil.example and www.evil.example", "&amp; stays &amp;",
                 "$x^2$ is not math", "![alt](https://x.example/i.png)"]:
        assert paragraph_text(md_text(text)) == text


def test_link_addresses_cannot_end_the_link_early():
    url = "https://example.org/a_(b) c"
    encoded = md_url(url)
    assert "(" not in encoded and ")" not in encoded and " " not in encoded
    out = rendered(f"[x]({encoded})")
    assert 'href="https://example.org/a_%28b%29%20c"' in out


def test_portfolio_md_fit_for_a_profile_readme(add_project, out):
    add_project("alice/tool", title="**Tool**", description="Does <things>.", stars=1234,
                homepage="https://alice.example/tool", category="Command-Line Tool",
                tech_stack={"languages": ["Go"], "frameworks": ["Cobra"], "tools": []})
    add_project("alice/lib", homepage="javascript:alert(1)", stars=5)
    publish(PublishOptions(out=out, formats=frozenset({"markdown"}), title="Alice",
                           intro="I build *tools*."))
    text = (out / "PORTFOLIO.md").read_text()
    assert text.startswith("# Alice\n\nI build \\*tools\\*.\n\n## Projects\n")
    page = rendered(text)
    assert "<h3><a href=\"https://github.com/alice/tool\">**Tool**</a></h3>" in page
    assert "Does &lt;things&gt;." in page
    assert "★ 1,234" in page
    assert '<a href="https://alice.example/tool">homepage</a>' in page
    assert "javascript" not in text
    assert "<h2>Skills</h2>" in page and "Go (1)" in page and "Cobra (1)" in page
    assert sorted(p.name for p in out.iterdir()) == ["PORTFOLIO.md"]
