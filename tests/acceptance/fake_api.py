"""A second, independent fake GitHub REST API for the black-box acceptance suite.

It is built from GitHub's documentation, not from ``tests/fakes/github_server.py``,
and differs from it on purpose, so that the product is checked against GitHub's
contract rather than against one fake's habits:

- served under a path prefix, as GitHub Enterprise is (``http://127.0.0.1:P/api/v3``);
- weak ETags (``W/"…"``) and ``304 Not Modified`` on ``If-None-Match``;
- repository objects carry only documented fields, with ``topics`` and an ``owner``
  whose ``type`` is ``User`` or ``Organization``;
- the README is served only by ``/readme`` (``/contents/README*`` answers 404);
- listings page by ``page``/``per_page`` with at most ``page_size`` items a page and a
  ``Link`` header (``rel="next"``, ``rel="last"``) with page numbers;
- a renamed repository answers ``301`` to ``/repositories/{id}``;
- a private repository answers 404 without the one valid token; a wrong token 401;
- every answer carries ``x-ratelimit-*`` headers; when ``remaining`` reaches 0 every
  request before ``reset_at`` answers 403 "rate limit exceeded" (``exhaust()``), and
  the quota comes back at ``reset_at``.

Seeded from ``/work/shared/corpus`` copies in ``tests/data/corpus`` (README, manifests,
tree). Every request is recorded in ``requests`` (method, path without the prefix,
query, lower-case headers, server time) so a test can check which endpoints were used.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from tests.acceptance.fake_repos import EXTRA, CORPUS, Repo, sha

__all__ = ["CORPUS", "FakeAPI", "Repo", "PREFIX", "VALID_TOKEN", "TOKEN_OWNER"]

PREFIX = "/api/v3"
VALID_TOKEN = "ghp_AcceptanceToken_Zq7Xv1Wm9Kd3"
TOKEN_OWNER = "ghost-dev"
_RAW = "application/vnd.github.raw"


class FakeAPI:
    """The server; ``url`` is the API base URL to put in ``REPOFOLIO_GITHUB_API``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.repos: dict[str, Repo] = {}
        self.aliases: dict[str, int] = {}
        self.page_size = 2
        self.limit = 5000
        self.remaining = 5000
        self.reset_at = int(time.time()) + 3600
        self._holds: list[tuple[re.Pattern, threading.Event, threading.Event]] = []
        self._failures: list[list] = []  # [pattern, status, body, headers, times left]
        for folder in sorted(p.name for p in CORPUS.iterdir() if (p / "repo.json").exists()):
            self.add(Repo(folder))
        for full_name, (folder, overrides) in EXTRA.items():
            self.add(Repo(folder, overrides, full_name))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        # A client that stops reading at its cap resets the connection: not news.
        self._server.handle_error = lambda request, client_address: None
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.url = self.origin + PREFIX
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()

    # -- state a test may change -------------------------------------------------
    def add(self, repo: Repo) -> None:
        self.repos[repo.full_name.lower()] = repo

    def remove(self, full_name: str) -> Repo:
        return self.repos.pop(full_name.lower())

    def rename(self, old: str, new_name: str) -> None:
        """``old`` now lives at ``owner/new_name``; the old name answers 301."""
        repo = self.remove(old)
        owner = repo.owner
        repo.full_name = f"{owner}/{new_name}"
        repo.data.update(name=new_name, full_name=repo.full_name,
                         html_url=f"https://github.com/{repo.full_name}")
        self.add(repo)
        self.aliases[old.lower()] = repo.data["id"]

    def exhaust(self, reset_in: int = 3600) -> None:
        """The quota is spent until ``reset_in`` seconds from now."""
        with self.lock:
            self.remaining = 0
            self.reset_at = int(time.time()) + reset_in

    def hold(self, pattern: str) -> tuple[threading.Event, threading.Event]:
        """Requests whose path matches ``pattern`` wait until ``release`` is set;
        ``reached`` is set when the first one arrives. Returns (reached, release)."""
        reached, release = threading.Event(), threading.Event()
        self._holds.append((re.compile(pattern), reached, release))
        return reached, release

    def fail(self, pattern: str, status: int, body: dict, headers: dict | None = None,
             times: int = 1) -> None:
        """The next ``times`` requests whose path matches ``pattern`` answer ``status``."""
        with self.lock:
            self._failures.append([re.compile(pattern), status, body, dict(headers or {}),
                                   times])

    def statuses(self) -> list[int]:
        with self.lock:
            return [r.get("status", 0) for r in self.requests]

    def sent_into_spent_quota(self) -> list[str]:
        """Requests (not /rate_limit) that arrived after an answer saying ``remaining: 0``
        went out and before the reset that answer announced."""
        with self.lock:
            done = sorted(self.requests, key=lambda r: r["time"])
        spent: list[tuple[float, int]] = [(r["answered"], r["reset"]) for r in done
                                          if r.get("remaining") == 0]
        return [r["path"] for r in done if r["path"] != "/rate_limit"
                and any(t < r["time"] < reset for t, reset in spent)]

    def paths(self) -> list[str]:
        with self.lock:
            return [r["path"] for r in self.requests]

    def close(self) -> None:
        for _pattern, _reached, release in self._holds:
            release.set()
        self._server.shutdown()
        self._server.server_close()

    # -- serving -----------------------------------------------------------------
    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                api._serve(self, "GET")

            def do_HEAD(self):
                api._serve(self, "HEAD")

            def do_POST(self):
                api._serve(self, "POST")

        return Handler

    def _serve(self, h: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(h.path)
        path = unquote(split.path)
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        headers = {k.lower(): v for k, v in h.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = h.rfile.read(length) if length else b""
        record = {"method": method, "path": path[len(PREFIX):] if path.startswith(PREFIX)
                  else path, "query": query, "headers": headers, "time": time.time()}
        with self.lock:
            self.requests.append(record)
        for pattern, reached, release in list(self._holds):
            if pattern.search(record["path"]):
                reached.set()
                release.wait(60)
        record["counted"] = self._spend(record["path"])
        try:
            status, payload, extra = self._failure(record["path"]) or self._route(
                method, path, query, headers, body, spent=record["counted"] is None)
        except Exception as exc:  # the fake's own fault: say so loudly
            status, payload, extra = 599, {"message": f"fake_api fault: {exc!r}"}, {}
        record["status"], record["remaining"], record["reset"] = self._send(
            h, method, status, payload, extra, headers, counted=bool(record["counted"]))
        record["answered"] = time.time()

    def _spend(self, rel: str) -> bool | None:
        """Take one request from the quota as it arrives (so concurrent requests cannot
        overdraw it): True if taken, False if free, None if the quota is spent."""
        with self.lock:
            if self.remaining == 0 and time.time() >= self.reset_at:
                self.remaining, self.reset_at = self.limit, int(time.time()) + 3600
            if rel == "/rate_limit":
                return False
            if self.remaining == 0:
                return None
            self.remaining -= 1
            return True

    def _failure(self, path: str):
        with self.lock:
            for failure in self._failures:
                if failure[4] > 0 and failure[0].search(path):
                    failure[4] -= 1
                    return failure[1], failure[2], dict(failure[3])
        return None

    def _token(self, headers: dict) -> str | None:
        auth = headers.get("authorization", "")
        match = re.match(r"(?i)(?:token|bearer)\s+(\S+)", auth)
        return match.group(1) if match else None

    def _route(self, method, path, query, headers, body, spent=False):
        if not path.startswith(PREFIX + "/") and path != "/api/graphql":
            return 404, {"message": "Not Found"}, {}
        rel = path[len(PREFIX):] if path.startswith(PREFIX) else "/graphql"
        token = self._token(headers)
        if token is not None and token != VALID_TOKEN:
            return 401, {"message": "Bad credentials",
                         "documentation_url": "https://docs.github.com/rest"}, {}
        authorized = token == VALID_TOKEN
        if rel == "/rate_limit":
            return 200, self._rate_limit_body(), {}
        if spent:
            return 403, {"message": "API rate limit exceeded for 127.0.0.1. (But here's the "
                         "good news: Authenticated requests get a higher rate limit.)",
                         "documentation_url": "https://docs.github.com/rest/rate-limit"}, {}
        if rel == "/graphql" and method == "POST":
            if not authorized:
                return 401, {"message": "This endpoint requires you to be authenticated."}, {}
            return 200, {"errors": [{"type": "FORBIDDEN",
                                     "message": "GraphQL is turned off on this server."}]}, {}
        if method not in ("GET", "HEAD"):
            return 404, {"message": "Not Found"}, {}
        if rel == "/user":
            if not authorized:
                return 401, {"message": "Requires authentication"}, {}
            return 200, {"login": TOKEN_OWNER, "id": 77, "type": "User",
                         "html_url": f"https://github.com/{TOKEN_OWNER}"}, {}
        m = re.fullmatch(r"/(users|orgs)/([^/]+)/repos", rel)
        if m or rel == "/user/repos":
            return self._listing(rel, m, query, authorized)
        m = re.fullmatch(r"/repositories/(\d+)(/.*)?", rel)
        if m:
            repo = next((r for r in self.repos.values() if r.data["id"] == int(m.group(1))),
                        None)
            return self._repo_route(repo, m.group(2) or "", query, headers, authorized)
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", rel)
        if m:
            key = f"{m.group(1)}/{m.group(2)}".lower()
            if key in self.aliases:
                target = f"{self.url}/repositories/{self.aliases[key]}{m.group(3) or ''}"
                return 301, {"message": "Moved Permanently", "url": target}, {
                    "Location": target}
            return self._repo_route(self.repos.get(key), m.group(3) or "", query, headers,
                                    authorized)
        return 404, {"message": "Not Found"}, {}

    def _visible(self, repo: Repo | None, authorized: bool) -> bool:
        return repo is not None and not repo.gone and (
            not repo.data["private"] or authorized)

    def _listing(self, rel, m, query, authorized):
        if rel == "/user/repos":
            if not authorized:
                return 401, {"message": "Requires authentication"}, {}
            owner, include_private = TOKEN_OWNER, True
        else:
            kind, owner = m.group(1), m.group(2).lower()
            known = {r.owner.lower(): r.data["owner"]["type"] for r in self.repos.values()}
            if owner not in known or (kind == "orgs" and known[owner] != "Organization"):
                return 404, {"message": "Not Found"}, {}
            include_private = False
        items = [copy.deepcopy(r.data) for r in sorted(self.repos.values(),
                                                       key=lambda r: r.full_name.lower())
                 if r.owner.lower() == owner.lower()
                 and (include_private or not r.data["private"])]
        per_page = max(1, min(int(query.get("per_page", 30)), 100, self.page_size))
        page = max(1, int(query.get("page", 1)))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        base = f"{self.url}{rel}"
        others = "".join(f"&{k}={v}" for k, v in sorted(query.items())
                         if k not in ("page", "per_page"))
        links = []
        if page < last:
            links.append(f'<{base}?per_page={per_page}&page={page + 1}{others}>; rel="next"')
            links.append(f'<{base}?per_page={per_page}&page={last}{others}>; rel="last"')
        if page > 1:
            links.append(f'<{base}?per_page={per_page}&page=1{others}>; rel="first"')
            links.append(f'<{base}?per_page={per_page}&page={page - 1}{others}>; rel="prev"')
        return 200, chunk, ({"Link": ", ".join(links)} if links else {})

    def _repo_route(self, repo, sub, query, headers, authorized):
        if not self._visible(repo, authorized):
            return 404, {"message": "Not Found",
                         "documentation_url": "https://docs.github.com/rest/repos"}, {}
        raw = _RAW in headers.get("accept", "")
        if sub == "":
            return 200, copy.deepcopy(repo.data), {}
        if sub == "/languages":
            return 200, dict(repo.languages), {}
        if sub == "/topics":
            return 200, {"names": list(repo.data["topics"])}, {}
        if sub == "/readme":
            name = repo.readme_path()
            return self._file(repo, name, raw) if name else (404, {"message": "Not Found"}, {})
        m = re.fullmatch(r"/contents/(.*)", sub)
        if m:
            path = m.group(1).strip("/")
            if "/" not in path and path.lower().startswith("readme"):
                return 404, {"message": "Not Found"}, {}  # the README: ask /readme
            if repo.file(path) is not None:
                return self._file(repo, path, raw)
            folder = repo.files_dir / path
            if folder.is_dir():
                return 200, [{"name": p.name, "path": f"{path}/{p.name}".strip("/"),
                              "type": "dir" if p.is_dir() else "file",
                              "size": p.stat().st_size if p.is_file() else 0,
                              "sha": sha(repo.full_name, p.name)}
                             for p in sorted(folder.iterdir())], {}
            return 404, {"message": "Not Found"}, {}
        m = re.fullmatch(r"/git/trees/([^/]+)", sub)
        if m:
            if m.group(1) not in (repo.commit, repo.data["default_branch"], "HEAD"):
                return 404, {"message": "Not Found"}, {}
            tree = [{"path": e["path"], "mode": "040000" if e["type"] == "tree" else "100644",
                     "type": e["type"], "sha": sha(repo.commit, e["path"]),
                     **({"size": e["size"]} if "size" in e else {}),
                     "url": f"{self.url}/repos/{repo.full_name}/git/blobs/x"} for e in repo.tree]
            return 200, {"sha": repo.commit, "url": "", "tree": tree, "truncated": False}, {}
        if sub == "/releases/latest":
            if repo.full_name != "pallets/flask":
                return 404, {"message": "Not Found"}, {}
            return 200, {"tag_name": "3.1.0", "name": "3.1.0", "draft": False,
                         "prerelease": False, "published_at": "2025-11-13T18:00:00Z",
                         "html_url": "https://github.com/pallets/flask/releases/tag/3.1.0"}, {}
        m = re.fullmatch(r"/(commits|branches)/([^/]+)", sub)
        if m:
            commit = {"sha": repo.commit, "commit": {
                "message": repo.commit_message,
                "author": {"name": "A. Maintainer", "date": repo.data["pushed_at"]},
                "committer": {"name": "A. Maintainer", "date": repo.data["pushed_at"]}}}
            if m.group(2) not in (repo.commit, repo.data["default_branch"], "HEAD"):
                return 404, {"message": "Not Found"}, {}
            if m.group(1) == "commits":
                return 200, commit, {}
            return 200, {"name": m.group(2), "commit": commit, "protected": False}, {}
        return 404, {"message": "Not Found"}, {}

    def _file(self, repo: Repo, path: str, raw: bool):
        data = repo.file(path)
        if raw:
            return 200, data, {"Content-Type": "application/vnd.github.raw; charset=utf-8"}
        return 200, {"type": "file", "encoding": "base64", "name": path.rsplit("/", 1)[-1],
                     "path": path, "size": len(data), "sha": sha(repo.full_name, path),
                     "content": base64.encodebytes(data).decode("ascii"),
                     "download_url": None}, {}

    def _rate_limit_body(self) -> dict:
        with self.lock:
            core = {"limit": self.limit, "remaining": self.remaining, "reset": self.reset_at,
                    "used": self.limit - self.remaining, "resource": "core"}
        return {"resources": {"core": core}, "rate": core}

    def _send(self, h, method, status, payload, extra, req_headers, counted: bool):
        if isinstance(payload, (bytes, bytearray)):
            body = bytes(payload)
        else:
            body = json.dumps(payload).encode()
        etag = f'W/"{sha(body.decode("utf-8", "replace"))[:32]}"'
        refund = False
        if status == 200 and req_headers.get("if-none-match") == etag:
            # An authorized conditional request answered 304 costs nothing.
            status, body = 304, b""
            refund = counted and self._token(req_headers) is not None
        with self.lock:
            if refund:
                self.remaining += 1
            remaining, reset = self.remaining, self.reset_at
        h.send_response(status)
        if status != 304 and "Content-Type" not in extra:
            h.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in extra.items():
            h.send_header(name, value)
        if status in (200, 304):
            h.send_header("ETag", etag)
        h.send_header("x-ratelimit-limit", str(self.limit))
        h.send_header("x-ratelimit-remaining", str(remaining))
        h.send_header("x-ratelimit-reset", str(reset))
        h.send_header("x-ratelimit-used", str(self.limit - remaining))
        h.send_header("x-ratelimit-resource", "core")
        h.send_header("x-github-api-version-selected", "2022-11-28")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if method != "HEAD" and status != 304:
            h.wfile.write(body)
        return status, remaining, reset
