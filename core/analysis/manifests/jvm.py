"""JVM builds: pom.xml (parsed), Gradle scripts (read with patterns), version catalogs
(``gradle/libs.versions.toml``) and settings.gradle (the modules this build holds).

Gradle's ``libs.some.library`` references are emitted as ``catalog:some.library`` and
resolved against the catalog by :func:`resolve_catalog` once every file is read.
"""

from __future__ import annotations

import re
import tomllib

from core.analysis.manifests.base import Dep, Kind, Parsed, named, strip_comments, xml_root

_TEST_CONFIG = re.compile(r"(?i)^(test|androidtest|testfixtures|integrationtest|debug|detekt|lint)")
_BUILD_CONFIG = re.compile(r"(?i)^(kapt|ksp|annotationprocessor|compileonly|classpath|coreLibraryDesugaring)")
_DEPENDENCY = re.compile(
    r"^\s*(\w+)\s*\(?\s*(?:platform\s*\(\s*|enforcedPlatform\s*\(\s*)?"
    r"(?:['\"]([\w.-]+):([\w.-]+)(?::[^'\"]*)?['\"]|(libs(?:\.\w+)+)|"
    r"group\s*[:=]\s*['\"]([\w.-]+)['\"]\s*,\s*name\s*[:=]\s*['\"]([\w.-]+)['\"])", re.M)
_PLUGIN = re.compile(r"\bid\s*\(?\s*['\"]([\w.-]+)['\"]|apply\s+plugin:\s*['\"]([\w.-]+)['\"]|"
                     r"\balias\s*\(\s*libs\.plugins\.([\w.]+)\s*\)|\bkotlin\s*\(\s*['\"]([\w.-]+)['\"]\s*\)")


def _kind_of(configuration: str) -> Kind:
    if _TEST_CONFIG.match(configuration):
        return Kind.DEV
    if _BUILD_CONFIG.match(configuration):
        return Kind.BUILD
    return Kind.RUNTIME


def gradle(path: str, text: str) -> Parsed:
    text = strip_comments(text)
    deps: list[Dep] = []
    for m in _DEPENDENCY.finditer(text):
        configuration = m.group(1)
        if configuration in ("id", "alias", "plugin", "version", "kotlin", "classpath", "maven"):
            continue
        kind = _kind_of(configuration)
        if m.group(2):
            deps.append(Dep("jvm", f"{m.group(2)}:{m.group(3)}", kind))
        elif m.group(4):
            deps.append(Dep("jvm", "catalog:" + m.group(4)[len("libs."):], kind))
        elif m.group(5):
            deps.append(Dep("jvm", f"{m.group(5)}:{m.group(6)}", kind))
    # Plugins shape the build; the tables say which ones mean a platform (Android, Spring Boot).
    for m in _PLUGIN.finditer(text):
        if m.group(3):
            deps.append(Dep("jvm", "catalog-plugin:" + m.group(3), Kind.BUILD))
        elif m.group(4):
            deps.append(Dep("jvm", f"org.jetbrains.kotlin.{m.group(4)}:plugin", Kind.BUILD))
        else:
            deps.append(Dep("jvm", f"{m.group(1) or m.group(2)}:plugin", Kind.BUILD))
    if re.search(r"\bcompose\s*(=\s*)?true\b", text):
        deps.append(Dep("tech", "Jetpack Compose"))
    return Parsed(deps, [], ["Gradle"])


def settings_gradle(path: str, text: str) -> Parsed:
    text = strip_comments(text)
    own = re.findall(r"rootProject\.name\s*=\s*['\"]([\w.-]+)['\"]", text)
    for block in re.findall(r"\binclude\s*\(?([^\n]*)", text):
        own += [name.strip(":").split(":")[-1] for name in re.findall(r"['\"]([:\w.-]+)['\"]", block)]
    plugins = [Dep("jvm", f"{p}:plugin", Kind.BUILD) for p in re.findall(r"\bid\s*\(?\s*['\"]([\w.-]+)['\"]", text)]
    return Parsed(plugins, own, ["Gradle"])


def version_catalog(path: str, text: str) -> Parsed:
    data = tomllib.loads(text)
    catalog: dict[str, str] = {}
    for alias, spec in (data.get("libraries") or {}).items():
        module = ""
        if isinstance(spec, str):
            module = ":".join(spec.split(":")[:2])
        elif isinstance(spec, dict):
            module = str(spec.get("module") or f"{spec.get('group', '')}:{spec.get('name', '')}")
        catalog[_alias(alias)] = module
    for alias, spec in (data.get("plugins") or {}).items():
        plugin_id = spec.split(":")[0] if isinstance(spec, str) else (spec or {}).get("id", "")
        catalog["plugins." + _alias(alias)] = f"{plugin_id}:plugin"
    return Parsed(catalog=catalog, tools=["Gradle"])


def _alias(alias: str) -> str:
    """Gradle maps ``-``, ``_`` and ``.`` in an alias to the same accessor."""
    return re.sub(r"[-_.]", ".", alias).lower()


def resolve_catalog(dep: Dep, catalog: dict[str, str]) -> Dep | None:
    """A ``catalog:`` reference replaced by the module it names (None if unknown)."""
    if dep.eco != "jvm" or not dep.name.startswith(("catalog:", "catalog-plugin:")):
        return dep
    prefix, _, ref = dep.name.partition(":")
    module = catalog.get(("plugins." if prefix == "catalog-plugin" else "") + _alias(ref))
    return Dep("jvm", module, dep.kind) if module else None


def pom(path: str, text: str) -> Parsed:
    root = xml_root(text)
    deps: list[Dep] = []
    for dependency in root.findall("./dependencies/dependency"):
        group, artifact = dependency.findtext("groupId"), dependency.findtext("artifactId")
        scope = (dependency.findtext("scope") or "").strip()
        if group and artifact:
            kind = Kind.DEV if scope == "test" else Kind.BUILD if scope == "provided" else Kind.RUNTIME
            deps.append(Dep("jvm", f"{group.strip()}:{artifact.strip()}", kind))
    parent = root.find("./parent")
    if parent is not None and parent.findtext("groupId"):
        deps.append(Dep("jvm", f"{parent.findtext('groupId').strip()}:{(parent.findtext('artifactId') or '').strip()}"))
    for plugin in root.findall("./build/plugins/plugin"):
        group = (plugin.findtext("groupId") or "org.apache.maven.plugins").strip()
        deps.append(Dep("jvm", f"{group}:{(plugin.findtext('artifactId') or '').strip()}", Kind.BUILD))
    # A Spring Boot parent POM makes a Spring Boot application.
    own = [root.findtext("artifactId") or ""] + [m.strip() for m in root.findall("./modules/module")
                                                 for m in [m.text or ""]]
    return Parsed(deps, [o.strip().rsplit("/", 1)[-1] for o in own], ["Maven"])


READERS = [
    (named("pom.xml"), pom),
    (named("build.gradle", "build.gradle.kts"), gradle),
    (named("settings.gradle", "settings.gradle.kts"), settings_gradle),
    (lambda p: p.endswith(".versions.toml"), version_catalog),
]
