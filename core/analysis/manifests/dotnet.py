""".NET: project files (*.csproj, *.fsproj, *.vbproj), Directory.Packages.props and
global.json. Project files are XML, parsed bounded and without a DTD."""

from __future__ import annotations

import json
import re

from core.analysis.manifests.base import Dep, Kind, Parsed, named, suffixed, xml_root

_SDK_TECH = {"microsoft.net.sdk.web": "ASP.NET Core", "microsoft.net.sdk.razor": "ASP.NET Core",
             "microsoft.net.sdk.blazorwebassembly": "Blazor"}
_TEST_PACKAGES = re.compile(r"(?i)^(xunit|nunit|mstest|microsoft\.net\.test\.sdk)")


def project_file(path: str, text: str) -> Parsed:
    root = xml_root(text)
    deps: list[Dep] = []
    sdk = (root.get("Sdk") or "").split("/")[0].strip().lower()
    if sdk in _SDK_TECH:
        deps.append(Dep("tech", _SDK_TECH[sdk]))
    references = [(ref.get("Include") or ref.get("Update") or "").strip()
                  for ref in root.iter("PackageReference")]
    is_test = bool(re.search(r"(?i)tests?\b|\.tests?\.", path.rsplit("/", 1)[-1])) or \
        any(_TEST_PACKAGES.match(r) for r in references) or \
        (root.findtext(".//IsTestProject") or "").strip().lower() == "true"
    deps += [Dep("nuget", r, Kind.DEV if is_test else Kind.RUNTIME) for r in references if r]
    for framework in root.iter("FrameworkReference"):
        if (framework.get("Include") or "").startswith("Microsoft.AspNetCore"):
            deps.append(Dep("tech", "ASP.NET Core"))
    if root.findtext(".//UseMaui", "").strip().lower() == "true":
        deps.append(Dep("tech", ".NET MAUI"))
    if root.findtext(".//UseWPF", "").strip().lower() == "true":
        deps.append(Dep("tech", "WPF"))
    if root.findtext(".//UseWindowsForms", "").strip().lower() == "true":
        deps.append(Dep("tech", "Windows Forms"))
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Parsed(deps, [name, root.findtext(".//AssemblyName") or "", root.findtext(".//PackageId") or ""],
                  [".NET"])


def central_packages(path: str, text: str) -> Parsed:
    """Directory.Packages.props pins versions for every project: it says what is available,
    not who uses it, so its entries count only as development (tools, when known)."""
    root = xml_root(text)
    names = [(e.get("Include") or "").strip() for e in root.iter("PackageVersion")]
    return Parsed([Dep("nuget", n, Kind.DEV) for n in names if n], [], [".NET"])


def global_json(path: str, text: str) -> Parsed:
    data = json.loads(text)
    return Parsed([], [], [".NET"] if isinstance(data, dict) and "sdk" in data else [])


READERS = [
    (suffixed(".csproj", ".fsproj", ".vbproj"), project_file),
    (named("directory.packages.props"), central_packages),
    (named("global.json"), global_json),
]
