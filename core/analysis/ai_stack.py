"""The AI model's tech stack, cleaned against what the repository shows.

The model is asked for ``"tech_stack": ["names"]`` (DESIGN §6) and may answer with
an object ``{"languages", "frameworks", "tools"}`` instead; both are accepted. The
detected stack always stays whole. A technology the model adds is kept only when the
repository supports it — its name (or a package or file name the tables map to it)
appears in the README, a fetched manifest, or a path of the tree — and is then
filed as a language, a framework or a tool. Anything else is dropped: a portfolio
must not claim what the files do not show.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.analysis.cleaning import stack_name
from core.analysis.stack_files import (ACTION_TOOLS, COMMAND_TOOLS, FILE_TOOLS, IMAGE_TOOLS,
                                       PATH_TOOLS, PREFIX_TOOLS, PYPROJECT_TOOLS, ROOT_ONLY)
from core.analysis.stack_names import FRAMEWORKS, TABLES
from core.analysis.techstack import MAX_FRAMEWORKS, MAX_LANGUAGES, MAX_TOOLS
from core.analysis.types import TechStack
from core.github.snapshot import RepoSnapshot

MAX_ADDED = 5
MAX_EVIDENCE_CHARS = 400_000
# GitHub linguist names of programming languages a model may name.
LANGUAGES = frozenset((
    "Python JavaScript TypeScript Go Rust Ruby PHP Java Kotlin Swift Dart Elixir Erlang C C++ "
    "C# F# Scala Groovy Clojure Haskell OCaml Lua R Julia Perl Shell Bash PowerShell Zig Nim "
    "Crystal Objective-C HTML CSS SCSS Sass Less Vue Svelte SQL PLpgSQL HCL Nix Solidity MATLAB "
    "Fortran COBOL Assembly WebAssembly Elm PureScript ReScript CoffeeScript Dockerfile "
    "Makefile CMake MDX Astro GLSL CUDA Cuda Racket Scheme Lisp Prolog Haxe V D").split()) | {
    "Jupyter Notebook", "Visual Basic .NET", "Emacs Lisp", "Vim Script", "Protocol Buffer"}


@lru_cache(maxsize=1)
def _aliases() -> tuple[dict[str, set[str]], frozenset[str]]:
    """display name (lower) -> package/file names that show it; and every tool name."""
    aliases: dict[str, set[str]] = {}
    tools: set[str] = set()
    for frameworks, dev_tools in TABLES.values():
        for table, is_tool in ((frameworks, False), (dev_tools, True)):
            for key, display in table.items():
                aliases.setdefault(display.lower(), set()).add(key.lower())
                if is_tool:
                    tools.add(display)
    for table in (FILE_TOOLS, ROOT_ONLY, PREFIX_TOOLS, PATH_TOOLS, PYPROJECT_TOOLS, IMAGE_TOOLS,
                  ACTION_TOOLS, COMMAND_TOOLS):
        for key, display in table.items():
            aliases.setdefault(display.lower(), set()).add(key.lower().rstrip("."))
            tools.add(display)
    return aliases, frozenset(tools - FRAMEWORKS)


def _pattern(name: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in re.split(r"[\s._-]+", name.lower()) if p]
    return re.compile(r"(?<![a-z0-9])" + r"[\s._-]?".join(parts) + r"(?![a-z0-9])")


class Evidence:
    """The README, manifests and tree paths of one repository, searchable by name."""

    def __init__(self, snapshot: RepoSnapshot) -> None:
        texts = [snapshot.readme or "", *snapshot.manifests.values(), snapshot.description or ""]
        self._text = "\n".join(texts)[:MAX_EVIDENCE_CHARS].lower()
        self._paths = "\n".join(e.path for e in snapshot.tree)[:MAX_EVIDENCE_CHARS].lower()
        self._topics = {t.lower() for t in snapshot.topics}

    def supports(self, name: str) -> bool:
        lower = name.lower()
        if len(re.sub(r"[^a-z0-9+#]", "", lower)) < 2:
            return False  # "C", "R": too short to find safely in free text
        if lower in self._topics or _pattern(lower).search(self._text):
            return True
        keys = _aliases()[0].get(lower, set())
        return any(_pattern(key).search(self._text) or _pattern(key).search(self._paths)
                   for key in keys if len(key) >= 2) or bool(_pattern(lower).search(self._paths))


def _candidates(value: object) -> list[tuple[str, str | None]]:
    """(name, the list the model put it in) from a list or a {languages, frameworks, tools}."""
    if isinstance(value, list):
        return [(v, None) for v in value]
    if isinstance(value, dict):
        return [(v, key if key in ("languages", "frameworks", "tools") else None)
                for key, items in value.items() if isinstance(items, list) for v in items]
    return []


def classify(name: str, hint: str | None = None) -> str:
    """"languages", "frameworks" or "tools" for a display name."""
    if name in LANGUAGES:
        return "languages"
    if name in FRAMEWORKS:
        return "frameworks"
    if name in _aliases()[1]:
        return "tools"
    return hint if hint in ("frameworks", "tools") else "frameworks"


def merge_ai_stack(stack: TechStack, value: object, evidence: Evidence | None,
                   repo_name: str = "") -> TechStack:
    """``stack`` plus at most five names the model added that the repository supports."""
    known = {n.lower() for n in stack.names()} | {repo_name.lower()}
    lists = {"languages": list(stack.languages), "frameworks": list(stack.frameworks),
             "tools": list(stack.tools)}
    added = 0
    for raw, hint in _candidates(value)[:50]:
        name = stack_name(raw)
        if not name or name.lower() in known or added >= MAX_ADDED:
            continue
        if evidence is None or not evidence.supports(name):
            continue  # not shown by the files or the README: never claimed
        known.add(name.lower())
        lists[classify(name, hint)].append(name)
        added += 1
    return TechStack(lists["languages"][:max(MAX_LANGUAGES, len(stack.languages))],
                     lists["frameworks"][:max(MAX_FRAMEWORKS, len(stack.frameworks))],
                     lists["tools"][:max(MAX_TOOLS, len(stack.tools))])
