"""The metadata of 15 real repositories (tests/data/corpus, copied from shared/corpus).

``load(name)`` gives one repository as served by the fake GitHub server;
``snapshot(name)`` builds the RepoSnapshot the real client would produce, for
analysis tests that need no server. Each takes ``root=`` to read another folder of
the same layout (the labelled ecosystem set, see :func:`ecosystem_corpus_dir`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.github.snapshot import RepoSnapshot, TreeEntry

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"
LABELS_DIR = Path(__file__).resolve().parent.parent / "data" / "labels"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
ECOSYSTEM_CORPUS_ENV = "REPOFOLIO_ECOSYSTEM_CORPUS"


@dataclass(frozen=True)
class CorpusRepo:
    folder: str
    repo: dict  # repo.json: full_name, id, description, topics, languages, license, ...
    tree: list[dict]  # [{"path", "type", "size"?}]
    files: dict[str, bytes]  # path -> content, for README, license, manifests, workflows

    @property
    def full_name(self) -> str:
        return self.repo["full_name"]

    def readme_path(self) -> str | None:
        names = [p for p in self.files if "/" not in p and p.lower().startswith("readme")]
        return min(names, key=readme_preference) if names else None


def readme_preference(path: str) -> tuple[int, str]:
    """GitHub serves README.md before README.rst, README.txt ... and translations (README.es.md)."""
    order = ("readme.md", "readme.markdown", "readme.rst", "readme.txt", "readme")
    name = path.rsplit("/", 1)[-1].lower()
    return (order.index(name) if name in order else len(order), path)


def ecosystem_corpus_dir() -> Path | None:
    """Where the labelled set of many ecosystems lives, if this machine has it.

    Its files are public repositories' metadata, kept beside the project in
    ``../shared/corpus-ecosystems`` (or wherever ``REPOFOLIO_ECOSYSTEM_CORPUS`` says).
    """
    for candidate in (os.environ.get(ECOSYSTEM_CORPUS_ENV),
                      PROJECT_ROOT.parent / "shared" / "corpus-ecosystems"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def names(root: Path = CORPUS_DIR) -> list[str]:
    """Folder names such as ``pallets__flask``."""
    return sorted(p.name for p in root.iterdir() if (p / "repo.json").exists())


@lru_cache(maxsize=None)
def load(folder: str, root: Path = CORPUS_DIR) -> CorpusRepo:
    root = root / folder
    files = {
        p.relative_to(root / "files").as_posix(): p.read_bytes()
        for p in (root / "files").rglob("*") if p.is_file()
    }
    return CorpusRepo(
        folder=folder,
        repo=json.loads((root / "repo.json").read_text()),
        tree=json.loads((root / "tree.json").read_text()),
        files=files,
    )


def snapshot(folder: str, root: Path = CORPUS_DIR) -> RepoSnapshot:
    """The snapshot the client would build from this repository (all manifests included)."""
    c = load(folder, root)
    r = c.repo
    readme = c.readme_path()
    manifests = {p: b.decode("utf-8", "replace") for p, b in c.files.items()
                 if p != readme and not p.lower().startswith(("license", "copying", "unlicense"))}
    return RepoSnapshot(
        github_id=r["id"], full_name=r["full_name"], description=r.get("description") or "",
        html_url=f"https://github.com/{r['full_name']}", topics=list(r.get("topics") or []),
        languages=dict(r.get("languages") or {}), primary_language=r.get("language"),
        license=r.get("license"), default_branch=r.get("default_branch", "main"),
        stars=r.get("stargazers_count", 0), forks=r.get("forks_count", 0),
        created_at=r.get("created_at"), pushed_at=r.get("pushed_at"),
        readme=c.files[readme].decode("utf-8", "replace") if readme else "",
        readme_path=readme,
        tree=[TreeEntry(e["path"], e["type"], e.get("size")) for e in c.tree],
        manifests=manifests,
    )
