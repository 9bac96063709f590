"""Highlights worth reading: what the project does or offers, never padding.

Filler is what the card shows anyway or what says nothing about the project: star
and fork counts, the license, the languages, "built with" lists of the stack, the
latest release. :func:`is_filler` spots it in any bullet (the offline analyzer's and
the AI model's alike). When a README has no feature list, its sections can say what
the project offers ("Routing: routes are matched in the order they are defined"),
and a package manifest's description can too; when none of that exists, there are
no highlights at all rather than filler.
"""

from __future__ import annotations

import json
import re
import tomllib

from core.analysis.cleaning import MAX_HIGHLIGHT, cut, strip_markup
from core.analysis.filler import is_filler

# README sections that describe the repository's housekeeping, not what it offers.
_HOUSEKEEPING = re.compile(
    r"(?i)^(install\w*|setup|set up|getting started|get started|quick ?start|usage|how to \w+|"
    r"requirements?|prerequisites|dependencies|build\w*|compil\w*|develop\w*|contribut\w*|"
    r"licen[sc]e\w*|credits?|acknowledg\w*|authors?|maintainers?|support|sponsor\w*|backers|"
    r"donat\w*|funding|change ?log|releases?|history|roadmap|todo|faq|table of contents|contents|"
    r"toc|documentation|docs|links|resources|community|code of conduct|security|status|badges|"
    r"tests?|testing|running|deploy\w*|configuration|config|environment|screenshots?|demo|"
    r"preview|examples?|api reference|references|see also|related|similar|alternatives|thanks|"
    r"contact|citation|cite|about|overview|introduction|intro|what is|motivation|why|news|"
    r"versioning|upgrad\w*|migrat\w*|troubleshoot\w*|known issues|notes?|disclaimer|"
    r"translations?|star history|stargazers|feedback|questions|help|team|project status|"
    r"technolog\w*|tech stack|stack|built with|tools|folder structure|structure|getting help|"
    r"get help|platforms?|official|unofficial|packages|binaries|downloads?)\b")
MIN_SECTIONS = 2
_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*)$")
# Sentences that send the reader elsewhere rather than say what the project does.
_NAVIGATION = re.compile(r"(?i)^(click|see|read|check out|visit|go to|follow|refer|run|download|"
                         r"install|clone|pull|please|you can find|join|become)\b")


def _heading(block: list[str]) -> tuple[int, str] | None:
    m = _HEADING.match(block[0]) if len(block) == 1 else None
    return (len(m.group(1)), strip_markup(m.group(2)).strip(" :#")) if m else None


def _is_housekeeping(title: str) -> bool:
    return bool(_HOUSEKEEPING.match(title)) or title.endswith("?")


def housekeeping_mask(blocks: list[list[str]],
                      headings: list[tuple[int, str] | None] | None = None) -> list[bool]:
    """For each block: is it inside a housekeeping section (or one of its subsections)?

    ``headings``: each block's ``_heading``, when the caller has them already."""
    if headings is None:
        headings = [_heading(block) for block in blocks]
    mask, open_sections = [], []  # [(level, housekeeping)]
    for heading in headings:
        if heading:
            level, title = heading
            while open_sections and open_sections[-1][0] >= level:
                open_sections.pop()
            open_sections.append((level, _is_housekeeping(title)))
        mask.append(any(flag for _, flag in open_sections))
    return mask


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])", text, maxsplit=1)[0]


def section_highlights(blocks: list[list[str]], is_prose, limit: int) -> list[str]:
    """``Heading: first sentence`` for README sections that say what the project offers."""
    found: list[str] = []
    heading = None
    # Each block's heading once: asking again per heading was quadratic (1,000 headings:
    # a million strip_markup calls, 8 s).
    headings = [_heading(block) for block in blocks]
    mask = housekeeping_mask(blocks, headings)
    top = min((h[0] for h in headings if h), default=1)
    deeper = any(h and h[0] > top for h in headings)
    for index, block in enumerate(blocks):
        if parsed := headings[index]:
            level, title = parsed
            # The top level is the project's title when deeper sections exist.
            title_only = level == top and deeper
            heading = title if 2 <= len(title) <= 60 and not mask[index] and not title_only else None
            continue
        if heading is None or not is_prose(block):
            continue
        sentence = _first_sentence(strip_markup(" ".join(block)))
        if len(sentence.split()) >= 4 and not sentence.endswith(":") and not _NAVIGATION.match(sentence):
            words = set(re.findall(r"[a-z]+", heading.lower()))
            lead = set(re.findall(r"[a-z]+", sentence.lower())[:len(words) + 2])
            text = sentence if words <= lead else f"{heading}: {sentence}"
            if not is_filler(text) and text not in found:
                found.append(cut(text, MAX_HIGHLIGHT))
        heading = None  # one sentence per section
        if len(found) == limit:
            break
    return found if len(found) >= MIN_SECTIONS else []


def package_descriptions(manifests: dict[str, str]) -> list[str]:
    """The descriptions the root package manifests give (pyproject, package.json ...)."""
    found = []
    for path, text in sorted(manifests.items()):
        if "/" in path:
            continue
        base = path.lower()
        try:
            if base == "package.json" or base == "composer.json":
                value = json.loads(text).get("description")
            elif base in ("pyproject.toml", "cargo.toml"):
                data = tomllib.loads(text)
                value = (data.get("project") or data.get("package") or
                         (data.get("tool") or {}).get("poetry") or {}).get("description")
            elif base.endswith(".gemspec"):
                m = re.search(r"\.(summary|description)\s*=\s*['\"]([^'\"]{10,300})['\"]", text)
                value = m.group(2) if m else None
            else:
                continue
        except (ValueError, AttributeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(value, str) and len(strip_markup(value).split()) >= 4:
            found.append(cut(strip_markup(value), MAX_HIGHLIGHT))
    return found
