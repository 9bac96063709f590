"""Swift and Apple platforms: Package.swift (read with patterns), an Xcode project's
project.pbxproj (its Swift packages and SDK), Podfile (CocoaPods) and Cartfile."""

from __future__ import annotations

import re

from core.analysis.manifests.base import Dep, Kind, Parsed, named, strip_comments

_PACKAGE_URL = re.compile(r"\.package\s*\((?:[^()]*?name:\s*\"([^\"]+)\"\s*,)?[^()]*?url:\s*\"([^\"]+)\"")
_TARGET = re.compile(r"\.(target|executableTarget|testTarget|macro|plugin)\s*\(")
_PLATFORMS = {"iOS": "iOS", "macOS": "macOS", "watchOS": "watchOS", "tvOS": "tvOS", "visionOS": "visionOS"}


def package_name(url: str) -> str:
    """``https://github.com/apple/swift-argument-parser.git`` -> ``swift-argument-parser``."""
    return re.sub(r"\.git$", "", url.rstrip("/").rsplit("/", 1)[-1])


def package_swift(path: str, text: str) -> Parsed:
    text = strip_comments(text)
    packages = {(name or package_name(url)): package_name(url) for name, url in _PACKAGE_URL.findall(text)}
    # Which packages only test targets use: their products name them as ``package: "X"``.
    used: dict[str, set[str]] = {}
    spans = [(m.start(), m.group(1)) for m in _TARGET.finditer(text)]
    for index, (start, kind) in enumerate(spans):
        end = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        for ref in re.findall(r"package:\s*\"([^\"]+)\"", text[start:end]):
            used.setdefault(ref, set()).add(kind)
    deps = []
    for name, display in packages.items():
        kinds = used.get(name) or used.get(display) or set()
        dev = bool(kinds) and kinds <= {"testTarget"}
        deps.append(Dep("swift", display, Kind.DEV if dev else Kind.RUNTIME))
    deps += [Dep("tech", framework) for framework in re.findall(r"linkedFramework\(\s*\"(\w+)\"", text)]
    deps += [Dep("tech", name) for key, name in _PLATFORMS.items() if re.search(rf"\.{key}\s*\(", text)]
    own = re.findall(r"Package\s*\(\s*name:\s*\"([^\"]+)\"", text)
    return Parsed(deps, own, ["Swift Package Manager"])


def pbxproj(path: str, text: str) -> Parsed:
    """Swift packages an Xcode project pulls in; those only test bundles use are dev."""
    references = dict(re.findall(r"(\w{24}) /\* XCRemoteSwiftPackageReference \"[^\"]*\" \*/ = \{[^}]*?"
                                 r"repositoryURL = \"?([^\";]+)\"?;", text, re.S))
    products = {pid: (ref, name) for pid, ref, name in re.findall(
        r"(\w{24}) /\* [^*]* \*/ = \{\s*isa = XCSwiftPackageProductDependency;[^}]*?"
        r"package = (\w{24})[^;]*;\s*productName = \"?([^\";]+)\"?;", text, re.S)}
    test_only: dict[str, bool] = {}
    for block in re.findall(r"isa = PBXNativeTarget;(.*?)(?:\n\t\t\};|\Z)", text, re.S):
        is_test = "product-type.bundle.unit-test" in block or "product-type.bundle.ui-testing" in block
        listed = re.search(r"packageProductDependencies = \((.*?)(?:\);|\Z)", block, re.S)
        for pid in re.findall(r"(\w{24})", listed.group(1) if listed else ""):
            if pid in products:
                ref = products[pid][0]
                test_only[ref] = test_only.get(ref, True) and is_test
    deps = [Dep("swift", package_name(url), Kind.DEV if test_only.get(ref) else Kind.RUNTIME)
            for ref, url in references.items()]
    sdks = set(re.findall(r"SDKROOT = (\w+);", text))
    deps += [Dep("tech", name) for sdk, name in (("iphoneos", "iOS"), ("macosx", "macOS"),
                                                  ("watchos", "watchOS"), ("appletvos", "tvOS"))
             if sdk in sdks]
    return Parsed(deps, re.findall(r"productName = \"?([^\";]+)\"?;", text)[:1], ["Xcode"])


def podfile(path: str, text: str) -> Parsed:
    text = re.sub(r"(?m)#.*$", "", text)
    deps, depth_test = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"target\s+['\"][^'\"]*Tests?['\"]", stripped):
            depth_test = True
        elif stripped == "end":
            depth_test = False
        if m := re.match(r"pod\s+['\"]([\w.+-]+)(?:/[\w.+-]+)?['\"]", stripped):
            deps.append(Dep("swift", m.group(1), Kind.DEV if depth_test else Kind.RUNTIME))
    return Parsed(deps, [], ["CocoaPods"])


def cartfile(path: str, text: str) -> Parsed:
    names = re.findall(r"^\s*(?:github|git)\s+\"([^\"]+)\"", text, re.M)
    return Parsed([Dep("swift", package_name(n)) for n in names], [], ["Carthage"])


READERS = [
    (named("package.swift"), package_swift),
    (named("project.pbxproj"), pbxproj),
    (named("podfile"), podfile),
    (named("cartfile"), cartfile),
]
