"""Deterministic tech-stack detection from a RepoSnapshot (no network, never raises).

Languages come from GitHub's byte counts (top 6, each at least 1 %). Frameworks are
the direct runtime dependencies that the fetched manifests of any ecosystem declare
(:mod:`core.analysis.manifests`): a known one under its usual name, any other under
its package name, ranked frameworks first, then known libraries, then the rest, each
by how central it is (declared at the root before deeper; by several packages of a
monorepo before one). Tools come from files in the tree, from what manifests, CI
and container files run, and from development dependencies the tables know.

Rules worth knowing:
- Nothing is claimed that no file declares: lockfiles are never read, and no
  transitive dependency is inferred (Go's ``// indirect`` ones are skipped).
- Development, test and build dependencies never become frameworks (JavaScript
  front-end frameworks excepted: they are bundled from ``devDependencies``), and
  become tools only when the tables know them as tools (pytest, ESLint ...).
- Manifests under docs/, examples/, test*/ ... and a Python package's requirements
  files (dev pins) count as development only.
- A repository is never listed as its own framework: packages built in the same
  repository (workspace/path dependencies, any manifest's own package or module
  name) and any technology named like the repository are left out.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Iterable

from core.analysis.manifests import Dep, Kind, parse_manifest
from core.analysis.manifests.jvm import resolve_catalog
from core.analysis.stack_files import FILE_TOOLS, FOLDER_TOOLS, PATH_TOOLS, PREFIX_TOOLS, ROOT_ONLY
from core.analysis.stack_names import (FRAMEWORKS, IMPLIED_TOOLS, NOISE, PACKAGE_MANAGERS, TABLES,
                                       package_display)
from core.analysis.types import TechStack
from core.github.snapshot import RepoSnapshot

log = logging.getLogger(__name__)

MAX_LANGUAGES, MAX_FRAMEWORKS, MAX_TOOLS = 6, 12, 12
MIN_LANGUAGE_SHARE = 0.01
# GitHub counts build files as languages; the Make/Docker/CMake tools already say it.
_NOT_LANGUAGES = {"Makefile", "Dockerfile", "CMake"}
_AUX_DIRS = {"docs", "doc", "examples", "example", "playground", "benchmarks", "bench",
             "benchsuite", "metrics", "demo", "demos", "fuzz", "samples", "sample", "scripts",
             "website", "site", "e2e", "tools", "tooling", "hack", "ci", "contrib", "perf",
             "build", "eng", "testdata", "fixtures", "mocks"}
_TEST_DIR = re.compile(r"^tests?([-_.]|$)|[-_.]tests?$|^testing([-_]|$)|^spec$")
# Tools a reader cares least about: they go last when the list is cut.
_MINOR_TOOLS = {"Dependabot", "Renovate", "Codecov", "Coveralls", "CodeQL", "zizmor",
                "GitHub Releases", "Release Drafter", "Dev Containers", "Husky",
                "GitHub Pages", "Changesets", "semantic-release", "Chromatic", "Snyk", "Trivy",
                "SonarCloud", "Dart analyzer", "Pub", "CTest", "Go modules", "Node.js", "Prettier",
                "PostCSS", "Coverage.py", "Make", "rustfmt", "Clippy", "Spotless", "Stylelint",
                "MailHog", "Mailpit", "Adminer", "pgAdmin"}
_DATABASES = {"PostgreSQL", "MySQL", "MariaDB", "MongoDB", "Redis", "SQLite", "SQL Server",
              "Elasticsearch", "OpenSearch", "RabbitMQ", "Apache Kafka", "Memcached", "H2",
              "Valkey", "ClickHouse", "Apache Cassandra", "Neo4j", "InfluxDB", "MinIO"}
# Package managers, build systems, containers and CI: what a reader looks for first.
_BUILD_TOOLS = {"npm", "pnpm", "Yarn", "Bun", "Deno", "Poetry", "uv", "PDM", "Hatch", "Pipenv", "Conda",
                "setuptools", "Flit", "Cargo", "Maven", "Gradle", "Bundler", "Composer", "Mix",
                "Swift Package Manager", "CocoaPods", "Xcode", "CMake", "Meson", "Autotools", "Bazel",
                "Docker", "Kubernetes", "Helm", "Terraform", "GitHub Actions", "GitLab CI", "CircleCI",
                "Travis CI", "Azure Pipelines", "Jenkins", "webpack", "Vite", "Rollup", "esbuild",
                ".NET", "vcpkg", "Conan", "Jupyter", "Turborepo", "Nx", "Lerna"}


def _tool_tier(tool: str) -> int:
    return 0 if tool in _DATABASES else 1 if tool in _BUILD_TOOLS else 3 if tool in _MINOR_TOOLS else 2


# Apple frameworks are imported in source code we never fetch; the README names them.
_APPLE_FRAMEWORKS = ("SwiftUI", "UIKit", "AppKit", "Combine", "SwiftData", "Core Data", "Core ML",
                     "ARKit", "RealityKit", "MapKit", "WidgetKit", "HealthKit", "CloudKit")


@dataclass
class _Seen:
    display: str
    framework: bool
    known: bool
    optional: bool
    depth: int
    index: int
    manifests: set[str] = field(default_factory=set)

    mentioned: bool = False  # the README names it: the project shows it off

    def rank(self) -> tuple:
        # Several files of one folder (environment.yml and requirements.txt) are one package.
        packages = len({path.rpartition("/")[0] for path in self.manifests})
        return (not self.framework, self.optional, not self.known, not self.mentioned,
                self.depth, -packages, self.index)


def detect_stack(snapshot: RepoSnapshot) -> TechStack:
    """The languages, frameworks and tools of one repository, as display names."""
    languages = _languages(snapshot)
    records, own, file_tools = _read_manifests(snapshot)
    frameworks, dev_tools, implied = _from_deps(records, own, _words(snapshot.readme))
    frameworks += _readme_frameworks(snapshot, languages)
    tools = [*implied, *_tree_tools(snapshot), *file_tools, *dev_tools]
    if PACKAGE_MANAGERS & set(tools):
        tools = [t for t in tools if t != "npm"]
    seen = {n.lower() for n in languages}
    frameworks = _unique(frameworks, seen, own)[:MAX_FRAMEWORKS]
    tools = _unique(tools, seen, own)
    tools = sorted(tools, key=_tool_tier)  # stable: the order found within a tier
    return TechStack(languages, frameworks, tools[:MAX_TOOLS])


def _languages(snapshot: RepoSnapshot) -> list[str]:
    counts = {k: v for k, v in (snapshot.languages or {}).items()
              if isinstance(v, (int, float)) and v > 0 and k not in _NOT_LANGUAGES}
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    names = [k for k, v in ranked if v / total >= MIN_LANGUAGE_SHARE][:MAX_LANGUAGES]
    return names or ([snapshot.primary_language] if snapshot.primary_language else [])


def _read_manifests(snapshot: RepoSnapshot) -> tuple[list[tuple[Dep, str]], set[str], list[str]]:
    paths = {e.path.lower() for e in snapshot.tree} | {p.lower() for p in snapshot.manifests}
    python_folders = {p.rpartition("/")[0] for p in paths
                      if p.rpartition("/")[2] in ("pyproject.toml", "setup.cfg", "setup.py")}
    records: list[tuple[Dep, str]] = []
    own: set[str] = {norm(snapshot.name)}
    tools: list[str] = []
    catalog: dict[str, str] = {}
    for path, text in sorted(snapshot.manifests.items(), key=lambda kv: (kv[0].count("/"), kv[0])):
        try:
            parsed = parse_manifest(path, text or "")
        except Exception:  # a broken manifest must never stop an import
            log.debug("could not read manifest %s", path, exc_info=True)
            continue
        # Docs, examples and tests only say which tools a project uses (as do dev pins).
        aux = _is_aux(path)
        dev_only = aux or _is_python_pins(path, python_folders)
        for dep in parsed.deps:
            kind = Kind.AUX if aux else Kind.DEV if dev_only and dep.kind in (Kind.RUNTIME, Kind.OPTIONAL) \
                else dep.kind
            records.append((Dep(dep.eco, dep.name, kind), path))
        own.update(norm(n) for n in parsed.own if n)
        tools.extend(parsed.tools)
        catalog.update(parsed.catalog)
    if catalog:
        records = [(resolved, path) for dep, path in records
                   if (resolved := resolve_catalog(dep, catalog)) is not None]
    return records, own, tools


def _is_python_pins(path: str, python_folders: set[str]) -> bool:
    """A requirements file of a Python package (its dev pins), not of an application."""
    folder, _, base = path.lower().rpartition("/")
    if folder.rpartition("/")[2] == "requirements":
        return folder.rpartition("/")[0] in python_folders
    return base.startswith("requirements") and folder in python_folders


def _words(readme: str) -> set[str]:
    """The README's words, as dependency names are spelled (serde_json, body-parser, x/crypto)."""
    text = (readme or "")[:200_000].lower()
    return set(re.findall(r"[a-z0-9@][a-z0-9_.+/@-]*[a-z0-9+]", text)) | set(re.findall(r"[a-z0-9]+", text))


def _from_deps(records: Iterable[tuple[Dep, str]], own: set[str],
               readme_words: set[str] = frozenset()) -> tuple[list[str], list[str], list[str]]:
    seen: dict[str, _Seen] = {}
    tools: list[str] = []
    implied: list[str] = []
    for index, (dep, path) in enumerate(records):
        if _is_own(dep, own) or _is_noise(dep):
            continue
        if dep.eco == "tech":
            display, tool, known = dep.name, None, True
        else:
            fw_table, tool_table = TABLES.get(dep.eco, ({}, {}))
            display, tool = _lookup(fw_table, dep), _lookup(tool_table, dep)
            known = display is not None
        runtime = dep.kind in (Kind.RUNTIME, Kind.OPTIONAL)
        bundled = dep.eco == "js" and dep.kind is Kind.DEV and display in FRAMEWORKS
        if dep.kind is Kind.AUX:
            tools += [tool] if tool else []
            continue
        if tool and not (runtime and display):
            tools.append(tool)
            continue
        if not (runtime or bundled or (dep.kind is Kind.BUILD and known)):
            continue
        if dep.kind is Kind.RUNTIME and (hint := IMPLIED_TOOLS.get(_implied_key(dep))):
            implied.append(hint)
        display = display or package_display(dep.eco, dep.name)
        entry = seen.get(display.lower())
        if entry is None:
            entry = seen[display.lower()] = _Seen(display, display in FRAMEWORKS, known,
                                                  dep.kind is Kind.OPTIONAL, path.count("/"), index)
        entry.optional = entry.optional and dep.kind is Kind.OPTIONAL
        entry.mentioned = entry.mentioned or _named_in(readme_words, dep, display)
        entry.depth = min(entry.depth, path.count("/"))
        entry.manifests.add(path)
    ranked = sorted(seen.values(), key=_Seen.rank)
    return [entry.display for entry in ranked], tools, implied


def _named_in(words: set[str], dep: Dep, display: str) -> bool:
    names = {display.lower(), package_display(dep.eco, dep.name).lower()}
    return any(len(n) >= 3 and n in words for n in names)


def _lookup(table: dict[str, str], dep: Dep) -> str | None:
    name = dep.name
    key = name.lower() if dep.eco in ("c", "nuget", "swift") else name
    if key in table:
        return table[key]
    if dep.eco == "go":  # major-version suffixes and sub-packages: github.com/labstack/echo/v4
        parts = re.sub(r"/v\d+$", "", key).split("/")
        return next((table[p] for i in range(len(parts), 1, -1)
                     if (p := "/".join(parts[:i])) in table), None)
    if dep.eco == "jvm":  # "group:artifact"
        group, _, artifact = name.partition(":")
        if "." not in artifact and artifact in table:
            return table[artifact]
        keys = sorted((k for k in table if "." in k or k == group), key=len, reverse=True)
        return next((table[k] for k in keys if group == k or group.startswith(k + ".")), None)
    if dep.eco == "nuget":  # a dotted prefix: Serilog.Sinks.Console -> serilog
        parts = key.split(".")
        return next((table[p] for i in range(len(parts) - 1, 0, -1)
                     if (p := ".".join(parts[:i])) in table), None)
    return None


def _implied_key(dep: Dep) -> str:
    key = f"{dep.eco}:{dep.name.lower() if dep.eco == 'nuget' else dep.name}"
    if key in IMPLIED_TOOLS:
        return key
    if dep.eco == "go":
        return f"go:{re.sub(r'/v[0-9]+$', '', dep.name)}"
    if dep.eco == "jvm":
        return f"jvm:{dep.name.partition(':')[0]}"
    return key


def _is_noise(dep: Dep) -> bool:
    noise = NOISE.get(dep.eco, set())
    if dep.eco == "jvm":
        group = dep.name.partition(":")[0]
        return any(group == n or group.startswith(n + ".") for n in noise)
    if dep.eco == "go":
        return any(dep.name == n or dep.name.startswith(n + "/") for n in noise)
    return dep.name in noise or (dep.eco == "js" and dep.name.startswith("@types/"))


def _is_own(dep: Dep, own: set[str]) -> bool:
    if dep.eco == "tech":
        return norm(dep.name) in own
    name = dep.name.partition(":")[2] if dep.eco == "jvm" else dep.name
    return norm(name) in own


def _is_aux(path: str) -> bool:
    """Inside docs/, examples/, test*/ ... (one level down or deeper)."""
    head, sep, _ = path.lower().partition("/")
    return bool(sep) and (head in _AUX_DIRS or head.startswith("test") or bool(_TEST_DIR.search(head)))


def _tree_tools(snapshot: RepoSnapshot) -> list[str]:
    found: list[str] = []
    for entry in snapshot.tree:
        lower = entry.path.lower()
        depth, base = lower.count("/"), lower.rsplit("/", 1)[-1]
        if entry.type == "tree":
            if base.endswith(".xcodeproj") and not _is_aux(lower):
                found.append("Xcode")
            elif base in FOLDER_TOOLS:
                found.append(FOLDER_TOOLS[base])
            continue
        if lower.startswith(".github/workflows/") and base.endswith((".yml", ".yaml")):
            found.append("GitHub Actions")
        elif ".xcodeproj/" in lower and not _is_aux(lower):
            found.append("Xcode")
        elif lower in PATH_TOOLS:
            found.append(PATH_TOOLS[lower])
        elif base.endswith(".ipynb") and not lower.startswith(("docs/", "doc/")):
            found.append("Jupyter")
        elif _is_aux(lower) and not lower.startswith(("docs/", "doc/")):
            continue  # a Dockerfile under examples/ says little about the project
        elif lower.endswith(".tf"):
            found.append("Terraform")
        elif depth == 0 and base in ROOT_ONLY:
            found.append(ROOT_ONLY[base])
        elif depth <= 2 and base in FILE_TOOLS:
            found.append(FILE_TOOLS[base])
        elif depth <= 1 and (tool := next((t for p, t in PREFIX_TOOLS.items()
                                            if base.startswith(p)), None)):
            found.append(tool)
        elif base.endswith((".yaml", ".yml")) and {"k8s", "kubernetes"} & set(lower.split("/")):
            found.append("Kubernetes")
    return found


def _readme_frameworks(snapshot: RepoSnapshot, languages: list[str]) -> list[str]:
    """Apple UI frameworks of a Swift project, which only its README and tree can show."""
    paths = [e.path for e in snapshot.tree]
    apple = {"Swift", "Objective-C"} & set(languages) or any(
        p.endswith((".xcodeproj", "Package.swift")) for p in paths)
    if not apple:
        return []
    found = [name for name in _APPLE_FRAMEWORKS
             if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", snapshot.readme or "")]
    if any(p.rsplit("/", 1)[-1] == "ContentView.swift" for p in paths):
        found.insert(0, "SwiftUI")  # the SwiftUI app template's main view
    return found


def _unique(names: Iterable[str], seen: set[str], own: set[str]) -> list[str]:
    out = []
    for name in names:
        if name.lower() not in seen and norm(name) not in own:
            seen.add(name.lower())
            out.append(name)
    return out


def norm(name: str) -> str:
    """PEP 503-style normalisation, good enough to compare names across ecosystems."""
    return re.sub(r"[-_.\s]+", "-", name.strip().lower())
