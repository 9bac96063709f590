"""Which files of a repository tree the client fetches: manifests, workflows, the README.

Pure functions over tree paths (no network), so the choice is easy to test and the
same for every caller. Every file is one GitHub request, so the choice is bounded
(``MAX_MANIFESTS``) and ranked by what it tells about the stack:

1. package manifests at the root, the primary ones first (package.json, pyproject,
   go.mod, Cargo.toml, pom.xml, build.gradle, *.csproj, pubspec.yaml, mix.exs ...);
2. primary manifests of the packages of a monorepo: one folder down (app/, server/,
   client/, backend/ ...) and two down in workspace folders (apps/*, packages/*,
   crates/*, services/*, src/* ...), plus an Xcode project's project.pbxproj;
3. CI workflows (at most ``MAX_WORKFLOWS``, the build/test ones first);
4. secondary files one folder down (Dockerfiles, compose files, requirements files).

Lockfiles are never fetched: they list transitive dependencies, not the project's.
Folders of vendored code, tests, examples and fixtures are skipped.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

from core.github.snapshot import TreeEntry

MAX_MANIFESTS = 25
MAX_WORKFLOWS = 5
MAX_MANIFEST_BYTES = 200_000

# Lower-case file-name patterns; the order is the priority among files at one level.
PRIMARY_PATTERNS: tuple[str, ...] = (
    "package.json", "pyproject.toml", "go.mod", "cargo.toml", "pom.xml", "build.gradle",
    "build.gradle.kts", "*.csproj", "*.fsproj", "*.vbproj", "pubspec.yaml", "mix.exs",
    "package.swift", "composer.json", "gemfile", "*.gemspec", "setup.py", "setup.cfg",
    "requirements.txt", "pipfile", "environment.yml", "environment.yaml", "cmakelists.txt",
    "vcpkg.json", "conanfile.txt", "conanfile.py", "meson.build", "configure.ac",
    "podfile", "cartfile", "settings.gradle", "settings.gradle.kts", "libs.versions.toml",
    "directory.packages.props", "global.json",
)
SECONDARY_PATTERNS: tuple[str, ...] = (
    "requirements*.txt", "requirements*.in", "dockerfile", "dockerfile.*", "*.dockerfile",
    "docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml",
    ".gitlab-ci.yml", ".travis.yml", "bitbucket-pipelines.yml",
)
MANIFEST_PATTERNS = PRIMARY_PATTERNS + SECONDARY_PATTERNS
ROOT_PATHS = (".circleci/config.yml", "gradle/libs.versions.toml")
WORKFLOW_DIR = ".github/workflows/"
WORKFLOW_SUFFIXES = (".yml", ".yaml")

# Folders whose children are the packages of a monorepo or solution.
WORKSPACE_FOLDERS = {"apps", "packages", "services", "crates", "libs", "modules", "projects",
                     "src", "components", "plugins", "backend", "frontend", "server", "client",
                     "web", "api", "app", "cmd", "internal", "platform"}
# Folders whose manifests describe something other than the project itself.
_SKIPPED_FOLDERS = {"vendor", "node_modules", "docs", "doc", "third_party", "third-party",
                    "3rdparty", "external", "fixtures", "testdata", "pods", "carthage", "deps",
                    "benchmarks", "bench", "playground", "samples", "sample", "demo", "demos",
                    "build", "eng", "scripts", "tools", "ci", "hack", "fuzz", "e2e", "website"}
_SKIPPED_PREFIXES = ("test", "example", ".")
_WORKFLOW_HINT = re.compile(r"(?i)ci|test|build|check|lint|main|push|pull|pr\b|deploy|release")

# GitHub's preference among README names (lower-case); any other README* comes after.
_README_ORDER = ("readme.md", "readme.markdown", "readme.rst", "readme.txt", "readme",
                 "readme.org", "readme.adoc", "readme.asciidoc")
_README_FOLDERS = ("", ".github/", "docs/")


def _rank(filename: str, patterns: tuple[str, ...]) -> int | None:
    name = filename.lower()
    return next((i for i, p in enumerate(patterns) if fnmatch.fnmatchcase(name, p)), None)


def is_manifest_name(filename: str) -> bool:
    return _rank(filename, MANIFEST_PATTERNS) is not None


def _folder_allowed(folder: str) -> bool:
    lower = folder.lower()
    return lower not in _SKIPPED_FOLDERS and not lower.startswith(_SKIPPED_PREFIXES)


def is_workflow_path(path: str) -> bool:
    if not path.startswith(WORKFLOW_DIR):
        return False
    rest = path[len(WORKFLOW_DIR):]
    return "/" not in rest and rest.lower().endswith(WORKFLOW_SUFFIXES)


def manifest_paths(tree: Iterable[TreeEntry], *, limit: int = MAX_MANIFESTS) -> list[str]:
    """The blob paths to fetch, most telling first, at most ``limit`` (see module doc)."""
    root: list[tuple[int, str]] = []
    packages: list[tuple[int, int, str]] = []
    workflows: list[str] = []
    secondary: list[tuple[int, str]] = []
    for entry in tree:
        if entry.type != "blob":
            continue
        path = entry.path
        parts = path.split("/")
        if is_workflow_path(path):
            workflows.append(path)
            continue
        if path.lower() in ROOT_PATHS:
            root.append((len(PRIMARY_PATTERNS), path))
            continue
        if parts[-1].lower() == "project.pbxproj" and len(parts) <= 4 \
                and parts[-2].lower().endswith(".xcodeproj") and all(map(_folder_allowed, parts[:-2])):
            packages.append((len(parts), 0, path))
            continue
        primary, other = _rank(parts[-1], PRIMARY_PATTERNS), _rank(parts[-1], SECONDARY_PATTERNS)
        if primary is None and other is None:
            continue
        if len(parts) == 1:
            root.append((primary if primary is not None else len(PRIMARY_PATTERNS) + other, path))
        elif not all(map(_folder_allowed, parts[:-1])):
            continue
        elif primary is not None and (len(parts) == 2 or (
                len(parts) == 3 and parts[0].lower() in WORKSPACE_FOLDERS)):
            packages.append((len(parts), primary, path))
        elif len(parts) == 2:
            secondary.append((other if other is not None else primary, path))
    workflows.sort(key=lambda p: (not _WORKFLOW_HINT.search(p[len(WORKFLOW_DIR):]), p))
    chosen = ([p for _, p in sorted(root)] + [p for *_, p in sorted(packages)]
              + workflows[:MAX_WORKFLOWS] + [p for _, p in sorted(secondary)])
    return chosen[:limit]


def readme_path(tree: Iterable[TreeEntry]) -> str | None:
    """The README GitHub's ``/readme`` would pick: root first, then .github/, then docs/."""
    candidates: dict[str, list[str]] = {folder: [] for folder in _README_FOLDERS}
    for entry in tree:
        if entry.type != "blob":
            continue
        folder, _, filename = entry.path.rpartition("/")
        folder = f"{folder}/" if folder else ""
        if folder in candidates and filename.lower().startswith("readme"):
            candidates[folder].append(entry.path)
    for folder in _README_FOLDERS:
        if candidates[folder]:
            return min(candidates[folder], key=_readme_rank)
    return None


def _readme_rank(path: str) -> tuple[int, str]:
    name = path.rpartition("/")[2].lower()
    try:
        return (_README_ORDER.index(name), path)
    except ValueError:
        return (len(_README_ORDER), path)
