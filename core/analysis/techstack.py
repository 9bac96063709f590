"""Deterministic tech-stack detection from a RepoSnapshot (no network, never raises).

Languages come from GitHub's byte counts (top 6, each at least 1 %); frameworks from
dependencies named in manifests (pyproject, requirements, setup.cfg, Pipfile,
package.json, go.mod, Cargo.toml, Gemfile/gemspec, pom.xml/Gradle, composer.json);
tools from files in the tree and from development dependencies. Every name comes
from the tables below, so a file name can never reach the result.

Rules worth knowing:
- Development dependencies, manifests under docs/, examples/, test*/ ..., nested
  manifests of a kind the root also has, and a Python package's requirements files
  (dev pins) contribute tools only (pytest, ESLint ...), never frameworks.
  package.json devDependencies do count: front-end frameworks are bundled from there.
- A repository is never listed as its own framework: packages built in the same
  repository (``workspace:``/path dependencies, any manifest's own package name) and
  any technology named like the repository are left out (flask has no "Flask",
  serde no "Serde", vite no "Vite").
"""

from __future__ import annotations

import configparser
import json
import logging
import re
import tomllib
from typing import Iterable, NamedTuple

from core.analysis.stack_names import (
    FILE_TOOLS, PACKAGE_MANAGERS, PATH_TOOLS, PREFIX_TOOLS, PYPROJECT_TOOLS, ROOT_ONLY, TABLES,
)
from core.analysis.types import TechStack
from core.github.snapshot import RepoSnapshot

log = logging.getLogger(__name__)

MAX_LANGUAGES, MAX_FRAMEWORKS, MAX_TOOLS = 6, 10, 12
MIN_LANGUAGE_SHARE = 0.01
# GitHub counts build files as languages; the Make/Docker/CMake tools already say it.
_NOT_LANGUAGES = {"Makefile", "Dockerfile", "CMake"}
_AUX_DIRS = {"docs", "doc", "examples", "example", "playground", "benchmarks", "bench",
             "benchsuite", "metrics", "demo", "demos", "fuzz", "samples", "scripts"}
class Dep(NamedTuple):
    """One declared dependency: its ecosystem, name, and whether it ships with the code."""

    eco: str
    name: str
    runtime: bool


Parsed = tuple[list[Dep], list[str], list[str]]  # deps, own package names, tools


def detect_stack(snapshot: RepoSnapshot) -> TechStack:
    """The languages, frameworks and tools of one repository, as display names."""
    languages = _languages(snapshot)
    root_files = {e.path.lower() for e in snapshot.tree if "/" not in e.path}
    root_files |= {p.lower() for p in snapshot.manifests if "/" not in p}
    python_package = bool(root_files & {"pyproject.toml", "setup.cfg", "setup.py"})
    deps: list[Dep] = []
    own: set[str] = {_norm(snapshot.name)}
    file_tools: list[str] = []
    for path, text in sorted(snapshot.manifests.items(), key=lambda kv: (kv[0].count("/"), kv[0])):
        try:
            found, own_names, tools = parse_manifest(path, text or "")
        except Exception:  # a broken manifest must never stop an import
            log.debug("could not read manifest %s", path, exc_info=True)
            continue
        base = path.rsplit("/", 1)[-1].lower()
        # Only the project's own definition decides its frameworks (see module doc).
        tools_only = (_is_aux(path) or ("/" in path and base in root_files)
                      or (python_package and base.startswith("requirements")))
        deps.extend(Dep(d.eco, d.name, d.runtime and not tools_only) for d in found)
        own.update(_norm(n) for n in own_names if n)
        file_tools.extend(tools)
    frameworks, dev_tools = _from_deps(deps, own)
    tools = [*_tree_tools(snapshot), *file_tools, *dev_tools]
    if PACKAGE_MANAGERS & set(tools):
        tools = [t for t in tools if t != "npm"]
    seen = {n.lower() for n in languages}
    frameworks = _unique(frameworks, seen, own)[:MAX_FRAMEWORKS]
    return TechStack(languages, frameworks, _unique(tools, seen, own)[:MAX_TOOLS])


def _languages(snapshot: RepoSnapshot) -> list[str]:
    counts = {k: v for k, v in (snapshot.languages or {}).items()
              if isinstance(v, (int, float)) and v > 0 and k not in _NOT_LANGUAGES}
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    names = [k for k, v in ranked if v / total >= MIN_LANGUAGE_SHARE][:MAX_LANGUAGES]
    return names or ([snapshot.primary_language] if snapshot.primary_language else [])


def _from_deps(deps: Iterable[Dep], own: set[str]) -> tuple[list[str], list[str]]:
    frameworks: list[str] = []
    tools: list[str] = []
    for dep in deps:
        if _norm(dep.name) in own:
            continue
        fw_table, tool_table = TABLES[dep.eco]
        fw = _lookup(fw_table, dep.name, dep.eco)
        if fw and dep.runtime:
            frameworks.append(fw)
        elif tool := _lookup(tool_table, dep.name, dep.eco):
            tools.append(tool)
    return frameworks, tools


def _lookup(table: dict[str, str], name: str, eco: str) -> str | None:
    if name in table:
        return table[name]
    if eco == "go":  # major-version suffixes: github.com/labstack/echo/v4
        return table.get(re.sub(r"/v\d+$", "", name))
    if eco == "jvm":  # "group:artifact"
        group, _, artifact = name.partition(":")
        if "." not in artifact and artifact in table:
            return table[artifact]
        return next((d for key, d in table.items() if "." in key
                     and (group == key or group.startswith(key + "."))), None)
    return None


def _is_aux(path: str) -> bool:
    """Inside docs/, examples/, test*/ ... (one level down or deeper)."""
    head, sep, _ = path.lower().partition("/")
    return bool(sep) and (head in _AUX_DIRS or head.startswith("test"))


def _tree_tools(snapshot: RepoSnapshot) -> list[str]:
    found: list[str] = []
    for entry in snapshot.tree:
        lower = entry.path.lower()
        depth, base = lower.count("/"), lower.rsplit("/", 1)[-1]
        if lower.startswith(".github/workflows/") and base.endswith((".yml", ".yaml")):
            found.append("GitHub Actions")
        elif lower in PATH_TOOLS:
            found.append(PATH_TOOLS[lower])
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


def _unique(names: Iterable[str], seen: set[str], own: set[str]) -> list[str]:
    out = []
    for name in names:
        if name.lower() not in seen and _norm(name) not in own:
            seen.add(name.lower())
            out.append(name)
    return out


def _norm(name: str) -> str:
    """PEP 503-style normalisation, good enough to compare names across ecosystems."""
    return re.sub(r"[-_.\s]+", "-", name.strip().lower())


# --- manifest parsers -------------------------------------------------------------

def parse_manifest(path: str, text: str) -> Parsed:
    """Dependencies, own package names and tools declared by one manifest (may raise)."""
    base = path.rsplit("/", 1)[-1].lower()
    if base == "pyproject.toml":
        return _pyproject(tomllib.loads(text))
    if base.startswith("requirements") and base.endswith((".txt", ".in")):
        runtime = base in ("requirements.txt", "requirements.in")
        return [Dep("py", n, runtime) for n in _requirement_names(text.splitlines())], [], []
    if base == "setup.cfg":
        return _setup_cfg(text)
    if base == "pipfile":
        data = tomllib.loads(text)
        return ([Dep("py", _norm(n), True) for n in _keys(data.get("packages"))]
                + [Dep("py", _norm(n), False) for n in _keys(data.get("dev-packages"))], [], [])
    if base == "package.json":
        return _package_json(json.loads(text))
    if base == "go.mod":
        module = re.search(r"^\s*module\s+(\S+)", text, re.M)
        found = re.findall(r"^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+/\S+)\s+v\d", text, re.M)
        return [Dep("go", n.lower(), True) for n in found], [module.group(1) if module else ""], []
    if base == "cargo.toml":
        return _cargo(tomllib.loads(text))
    if base == "gemfile" or base.endswith(".gemspec"):
        return _ruby(text)
    if base == "pom.xml":
        return _pom(text)
    if base in ("build.gradle", "build.gradle.kts"):
        found = [Dep("jvm", f"{m[1]}:{m[2]}", not m[0].startswith("test")) for m in
                 re.findall(r"^\s*(\w+)\s*\(?\s*['\"]([\w.-]+):([\w.-]+)", text, re.M)]
        plugins = re.findall(r"\bid\s*\(?\s*['\"]([\w.-]+)['\"]", text)
        return found + [Dep("jvm", f"{p}:plugin", True) for p in plugins], [], []
    if base == "composer.json":
        data = json.loads(text)
        return ([Dep("php", n.lower(), True) for n in _keys(data.get("require"))]
                + [Dep("php", n.lower(), False) for n in _keys(data.get("require-dev"))],
                [str(data.get("name") or "")], [])
    return [], [], []


def _keys(value: object) -> list[str]:
    return [str(k) for k in value] if isinstance(value, dict) else []


def _requirement_names(lines: Iterable[object]) -> list[str]:
    names = []
    for line in lines:
        text = str(line).split("#", 1)[0]
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
        if m and not text.lstrip().startswith("-"):  # -r, -e, --index-url ...
            names.append(_norm(m.group(1)))
    return names


def _pyproject(data: dict) -> Parsed:
    project, tool = data.get("project") or {}, data.get("tool") or {}
    poetry = tool.get("poetry") or {}
    deps = [Dep("py", n, True) for n in _requirement_names(project.get("dependencies") or [])]
    deps += [Dep("py", _norm(n), True) for n in _keys(poetry.get("dependencies")) if n != "python"]
    dev_lists = [*(project.get("optional-dependencies") or {}).values(),
                 *(data.get("dependency-groups") or {}).values(),
                 (data.get("build-system") or {}).get("requires") or []]
    for values in dev_lists:
        strings = [v for v in values if isinstance(v, str)]  # skip {include-group = ...}
        deps += [Dep("py", n, False) for n in _requirement_names(strings)]
    for group in [*(poetry.get("group") or {}).values(), {"dependencies": poetry.get("dev-dependencies")}]:
        deps += [Dep("py", _norm(n), False) for n in _keys((group or {}).get("dependencies"))]
    tools = [name for key, name in PYPROJECT_TOOLS.items() if key in tool]
    return deps, [str(project.get("name") or poetry.get("name") or "")], tools


def _setup_cfg(text: str) -> Parsed:
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    cfg.read_string(text)
    requires = cfg.get("options", "install_requires", fallback="").splitlines()
    deps = [Dep("py", n, True) for n in _requirement_names(requires)]
    if cfg.has_section("options.extras_require"):
        for _, value in cfg.items("options.extras_require"):
            deps += [Dep("py", n, False) for n in _requirement_names(value.splitlines())]
    tools = [n for s, n in (("tool:pytest", "pytest"), ("flake8", "Flake8")) if cfg.has_section(s)]
    return deps, [cfg.get("metadata", "name", fallback="")], tools


def _package_json(data: dict) -> Parsed:
    deps = []
    for table in ("dependencies", "peerDependencies", "devDependencies"):
        specs = data.get(table) if isinstance(data.get(table), dict) else {}
        deps += [Dep("js", str(name).lower(), True) for name, spec in specs.items()
                 if not str(spec).startswith(("workspace:", "file:", "link:"))]
    manager = str(data.get("packageManager") or "")
    tools = [n for n in PACKAGE_MANAGERS if manager.lower().startswith(n.lower() + "@")]
    if isinstance(data.get("engines"), dict) and "node" in data["engines"]:
        tools.append("Node.js")
    return deps, [str(data.get("name") or "")], tools


def _cargo(data: dict) -> Parsed:
    tables = [(data.get("dependencies"), True), (data.get("build-dependencies"), False),
              (data.get("dev-dependencies"), False),
              ((data.get("workspace") or {}).get("dependencies"), True)]
    tables += [(t.get("dependencies"), True) for t in (data.get("target") or {}).values()
               if isinstance(t, dict)]
    deps = [Dep("rs", name.lower(), runtime) for table, runtime in tables
            for name, spec in (table or {}).items()
            if not (isinstance(spec, dict) and "path" in spec)]  # path = a crate of this repo
    return deps, [str((data.get("package") or {}).get("name") or "")], []


_RUBY_OPENER = re.compile(r"(if|unless|case|def|begin|while|until|class|module)\b|.*\bdo(\s*\|[^|]*\|)?$")


def _ruby(text: str) -> Parsed:
    """Gemfile or gemspec; ``group ... do`` blocks hold development gems."""
    deps, own, depth, dev_depth = [], [], 0, 0
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].strip()
        if re.match(r"group\b", stripped) and _RUBY_OPENER.match(stripped):
            depth += 1
            dev_depth = dev_depth or depth
        elif _RUBY_OPENER.match(stripped):
            depth += 1
        elif stripped == "end":
            dev_depth = 0 if depth == dev_depth else dev_depth
            depth = max(depth - 1, 0)
        if m := re.match(r"gem\s+['\"]([\w.-]+)['\"](.*)", stripped):
            if "path:" not in m.group(2):
                deps.append(Dep("rb", m.group(1).lower(), not dev_depth))
        elif m := re.search(r"add_(runtime_|development_)?dependency\s*\(?\s*['\"]([\w.-]+)", stripped):
            deps.append(Dep("rb", m.group(2).lower(), m.group(1) != "development_"))
        elif m := re.search(r"Specification\.new\s*\(?\s*['\"]([\w.-]+)|\.name\s*=\s*['\"]([\w.-]+)",
                            stripped):
            own.append(m.group(1) or m.group(2))
    return deps, own, []


def _pom(text: str) -> Parsed:
    deps = []
    for block in re.findall(r"<dependency>(.*?)</dependency>", text, re.S):
        group = re.search(r"<groupId>\s*([^<\s]+)", block)
        artifact = re.search(r"<artifactId>\s*([^<\s]+)", block)
        scope = re.search(r"<scope>\s*([^<\s]+)", block)
        if group and artifact:
            runtime = not (scope and scope.group(1) in ("test", "provided"))
            deps.append(Dep("jvm", f"{group.group(1)}:{artifact.group(1)}", runtime))
    body = re.sub(r"<(parent|dependencies|build|plugins|profiles)>.*?</\1>", "", text, flags=re.S)
    own = re.search(r"<artifactId>\s*([^<\s]+)", body)
    return deps, [own.group(1) if own else ""], []
