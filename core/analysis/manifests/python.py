"""Python manifests: pyproject (PEP 621, Poetry, PEP 735 groups, uv), requirements files,
setup.cfg, setup.py (read with patterns, never run), Pipfile, conda environment files."""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from typing import Iterable

from core.analysis.manifests.base import Dep, Kind, Parsed, keys, named, strings, yaml_data
from core.analysis.stack_files import PYPROJECT_TOOLS

_DEV_GROUP = re.compile(r"(?i)dev|test|lint|doc|typ|check|style|format|^ci$|bench|coverage|mypy|^qa$|^all$")
_DEV_REQUIREMENTS = re.compile(r"(?i)(^|[-_./])(dev|tests?|lint|docs?|ci|check|style|format|bench|typing|"
                               r"build|extras?|local)")


def norm(name: str) -> str:
    """PEP 503 normalisation: how a Python package is compared."""
    return re.sub(r"[-_.]+", "-", name.strip().lower())


def requirement_names(lines: Iterable[object]) -> list[str]:
    names = []
    for line in lines:
        text = str(line).split("#", 1)[0].strip()
        if not text or text.startswith("-") or "://" in text.split(";")[0].split("@")[0]:
            continue  # -r, -e, --index-url, bare URLs
        if m := re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)", text):
            names.append(norm(m.group(1)))
    return names


def _kind_of_group(name: str) -> Kind:
    return Kind.DEV if _DEV_GROUP.search(name) else Kind.OPTIONAL


def pyproject(path: str, text: str) -> Parsed:
    data = tomllib.loads(text)
    project, tool = data.get("project") or {}, data.get("tool") or {}
    poetry = tool.get("poetry") or {}
    deps = [Dep("py", n) for n in requirement_names(strings(project.get("dependencies")))]
    deps += [Dep("py", norm(n)) for n in keys(poetry.get("dependencies")) if n.lower() != "python"]
    for group, values in (project.get("optional-dependencies") or {}).items():
        deps += [Dep("py", n, _kind_of_group(group)) for n in requirement_names(strings(values))]
    for values in (data.get("dependency-groups") or {}).values():
        deps += [Dep("py", n, Kind.DEV) for n in requirement_names(strings(values))]
    uv = tool.get("uv") or {}
    deps += [Dep("py", n, Kind.DEV) for n in requirement_names(strings(uv.get("dev-dependencies")))]
    requires = strings((data.get("build-system") or {}).get("requires"))
    deps += [Dep("py", n, Kind.BUILD) for n in requirement_names(requires)]
    groups = [*(poetry.get("group") or {}).values(), {"dependencies": poetry.get("dev-dependencies")}]
    for group in groups:
        deps += [Dep("py", norm(n), Kind.DEV) for n in keys((group or {}).get("dependencies"))]
    tools = [name for key, name in PYPROJECT_TOOLS.items() if key in tool]
    return Parsed(deps, [str(project.get("name") or poetry.get("name") or "")], tools)


def requirements(path: str, text: str) -> Parsed:
    base = path.rsplit("/", 1)[-1]
    folder = path.rsplit("/", 2)[-2] if path.count("/") else ""
    dev = bool(_DEV_REQUIREMENTS.search(base.replace("requirements", ""))) or \
        (folder == "requirements" and bool(_DEV_REQUIREMENTS.search(base)))
    kind = Kind.DEV if dev else Kind.RUNTIME
    return Parsed([Dep("py", n, kind) for n in requirement_names(text.splitlines())])


def setup_cfg(path: str, text: str) -> Parsed:
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    cfg.read_string(text)
    requires = cfg.get("options", "install_requires", fallback="").splitlines()
    deps = [Dep("py", n) for n in requirement_names(requires)]
    if cfg.has_section("options.extras_require"):
        for group, value in cfg.items("options.extras_require"):
            deps += [Dep("py", n, _kind_of_group(group)) for n in requirement_names(value.splitlines())]
    tools = [n for s, n in (("tool:pytest", "pytest"), ("flake8", "Flake8"), ("mypy", "mypy"))
             if cfg.has_section(s)]
    return Parsed(deps, [cfg.get("metadata", "name", fallback="")], tools)


def _literal_list(source: str, value: str) -> list[str]:
    """A list literal, or a name bound to one at module level (``REQUIRES = [...]``)."""
    if not value.startswith("["):
        bound = re.search(rf"^{re.escape(value)}\s*=\s*(\[.*?(?:\]|\Z))", source, re.M | re.S)
        value = bound.group(1) if bound else "[]"
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        parsed = re.findall(r"['\"]([^'\"]+)['\"]", value)
    return strings(parsed if isinstance(parsed, list) else [])


def _argument(source: str, name: str) -> str | None:
    r"""The text of ``name=[...]`` / ``name=NAME`` / ``name={...}`` in a ``setup(...)`` call.

    A bracket never closed runs to the end of the text (here and below): a lazy ``.*?\]``
    alone would scan to the end from every opening, quadratic in a file of them."""
    m = re.search(rf"\b{name}\s*=\s*(\[.*?(?:\]|\Z)|\{{.*?(?:\}}|\Z)|[A-Za-z_]\w*)", source, re.S)
    return m.group(1) if m else None


def setup_py(path: str, text: str) -> Parsed:
    deps = []
    if (value := _argument(text, "install_requires")) is not None:
        deps += [Dep("py", n) for n in requirement_names(_literal_list(text, value))]
    for arg in ("tests_require", "setup_requires"):
        if (value := _argument(text, arg)) is not None:
            kind = Kind.DEV if arg == "tests_require" else Kind.BUILD
            deps += [Dep("py", n, kind) for n in requirement_names(_literal_list(text, value))]
    extras = _argument(text, "extras_require")
    if extras and extras.startswith("{"):
        for group, body in re.findall(r"['\"]([\w.-]+)['\"]\s*:\s*(\[.*?(?:\]|\Z))", extras, re.S):
            deps += [Dep("py", n, _kind_of_group(group)) for n in requirement_names(_literal_list(text, body))]
    name = re.search(r"\bname\s*=\s*['\"]([\w.-]+)['\"]", text)
    return Parsed(deps, [name.group(1) if name else ""], ["setuptools"])


def pipfile(path: str, text: str) -> Parsed:
    data = tomllib.loads(text)
    return Parsed([Dep("py", norm(n)) for n in keys(data.get("packages"))]
                  + [Dep("py", norm(n), Kind.DEV) for n in keys(data.get("dev-packages"))],
                  tools=["Pipenv"])


def conda_environment(path: str, text: str) -> Parsed:
    data = yaml_data(text) or {}
    deps: list[Dep] = []
    for item in (data.get("dependencies") or []) if isinstance(data, dict) else []:
        if isinstance(item, str):
            name = re.split(r"[=<>!\s\[]", item.split("::")[-1].strip(), maxsplit=1)[0]
            if name.lower() not in ("python", "pip"):
                deps.append(Dep("py", norm(name)))
        elif isinstance(item, dict):  # {"pip": [...]}
            deps += [Dep("py", n) for n in requirement_names(strings(item.get("pip")))]
    return Parsed(deps, [str(data.get("name") or "")] if isinstance(data, dict) else [], ["Conda"])


def _is_requirements(path: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    folder = path.rsplit("/", 2)[-2] if path.count("/") else ""
    return (base.startswith("requirements") and base.endswith((".txt", ".in"))) or \
        (folder == "requirements" and base.endswith((".txt", ".in")))


READERS = [
    (named("pyproject.toml"), pyproject),
    (_is_requirements, requirements),
    (named("setup.cfg"), setup_cfg),
    (named("setup.py"), setup_py),
    (named("pipfile"), pipfile),
    (named("environment.yml", "environment.yaml"), conda_environment),
]
