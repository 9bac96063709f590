"""What a manifest reader returns, and the small helpers every reader shares."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Iterable

import yaml

MAX_XML_CHARS = 500_000
MAX_YAML_CHARS = 300_000
# libyaml's C parser when PyYAML was built with it (the same safe constructors): the
# pure-Python one took ~90 % of the tech-stack detection, most of it CI workflows.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Kind(str, Enum):
    """How a dependency is used: only RUNTIME (and OPTIONAL) ones may become frameworks."""

    RUNTIME = "runtime"
    OPTIONAL = "optional"  # an extra / optional feature of the package
    DEV = "dev"  # tests, linting, docs: tools only, when the tables know them
    BUILD = "build"  # build-time only (build-system, annotation processors, build deps)
    AUX = "aux"  # declared under docs/, examples/, tests ...: says which tools are used, no more


@dataclass(frozen=True)
class Dep:
    """One declared dependency. ``eco`` picks the name tables; ``tech`` means ``name`` is
    already a display name (a platform the file names: Flutter, Android, ASP.NET Core)."""

    eco: str
    name: str
    kind: Kind = Kind.RUNTIME


@dataclass
class Parsed:
    deps: list[Dep] = field(default_factory=list)
    own: list[str] = field(default_factory=list)  # packages this repository builds
    tools: list[str] = field(default_factory=list)  # display names
    catalog: dict[str, str] = field(default_factory=dict)  # Gradle version catalog alias -> module


Reader = Callable[[str, str], Parsed]


def named(*names: str) -> Callable[[str], bool]:
    """A path matcher on the exact lower-case file name."""
    wanted = set(names)
    return lambda path: path.rsplit("/", 1)[-1] in wanted


def suffixed(*suffixes: str) -> Callable[[str], bool]:
    return lambda path: path.rsplit("/", 1)[-1].endswith(suffixes)


def keys(value: object) -> list[str]:
    return [str(k) for k in value] if isinstance(value, dict) else []


def strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def deps_of(eco: str, names: Iterable[str], kind: Kind = Kind.RUNTIME) -> list[Dep]:
    return [Dep(eco, n, kind) for n in names if n]


def xml_root(text: str) -> ElementTree.Element:
    """Parse bounded XML without a DTD (no entity tricks), namespaces stripped from tags."""
    if len(text) > MAX_XML_CHARS or re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        raise ValueError("XML too large or with a DTD")
    root = ElementTree.fromstring(text)
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def yaml_data(text: str) -> object:
    """``yaml.safe_load`` of bounded text whose value, every alias followed, is bounded too
    (ValueError otherwise, as for any unreadable manifest)."""
    if len(text) > MAX_YAML_CHARS:
        raise ValueError("YAML file too large")
    data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    _check_expanded_size(data, 2 * MAX_YAML_CHARS)
    return data


def _check_expanded_size(data: object, limit: int) -> None:
    """Raise ValueError when ``data``, every alias followed, is larger than ``limit``.

    An alias costs a few bytes of YAML and stands for its whole anchored value: ten
    thousand ``- *step`` lines make a 200 KB file that a reader would walk as hundreds
    of millions of characters (minutes of CPU, a gigabyte of copies, beyond cancel and
    deadline). Counting stops at ``limit``, so the check itself is bounded (cycles too).
    """
    size, pending = 0, [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            size += len(value)
        elif isinstance(value, dict):
            size += 1 + len(value)
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            size += 1 + len(value)
            pending.extend(value)
        else:
            size += 1
        if size > limit:
            raise ValueError("YAML file too large once its aliases are followed")


def strip_comments(text: str, line: str = "//", block: bool = True) -> str:
    """Source text without comments (C-like by default), keeping line structure."""
    if block:
        # An unclosed comment runs to the end (a lazy ".*?\*/" alone would scan to the
        # end from every "/*": quadratic in a file of them).
        text = re.sub(r"/\*.*?(?:\*/|\Z)", lambda m: "\n" * m.group(0).count("\n"), text,
                      flags=re.S)
    return re.sub(rf"(?m)(^|\s){re.escape(line)}.*$", r"\1", text)
