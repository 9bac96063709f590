"""C and C++ builds: CMakeLists.txt (find_package, FetchContent, CPM, pkg-config),
vcpkg.json, conanfile.txt/.py, meson.build and configure.ac — all read, none run."""

from __future__ import annotations

import configparser
import json
import re

from core.analysis.manifests.base import Dep, Kind, Parsed, named

# What every C/C++ build finds without it being a dependency worth naming.
_SYSTEM = {"threads", "pkgconfig", "git", "perl", "python", "python3", "pythoninterp",
           "pythonlibs", "m", "c", "dl", "rt", "pthread", "libm", "libdl", "math", "cmath",
           "gnuinstalldirs", "cmakepackageconfighelpers", "ctest", "fetchcontent"}


def _dep(name: str, kind: Kind = Kind.RUNTIME) -> list[Dep]:
    return [] if not name or name.lower() in _SYSTEM else [Dep("c", name, kind)]


def cmake(path: str, text: str) -> Parsed:
    text = re.sub(r"(?m)#.*$", "", text)
    deps: list[Dep] = []
    for name in re.findall(r"\bfind_package\s*\(\s*([\w+-]+)", text, re.I):
        deps += _dep(name)
    for name in re.findall(r"\b(?:FetchContent_Declare|ExternalProject_Add)\s*\(\s*([\w+-]+)", text, re.I):
        deps += _dep(name)
    for spec in re.findall(r"\bCPMAddPackage\s*\(\s*(?:\"([^\"]+)\"|NAME\s+([\w+-]+))", text, re.I):
        name = spec[1] or re.sub(r"^gh:[^/]+/|[@#].*$", "", spec[0])
        deps += _dep(name)
    for args in re.findall(r"\bpkg_(?:check|search)_modules?\s*\(([^)]*)\)", text, re.I):
        words = args.split()[1:]  # the first word names the result variable
        deps += [d for w in words if re.match(r"[a-z][\w.+-]*$", w) for d in _dep(re.split(r"[<>=]", w)[0])]
    project = re.search(r"\bproject\s*\(\s*([\w+-]+)", text, re.I)
    tools = ["CMake"] + (["CTest"] if re.search(r"\benable_testing\s*\(|\badd_test\s*\(", text, re.I) else [])
    return Parsed(deps, [project.group(1) if project else ""], tools)


def vcpkg_json(path: str, text: str) -> Parsed:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("vcpkg.json is not an object")
    deps = []
    for item in data.get("dependencies") or []:
        name = item if isinstance(item, str) else item.get("name") if isinstance(item, dict) else None
        host = isinstance(item, dict) and item.get("host")
        if isinstance(name, str) and not name.startswith("vcpkg-"):
            deps.append(Dep("c", name, Kind.BUILD if host else Kind.RUNTIME))
    return Parsed(deps, [str(data.get("name") or "")], ["vcpkg"])


def conanfile_txt(path: str, text: str) -> Parsed:
    cfg = configparser.ConfigParser(allow_no_value=True, interpolation=None, strict=False,
                                    delimiters=("=",))
    cfg.optionxform = str  # keep "fmt/10.1.0" as written
    cfg.read_string(text)
    deps = []
    for section, kind in (("requires", Kind.RUNTIME), ("tool_requires", Kind.BUILD),
                          ("build_requires", Kind.BUILD), ("test_requires", Kind.DEV)):
        if cfg.has_section(section):
            deps += [Dep("c", key.split("/")[0].strip(), kind) for key in cfg[section] if key.strip()]
    return Parsed(deps, [], ["Conan"])


def conanfile_py(path: str, text: str) -> Parsed:
    deps = []
    for call, ref in re.findall(r"self\.(requires|tool_requires|build_requires|test_requires)\(\s*['\"]([\w.+-]+)/",
                                text):
        deps.append(Dep("c", ref, Kind.RUNTIME if call == "requires" else
                        Kind.DEV if call == "test_requires" else Kind.BUILD))
    for attr, body in re.findall(r"^\s*(requires|tool_requires|build_requires)\s*=\s*(\(.*?(?:\)|\Z)|\[.*?(?:\]|\Z)|['\"][^'\"]+(?:['\"]|\Z))",
                                 text, re.M | re.S):
        kind = Kind.RUNTIME if attr == "requires" else Kind.BUILD
        deps += [Dep("c", ref, kind) for ref in re.findall(r"['\"]([\w.+-]+)/", body)]
    name = re.search(r"^\s*name\s*=\s*['\"]([\w.+-]+)['\"]", text, re.M)
    return Parsed(deps, [name.group(1) if name else ""], ["Conan"])


def meson_build(path: str, text: str) -> Parsed:
    text = re.sub(r"(?m)#.*$", "", text)
    deps = [d for name in re.findall(r"\bdependency\s*\(\s*'([^']+)'", text) for d in _dep(name)]
    project = re.search(r"\bproject\s*\(\s*'([^']+)'", text)
    return Parsed(deps, [project.group(1) if project else ""], ["Meson"])


def configure_ac(path: str, text: str) -> Parsed:
    text = re.sub(r"(?m)^\s*dnl\b.*$", "", text)
    deps: list[Dep] = []
    for modules in re.findall(r"PKG_CHECK_MODULES\s*\(\s*\[?\w+\]?\s*,\s*\[?([^\],)]+)", text):
        deps += [d for w in modules.split() if re.match(r"[a-z][\w.+-]*$", w)
                 for d in _dep(re.split(r"[<>=]", w)[0])]
    deps += [d for lib in re.findall(r"AC_CHECK_LIB\s*\(\s*\[?([\w+-]+)", text) for d in _dep(lib)]
    deps += [d for lib in re.findall(r"AC_ARG_WITH\s*\(\s*\[?([\w+-]+)", text) for d in _dep(lib, Kind.OPTIONAL)]
    tools = ["Autotools"]
    tools += [t for macro, t in (("AC_PROG_YACC", "Bison"), ("AC_PROG_LEX", "Flex"), ("LT_INIT", "Libtool"))
              if macro in text]
    project = re.search(r"AC_INIT\s*\(\s*\[?([\w+-]+)", text)
    return Parsed(deps, [project.group(1) if project else ""], tools)


READERS = [
    (named("cmakelists.txt"), cmake),
    (named("vcpkg.json"), vcpkg_json),
    (named("conanfile.txt"), conanfile_txt),
    (named("conanfile.py"), conanfile_py),
    (named("meson.build"), meson_build),
    (named("configure.ac", "configure.in"), configure_ac),
]
