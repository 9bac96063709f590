"""A fake GitHub REST API on a loopback port, serving the 15-repository corpus.

Use the function-scoped pytest fixture ``fake_github`` (a fresh server per test,
started in milliseconds) or ``with FakeGitHub() as fake: ...``; point the code under
test at ``fake.url`` (``env_for(fake)`` gives ``{"REPOFOLIO_GITHUB_API": fake.url}``).

Served (GET only; owner/name case-insensitive, JSON shaped like GitHub's):
``/repos/{o}/{r}`` · ``/repositories/{id}`` · ``/repos/{o}/{r}/languages`` · ``/topics``
(``{"names"}``) · ``/readme`` and ``/contents/{path}`` (raw bytes when the Accept header
names a ``raw`` type, else JSON with base64 ``content``) · ``/git/trees/{ref}?recursive=1``
(``{"sha", "tree": [{path, type, size, mode, sha}], "truncated"}``) · ``/releases/latest``
(404 unless the repo was added with ``latest_release="v1.2"``) · ``/user`` · ``/rate_limit`` ·
listings ``/users/{u}/repos`` (public repos of a user or organization), ``/orgs/{o}/repos``
(an organization's; private ones too with a valid token; 404 for a user) and
``/user/repos`` (the token's own account, private ones included; 401 without a token),
sorted by name, ``per_page`` (default 30, at most 100) and ``page``, with a GitHub-style
``Link`` header (``rel="next"``, ``"last"``, ``"prev"``, ``"first"``). An owner nobody
added and who owns nothing answers 404. Files the corpus does not hold answer 404 on
``/contents``.

API of :class:`FakeGitHub` (stable: many tests use it)
- ``FakeGitHub(prefix="")``: ``prefix="/api/v3"`` serves under a GitHub Enterprise path.
- ``.url`` base URL (``http://127.0.0.1:PORT`` + prefix), ``.start()``, ``.stop()``,
  context manager.
- ``.add_repo(full_name, *, id, description="", topics=(), languages=None, tree=None,
  files=None, private=False, license=None, default_branch="main", **extra)``: a synthetic
  repo. ``files`` maps path -> bytes|str; ``tree`` defaults to the files and their
  folders; ``license`` is an SPDX id; ``extra`` keys go into the repository JSON
  (``stargazers_count=5``, ``homepage=...``), except ``latest_release`` (a tag name).
- ``.add_corpus(corpus.load(folder, root))``: serve a repository of another corpus folder.
- ``.add_owner(login, *, type="User")``: a user or (``type="Organization"``) an
  organization; repos of an organization carry ``owner.type == "Organization"``.
  ``fork=True``, ``archived=True``, ``private=True`` go to ``add_repo`` as usual.
- ``.rename(old, new)``: the repo moves; ``/repos/{old}`` (and its sub-paths) answer 301
  with ``Location: {url}/repositories/{id}``.
- ``.requests``: a copy of the log, ``RecordedRequest(method, path, query, headers)``
  (path without prefix or query, decoded; query a dict; header names lower-case; plus
  ``status``; ``received``/``answered``: the order of those events among all the
  server's receipts and answers (1, 2, 3…), for tests that assert what came before
  what; ``received_at``/``answered_at`` from ``time.monotonic()``, for bench/ and
  ``most_at_once(requests)``, which counts the overlap); ``.request_count``;
  ``.count(path_substring)``; ``.reset()`` clears the log.
- ``.latency`` seconds slept before each answer (after it is logged as received).
- ``.hold(path_regex)``: matching requests wait (after they are logged) until the
  returned :class:`~tests.fakes.holds.Hold` is released; ``hold.wait_until_held(n)``
  returns when ``n`` of them wait at once. The way to stop an import at a known
  point, or to show that requests were out together, without timing anything.
- ``.log_credentials = False``; when True, every request's ``Authorization`` header is
  written to the ``tests.fakes.github_server`` logger at WARNING, as a careless
  library in the same process might: the app's log filter must blank it out.
- ``.fail(path_regex, status, *, times=1, headers=None, body=None)``: the next ``times``
  requests whose path matches (``re.search``) get this answer (``times=None``: forever);
  rules are consumed in order; ``body`` is a dict (JSON), str or bytes, default
  ``{"message": <reason>}``; ``.clear_failures()``.
- ``.tokens`` token -> login. When non-empty, an unknown ``Authorization`` token gets
  401 ``{"message": "Bad credentials"}``. Private repos answer 404 without a valid token
  (any token is valid while ``.tokens`` is empty).
- Rate limit (one bucket): ``.rate_limit = 60``, ``.rate_remaining``, ``.rate_reset`` (epoch
  s; the bucket refills when it passes). Every answer except 304, ``/rate_limit`` and
  injected failures counts, and all carry ``x-ratelimit-limit/remaining/reset/used``.
  At 0, requests get 403 ``{"message": "API rate limit exceeded ..."}``.
  ``.exhaust(reset_in=seconds)`` empties the bucket.
- Every 200 carries an ``ETag`` (hash of body + token); a matching ``If-None-Match``
  answers 304.
- ``.truncate_trees = False``; when True, trees hold only the ``.truncated_tree_size``
  (default 50) shallowest entries and ``"truncated": true``.
- ``.readme_override[full_name.lower()] = bytes``: serve this as the README.
- ``.json_files_only = False``; when True, files come in the JSON form (base64) even when
  the raw type is asked for, as some GitHub-compatible servers do.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import pytest

from tests.fakes import corpus
from tests.fakes.corpus import readme_preference
from tests.fakes.holds import Hold, Holds

log = logging.getLogger(__name__)

_LICENSE_NAMES = {"MIT": "MIT License", "Apache-2.0": "Apache License 2.0",
                  "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
                  "Unlicense": "The Unlicense"}


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    received_at: float = 0.0
    answered_at: float | None = None
    status: int | None = None
    received: int = 0
    answered: int | None = None


@dataclass
class _Repo:
    id: int
    json: dict
    languages: dict[str, int]
    tree: list[dict]
    files: dict[str, bytes]
    private: bool = False
    latest_release: str | None = None
    readme: str | None = None  # path of the README /readme serves

    @property
    def full_name(self) -> str:
        return self.json["full_name"]


@dataclass
class _Failure:
    pattern: re.Pattern
    status: int
    times: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: object = None


def _readme_of(files: dict[str, bytes]) -> str | None:
    for folder in ("", ".github/", "docs/"):
        names = sorted((p for p in files
                        if p.startswith(folder) and "/" not in p[len(folder):]
                        and p[len(folder):].lower().startswith("readme")), key=readme_preference)
        if names:
            return names[0]
    return None


def _object_sha(path: str, content: bytes | None) -> str:
    """A file's blob id as git computes it (so a changed file changes the tree, as on
    GitHub); a path the fake holds no content for gets one made from its name."""
    if content is None:
        return hashlib.sha1(path.encode()).hexdigest()
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def _tree_of(files: dict[str, bytes]) -> list[dict]:
    folders = {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}
    entries = [{"path": f, "type": "tree"} for f in folders]
    entries += [{"path": p, "type": "blob", "size": len(b)} for p, b in files.items()]
    return sorted(entries, key=lambda e: e["path"])


def _repo_json(full_name: str, id: int, *, description: str, topics, language, license,
               default_branch: str, private: bool, **extra) -> dict:
    owner, name = full_name.split("/", 1)
    data = {
        "id": id, "node_id": f"R_{id}", "name": name, "full_name": full_name,
        "owner": {"login": owner, "id": id * 7, "type": "User"}, "private": private,
        "html_url": f"https://github.com/{full_name}", "description": description or None,
        "homepage": None, "fork": False, "archived": False, "disabled": False,
        "topics": list(topics), "language": language,
        "license": ({"key": license.lower(), "spdx_id": license,
                     "name": _LICENSE_NAMES.get(license, license)} if license else None),
        "default_branch": default_branch, "stargazers_count": 0, "watchers_count": 0,
        "forks_count": 0, "open_issues_count": 0, "size": 0, "visibility":
        "private" if private else "public", "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z", "pushed_at": "2026-01-01T00:00:00Z",
    }
    data.update(extra)
    return data


class LoopbackServer(ThreadingHTTPServer):
    """A threading server whose listen backlog takes a burst of connections.

    socketserver's default backlog is 5: a client opening 6–9 connections at once
    (a pool) overflows it now and then, and the kernel's SYN retry adds a whole second
    to one request — noise in every timing and a slow test."""

    request_queue_size = 128


class FakeGitHub:
    """The fake server; see the module docstring for its API."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix.rstrip("/")
        self.latency = 0.0
        self.tokens: dict[str, str] = {}
        self.rate_limit = 60
        self.rate_remaining = 60
        self.rate_reset = int(time.time()) + 3600
        self.truncate_trees = False
        self.json_files_only = False  # answer files in the JSON form even when raw is asked
        self.truncated_tree_size = 50
        self.readme_override: dict[str, bytes] = {}
        self.log_credentials = False
        self._holds = Holds()
        self._events = itertools.count(1)  # receipts and answers, in the order they happen
        self._lock = threading.Lock()
        self._log: list[RecordedRequest] = []
        self._failures: list[_Failure] = []
        self._repos: dict[str, _Repo] = {}  # lower-case full name -> repo
        self._by_id: dict[int, _Repo] = {}
        self._moved: dict[str, int] = {}  # lower-case old full name -> id
        self._owners: dict[str, tuple[str, str]] = {}  # lower-case login -> (login, type)
        self._server: LoopbackServer | None = None
        self._connections: set[socket.socket] = set()
        for folder in corpus.names():
            self.add_corpus(corpus.load(folder))

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "FakeGitHub not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.prefix}"

    def start(self) -> FakeGitHub:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = LoopbackServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._server.handle_error = lambda request, address: None  # clients hang up
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                         daemon=True, name="fake-github").start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._holds.release_all()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:  # drop kept-alive connections so no client reaches us after stop
            for conn in self._connections:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self._connections.clear()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- content ------------------------------------------------------------------------

    def add_corpus(self, c: corpus.CorpusRepo) -> None:
        """Serve one corpus repository (any folder of the corpus layout)."""
        r = c.repo
        extra = {k: r[k] for k in ("stargazers_count", "forks_count", "created_at", "pushed_at")
                 if k in r}
        self.add_repo(r["full_name"], id=r["id"], description=r.get("description") or "",
                      topics=r.get("topics") or (), languages=r.get("languages") or {},
                      tree=c.tree, files=c.files, license=r.get("license"),
                      default_branch=r.get("default_branch", "main"),
                      language=r.get("language"), **extra)

    def add_repo(self, full_name: str, *, id: int, description: str = "", topics=(),
                 languages: dict[str, int] | None = None, tree: list[dict] | None = None,
                 files: dict[str, bytes | str] | None = None, private: bool = False,
                 license: str | None = None, default_branch: str = "main", **extra) -> dict:
        """Add (or replace) a repository; returns its repository JSON."""
        files_b = {p: (b.encode() if isinstance(b, str) else b) for p, b in (files or {}).items()}
        latest_release = extra.pop("latest_release", None)
        language = extra.pop("language", max(languages, key=languages.get) if languages else None)
        data = _repo_json(full_name, id, description=description, topics=topics,
                          language=language, license=license, default_branch=default_branch,
                          private=private, **extra)
        with self._lock:
            kind = self._owners.get(full_name.split("/", 1)[0].lower(), ("", "User"))[1]
        data["owner"]["type"] = kind
        repo = _Repo(id=id, json=data, languages=dict(languages or {}),
                     tree=tree if tree is not None else _tree_of(files_b), files=files_b,
                     private=private, latest_release=latest_release, readme=_readme_of(files_b))
        with self._lock:
            self._repos[full_name.lower()] = repo
            self._by_id[id] = repo
            self._moved.pop(full_name.lower(), None)
        return data

    def add_owner(self, login: str, *, type: str = "User") -> None:
        with self._lock:
            self._owners[login.lower()] = (login, type)
            for repo in self._repos.values():
                if repo.json["owner"]["login"].lower() == login.lower():
                    repo.json["owner"]["type"] = type

    def rename(self, old_full_name: str, new_full_name: str) -> None:
        with self._lock:
            repo = self._repos.pop(old_full_name.lower())
            owner, name = new_full_name.split("/", 1)
            repo.json.update(full_name=new_full_name, name=name,
                             html_url=f"https://github.com/{new_full_name}")
            repo.json["owner"] = {**repo.json["owner"], "login": owner}
            self._repos[new_full_name.lower()] = repo
            self._moved[old_full_name.lower()] = repo.id
            if old_full_name.lower() in self.readme_override:
                self.readme_override[new_full_name.lower()] = \
                    self.readme_override.pop(old_full_name.lower())

    # -- the log, failures, limits ------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._log)

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self._log)

    def count(self, path_substring: str) -> int:
        return sum(path_substring in r.path for r in self.requests)

    def reset(self) -> None:
        with self._lock:
            self._log.clear()

    def fail(self, path_regex: str, status: int, *, times: int | None = 1,
             headers: dict[str, str] | None = None, body: object = None) -> None:
        with self._lock:
            self._failures.append(_Failure(re.compile(path_regex), status, times,
                                           dict(headers or {}), body))

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def hold(self, path_regex: str, *, limit: float = 60.0) -> Hold:
        return self._holds.add(path_regex, limit=limit)

    def exhaust(self, reset_in: float = 3600) -> None:
        with self._lock:
            self.rate_remaining = 0
            self.rate_reset = int(time.time() + reset_in)

    def _take_failure(self, path: str) -> _Failure | None:
        with self._lock:
            for rule in self._failures:
                if rule.pattern.search(path):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self._failures.remove(rule)
                    return rule
        return None

    def _rate_headers(self, *, spend: bool) -> dict[str, str]:
        with self._lock:
            if time.time() >= self.rate_reset:
                self.rate_remaining = self.rate_limit
                self.rate_reset = int(time.time()) + 3600
            if spend and self.rate_remaining > 0:
                self.rate_remaining -= 1
            return {"x-ratelimit-limit": str(self.rate_limit),
                    "x-ratelimit-remaining": str(self.rate_remaining),
                    "x-ratelimit-reset": str(int(self.rate_reset)),
                    "x-ratelimit-used": str(self.rate_limit - self.rate_remaining),
                    "x-ratelimit-resource": "core"}

    def _rate_spent(self) -> bool:
        with self._lock:
            return self.rate_remaining <= 0 and time.time() < self.rate_reset

    # -- routing (returns status, body, content type, headers) --------------------------

    def _find(self, owner: str, name: str, token_ok: bool) -> _Repo | int | None:
        key = f"{owner}/{name}".lower()
        with self._lock:
            repo = self._repos.get(key)
            moved = self._moved.get(key)
        if repo is not None:
            return repo if (token_ok or not repo.private) else None
        return moved

    def route(self, path: str, query: dict[str, str], accept: str, token: str | None):
        token_ok = token is not None and (not self.tokens or token in self.tokens)
        raw = "raw" in accept and not self.json_files_only
        if path == "/rate_limit":
            headers = self._rate_headers(spend=False)
            rate = {key: int(headers[f"x-ratelimit-{key}"])
                    for key in ("limit", "remaining", "reset", "used")}
            rate["resource"] = "core"
            return 200, {"resources": {"core": rate}, "rate": rate}
        if path == "/user":
            if not token_ok:
                return 401, {"message": "Requires authentication"}
            return 200, {"login": self.tokens.get(token, "octocat"), "id": 1, "type": "User"}
        listed = self._listing(path, query, token, token_ok)
        if listed is not None:
            return listed
        m = re.fullmatch(r"/repositories/(\d+)", path)
        if m:
            repo = self._by_id.get(int(m.group(1)))
            if repo is None or (repo.private and not token_ok):
                return 404, {"message": "Not Found"}
            return 200, repo.json
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if not m:
            return 404, {"message": "Not Found"}
        found = self._find(m.group(1), m.group(2), token_ok)
        if isinstance(found, int):
            return 301, {"message": "Moved Permanently",
                         "url": f"{self.url}/repositories/{found}{m.group(3) or ''}"}, \
                {"Location": f"{self.url}/repositories/{found}{m.group(3) or ''}"}
        if found is None:
            return 404, {"message": "Not Found"}
        return self._repo_route(found, m.group(3) or "", query, raw)

    # -- listings -----------------------------------------------------------------------

    def _listing(self, path: str, query: dict[str, str], token: str | None, token_ok: bool):
        """A listing's page (status, body, headers), or None when ``path`` is no listing."""
        if path == "/user/repos":
            if not token_ok:
                return 401, {"message": "Requires authentication"}
            login, private = self.tokens.get(token, "octocat"), True
        else:
            m = re.fullmatch(r"/(users|orgs)/([^/]+)/repos", path)
            if not m:
                return None
            login = m.group(2)
            with self._lock:
                known = self._owners.get(login.lower())
            kind = known[1] if known else "User"
            mine = self._owned_by(login, private=True)
            if (known is None and not mine) or (m.group(1) == "orgs" and kind != "Organization"):
                return 404, {"message": "Not Found"}
            private = m.group(1) == "orgs" and token_ok
        repos = [r.json for r in self._owned_by(login, private=private)]
        per_page = max(1, min(int(query.get("per_page", 30)), 100))
        page = max(1, int(query.get("page", 1)))
        last = max(1, -(-len(repos) // per_page))
        links = {"first": 1, "prev": page - 1, "next": page + 1, "last": last}
        shown = {rel: n for rel, n in links.items()
                 if (rel in ("first", "prev") and page > 1) or (rel in ("next", "last")
                                                                and page < last)}
        header = ", ".join(f'<{self.url}{path}?{urlencode({**query, "page": n})}>; rel="{rel}"'
                           for rel, n in shown.items())
        return 200, repos[(page - 1) * per_page:page * per_page], ({"Link": header}
                                                                    if header else {})

    def _owned_by(self, login: str, *, private: bool) -> list[_Repo]:
        with self._lock:
            repos = [r for r in self._repos.values()
                     if r.json["owner"]["login"].lower() == login.lower()
                     and (private or not r.private)]
        return sorted(repos, key=lambda r: r.full_name.lower())

    def _repo_route(self, repo: _Repo, sub: str, query: dict[str, str], raw: bool):
        if sub == "":
            return 200, repo.json
        if sub == "/languages":
            return 200, repo.languages
        if sub == "/topics":
            return 200, {"names": repo.json.get("topics", [])}
        if sub == "/releases/latest":
            if repo.latest_release is None:
                return 404, {"message": "Not Found"}
            return 200, {"tag_name": repo.latest_release, "name": repo.latest_release}
        if sub == "/readme":
            content = self.readme_override.get(repo.full_name.lower())
            path = repo.readme or "README.md"
            if content is None:
                if repo.readme is None:
                    return 404, {"message": "Not Found"}
                content = repo.files[repo.readme]
            return self._file(path, content, raw)
        if sub.startswith("/contents/"):
            path = sub[len("/contents/"):]
            if path not in repo.files:
                return 404, {"message": "Not Found"}
            return self._file(path, repo.files[path], raw)
        if sub.startswith("/git/trees/"):
            return self._tree(repo, sub[len("/git/trees/"):], query)
        return 404, {"message": "Not Found"}

    def _file(self, path: str, content: bytes, raw: bool):
        if raw:
            return 200, content
        return 200, {"type": "file", "encoding": "base64", "size": len(content),
                     "name": path.rsplit("/", 1)[-1], "path": path,
                     "sha": hashlib.sha1(content).hexdigest(),
                     "content": base64.encodebytes(content).decode("ascii")}

    def _tree(self, repo: _Repo, ref: str, query: dict[str, str]):
        commit = repo.json.get("commit") or hashlib.sha1(repo.full_name.encode()).hexdigest()
        if ref not in (repo.json["default_branch"], "HEAD", commit):
            return 404, {"message": "Not Found"}
        entries = repo.tree
        if query.get("recursive") not in ("1", "true"):
            entries = [e for e in entries if "/" not in e["path"]]
        truncated = self.truncate_trees and len(entries) > self.truncated_tree_size
        if truncated:
            entries = sorted(entries, key=lambda e: e["path"].count("/"))
            entries = sorted(entries[:self.truncated_tree_size], key=lambda e: e["path"])
        tree = [{"path": e["path"], "type": e["type"],
                 "mode": "040000" if e["type"] == "tree" else "100644",
                 "sha": _object_sha(e["path"], repo.files.get(e["path"])),
                 **({"size": e.get("size", 0)} if e["type"] == "blob" else {})}
                for e in entries]
        return 200, {"sha": commit, "tree": tree, "truncated": truncated}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_fake: FakeGitHub

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests fail on noise
        pass

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server_fake._lock:
            self.server_fake._connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server_fake._lock:
                self.server_fake._connections.discard(self.connection)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        fake = self.server_fake
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        record = RecordedRequest("GET", path[len(fake.prefix):] if path.startswith(fake.prefix)
                                 else path, dict(parse_qsl(parts.query)), headers,
                                 received_at=time.monotonic())
        with fake._lock:
            record.received = next(fake._events)
            fake._log.append(record)
        if fake.log_credentials and "authorization" in headers:
            log.warning("fake GitHub: %s sent with Authorization: %s", record.path,
                        headers["authorization"])
        fake._holds.enter(record.path)
        if fake.latency:
            time.sleep(fake.latency)
        try:
            status, body, extra = self._answer(fake, record, path)
        except Exception as exc:  # a bug in the fake: say so instead of hanging
            status, body, extra = 500, {"message": f"fake server error: {exc!r}"}, {}
        with fake._lock:
            record.status = status
            record.answered = next(fake._events)
        record.answered_at = time.monotonic()
        self._send(status, body, extra)

    def _answer(self, fake: FakeGitHub, record: RecordedRequest, path: str):
        failure = fake._take_failure(record.path)
        if failure is not None:
            body = failure.body
            if body is None:
                body = {"message": HTTPStatus(failure.status).phrase}
            return failure.status, body, {**fake._rate_headers(spend=False), **failure.headers}
        if not path.startswith(fake.prefix):
            return 404, {"message": "Not Found"}, {}
        auth = record.headers.get("authorization", "")
        token = auth.split(" ", 1)[1].strip() if " " in auth else None
        if token is not None and fake.tokens and token not in fake.tokens:
            return 401, {"message": "Bad credentials"}, {}
        counted = record.path != "/rate_limit"
        if counted and fake._rate_spent():
            return 403, {"message": "API rate limit exceeded for 127.0.0.1. (But here's the "
                         "good news: Authenticated requests get a higher rate limit.)"}, \
                fake._rate_headers(spend=False)
        status, body, *rest = fake.route(record.path, record.query,
                                         record.headers.get("accept", ""), token)
        extra = dict(rest[0]) if rest else {}
        if status == 200:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            etag = '"%s"' % hashlib.sha256(data + (token or "").encode()).hexdigest()[:40]
            extra["ETag"] = etag
            inm = record.headers.get("if-none-match", "")
            if etag in [t.strip() for t in inm.split(",")]:
                return 304, b"", {**extra, **fake._rate_headers(spend=False)}
        return status, body, {**extra, **fake._rate_headers(spend=counted)}

    def _send(self, status: int, body: object, headers: dict[str, str]) -> None:
        if isinstance(body, bytes):
            data, ctype = body, "application/vnd.github.raw+json; charset=utf-8"
        elif isinstance(body, str):
            data, ctype = body.encode(), "text/plain; charset=utf-8"
        else:
            data, ctype = json.dumps(body).encode(), "application/json; charset=utf-8"
        if status == 304:
            data = b""
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (a timeout test): nothing to tell
            self.close_connection = True


def most_at_once(requests: list[RecordedRequest]) -> int:
    """The most of ``requests`` the server was working on at one moment."""
    edges = sorted([(r.received_at, 1) for r in requests]
                   + [(r.answered_at, -1) for r in requests], key=lambda e: (e[0], e[1]))
    busy = most = 0
    for _, step in edges:
        busy += step
        most = max(most, busy)
    return most


def env_for(fake: FakeGitHub) -> dict[str, str]:
    """Environment that points the app at ``fake``."""
    return {"REPOFOLIO_GITHUB_API": fake.url}


@pytest.fixture
def fake_github():
    """A fresh fake GitHub per test."""
    with FakeGitHub() as fake:
        yield fake
