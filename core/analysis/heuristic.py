"""The offline analyzer: portfolio text from GitHub facts, the README and the tech stack.

Deterministic and network-free, so it is both the default without an AI key and the
fallback whenever the AI model fails. It reads Markdown and reStructuredText READMEs
well enough to find the first real paragraph and the feature list.
"""

from __future__ import annotations

import re

from core.analysis.cleaning import (MAX_DESCRIPTION, MAX_HIGHLIGHT, MAX_HIGHLIGHTS, MAX_SUMMARY,
                                    MAX_TAGS, MIN_TAGS, cut, drop_comments, slug, strip_markup)
from core.analysis.filler import is_filler
from core.analysis.highlights import housekeeping_mask, package_descriptions, section_highlights
from core.analysis.types import Analysis, TechStack
from core.github.snapshot import RepoSnapshot

MAX_README_CHARS = 200_000  # what matters (description, features) is near the top
_FENCE = re.compile(r"^\s*(```|~~~)")
_UNDERLINE = re.compile(r"^\s*([=\-~^*+#`'\".:_])\1{2,}\s*$")
_BULLET = re.compile(r"^(\s*)([-*+•]|\d+[.)])\s+(.*)$")
_FEATURE_INTRO = re.compile(r"feature|support|provide|offer|highlight|goals|why |what .* do|"
                            r"capabilit|benefit|includes|gives you", re.I)

# Category rules: domain categories first (a machine-learning library is "AI & Machine
# Learning"), then what the project is (library, CLI, tool, app), from the description's
# nouns, then topics, then the stack. Keywords are matched as whole words.
_DOMAINS = [
    ("AI & Machine Learning", "machine-learning deep-learning ai artificial-intelligence llm nlp "
     "neural-network computer-vision pytorch tensorflow transformers ml langchain"),
    ("Game", "game games gamedev game-engine game-development pygame bevy"),
    ("Security", "security pentest pentesting infosec vulnerability malware cybersecurity"),
    ("Hardware & IoT", "iot arduino raspberry-pi embedded firmware hardware microcontroller"),
    ("Science & Research", "science scientific research bioinformatics physics chemistry astronomy"),
    ("Education", "education tutorial course learning-resources teaching exercises"),
    ("Mobile App", "android ios mobile react-native flutter"),
    ("Design & Creative", "design art generative-art music graphics creative-coding animation"),
    ("Data & Analytics", "data-science analytics data-analysis data-visualization visualization "
     "etl dataframe business-intelligence"),
    ("DevOps & Infrastructure", "devops infrastructure kubernetes terraform helm ansible "
     "ci-cd infrastructure-as-code monitoring observability"),
]
_KINDS = [
    ("Library / Framework", r"librar(y|ies)|framework|sdk|dsl|toolkit|package|crate|module|"
     r"bindings|wrapper|client|router|task queue|parser|serializ\w*"),
    ("Command-Line Tool", r"command[- ]line|cli|terminal|shell|search tool|grep"),
    ("Developer Tool", r"build tool|tooling|linter|formatter|bundler|dev server|devtools?|ide|"
     r"developer tools?|editor|profiler|debugger"),
    ("Web Application", r"web app|web application|website|dashboard|web ui|self-hosted"),
]
_KIND_TOPICS = {
    "Library / Framework": {"library", "framework", "web-framework", "sdk", "http-client", "orm"},
    "Command-Line Tool": {"cli", "command-line", "terminal", "command-line-tool", "tui"},
    "Developer Tool": {"developer-tools", "build-tool", "devtools", "linter", "dev-server"},
    "Web Application": {"webapp", "web-app", "website", "self-hosted", "dashboard"},
}
_WEB_APP_FRAMEWORKS = {"React", "Vue", "Svelte", "Angular", "Next.js", "Nuxt", "SvelteKit",
                       "Django", "Ruby on Rails", "Laravel", "Streamlit", "Gradio", "Phoenix",
                       "Phoenix LiveView", "ASP.NET Core", "Blazor", "Spring Boot", "Express",
                       "NestJS", "Remix", "Astro", "Symfony", "FastAPI", "Flask"}
# Frameworks that make an application of a given kind (a library of that kind says so first).
_MOBILE_FRAMEWORKS = {"Android", "Jetpack Compose", "Flutter", "React Native", "Expo", "SwiftUI",
                      "UIKit", ".NET MAUI", "iOS"}
_CLI_FRAMEWORKS = {"Ratatui", "tui-rs", "Bubble Tea", "Textual", "Clap", "Cobra", "urfave/cli",
                   "Typer", "crossterm", "Swift Argument Parser"}
_CLAUSE_END = re.compile(r"\s(for|that|which|to|with|using|built|written|in|on|from|of)\s|\.\s|$",
                         re.I)


class HeuristicAnalyzer:
    """Writes an Analysis with rules only; never fails, never touches the network."""

    name = "heuristic"

    def analyze(self, snapshot: RepoSnapshot, stack: TechStack) -> Analysis:
        blocks = readme_blocks(snapshot.readme)
        description = describe(snapshot, blocks)
        category = categorize(snapshot, stack, description)
        return Analysis(
            description=description,
            summary=summarize(snapshot, stack, description),
            tags=make_tags(snapshot, stack, category),
            category=category,
            highlights=highlights(snapshot, stack, blocks, description),
            tech_stack=stack,
            analyzer=self.name,
        )


def readme_blocks(readme: str) -> list[list[str]]:
    """README split into blocks of raw lines, without code, comments, directives, headings."""
    text = drop_comments((readme or "")[:MAX_README_CHARS], "\n")  # linear, unlike <!--.*?-->
    kept: list[str] = []
    in_fence = in_literal = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            kept.append("")
            continue
        if in_literal:  # an RST directive or literal block: everything indented after it
            if not line.strip() or line[:1].isspace():
                kept.append("")
                continue
            in_literal = False
        if in_fence:
            kept.append("")
        elif line.lstrip().startswith(".. ") or line.rstrip().endswith("::"):
            in_literal = True
            kept.append("")
        elif _UNDERLINE.match(line):
            if kept and kept[-1].strip():  # RST/setext underline: the line above is a heading
                kept[-1] = "# " + kept[-1].strip()
            kept.append("")
        else:
            kept.append(line)
    blocks, current = [], []
    for line in kept:
        if line.strip() and not re.match(r"^\s*#{1,6}\s", line):
            current.append(line)
            continue
        if current:
            blocks.append(current)
        current = []
        if line.strip():
            blocks.append([line])  # a heading is a block of its own
    return blocks + ([current] if current else [])


def _is_heading(block: list[str]) -> bool:
    return len(block) == 1 and bool(re.match(r"^\s*#{1,6}\s", block[0]))


_LINKS = re.compile(r"!?\[[^\]]{0,300}\]\([^)]{0,500}\)|!?\[[^\]]{0,300}\]\[[^\]]{0,100}\]|https?://\S+")
_BADGES = re.compile(r"\[!\[[^\]]{0,300}\]\([^)]{0,500}\)\]\([^)]{0,500}\)|!\[[^\]]{0,300}\]\([^)]{0,500}\)|"
                     r"!?\[!?\[[^\]]{0,300}\]\]\[[^\]]{0,100}\]")


def _is_decoration(line: str) -> bool:
    """A badge, image, HTML, table, quote or link-definition line: never description text."""
    s = line.strip()
    if s.startswith(("<", "|", ">", "[!")) or re.match(r"^\[[^\]]+\]:\s", s):
        return True
    return not re.search(r"[A-Za-z]{2,}", _BADGES.sub("", s))


def _has_prose(line: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", _LINKS.sub("", line)))


def first_paragraph(blocks: list[list[str]]) -> str:
    """The README's first real paragraph as plain text, or ""."""
    for block in blocks:
        if _is_heading(block) or any(_BULLET.match(line) for line in block):
            continue
        lines = [line for line in block if not _is_decoration(line)]
        if not any(_has_prose(line) for line in lines):
            continue
        text = strip_markup(" ".join(lines))
        words = len(text.split())
        if text.endswith(":") and words >= 8:  # "X is a DSL for ...:" introducing an example
            text = text[:-1].rstrip() + "."
        if len(text) >= 25 and words >= 4 and not text.endswith(":"):
            return text
    return ""


def describe(snapshot: RepoSnapshot, blocks: list[list[str]]) -> str:
    text = strip_markup(snapshot.description) or first_paragraph(blocks)
    if not text:
        return f"{snapshot.name}, a {snapshot.primary_language or 'software'} project by {snapshot.owner}."
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])", text)
    chosen = sentences[0] if len(sentences[0]) >= 60 or len(sentences) == 1 else " ".join(sentences[:2])
    return cut(chosen, MAX_DESCRIPTION)


def _as_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def summarize(snapshot: RepoSnapshot, stack: TechStack, description: str) -> str:
    parts = [description if description.endswith((".", "!", "?", "…")) else description + "."]
    main = main_languages(snapshot, stack)
    if main:
        built = f"It is written in {_as_list(main)}"
        if stack.frameworks:
            built += f" and builds on {_as_list(stack.frameworks[:3])}"
        parts.append(built + ".")
    if stack.tools:
        parts.append(f"The project uses {_as_list(stack.tools[:3])} in its workflow.")
    topics = [t for t in snapshot.topics if slug(t)][:5]
    if topics:
        parts.append(f"Topics: {', '.join(topics)}.")
    return cut(strip_markup(" ".join(parts)), MAX_SUMMARY)


def main_languages(snapshot: RepoSnapshot, stack: TechStack, share: float = 0.1) -> list[str]:
    """At most three languages: the first, and any other with a real share of the code."""
    counts = {k: v for k, v in (snapshot.languages or {}).items() if isinstance(v, (int, float))}
    total = sum(counts.get(n, 0) for n in stack.languages)
    if not total:
        return stack.languages[:1]
    return [n for i, n in enumerate(stack.languages) if i == 0 or counts.get(n, 0) / total >= share][:3]


def make_tags(snapshot: RepoSnapshot, stack: TechStack, category: str) -> list[str]:
    tags: list[str] = []
    for value in [*snapshot.topics, *stack.languages, *stack.frameworks, *stack.tools]:
        tag = slug(value)
        if tag and tag not in tags:
            tags.append(tag)
    for filler in (slug(snapshot.name), slug(category), "open-source", "github", "software"):
        if len(tags) >= MIN_TAGS:  # never fewer than three
            break
        if filler and filler not in tags and filler != "other":
            tags.append(filler)
    return tags[:MAX_TAGS]


def _has_word(text: str, pattern: str) -> bool:
    return re.search(rf"(?<![\w-])({pattern})(?![\w-])", text, re.I) is not None


def _head_kind(text: str) -> str | None:
    """The kind the first clause of a description ends on: "a WSGI web application
    framework for ..." is a framework, "API server and website for ..." a web app."""
    clause = text[:_CLAUSE_END.search(text, 1).start()] if text else ""
    best, position = None, -1
    for category, pattern in _KINDS:
        for m in re.finditer(rf"(?<![\w-])({pattern})(?![\w-])", clause, re.I):
            if m.start() > position:
                best, position = category, m.start()
    return best


def _stack_kind(snapshot: RepoSnapshot, stack: TechStack) -> str | None:
    names = set(stack.frameworks) | set(stack.languages)
    if _MOBILE_FRAMEWORKS & set(stack.frameworks):
        return "Mobile App"
    if _WEB_APP_FRAMEWORKS & names:
        return "Web Application"
    if _CLI_FRAMEWORKS & set(stack.frameworks):
        return "Command-Line Tool"
    return None


def categorize(snapshot: RepoSnapshot, stack: TechStack, description: str) -> str:
    topics = {slug(t) for t in snapshot.topics}
    if "dotfiles" in topics or re.search(r"(?i)(^|[-_.])dotfiles([-_.]|$)", snapshot.name):
        return "Developer Tool"  # personal configuration, not a command-line program
    stack_slugs = {slug(n) for n in stack.frameworks + stack.tools + stack.languages}
    described = f"{snapshot.description} {description}"
    for category, keywords in _DOMAINS:
        words = set(keywords.split())
        score = 2 * len(words & topics) + len(words & stack_slugs)
        score += 2 * sum(_has_word(described, w.replace("-", "[- ]")) for w in words)
        if score >= 2:
            return category
    if stack.languages[:1] == ["Jupyter Notebook"]:  # a notebook collection
        learning = re.search(r"(?i)\b(course|tutorial|lesson|learn\w*|book|teach\w*|exercises?)\b",
                             described)
        return "Education" if learning else "Data & Analytics"
    for text in (snapshot.description, description):  # what the description calls the project
        if kind := _head_kind(strip_markup(text)):
            return kind
    for category, names in _KIND_TOPICS.items():
        if names & topics:
            return category
    if kind := _stack_kind(snapshot, stack):
        return kind
    for category, pattern in _KINDS:
        if _has_word(described, pattern):
            return category
    if {"HCL"} & set(stack.languages[:1]) or {"Terraform", "Helm", "Kubernetes"} & set(stack.tools):
        return "DevOps & Infrastructure"
    head = strip_markup(" ".join(" ".join(b) for b in readme_blocks(snapshot.readme)[:12]))
    for category, pattern in _KINDS:
        if _has_word(head, pattern):
            return category
    return "Other"


def _feature_list(blocks: list[list[str]]) -> list[str]:
    """Top-level items of the first feature list, else of the first non-TOC list."""
    candidates: list[tuple[bool, int, list[str]]] = []
    intro = False
    blocks = _join_loose_lists(blocks)
    housekeeping = housekeeping_mask(blocks)  # lists under "Installation", "Sponsors" ...
    for index, block in enumerate(blocks):
        items: list[str] = []
        indent = None
        for line in block:
            m = _BULLET.match(line)
            if m and (indent is None or len(m.group(1)) <= indent):
                indent = len(m.group(1)) if indent is None else indent
                items.append(m.group(3))
            elif items and not m and line[:1].isspace():
                items[-1] += " " + line.strip()  # a wrapped item continues
        prose_before = [line for line in block if not _BULLET.match(line)][:1]
        if items:
            feature = intro or bool(prose_before and _FEATURE_INTRO.search(prose_before[0]))
            candidates.append((feature, index, items))
        intro = bool(_FEATURE_INTRO.search(" ".join(block)[:200])) and not items
    for is_feature, _, items in candidates:
        if is_feature and len(cleaned := _clean_items(items)) >= 2:
            return cleaned
    for _, index, items in candidates:  # else an early list of real sentences
        if index > 25:
            break
        if housekeeping[index]:
            continue
        cleaned = _clean_items(items)
        if sum(len(item.split()) >= 3 for item in cleaned) >= 2:
            return cleaned
    return []


def _join_loose_lists(blocks: list[list[str]]) -> list[list[str]]:
    """A list whose items are separated by blank lines is still one list."""
    joined: list[list[str]] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if previous and _BULLET.match(previous[0]) and not _is_heading(block) and (
                _BULLET.match(block[0]) or block[0][:1].isspace()):
            joined[-1] = previous + block
        else:
            joined.append(block)
    return joined


def _clean_items(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items[:50]:
        # Links-only items are a table of contents, not features.
        rest = strip_markup(_LINKS.sub("", item))
        if _LINKS.search(item) and (len(re.sub(r"[^A-Za-z]", "", rest)) < 4 or rest.endswith((":", "-"))):
            continue  # "[Installation](#installation)", "Docs: [site](...)": navigation
        text = re.sub(r"^[^\w\"'(]+", "", strip_markup(item))  # leading emoji and symbols
        if len(text) >= 5 and text not in out:
            out.append(cut(text, MAX_HIGHLIGHT))
        if len(out) == MAX_HIGHLIGHTS:
            break
    return out


def _is_prose(block: list[str]) -> bool:
    lines = [line for line in block if not _is_decoration(line) and not _BULLET.match(line)]
    return bool(lines) and any(_has_prose(line) for line in lines) and not _is_heading(block)


def highlights(snapshot: RepoSnapshot, stack: TechStack, blocks: list[list[str]],
               description: str = "") -> list[str]:
    """What the project offers: its feature list, else its README sections, else its
    package description; never filler (stars, license, languages) — none rather than that."""
    found = [h for h in _feature_list(blocks) if not is_filler(h)]
    if not found:
        found = section_highlights(blocks, _is_prose, MAX_HIGHLIGHTS)
    if not found:
        seen = {_plain(description), _plain(snapshot.description)}
        found = [d for d in package_descriptions(snapshot.manifests)
                 if _plain(d) not in seen and not is_filler(d)][:1]
    return found[:MAX_HIGHLIGHTS]


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()

