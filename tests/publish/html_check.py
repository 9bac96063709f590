"""Reading published HTML back in tests: every tag and attribute, headings, visible text.

Python's own ``html.parser`` reads the pages as a browser's tokenizer would see
the tags; the tests then assert on tags and attributes, not on substrings.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Attributes through which a page loads or runs something.
LOADING = {("link", "href"), ("script", "src"), ("img", "src"), ("img", "srcset"),
           ("iframe", "src"), ("source", "src"), ("video", "src"), ("audio", "src"),
           ("embed", "src"), ("object", "data"), ("input", "src"), ("use", "href")}


@dataclass
class Page:
    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)

    def all(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.tags if tag == name]

    @property
    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def links(self) -> list[str]:
        return [a["href"] for a in self.all("a") if "href" in a]

    def loaded_urls(self) -> list[str]:
        return [attrs[attr] for tag, attrs in self.tags for t, attr in LOADING
                if tag == t and attr in attrs]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._heading: tuple[int, list[str]] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.page.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style", "title"):
            self._skip += 1
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._heading = (int(tag[1]), [])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip = max(0, self._skip - 1)
        if self._heading and tag == f"h{self._heading[0]}":
            self.page.headings.append((self._heading[0], " ".join("".join(
                self._heading[1]).split())))
            self._heading = None

    def handle_data(self, data):
        if not self._skip:
            self.page.text.append(data)
        if self._heading:
            self._heading[1].append(data)


def read(markup: str) -> Page:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader.page


def is_remote(url: str) -> bool:
    """An address another host would serve (scheme-relative ``//host`` included)."""
    parts = urlsplit(html.unescape(url).strip())
    return bool(parts.netloc) or parts.scheme.lower() not in ("", "data", "file")


def heading_levels_ok(headings: list[tuple[int, str]]) -> bool:
    """One h1 first, and no level skipped on the way down."""
    levels = [level for level, _ in headings]
    if not levels or levels[0] != 1 or levels.count(1) != 1:
        return False
    return all(b <= a + 1 for a, b in zip(levels, levels[1:]))
