"""``PORTFOLIO.md``: the portfolio as Markdown, fit for a GitHub profile README.

Every text from the catalog is escaped (:func:`md_text`): backslash escapes for
Markdown's punctuation and entities for ``<``, ``>`` and ``&``, so a README's
words can neither become markup nor raw HTML, and a bare web address stays text
(an e-mail address is the one thing GitHub still links; it cannot be escaped). Links are only http(s) addresses,
with parentheses and spaces percent-encoded so they cannot end the link early.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from core.publish.content import Card, Portfolio

# Inline markup (GitHub's $ starts math); the rest only matters at the start of a line.
_ESCAPED = re.compile(r"([\\`*_\[\]|~!$])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([#+=-])")  # ">" becomes &gt; below
# GitHub turns bare addresses into links; an escaped ":" or "." keeps them text.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp)(:)(?=//)|\b(www)(\.)")


def md_text(text: str) -> str:
    """One line of plain text that renders as itself in GitHub Markdown."""
    line = " ".join(str(text or "").split())
    line = _ESCAPED.sub(r"\\\1", line)
    line = _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line)
    line = _AUTOLINK.sub(lambda m: f"{m[1]}\\:" if m[1] else f"{m[3]}\\.", line)
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_url(url: str) -> str:
    """An http(s) address (already checked by ``web_link``) safe inside ``(...)``."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def _link(label: str, url: str | None) -> str | None:
    return f"[{md_text(label)}]({md_url(url)})" if url else None


def _card(card: Card) -> list[str]:
    project = card.project
    title = _link(project["title"], card.repository) or md_text(project["title"])
    lines = [f"### {title}", ""]
    if project.get("description"):
        lines += [md_text(project["description"]), ""]
    facts = [md_text(project.get("category") or "Other")]
    if card.language:
        facts.append(md_text(card.language))
    facts.append(f"★ {project.get('stars', 0):,}")
    homepage = _link("homepage", card.homepage)
    if homepage:
        facts.append(homepage)
    lines.append(" · ".join(facts))
    if card.all_stack:
        lines += ["", "Built with: " + ", ".join(md_text(name) for name in card.all_stack)]
    return lines + [""]


def render_markdown(portfolio: Portfolio) -> str:
    lines = [f"# {md_text(portfolio.title)}", ""]
    if portfolio.intro:
        lines += [md_text(portfolio.intro), ""]
    lines += ["## Projects", ""]
    if not portfolio.cards:
        lines += ["No projects to show yet.", ""]
    for card in portfolio.cards:
        lines += _card(card)
    if portfolio.skills:
        lines += ["## Skills", "", "Each technology with the number of projects above that "
                  "use it.", ""]
        for label, skills in portfolio.skills:
            names = ", ".join(f"{md_text(s.name)} ({s.projects})" for s in skills)
            lines += [f"**{md_text(label)}:** {names}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
