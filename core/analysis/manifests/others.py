"""Go (go.mod), Rust (Cargo.toml), Ruby (Gemfile, *.gemspec), PHP (composer.json),
Elixir (mix.exs, read with patterns) and Dart/Flutter (pubspec.yaml)."""

from __future__ import annotations

import json
import re
import tomllib

from core.analysis.manifests.base import Dep, Kind, Parsed, keys, named, suffixed, yaml_data


def go_mod(path: str, text: str) -> Parsed:
    module = re.search(r"^\s*module\s+(\S+)", text, re.M)
    deps = []
    in_block = False
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"require\s*\($", stripped):
            in_block = True
            continue
        if in_block and stripped == ")":
            in_block = False
            continue
        m = re.match(r"(?:require\s+)?([A-Za-z0-9.-]+\.[A-Za-z]+/\S+)\s+v\d", stripped)
        if m and (in_block or stripped.startswith("require")) and "// indirect" not in stripped:
            deps.append(Dep("go", m.group(1)))  # "// indirect" ones are transitive
    return Parsed(deps, [module.group(1) if module else ""], ["Go modules"])


def cargo_toml(path: str, text: str) -> Parsed:
    data = tomllib.loads(text)
    tables = [(data.get("dependencies"), Kind.RUNTIME), (data.get("build-dependencies"), Kind.BUILD),
              (data.get("dev-dependencies"), Kind.DEV),
              ((data.get("workspace") or {}).get("dependencies"), Kind.RUNTIME)]
    for target in (data.get("target") or {}).values():
        if isinstance(target, dict):
            tables += [(target.get("dependencies"), Kind.RUNTIME),
                       (target.get("dev-dependencies"), Kind.DEV)]
    deps = []
    for table, kind in tables:
        for name, spec in (table or {}).items() if isinstance(table, dict) else ():
            if isinstance(spec, dict):
                if "path" in spec:
                    continue  # a crate of this repository (its version is for publishing)
                name = str(spec.get("package") or name)  # renamed dependency
                if spec.get("optional") and kind is Kind.RUNTIME:
                    kind_here = Kind.OPTIONAL
                else:
                    kind_here = kind
            else:
                kind_here = kind
            deps.append(Dep("rs", str(name).lower(), kind_here))
    own = [str((data.get("package") or {}).get("name") or "")]
    members = (data.get("workspace") or {}).get("members")
    own += [m.rstrip("/").rsplit("/", 1)[-1] for m in members if isinstance(m, str) and "*" not in m] \
        if isinstance(members, list) else []
    return Parsed(deps, own, ["Cargo"])


_RUBY_OPENER = re.compile(r"(if|unless|case|def|begin|while|until|class|module)\b|.*\bdo(\s*\|[^|]*\|)?$")


def ruby(path: str, text: str) -> Parsed:
    """Gemfile or gemspec; ``group :development/:test do`` blocks hold development gems,
    and so does a whole Gemfile that defers to a gemspec (the gem's runtime needs are there)."""
    deps, own, depth, dev_depth = [], [], 0, 0
    library = bool(re.search(r"^\s*gemspec\b", text, re.M))
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].strip()
        if re.match(r"group\b", stripped) and _RUBY_OPENER.match(stripped):
            depth += 1
            production = re.search(r":(production|default)\b", stripped) and \
                not re.search(r":(development|test)\b", stripped)
            dev_depth = dev_depth or (0 if production else depth)
        elif _RUBY_OPENER.match(stripped):
            depth += 1
        elif stripped == "end":
            dev_depth = 0 if depth == dev_depth else dev_depth
            depth = max(depth - 1, 0)
        if m := re.match(r"gem\s*\(?\s*['\"]([\w.-]+)['\"](.*)", stripped):
            if "path:" not in m.group(2) and ":path" not in m.group(2):
                dev = dev_depth or re.search(r"group:\s*\[?:(development|test)|:group\s*=>\s*:(development|test)",
                                             m.group(2))
                deps.append(Dep("rb", m.group(1).lower(), Kind.DEV if dev or library else Kind.RUNTIME))
        elif m := re.search(r"add_(runtime_|development_)?dependency\s*\(?\s*['\"]([\w.-]+)", stripped):
            deps.append(Dep("rb", m.group(2).lower(),
                            Kind.DEV if m.group(1) == "development_" else Kind.RUNTIME))
        elif m := re.search(r"Specification\.new\s*\(?\s*['\"]([\w.-]+)|\.name\s*=\s*['\"]([\w.-]+)",
                            stripped):
            own.append(m.group(1) or m.group(2))
    tools = ["Bundler"] if path.lower().endswith("gemfile") else []
    return Parsed(deps, own, tools)


def composer_json(path: str, text: str) -> Parsed:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("composer.json is not an object")

    def usable(name: str) -> bool:  # the PHP version and its extensions are not packages
        return "/" in name
    deps = ([Dep("php", n.lower()) for n in keys(data.get("require")) if usable(n)]
            + [Dep("php", n.lower(), Kind.DEV) for n in keys(data.get("require-dev")) if usable(n)])
    return Parsed(deps, [str(data.get("name") or "")], ["Composer"])


_MIX_DEP = re.compile(r"\{\s*:(\w+)\s*,([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")


def mix_exs(path: str, text: str) -> Parsed:
    text = re.sub(r"(?m)#.*$", "", text)
    # Only the deps function holds dependencies ({:ok, value} tuples abound elsewhere).
    block = re.search(r"defp?\s+deps\b.*?(?=\n\s*defp?\s|\Z)", text, re.S)
    deps = []
    for name, options in _MIX_DEP.findall(block.group(0) if block else ""):
        if re.search(r"\bin_umbrella:\s*true|\bpath:", options):
            continue
        if re.search(r"only:\s*(:test|:dev|\[\s*:(dev|test)\s*(,\s*:(dev|test)\s*)?\])", options):
            kind = Kind.DEV
        elif re.search(r"runtime:\s*(false|Mix\.env)", options):
            kind = Kind.BUILD
        else:
            kind = Kind.RUNTIME
        if re.search(r"['\"~>=\d]|github:|git:|hex:|override:|only:|runtime:|optional:|manager:|\w+\(\)",
                     options) or not options.strip():
            deps.append(Dep("ex", name, kind))
    app = re.search(r"\bapp:\s*:(\w+)", text)
    return Parsed(deps, [app.group(1) if app else ""], ["Mix"])


def pubspec(path: str, text: str) -> Parsed:
    data = yaml_data(text)
    if not isinstance(data, dict):
        raise ValueError("pubspec.yaml is not a mapping")
    deps: list[Dep] = []
    for table, kind in (("dependencies", Kind.RUNTIME), ("dev_dependencies", Kind.DEV)):
        for name, spec in (data.get(table) or {}).items() if isinstance(data.get(table), dict) else ():
            if isinstance(spec, dict) and spec.get("sdk") == "flutter":
                if kind is Kind.RUNTIME and name == "flutter":
                    deps.append(Dep("tech", "Flutter"))
                continue
            if isinstance(spec, dict) and "path" in spec:
                continue
            deps.append(Dep("dart", str(name), kind))
    tools = ["Pub"]
    if isinstance(data.get("flutter"), dict) and "plugin" in data["flutter"]:
        deps.append(Dep("tech", "Flutter"))
    return Parsed(deps, [str(data.get("name") or "")], tools)


READERS = [
    (named("go.mod"), go_mod),
    (named("cargo.toml"), cargo_toml),
    (lambda p: named("gemfile")(p) or suffixed(".gemspec")(p), ruby),
    (named("composer.json"), composer_json),
    (named("mix.exs"), mix_exs),
    (named("pubspec.yaml"), pubspec),
]
