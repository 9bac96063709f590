"""GitHubClient: fetches one repository from the GitHub REST API into a RepoSnapshot.

Only the endpoints of DESIGN §4 are used. ``fetch_snapshot`` asks for the tree, the
latest release, languages (unless the repository JSON says there is no language) and
topics (when the JSON lacks them) at once, then for the README (when the tree shows
one, or cannot tell) and the manifests the tree names (see
:mod:`core.github.manifests`), on a thread pool the client owns. ``pages`` reads a
listing page by page. Transport concerns — headers, timeouts, ETag cache,
rate limits, response caps, typed errors — live in :mod:`core.github.http`.

Every answer is checked by :mod:`core.github.validate` before use, and every later
request path is built from the validated ``full_name``, branch and tree paths only.
Each request runs on the pool while the calling thread waits in short slices and
runs ``check`` (the job's cancel and deadline): a stalled server never holds a job.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_EXCEPTION, Future, wait
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, urlsplit

from core.errors import AuthFailed, GitHubError, InvalidInput
from core.github import validate
from core.github.connections import SharedConnections
from core.github.etag_cache import open_cache
from core.github.http import ACCEPT_RAW, GitHubTransport, next_page_path, utf8_prefix
from core.github.manifests import manifest_paths, readme_path
from core.github.rate_limiter import RateLimiter
from core.github.snapshot import RepoSnapshot, TreeEntry
from core.github.tree import TreeReader
from core.net.limits import FILE, README, REPOSITORY, TREE, ResponseLimits
from core.net.waiting import DaemonPool
from core.urls import split_full_name

_CHECK_INTERVAL = 0.1  # how often ``check`` runs while concurrent requests are out
_REDIRECT_STATUSES = (301, 302, 307, 308)
_REPOSITORY_ID_PATH = re.compile(r"/repositories/(\d+)/?$")
_README = "\0readme"  # a key no manifest path can be
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class GitHubClient:
    """A GitHub REST client for one base URL and one token (or none); thread-safe."""

    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 20.0,
                 cache_dir: Path | None = None, limits: ResponseLimits | None = None,
                 max_readme_bytes: int | None = None, rate_limit_max_wait: float = 120.0,
                 max_workers: int = 8, sleep: Callable[[float], None] | None = None,
                 limiter: RateLimiter | None = None, check: Callable[[], None] | None = None,
                 connections: SharedConnections | None = None,
                 clock: Callable[[], float] = time.time):
        """``max_readme_bytes`` is a shorthand for ``limits.readme``. ``limiter`` is the
        token's shared rate limiter (see
        :class:`~core.github.rate_limiter.RateLimiterRegistry`); ``check`` may raise to end
        a wait for the limit early (cancel, deadline); ``connections`` keeps the token's
        connections alive, and the HTTP cache open, between clients (see
        :mod:`core.github.connections`)."""
        self._token = token or None
        limits = limits or ResponseLimits()
        if max_readme_bytes is not None:
            limits = replace(limits, readme=max_readme_bytes)
        self.limits = limits
        self._own_cache = connections is None
        self._cache = (None if cache_dir is None else open_cache(Path(cache_dir))
                       if connections is None else connections.cache(Path(cache_dir)))
        self._http = GitHubTransport(base_url, self._token, timeout=timeout, cache=self._cache,
                                     rate_limit_max_wait=rate_limit_max_wait, limits=limits,
                                     sleep=sleep, limiter=limiter, check=check,
                                     connections=connections, clock=clock)
        self._pool = DaemonPool(max_workers, "github-client")

    @property
    def base_url(self) -> str:
        return self._http.base_url

    @property
    def requests_made(self) -> int:
        return self._http.requests_made

    def close(self) -> None:
        self._pool.shutdown()
        self._http.close()
        if self._cache is not None and self._own_cache:
            self._cache.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- account ----------------------------------------------------------------------

    def current_user(self) -> dict:
        """``GET /user``: the token's account (``{"login": ...}``); needs a token."""
        if not self._token:
            raise AuthFailed("No GitHub token is set, so there is no signed-in user.")
        subject = "the signed-in GitHub user"
        return validate.login(self._http.get("/user", subject=subject).json(), subject=subject)

    def rate_limit(self) -> dict:
        """The core limit: ``{"limit", "remaining", "reset"}`` (all None if GitHub has none)."""
        resp = self._http.get("/rate_limit", subject="the rate limit", expect=(200, 404))
        if resp.status == 404:  # GitHub Enterprise with rate limiting turned off
            return {"limit": None, "remaining": None, "reset": None}
        return validate.rate(resp.json(), subject="the rate limit")

    def pages(self, path: str, *, subject: str, params: Mapping[str, str] | None = None,
              max_pages: int = 100) -> Iterator[list]:
        """A listing's items page by page, following the ``Link`` header's ``rel="next"``.

        The next page must be on this client's base URL, and is asked for on it: the
        token never follows a link to another host."""
        params = dict(params or {})
        for _ in range(max_pages):
            resp = self._http.get(path, subject=subject, kind=REPOSITORY, what="listing",
                                  params=params)
            data = resp.json()
            if not isinstance(data, list):
                raise GitHubError(f"GitHub's answer for {subject} is not a list.",
                                  status=resp.status)
            yield data
            match = _NEXT_LINK.search(resp.headers.get("link", ""))
            if match is None:
                return
            following = next_page_path(self.base_url, match.group(1))
            if following is None:
                raise GitHubError(f"GitHub pointed the next page of {subject} elsewhere.",
                                  status=resp.status)
            path, _, query = following.partition("?")
            params = dict(parse_qsl(query))

    # -- one repository ---------------------------------------------------------------

    def get_repository(self, owner: str, name: str, *,
                       check: Callable[[], None] | None = None) -> dict:
        """``GET /repos/{owner}/{name}``, following a rename's 301 to ``/repositories/{id}``.

        The answer is validated: its ``full_name`` must be the one asked for (unless a
        rename's redirect led to it). ``check`` runs while the request is out.
        """
        subject = f"{owner}/{name}"
        if split_full_name(subject) is None:
            raise InvalidInput(f"{subject[:200]!r} is not a repository name (owner/name).")
        return self._run_all({"repo": lambda: self._repository(subject)},
                             check or (lambda: None))["repo"]

    def _repository(self, subject: str) -> dict:
        resp = self._http.get(_repo_path(subject), subject=subject, kind=REPOSITORY,
                              expect=(200, *_REDIRECT_STATUSES))
        if resp.status == 200:
            return validate.repository(resp.json(), subject=subject, requested=subject)
        # Renamed or transferred: GitHub points at the stable id. We rebuild the URL
        # on our own base so the token never follows a Location to another host.
        match = _REPOSITORY_ID_PATH.search(urlsplit(resp.headers.get("location", "")).path)
        if not match or not validate.is_positive_id(int(match.group(1))):
            raise GitHubError(f"GitHub redirected {subject} to an unexpected place.",
                              status=resp.status)
        repo_id = int(match.group(1))
        resp = self._http.get(f"/repositories/{repo_id}", subject=subject, kind=REPOSITORY)
        return validate.repository(resp.json(), subject=subject, expected_id=repo_id)

    def fetch_repository(self, owner: str, name: str) -> RepoSnapshot:
        return self.fetch_snapshot(self.get_repository(owner, name))

    def fetch_snapshot(self, repo: Mapping[str, Any], *, check: Callable[[], None] | None = None,
                       unless_unchanged: bool = False) -> RepoSnapshot | None:
        """Everything else about ``repo`` (``get_repository``'s JSON), as a snapshot.

        ``check`` runs between steps and while requests are out; whatever it raises
        (cancel, deadline) propagates and the requests not yet sent are dropped.

        ``unless_unchanged`` (a refresh): ask for the default branch's tree first, alone,
        with the ETag of the last answer; when GitHub says it is unchanged (304: no unit
        of the rate limit), return None and ask nothing more. A changed tree is kept,
        and the rest is asked for as usual (one round trip later than all at once).
        """
        check = check or (lambda: None)
        repo = _validated(repo)
        full_name = repo["full_name"]  # canonical case: every later URL uses it
        base = _repo_path(full_name)
        check()
        # Only what can hold something is asked for (each request is a unit of the
        # hour's limit): the repository object says whether there are topics and any
        # language at all, the tree whether there is a README and which manifests.
        steps: dict[str, Callable[[], Any]] = {
            "tree": lambda: self._tree(base, full_name, repo.get("default_branch")),
            "release": lambda: self._latest_release(base, full_name),
        }
        if repo.get("language") is not None or "language" not in repo:
            steps["languages"] = lambda: self._languages(base, full_name)
        if repo.get("topics") is None:
            steps["topics"] = lambda: self._topics(base, full_name)
        if unless_unchanged:
            known = self._run_all({"tree": steps.pop("tree")}, check)
            if known["tree"].unchanged:
                return None
            check()
            first = {**self._run_all(steps, check), **known}
        else:
            first = self._run_all(steps, check)
        check()
        tree, tree_truncated, tree_status, _ = first["tree"]
        paths = manifest_paths(tree)
        in_tree = readme_path(tree)  # one walk of a tree that may hold 100,000 entries
        second: dict[str, Callable[[], Any]] = {
            p: (lambda p=p: self._manifest(base, full_name, p)) for p in paths}
        if _may_have_readme(in_tree, tree_truncated, tree_status):
            second[_README] = lambda: self._readme(base, full_name)
        fetched = self._run_all(second, check)
        check()
        readme, readme_truncated = fetched.get(_README, (None, False))
        return _snapshot(
            repo, topics=first.get("topics", repo.get("topics")),
            languages=first.get("languages", {}),
            readme=readme, readme_truncated=readme_truncated,
            readme_path=in_tree if readme is not None else None,
            tree=tree, tree_truncated=tree_truncated, latest_release=first["release"],
            manifests={p: fetched[p] for p in paths if fetched[p] is not None})

    # -- the parts of a snapshot --------------------------------------------------------

    def _readme(self, base: str, subject: str) -> tuple[str | None, bool]:
        limit = self.limits.readme
        resp = self._http.get(f"{base}/readme", subject=subject, kind=README, accept=ACCEPT_RAW,
                              expect=(200, 404))
        if resp.status == 404:
            return None, False
        text = _file_text(resp)
        if len(text) > limit or len(text.encode("utf-8")) > limit:  # arrived base64-encoded
            return utf8_prefix(text[:limit].encode("utf-8"), limit).decode("utf-8"), True
        return text, resp.truncated

    def _tree(self, base: str, subject: str, branch: str | None) -> _Tree:
        if not branch:
            return _Tree([], False, None, False)
        # 409: the repository is empty; 404: the branch is gone. Neither is fatal.
        resp = self._http.get(f"{base}/git/trees/{quote(branch, safe='/')}", subject=subject,
                              kind=TREE, params={"recursive": "1"}, expect=(200, 404, 409),
                              sink=lambda: TreeReader(subject=subject,
                                                      max_entries=self.limits.tree_entries))
        if resp.status != 200:
            return _Tree([], False, resp.status, False)
        entries, truncated = resp.parsed
        return _Tree(entries, truncated, resp.status, resp.from_cache)

    def _languages(self, base: str, subject: str) -> dict:
        # A repository without code answers {}; a 404 here means the repository itself
        # is gone (deleted or made private since a listing named it): REPO_NOT_FOUND.
        resp = self._http.get(f"{base}/languages", subject=subject, what="languages")
        return validate.languages(resp.json(), subject=subject)

    def _topics(self, base: str, subject: str) -> list[str]:
        resp = self._http.get(f"{base}/topics", subject=subject, what="topics",
                              expect=(200, 404))
        return validate.topics(resp.json(), subject=subject) if resp.status == 200 else []

    def _latest_release(self, base: str, subject: str) -> str | None:
        # Only a nicety: a server that cannot answer it must not fail the import.
        try:
            resp = self._http.get(f"{base}/releases/latest", subject=subject,
                                  what="latest release", expect=(200, 404))
            return validate.release_tag(resp.json()) if resp.status == 200 else None
        except GitHubError:
            return None

    def _manifest(self, base: str, subject: str, path: str) -> str | None:
        resp = self._http.get(f"{base}/contents/{quote(path, safe='/')}", subject=subject,
                              kind=FILE, what=f"file {path[:100]}", accept=ACCEPT_RAW,
                              expect=(200, 404))
        return _file_text(resp) if resp.status == 200 else None

    def _run_all(self, steps: Mapping[str, Callable[[], Any]],
                 check: Callable[[], None]) -> dict[str, Any]:
        """Run ``steps`` on the pool; the first failure (or ``check``'s) wins."""
        abandon = threading.Event()

        def run(fn: Callable[[], Any]) -> Any:
            with self._http.stop_when(abandon):
                return fn()

        futures: dict[Future, str] = {self._pool.submit(lambda fn=fn: run(fn)): key
                                      for key, fn in steps.items()}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, timeout=_CHECK_INTERVAL,
                                     return_when=FIRST_EXCEPTION)
                for future in futures:  # submission order: a stable choice of error
                    if future in done and future.exception() is not None:
                        raise future.exception()
                if pending:
                    check()
        except BaseException:
            for future in pending:
                future.cancel()
            abandon.set()  # the requests still out end at their next chunk
            raise
        return {key: future.result() for future, key in futures.items()}


class _Tree(NamedTuple):
    """The tree's entries, whether GitHub (or our cap) cut it, the answer's status, and
    whether it is the one the cache held (GitHub answered 304: nothing changed)."""

    entries: list[TreeEntry]
    truncated: bool
    status: int | None
    unchanged: bool


def _validated(repo: Mapping[str, Any]) -> dict:
    """A listing's item comes unchecked: the form is checked whatever the source."""
    named = repo.get("full_name") if isinstance(repo, Mapping) else None
    return validate.repository(repo, subject=named if split_full_name(named) else
                               "the repository")


def repository_snapshot(repo: Mapping[str, Any]) -> RepoSnapshot:
    """What a repository object alone says (no tree, README, files or languages)."""
    return _snapshot(_validated(repo), topics=repo.get("topics"), languages={}, readme=None,
                     readme_truncated=False, readme_path=None, tree=[], tree_truncated=False,
                     latest_release=None, manifests={})


def _may_have_readme(in_tree: str | None, truncated: bool, status: int | None) -> bool:
    """Whether ``/readme`` can find anything: not in an empty repository (409), nor when a
    whole tree shows no README where GitHub looks (``in_tree``: the one it shows); when
    unsure, ask."""
    if status == 409:
        return False
    if status != 200 or truncated:
        return True
    return in_tree is not None


def _repo_path(full_name: str) -> str:
    """``/repos/{owner}/{name}`` from a validated name only: never ``/repos/../..``."""
    parts = split_full_name(full_name)
    if parts is None:
        raise InvalidInput(f"{full_name[:200]!r} is not a repository name (owner/name).")
    return f"/repos/{quote(parts[0], safe='')}/{quote(parts[1], safe='')}"


def _file_text(resp) -> str:
    """A file's text, whether the server honoured the raw media type or sent GitHub's
    JSON form (base64 ``content``), as some GitHub-compatible servers do."""
    if "json" in resp.headers.get("content-type", "") and not resp.truncated:
        try:
            data = json.loads(resp.body)
        except ValueError:
            data = None
        if (isinstance(data, dict) and isinstance(data.get("content"), str)
                and data.get("encoding") == "base64"):
            try:
                return base64.b64decode(data["content"]).decode("utf-8", "replace")
            except ValueError:
                pass
    return resp.body.decode("utf-8", "replace")


def _snapshot(repo: Mapping[str, Any], **fetched: Any) -> RepoSnapshot:
    """The snapshot of a validated repository object and its validated parts."""
    spdx = (repo.get("license") or {}).get("spdx_id")
    return RepoSnapshot(
        github_id=repo["id"],
        full_name=repo["full_name"],
        description=repo.get("description") or "",
        homepage=repo.get("homepage") or "",
        html_url=repo.get("html_url") or f"https://github.com/{repo['full_name']}",
        topics=list(fetched["topics"] or []),
        languages=dict(fetched["languages"] or {}),
        primary_language=repo.get("language"),
        license=None if spdx in (None, "", "NOASSERTION") else spdx,
        default_branch=repo.get("default_branch") or "main",
        stars=repo.get("stargazers_count") or 0,
        forks=repo.get("forks_count") or 0,
        is_private=bool(repo.get("private")),
        is_fork=bool(repo.get("fork")),
        archived=bool(repo.get("archived")),
        created_at=repo.get("created_at"),
        pushed_at=repo.get("pushed_at"),
        readme=fetched["readme"] or "",
        readme_path=fetched["readme_path"],
        readme_truncated=fetched["readme_truncated"],
        tree=fetched["tree"],
        tree_truncated=fetched["tree_truncated"],
        manifests=fetched["manifests"],
        latest_release=fetched["latest_release"],
    )
