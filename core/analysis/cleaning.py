"""Text cleaning shared by the analyzers, and field-by-field validation of AI output.

Everything that ends up in a project's fields passes through here: markup (HTML,
Markdown, reStructuredText) and control characters are stripped, text is cut to
length, tags are slugged, categories mapped onto the fixed list (DESIGN §6). Model
output is untrusted: a field that is missing or unusable falls back to the offline
analysis for that field only.

Every function here is linear in its input, whatever the input: lists are looked at
only as far as the few items kept need (an answer with 200,000 tags is read up to
its first usable ones), and every pattern is bounded or replaced by ``str.find``.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import replace

from core.analysis.filler import is_filler
from core.analysis.types import CATEGORIES, Analysis, TechStack

MAX_DESCRIPTION, MAX_SUMMARY, MAX_HIGHLIGHT = 300, 1200, 200
MIN_TAGS, MAX_TAGS, MAX_TAG_LENGTH = 3, 8, 40
MAX_HIGHLIGHTS = 5
MAX_MARKUP_INPUT = 100_000  # characters strip_markup looks at; fields are far shorter
MAX_STACK_NAME_LENGTH = 40
# How many items of a model's list are looked at: a few times what is kept, so that
# unusable ones can be skipped, but never the whole of a hostile list.
MAX_ITEMS_LOOKED_AT = 50
MAX_TAG_TEXT = 10_000  # characters of a comma-separated tag string that are split
MAX_CATEGORY_TEXT = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_DANGEROUS_ELEMENTS = re.compile(r"<(script|style|iframe|object|template)\b.*?(</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"</?[A-Za-z!][^<>]*>")  # comments go first, by drop_comments
# Every repetition below is bounded, so hostile input (50,000 "*a ") stays linear.
_TARGET = r"\((?:[^()\n]|\([^()\n]{0,300}\)){0,500}\)"  # "(url)", one level of parentheses
_MD_IMAGE = re.compile(rf"!\[[^\]]{{0,300}}\]{_TARGET}|!\[[^\]]{{0,300}}\]\[[^\]]{{0,100}}\]")
_MD_LINK = re.compile(rf"\[([^\]]{{0,300}})\]{_TARGET}|\[([^\]]{{0,300}})\]\[[^\]]{{0,100}}\]")
_RST_LINK = re.compile(r"`([^`<]{1,300}?)\s*<[^>]{0,500}>`_{1,2}")
_RST_ROLE = re.compile(r":[\w+-]{1,30}(?::[\w+-]{1,30})?:`([^`]{0,300})`")
# "*" may emphasise inside a word (*ser*ializing); "_" may not (snake_case_name).
_EMPHASIS = re.compile(r"(\*\*|~~|\*)(?=\S)(.{1,300}?)(?<=\S)\1|"
                       r"(?<!\w)(__|_)(?=\S)(.{1,300}?)(?<=\S)\3(?!\w)")
_CODE = re.compile(r"`{1,3}([^`]*)`{1,3}")
_LINE_MARKERS = re.compile(r"^\s*(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d+[.)]\s+)", re.M)


def strip_markup(text: object) -> str:
    """Plain one-line text: no HTML, Markdown/RST markup, control chars or extra spaces."""
    if not isinstance(text, str):
        return ""
    text = text[:MAX_MARKUP_INPUT]
    text = _RST_LINK.sub(r"\1", _CONTROL.sub(" ", text))  # before tags: `text <url>`_
    for _ in range(3):  # entities can hide tags ("&lt;script&gt;"), tags can nest
        text = html.unescape(text)
        text = drop_comments(text)
        text = _DANGEROUS_ELEMENTS.sub(" ", text)
        text = _TAG.sub(" ", text)
    text = text.replace("<", "").replace(">", "")  # whatever half-tag is left
    text = _MD_IMAGE.sub(" ", text)
    text = _MD_LINK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _RST_ROLE.sub(r"\1", text)
    text = _LINE_MARKERS.sub("", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested emphasis: **bold *italic* bold**
        text, changed = _EMPHASIS.subn(lambda m: m.group(2) or m.group(4) or "", text)
        if not changed:
            break
    text = re.sub(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\\?", " ", text)
    text = re.sub(r"(?<!\w)\[([^\]]{1,300})\](?!\w)", r"\1", text)  # [Jinja] reference links
    text = re.sub(r"(?<=\s)\\(?=\s)|\\$", " ", text)  # Markdown hard line breaks
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()


def drop_comments(text: str, gap: str = " ") -> str:
    """``<!-- … -->`` replaced by ``gap`` (an unclosed one runs to the end), in one pass.

    A lazy ``<!--.*?-->`` pattern rescans the rest of the text from every "<!--":
    100,000 characters of "<!--" took 20 s."""
    start = text.find("<!--")
    if start < 0:
        return text
    parts, pos = [], 0
    while start >= 0:
        parts.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end < 0:
            pos = len(text)
            break
        pos = end + 3
        start = text.find("<!--", pos)
    parts.append(text[pos:])
    return gap.join(parts)


def cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2:]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:-–") + "…"


def slug(text: object) -> str:
    """Lower-case tag form: "GitHub Actions" -> "github-actions", "C++" -> "cpp"."""
    if not isinstance(text, str):
        return ""
    # A tag is short; the slice leaves room for markup around one.
    value = strip_markup(text[:MAX_TAG_LENGTH * 25]).lower().replace("+", "p").replace("#", "sharp")
    value = re.sub(r"(?<=\w)\.(?=\w)", "", value)  # node.js -> nodejs
    value = re.sub(r"[^a-z0-9]+", "-", value).strip("-")
    return value if len(value) <= MAX_TAG_LENGTH else ""


def clean_tags(values: object, fallback: list[str]) -> list[str]:
    """3–8 unique slugs; too few are topped up from ``fallback``.

    Only the first :data:`MAX_ITEMS_LOOKED_AT` values are looked at, and looking stops
    once eight are kept: the time does not grow with a hostile list."""
    items = values[:MAX_TAG_TEXT].split(",") if isinstance(values, str) else values
    tags: dict[str, None] = {}  # insertion-ordered set
    for source in (items if isinstance(items, list) else [], fallback):
        if len(tags) >= MIN_TAGS:
            break  # enough of the model's own: no topping up
        for value in source[:MAX_ITEMS_LOOKED_AT]:
            tag = slug(value)
            if tag:
                tags.setdefault(tag)
                if len(tags) >= MAX_TAGS:
                    break
    return list(tags)[:MAX_TAGS]


# Loose names for each category; in a longer value the longest phrase found wins
# ("web framework" beats "web").
_SYNONYMS = {
    "AI & Machine Learning": ("ai", "ml", "machine learning", "deep learning", "llm", "nlp",
                              "artificial intelligence", "neural network", "computer vision"),
    "Web Application": ("web app", "webapp", "web", "website", "frontend", "front end", "saas",
                        "web service", "single page application", "spa"),
    "Mobile App": ("mobile", "android", "ios", "mobile application", "flutter"),
    "Developer Tool": ("developer tools", "dev tool", "devtool", "devtools", "tooling", "ide",
                       "build tool", "productivity", "utility", "linter"),
    "Library / Framework": ("library", "framework", "sdk", "package", "module", "web framework",
                            "toolkit", "client library", "crate", "gem"),
    "Command-Line Tool": ("cli", "command line", "terminal", "cli tool", "console", "shell", "tui"),
    "Data & Analytics": ("data", "analytics", "data analysis", "database", "visualization", "etl",
                         "business intelligence", "big data"),
    "DevOps & Infrastructure": ("devops", "infrastructure", "cloud", "ci", "cd", "docker",
                                "kubernetes", "deployment", "monitoring", "sre", "infra",
                                "automation"),
    "Game": ("game", "games", "gaming", "game engine", "gamedev"),
    "Education": ("education", "tutorial", "learning", "course", "teaching", "educational"),
    "Design & Creative": ("design", "creative", "art", "graphics", "music", "audio", "video",
                          "animation"),
    "Hardware & IoT": ("hardware", "iot", "embedded", "robotics", "firmware", "arduino",
                       "electronics"),
    "Security": ("security", "cybersecurity", "infosec", "cryptography", "pentest", "privacy"),
    "Science & Research": ("science", "research", "scientific", "academic", "physics", "biology",
                           "bioinformatics"),
}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("&", " "))


_PHRASES = {" ".join(_words(category)): category for category in CATEGORIES} | {
    phrase: category for category, phrases in _SYNONYMS.items() for phrase in phrases}


def closest_category(value: object) -> str:
    """The category ``value`` names, matched loosely (case, punctuation, synonyms)."""
    if not isinstance(value, str):
        return "Other"
    words = _words(strip_markup(value[:MAX_CATEGORY_TEXT]))
    if not words:
        return "Other"
    joined = " ".join(words)
    if joined in _PHRASES:
        return _PHRASES[joined]
    best, best_len = "Other", 0
    for phrase, category in _PHRASES.items():  # the longest phrase found in the value wins
        n = len(phrase.split())
        if n > best_len and f" {phrase} " in f" {joined} ":
            best, best_len = category, n
    if best_len:
        return best
    near = difflib.get_close_matches(joined, list(_PHRASES), n=1, cutoff=0.8)
    return _PHRASES[near[0]] if near else "Other"


_FILE_DISPLAY = {"dockerfile": "Docker", "makefile": "Make", "cmakelists.txt": "CMake",
                 "gemfile": "Bundler", "cargo.toml": "Cargo", "go.mod": "Go modules",
                 "pom.xml": "Maven", "build.gradle": "Gradle", "composer.json": "Composer",
                 "package.json": "npm", "pyproject.toml": "Python packaging"}
# File names and paths; "index.js" is a file but "Next.js" a name, hence the case-sensitive part.
_FILE_LIKE = re.compile(r"^\.|[\\]|(?i:\.(json5?|toml|ya?ml|txt|lock|xml|cfg|ini|md|rst|py|rb|go|rs|"
                        r"gradle|kts|php|sh|mod|sum|gemspec|conf|env)$)|^[a-z0-9_.-]+\.[jt]sx?$|"
                        r"(?i:^(pipfile|rakefile|procfile|vagrantfile|jenkinsfile|requirements)$)")


def stack_name(value: object) -> str:
    """A technology display name from model output, or "" when it is not one."""
    name = strip_markup(value[:MAX_STACK_NAME_LENGTH * 25] if isinstance(value, str) else value)
    if name.lower() in _FILE_DISPLAY:
        return _FILE_DISPLAY[name.lower()]
    if (not name or len(name) > MAX_STACK_NAME_LENGTH or len(name.split()) > 4
            or _FILE_LIKE.search(name) or re.search(r"[=@:;{}|<>\"]|\d+\.\d+", name)):
        return ""
    return name


def merge_stack(stack: TechStack, names: object, repo_name: str = "",
                evidence: object = None) -> TechStack:
    """``stack`` plus the model's names that the repository supports (see ai_stack)."""
    # Imported here: ai_stack builds on stack_name above.
    from core.analysis.ai_stack import merge_ai_stack
    return merge_ai_stack(stack, names, evidence, repo_name)


def _text_field(value: object, limit: int, minimum: int = 1) -> str | None:
    text = strip_markup(value[: limit * 4] if isinstance(value, str) else value)
    return cut(text, limit) if len(text) >= minimum else None


def clean_ai_output(data: object, fallback: Analysis, *, repo_name: str = "",
                    evidence: object = None) -> Analysis | None:
    """The model's JSON object as an Analysis, field by field; None if nothing is usable.

    ``evidence`` (an :class:`core.analysis.ai_stack.Evidence`) is what the repository shows:
    a technology the model adds is kept only when it supports it."""
    if not isinstance(data, dict):
        return None
    used = 0
    description = _text_field(data.get("description"), MAX_DESCRIPTION, minimum=10)
    summary = _text_field(data.get("summary"), MAX_SUMMARY, minimum=10)
    raw_tags = data.get("tags")
    own_tags = clean_tags(raw_tags, []) if raw_tags is not None else []
    category_value = data.get("category")
    category = closest_category(category_value) if isinstance(category_value, str) else None
    highlights = None
    if isinstance(data.get("highlights"), list):
        kept: dict[str, None] = {}
        for item in data["highlights"][:MAX_ITEMS_LOOKED_AT]:
            text = _text_field(item, MAX_HIGHLIGHT, minimum=3)
            if text and not is_filler(text):
                kept.setdefault(text)
                if len(kept) >= MAX_HIGHLIGHTS:
                    break
        highlights = list(kept) or None
    stack = merge_stack(fallback.tech_stack, data.get("tech_stack"), repo_name, evidence)
    used = sum(x is not None for x in (description, summary, category, highlights)) + bool(own_tags)
    used += stack != fallback.tech_stack
    if not used:
        return None
    return replace(
        fallback,
        description=description or fallback.description,
        summary=summary or fallback.summary,
        tags=clean_tags(own_tags, fallback.tags) if own_tags else list(fallback.tags),
        category=category or fallback.category,
        highlights=highlights if highlights is not None else list(fallback.highlights),
        tech_stack=stack,
        note="",
    )
