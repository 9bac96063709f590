"""The repositories the acceptance suite's fake GitHub serves, as GitHub documents them.

Every corpus repository (``tests/data/corpus``, a copy of ``/work/shared/corpus``) under
its real name, plus a few made from corpus files: a fork, an archived and a low-starred
repository of ``pallets`` (an organization), an organization ``doomed-org`` whose
``gone`` repository is listed but answers 404, and ``ghost-dev`` (the token's user) with
a private repository.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

_LICENSES = {
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License', "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0", "Unlicense": "The Unlicense",
}
_ORGS = {"pallets", "doomed-org", "gorilla", "google", "fastapi", "vitejs", "jqlang",
         "encode", "expressjs", "guzzle", "psf", "serde-rs", "sinatra"}

# Extra repositories (name -> (corpus folder that lends its files, overrides)).
EXTRA = {
    "pallets/click-fork": ("psf__requests", {"id": 9101, "fork": True, "stargazers_count": 40}),
    "pallets/old-theme": ("gorilla__mux", {"id": 9102, "archived": True, "stargazers_count": 90}),
    "pallets/tiny-util": ("spf13__cobra", {"id": 9103, "stargazers_count": 3}),
    "doomed-org/alive": ("gorilla__mux", {"id": 9201, "stargazers_count": 10}),
    "doomed-org/gone": ("spf13__cobra", {"id": 9202, "stargazers_count": 10, "gone": True}),
    "ghost-dev/secret-sauce": ("jqlang__jq", {"id": 9301, "private": True,
                                              "stargazers_count": 0}),
    "ghost-dev/open-notes": ("encode__httpx", {"id": 9302, "stargazers_count": 5}),
}
_HOMEPAGES = {"pallets/flask": "https://flask.palletsprojects.com"}


def sha(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()


class Repo:
    """One repository: its documented API object, files, tree and languages."""

    def __init__(self, folder: str, overrides: dict | None = None,
                 full_name: str | None = None) -> None:
        meta = json.loads((CORPUS / folder / "repo.json").read_text())
        overrides = dict(overrides or {})
        self.gone = overrides.pop("gone", False)
        self.full_name = full_name or meta["full_name"]
        self.files_dir = CORPUS / folder / "files"
        self.tree = json.loads((CORPUS / folder / "tree.json").read_text())
        self.languages = dict(meta["languages"])
        self.commit = meta["commit"]
        self.commit_message = meta["commit_message"]
        owner, name = self.full_name.split("/")
        license_id = meta["license"]
        self.data = {
            "id": meta["id"], "node_id": base64.b64encode(f"R_{meta['id']}".encode()).decode(),
            "name": name, "full_name": self.full_name, "private": False,
            "owner": {"login": owner, "id": int(sha(owner)[:6], 16),
                      "type": "Organization" if owner in _ORGS else "User",
                      "html_url": f"https://github.com/{owner}"},
            "html_url": f"https://github.com/{self.full_name}",
            "description": meta["description"], "fork": False,
            "homepage": _HOMEPAGES.get(self.full_name),
            "size": sum(e.get("size", 0) for e in self.tree) // 1024,
            "stargazers_count": meta["stargazers_count"],
            "watchers_count": meta["stargazers_count"], "language": meta["language"],
            "forks_count": meta["forks_count"], "archived": False, "disabled": False,
            "open_issues_count": 7,
            "license": {"key": license_id.lower(), "name": _LICENSES.get(license_id, license_id),
                        "spdx_id": license_id, "url": None, "node_id": "L_1"},
            "topics": list(meta["topics"]), "visibility": "public",
            "default_branch": meta["default_branch"], "created_at": meta["created_at"],
            "updated_at": meta["pushed_at"], "pushed_at": meta["pushed_at"],
        }
        self.data.update(overrides)
        self.data["visibility"] = "private" if self.data["private"] else "public"

    @property
    def owner(self) -> str:
        return self.full_name.split("/")[0]

    def file(self, path: str) -> bytes | None:
        target = (self.files_dir / path)
        return target.read_bytes() if target.is_file() else None

    def readme_path(self) -> str | None:
        for entry in sorted(self.files_dir.iterdir()):
            if entry.is_file() and entry.name.lower().startswith("readme"):
                return entry.name
        return None
