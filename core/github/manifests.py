"""Which files of a repository tree the client fetches: manifests, workflows, the README.

Pure functions over tree paths (no network), so the choice is easy to test and the
same for every caller. We look only at the root and one folder down, because that
is where a project declares its stack; deeper manifests belong to fixtures, examples
and vendored code and would spend rate limit for little insight.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from core.github.snapshot import TreeEntry

MAX_MANIFESTS = 25
MAX_MANIFEST_BYTES = 200_000

# Lower-case file-name patterns of package manifests and build files.
MANIFEST_PATTERNS: tuple[str, ...] = (
    "pyproject.toml", "requirements*.txt", "setup.cfg", "setup.py", "pipfile",
    "package.json", "go.mod", "cargo.toml", "gemfile", "*.gemspec", "pom.xml",
    "build.gradle", "build.gradle.kts", "composer.json", "dockerfile",
    "docker-compose*.yml", "docker-compose*.yaml", "makefile", "cmakelists.txt",
)
WORKFLOW_DIR = ".github/workflows/"
WORKFLOW_SUFFIXES = (".yml", ".yaml")

# Folders whose manifests describe something other than the project itself.
_SKIPPED_FOLDERS = ("vendor", "node_modules", "docs", "doc")
_SKIPPED_FOLDER_PREFIXES = ("test", "example")

# GitHub's preference among README names (lower-case); any other README* comes after.
_README_ORDER = ("readme.md", "readme.markdown", "readme.rst", "readme.txt", "readme",
                 "readme.org", "readme.adoc", "readme.asciidoc")
_README_FOLDERS = ("", ".github/", "docs/")


def is_manifest_name(filename: str) -> bool:
    name = filename.lower()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in MANIFEST_PATTERNS)


def _folder_allowed(folder: str, filename: str) -> bool:
    lower = folder.lower()
    if lower in ("docs", "doc"):
        # A docs folder's requirements file is harmless and says how docs are built.
        return filename.lower().startswith("requirements") and filename.lower().endswith(".txt")
    if lower in _SKIPPED_FOLDERS or lower.startswith(_SKIPPED_FOLDER_PREFIXES):
        return False
    return not lower.startswith(".")


def is_workflow_path(path: str) -> bool:
    if not path.startswith(WORKFLOW_DIR):
        return False
    rest = path[len(WORKFLOW_DIR):]
    return "/" not in rest and rest.lower().endswith(WORKFLOW_SUFFIXES)


def manifest_paths(tree: Iterable[TreeEntry], *, limit: int = MAX_MANIFESTS) -> list[str]:
    """The blob paths to fetch, most telling first, at most ``limit``.

    Order: root manifests, then workflows, then manifests one folder down — so when
    a huge monorepo has more candidates than the cap, the root ones are kept.
    """
    root: list[str] = []
    workflows: list[str] = []
    nested: list[str] = []
    for entry in tree:
        if entry.type != "blob":
            continue
        path = entry.path
        if is_workflow_path(path):
            workflows.append(path)
            continue
        parts = path.split("/")
        if len(parts) == 1:
            if is_manifest_name(path):
                root.append(path)
        elif len(parts) == 2:
            folder, filename = parts
            if is_manifest_name(filename) and _folder_allowed(folder, filename):
                nested.append(path)
    return (sorted(root) + sorted(workflows) + sorted(nested))[:limit]


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
