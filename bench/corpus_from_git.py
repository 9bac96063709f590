"""Turn a local git snapshot of a public repository into one corpus folder (metadata only).

    python bench/corpus_from_git.py GIT_DIR OWNER/NAME OUT_DIR --id 4001 \
        --license MIT --description "..." [--topics a,b] [--ref HEAD]

Writes ``OUT_DIR/OWNER__NAME/`` in the layout of ``tests/data/corpus`` (see its
README): ``repo.json`` (facts; ``languages`` counted from blob sizes by file
extension, leaving out vendored, documentation and example folders as GitHub's
linguist does), ``tree.json`` (the whole recursive tree) and ``files/`` with only the
root README and license files, package manifests and build files, container and CI
definitions. No source code is copied. Nothing is built or run: the script only
reads ``git ls-tree`` and ``git show``.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
from pathlib import Path

MAX_FILE_BYTES = 400_000
MISSING_BLOB_SIZE = 4 * 1024 * 1024
MAX_DEPTH = 3  # manifests deeper than three folders are fixtures and vendored code
_MANIFESTS = (
    "pyproject.toml", "requirements*.txt", "requirements*.in", "setup.cfg", "setup.py",
    "pipfile", "environment.yml", "environment.yaml", "package.json", "pnpm-workspace.yaml",
    "lerna.json", "go.mod", "cargo.toml", "gemfile", "*.gemspec", "composer.json", "pom.xml",
    "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts",
    "libs.versions.toml", "package.swift", "podfile", "cartfile", "project.pbxproj",
    "pubspec.yaml", "mix.exs", "*.csproj", "*.fsproj", "*.vbproj", "directory.packages.props",
    "directory.build.props", "global.json", "cmakelists.txt", "vcpkg.json", "conanfile.txt",
    "conanfile.py", "meson.build", "configure.ac", "dockerfile", "dockerfile.*", "*.dockerfile",
    "docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml", "makefile",
    ".gitlab-ci.yml", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml",
    "appveyor.yml", ".drone.yml", "jenkinsfile", "deno.json", "bun.lockb", "tsconfig.json",
)
_CI_PATHS = (".github/workflows/", ".circleci/config.yml", ".gitlab-ci.yml")
_SKIP = {"node_modules", "vendor", "third_party", "third-party", "3rdparty", "external"}
_NOT_COUNTED = {"docs", "doc", "examples", "example", "samples", "demos", "vendor",
                "node_modules", "third_party", "Pods"}
# Linguist's names for common extensions (the measure is rough, as in the shared corpus).
_LANGUAGES = {
    "py": "Python", "pyi": "Python", "ipynb": "Jupyter Notebook", "js": "JavaScript",
    "mjs": "JavaScript", "cjs": "JavaScript", "jsx": "JavaScript", "ts": "TypeScript",
    "mts": "TypeScript", "tsx": "TypeScript", "vue": "Vue", "svelte": "Svelte",
    "html": "HTML", "htm": "HTML", "css": "CSS", "scss": "SCSS", "sass": "Sass", "less": "Less",
    "go": "Go", "rs": "Rust", "rb": "Ruby", "erb": "HTML+ERB", "rake": "Ruby", "php": "PHP",
    "java": "Java", "kt": "Kotlin", "kts": "Kotlin", "groovy": "Groovy", "scala": "Scala",
    "swift": "Swift", "m": "Objective-C", "mm": "Objective-C++", "dart": "Dart",
    "ex": "Elixir", "exs": "Elixir", "heex": "HTML+EEx", "eex": "HTML+EEx", "erl": "Erlang",
    "cs": "C#", "fs": "F#", "vb": "Visual Basic .NET", "cshtml": "HTML+Razor",
    "razor": "HTML+Razor", "c": "C", "h": "C", "cc": "C++", "cpp": "C++", "cxx": "C++",
    "hpp": "C++", "hh": "C++", "hxx": "C++", "cmake": "CMake", "meson": "Meson", "lua": "Lua",
    "r": "R", "jl": "Julia", "sh": "Shell", "bash": "Shell", "zsh": "Shell", "ps1": "PowerShell",
    "bat": "Batchfile", "pl": "Perl", "hs": "Haskell", "clj": "Clojure", "nix": "Nix",
    "tf": "HCL", "hcl": "HCL", "sql": "SQL", "m4": "M4", "y": "Yacc", "l": "Lex",
    "vim": "Vim Script", "el": "Emacs Lisp", "mdx": "MDX", "astro": "Astro", "zig": "Zig",
    "proto": "Protocol Buffer", "glsl": "GLSL", "cu": "Cuda", "coffee": "CoffeeScript",
}
_VENDORED_FILES = {"gradlew", "gradlew.bat", "mvnw", "mvnw.cmd"}  # wrappers linguist skips
_LANGUAGE_FILES = {"makefile": "Makefile", "dockerfile": "Dockerfile", "cmakelists.txt": "CMake",
                   "meson.build": "Meson", "rakefile": "Ruby", "gemfile": "Ruby"}


def _git(git_dir: str, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True,
                          capture_output=True).stdout


def tree_of(git_dir: str, ref: str) -> list[dict]:
    entries = []
    for line in _git(git_dir, "ls-tree", "-r", "-t", "-l", "-z", ref).split(b"\0"):
        if not line:
            continue
        meta, path = line.decode("utf-8", "replace").split("\t", 1)
        _mode, kind, _sha, size = meta.split()
        if kind == "blob":  # a blob the snapshot lacks (4 MiB and more) shows size "BAD"
            entries.append({"path": path, "type": "blob",
                            "size": int(size) if size.isdigit() else MISSING_BLOB_SIZE})
        elif kind == "tree":
            entries.append({"path": path, "type": "tree"})
    return sorted(entries, key=lambda e: e["path"])


def wanted(path: str) -> bool:
    parts = path.split("/")
    base = parts[-1].lower()
    if any(p in _SKIP for p in parts[:-1]):
        return False
    if len(parts) == 1 and (base.startswith(("readme", "copying", "unlicense"))
                            or "license" in base or "licence" in base):
        return True
    if path.startswith(".github/workflows/") and base.endswith((".yml", ".yaml")):
        return path.count("/") == 2
    if path in _CI_PATHS:
        return True
    if base == "project.pbxproj":
        return path.count("/") <= MAX_DEPTH + 1
    return len(parts) - 1 <= MAX_DEPTH and any(fnmatch.fnmatchcase(base, p) for p in _MANIFESTS)


def languages_of(tree: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    has_cpp = any(e["path"].endswith((".cpp", ".cc", ".cxx")) for e in tree)
    for entry in tree:
        if entry["type"] != "blob":
            continue
        parts = entry["path"].split("/")
        if parts[0] in _NOT_COUNTED or any(p in _SKIP or p == "Pods" for p in parts[:-1]):
            continue
        base = parts[-1].lower()
        if base in _VENDORED_FILES:
            continue
        language = _LANGUAGE_FILES.get(base)
        if not language and "." in base:
            ext = base.rsplit(".", 1)[1]
            language = "C++" if ext == "h" and has_cpp else _LANGUAGES.get(ext)
        if language:
            counts[language] = counts.get(language, 0) + entry["size"]
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir")
    parser.add_argument("full_name")
    parser.add_argument("out_dir")
    parser.add_argument("--id", type=int, required=True)
    parser.add_argument("--license", required=True, help="SPDX id as GitHub reports it")
    parser.add_argument("--description", default="")
    parser.add_argument("--topics", default="")
    parser.add_argument("--ref", default="HEAD")
    parser.add_argument("--branch", default="main")
    args = parser.parse_args(argv)

    tree = tree_of(args.git_dir, args.ref)
    folder = Path(args.out_dir) / args.full_name.replace("/", "__")
    (folder / "files").mkdir(parents=True, exist_ok=True)
    kept = 0
    for entry in tree:
        if entry["type"] == "blob" and wanted(entry["path"]) and entry["size"] <= MAX_FILE_BYTES:
            target = folder / "files" / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git(args.git_dir, "show", f"{args.ref}:{entry['path']}"))
            kept += 1
    languages = languages_of(tree)
    commit = _git(args.git_dir, "rev-parse", args.ref).decode().strip()
    subject = _git(args.git_dir, "log", "-1", "--format=%s", args.ref).decode().strip()
    date = _git(args.git_dir, "log", "-1", "--format=%cI", args.ref).decode().strip()
    repo = {
        "full_name": args.full_name, "id": args.id, "description": args.description,
        "topics": [t for t in args.topics.split(",") if t],
        "language": next(iter(languages), None), "languages": languages,
        "license": args.license, "default_branch": args.branch,
        "stargazers_count": 0, "forks_count": 0, "commit": commit,
        "created_at": None, "pushed_at": date, "commit_message": subject,
    }
    (folder / "repo.json").write_text(json.dumps(repo, indent=2) + "\n")
    (folder / "tree.json").write_text(json.dumps(tree) + "\n")
    print(f"{args.full_name}: {len(tree)} tree entries, {kept} files, {commit[:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
