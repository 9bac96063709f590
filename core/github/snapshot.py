"""What the importer learns about one repository, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TreeEntry:
    path: str
    type: str  # "blob" or "tree"
    size: int | None = None


@dataclass
class RepoSnapshot:
    """Everything fetched for one repository; the analyzers read only this."""

    github_id: int
    full_name: str  # canonical "Owner/Name" from the API
    description: str = ""
    homepage: str = ""
    html_url: str = ""
    topics: list[str] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)  # name -> bytes
    primary_language: str | None = None
    license: str | None = None  # SPDX id, e.g. "MIT"
    default_branch: str = "main"
    stars: int = 0
    forks: int = 0
    is_private: bool = False
    is_fork: bool = False
    archived: bool = False
    created_at: str | None = None
    pushed_at: str | None = None
    readme: str = ""
    readme_path: str | None = None
    readme_truncated: bool = False
    tree: list[TreeEntry] = field(default_factory=list)
    tree_truncated: bool = False
    manifests: dict[str, str] = field(default_factory=dict)  # path -> text
    latest_release: str | None = None  # tag name

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/", 1)[1]

    @property
    def url(self) -> str:
        return f"https://github.com/{self.full_name}"
