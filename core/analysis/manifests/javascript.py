"""JavaScript/TypeScript: package.json (dependencies, peers, dev, workspaces, engines)."""

from __future__ import annotations

import json

from core.analysis.manifests.base import Dep, Kind, Parsed, named
from core.analysis.stack_names import PACKAGE_MANAGERS

_LOCAL_SPECS = ("workspace:", "file:", "link:", "portal:")


def package_json(path: str, text: str) -> Parsed:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("package.json is not an object")
    deps: list[Dep] = []
    for table, kind in (("dependencies", Kind.RUNTIME), ("peerDependencies", Kind.RUNTIME),
                        ("optionalDependencies", Kind.OPTIONAL), ("devDependencies", Kind.DEV)):
        specs = data.get(table) if isinstance(data.get(table), dict) else {}
        deps += [Dep("js", str(name).lower(), kind) for name, spec in specs.items()
                 if not str(spec).startswith(_LOCAL_SPECS)]
    manager = str(data.get("packageManager") or "")
    tools = [n for n in PACKAGE_MANAGERS if manager.lower().startswith(n.lower() + "@")]
    if isinstance(data.get("engines"), dict) and "node" in data["engines"]:
        tools.append("Node.js")
    return Parsed(deps, [str(data.get("name") or "")], tools)


READERS = [(named("package.json"), package_json)]
