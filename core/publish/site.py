"""The static site: ``index.html``, ``projects/<slug>.html`` and ``style.css``, from Jinja2
templates shipped as package data.

Autoescaping is on for every template, and nothing README-derived is ever marked
safe: a description holding ``<script>`` or quotes shows as that text. Links are
only the http(s) addresses :func:`core.publish.content.web_link` let through.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from core.analysis.types import CATEGORIES
from core.publish.content import STACK_GROUPS, Portfolio, category_key

SKILLS_SHOWN = 24  # per group; the rest sit in a <details> under them
STACK_SHOWN = 8  # technologies on a card; its own page lists them all
STYLESHEET = "style.css"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("core.publish", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render_site(portfolio: Portfolio, feeds: list[tuple[str, str]]) -> dict[str, str]:
    """``{relative path: text}`` of the site; ``feeds`` are (file, label) of the other formats
    written beside it, linked from the footer."""
    env = environment()
    common = {"portfolio": portfolio, "feeds": feeds, "stack_groups": STACK_GROUPS}
    files = {
        "index.html": env.get_template("index.html").render(
            root="", pages=True, skills_shown=SKILLS_SHOWN, stack_shown=STACK_SHOWN,
            **common),
        STYLESHEET: env.get_template("style.css").render(
            category_keys=[category_key(name) for name in CATEGORIES]),
    }
    page = env.get_template("project.html")
    for card in portfolio.cards:
        files[f"projects/{card.page}"] = page.render(root="../", card=card, **common)
    return files
