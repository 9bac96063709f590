"""Every repository of a user or organization, as GitHub lists them (DESIGN §4).

Anonymous, or with someone else's token: ``/users/{owner}/repos`` (GitHub answers it
for organizations as well, public repositories only); with a token, an owner whose
first page shows it is an organization is listed again through ``/orgs/{owner}/repos``
so the private repositories the token can read come too. With a token whose login *is*
the owner: ``/user/repos?affiliation=owner``, private ones included. Every page is
read (``per_page=100``, ``Link: rel="next"``).

Each item is a full repository object; :func:`trim` keeps what an import and the
checklist use, and that object is stored with the item's job so that no item asks
for ``/repos/{owner}/{name}`` again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from core.errors import GitHubError, RepoNotFound
from core.github import validate

if TYPE_CHECKING:  # the client (httpx) loads only where a listing runs
    from core.github.client import GitHubClient

log = logging.getLogger(__name__)

PER_PAGE = "100"
MAX_PAGES = 100  # 10,000 repositories
ORGANIZATION = "Organization"
# What a snapshot, the analyzers and the checklist read from a repository object.
KEPT = ("id", "name", "full_name", "private", "html_url", "description", "homepage", "fork",
        "archived", "disabled", "topics", "language", "default_branch", "stargazers_count",
        "forks_count", "size", "created_at", "pushed_at", "updated_at", "visibility")


@dataclass(frozen=True)
class OwnerListing:
    """An owner's repositories in the order GitHub lists them (by name)."""

    owner: str  # the login as GitHub spells it
    kind: str  # "User" or "Organization" ("" when nothing was listed)
    repos: list[dict[str, Any]] = field(default_factory=list)
    own_account: bool = False  # listed with the owner's own token: private ones included
    requests: int = 0


def trim(repo: dict[str, Any]) -> dict[str, Any]:
    """The parts of a repository object worth keeping with a queued item."""
    kept = {key: repo[key] for key in KEPT if key in repo}
    owner = repo.get("owner") or {}
    kept["owner"] = {"login": owner.get("login"), "type": owner.get("type")}
    license_info = repo.get("license")
    if isinstance(license_info, dict):
        kept["license"] = {key: license_info.get(key) for key in ("key", "spdx_id", "name")}
    return kept


def list_repositories(client: GitHubClient, owner: str, *,
                      token_login: str | None = None) -> OwnerListing:
    """List ``owner``'s repositories; ``token_login`` is the token's own login, if any.

    Raises RepoNotFound when GitHub knows no such user or organization."""
    before = client.requests_made
    if token_login and token_login.lower() == owner.lower():
        repos = _all(client, "/user/repos", owner, {"affiliation": "owner"})
        return _listing(owner, repos, client.requests_made - before, own_account=True)
    path = f"/users/{quote(owner, safe='')}/repos"
    try:
        # With a token an organization is listed again through /orgs: its first page
        # tells the owner's type, so the rest of /users is not read for nothing.
        repos = _all(client, path, owner, {"type": "owner"},
                     stop=lambda kept: bool(token_login) and _kind(kept) == ORGANIZATION)
        if token_login and repos and _kind(repos) == ORGANIZATION:
            repos = _all(client, f"/orgs/{quote(owner, safe='')}/repos", owner, {"type": "all"})
    except RepoNotFound:
        raise RepoNotFound(f"GitHub knows no user or organization named {owner}.",
                           suggestion="Check the login (the part after github.com/).") from None
    return _listing(owner, repos, client.requests_made - before)


def _all(client: GitHubClient, path: str, owner: str, params: dict[str, str], *,
         stop: Callable[[list[dict]], bool] = lambda kept: False) -> list[dict]:
    """Every page's repositories, each once: pages shift while they are read (a repository
    created meanwhile pushes the last of a page onto the next), and a repository listed
    twice must not become two jobs of the same repository. ``stop``, asked with what is
    kept so far after each page, ends the reading early."""
    repos: list[dict] = []
    seen: set[object] = set()
    for page in client.pages(path, subject=f"the repositories of {owner}",
                             params={**params, "per_page": PER_PAGE}, max_pages=MAX_PAGES):
        for repo in page:
            if not _usable(repo, owner):
                continue
            marks = {("id", repo["id"]), ("key", str(repo["full_name"]).lower())}
            if marks & seen:
                continue
            seen |= marks
            repos.append(trim(repo))
        if stop(repos):
            break
    return repos


def _usable(repo: object, owner: str) -> bool:
    """Whether a listing's item is a repository object (a server's answer is untrusted:
    an id that is no number, a star count that is text, is no repository to plan)."""
    try:
        validate.repository(repo, subject=f"a repository of {owner}")
    except GitHubError:
        log.warning("Left out an item of the listing of %s that is not a repository object",
                    owner)
        return False
    return True


def _kind(repos: list[dict]) -> str:
    return str((repos[0].get("owner") or {}).get("type") or "") if repos else ""


def _listing(owner: str, repos: list[dict], requests: int, *,
             own_account: bool = False) -> OwnerListing:
    login = (repos[0].get("owner") or {}).get("login") if repos else None
    return OwnerListing(owner=login or owner, kind=_kind(repos), repos=repos,
                        own_account=own_account, requests=requests)
