"""A hostile GitHub REST + OpenAI chat server on 127.0.0.1, and a witness on 127.0.0.2.

Unlike the polite fakes (``github_server``, ``openai_server``) this one misbehaves on
purpose, per path:

    with HostileServer() as hostile:
        hostile.on(r"^/repos/o/r$", endless())           # a body that never ends
        hostile.on(r"/languages$", json_answer(["a list"]))
        hostile.on(r"/chat/completions$", redirect(hostile.other.url + "/v1/chat/completions"))
        ... run an import against hostile.url (GitHub) and hostile.ai_url (OpenAI) ...
        hostile.other.requests   # what reached the other host: must stay empty
        hostile.sent("/repos/o/r")  # bytes we managed to write for that path

Paths with no rule answer like a small, valid repository ``o/r`` (id 1): the
repository, languages, topics, a README, a three-entry tree, no release, no files,
and a valid chat completion (``chat(...)``).

Behaviours (each returns a handler ``fn(handler)``): :func:`json_answer`,
:func:`raw_answer`, :func:`endless`, :func:`gzip_bomb`, :func:`huge_json`,
:func:`drip`, :func:`stall`, :func:`redirect`, :func:`big_tree`, and
:func:`chat` (wraps content in a chat completion, for the AI path).

``GET /_hostile/seen?path=SUBSTRING`` answers ``{"count": n}``: how many requests
whose path contains SUBSTRING have arrived (a driver in another process waits on it).
The witness (``.other``) records every request (method, path, headers, body) and
answers 200 with a plausible body, so that a client that followed a redirect there
would carry on — and the test would see it.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

REPO = "o/r"
REPO_ID = 1
WITNESS_HOST = "127.0.0.2"


def repository_json(**changes) -> dict:
    data = {"id": REPO_ID, "node_id": "R_1", "name": "r", "full_name": REPO,
            "owner": {"login": "o", "id": 7, "type": "User"}, "private": False,
            "html_url": "https://github.com/o/r", "description": "A small test repository.",
            "fork": False, "archived": False, "topics": ["testing"], "language": "Python",
            "license": {"key": "mit", "spdx_id": "MIT", "name": "MIT License"},
            "default_branch": "main", "stargazers_count": 3, "forks_count": 1,
            "created_at": "2020-01-01T00:00:00Z", "pushed_at": "2026-01-01T00:00:00Z"}
    data.update(changes)
    return data


def analysis_json(**changes) -> dict:
    data = {"description": "A small test repository for hostile servers.",
            "summary": "r is a small repository used to test how Repofolio copes with "
                       "servers that misbehave on purpose.",
            "tags": ["testing", "http", "robustness"], "category": "Developer Tool",
            "highlights": ["Answers like GitHub", "Misbehaves on purpose"], "tech_stack": []}
    data.update(changes)
    return data


def completion(content: str) -> dict:
    return {"id": "chatcmpl-hostile", "object": "chat.completion", "created": int(time.time()),
            "model": "hostile-model", "choices": [{
                "index": 0, "message": {"role": "assistant", "content": content},
                "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


# -- behaviours ------------------------------------------------------------------------

def raw_answer(body: bytes, content_type: str = "application/json", status: int = 200,
               headers: dict[str, str] | None = None):
    def answer(h: "_Handler") -> None:
        h.head(status, {"Content-Type": content_type, "Content-Length": str(len(body)),
                        **(headers or {})})
        h.write(body)
    return answer


def json_answer(value: object, status: int = 200, headers: dict[str, str] | None = None):
    return raw_answer(json.dumps(value).encode(), status=status, headers=headers)


def chat(content: str | dict | list):
    """A chat completion whose message content is ``content`` (JSON-encoded if not text)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return json_answer(completion(text))


def endless(prefix: bytes = b'{"id": 1, "full_name": "o/r", "description": "',
            limit: int = 8 << 30):
    """200 with no length, then ``x`` until the client leaves (or ``limit`` bytes)."""
    block = b"x" * 65536

    def answer(h: "_Handler") -> None:
        h.head(200, {"Content-Type": "application/json"})
        h.write(prefix)
        while h.sent_bytes < limit and h.write(block):
            pass
    return answer


def gzip_bomb(total: int = 8 << 30, prefix: bytes = b'{"description": "'):
    """A gzip body that expands to ``total`` bytes; compressed on the fly (~1000:1)."""
    def answer(h: "_Handler") -> None:
        h.head(200, {"Content-Type": "application/json", "Content-Encoding": "gzip"})
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        if not h.write(packer.compress(prefix)):
            return
        zeros = b"0" * (1 << 20)
        for _ in range(total // len(zeros)):
            out = packer.compress(zeros)
            if out and not h.write(out):
                return
        h.write(packer.flush())
    return answer


def huge_json(size: int, key: str = "description", base: dict | None = None):
    """A valid JSON object of about ``size`` bytes: ``base`` plus one huge text field."""
    def answer(h: "_Handler") -> None:
        head = json.dumps(base or {})[:-1].encode()
        head += (b", " if base else b"") + json.dumps(key).encode() + b': "'
        tail = b'"}'
        body_len = len(head) + size + len(tail)
        h.head(200, {"Content-Type": "application/json", "Content-Length": str(body_len)})
        if not h.write(head):
            return
        block, left = b"y" * 65536, size
        while left > 0:
            piece = block[:left]
            if not h.write(piece):
                return
            left -= len(piece)
        h.write(tail)
    return answer


def drip(body: bytes, interval: float = 1.0, content_type: str = "application/json"):
    """Headers at once (with the full length), then one byte every ``interval`` s."""
    def answer(h: "_Handler") -> None:
        h.head(200, {"Content-Type": content_type, "Content-Length": str(len(body))})
        for i in range(len(body)):
            if not h.write(body[i:i + 1]) or h.server.stopping.wait(interval):
                return
    return answer


def stall():
    """Read the request, never answer; the connection stays open until the server stops."""
    def answer(h: "_Handler") -> None:
        while not h.server.stopping.wait(0.05):
            if h.client_gone():
                return
    return answer


def redirect(location: str, status: int = 307):
    return raw_answer(b"", status=status, headers={"Location": location})


def big_tree(entries: int = 500_000):
    """A recursive tree of ``entries`` blobs, generated as it is sent (~80 bytes each)."""
    def answer(h: "_Handler") -> None:
        h.head(200, {"Content-Type": "application/json"})
        if not h.write(b'{"sha": "' + b"a" * 40 + b'", "tree": ['):
            return
        batch: list[bytes] = []
        for i in range(entries):
            batch.append(b'%s{"path": "src/d%d/f%d.py", "mode": "100644", "type": "blob", '
                         b'"size": %d}' % (b"," if i else b"", i % 97, i, i))
            if len(batch) == 512:
                if not h.write(b"".join(batch)):
                    return
                batch.clear()
        h.write(b"".join(batch) + b'], "truncated": false}')
    return answer


# -- the servers -----------------------------------------------------------------------

@dataclass
class Seen:
    method: str
    path: str
    host: str
    headers: dict[str, str]
    body: bytes = b""
    sent_bytes: int = 0


@dataclass
class _Rule:
    pattern: re.Pattern
    answer: object


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: bodies end by closing
    server: "_Server"

    def log_message(self, *args) -> None:  # quiet
        pass

    def head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()

    def write(self, data: bytes) -> bool:
        """Send ``data``; False once the client has gone or the server stops."""
        if self.server.stopping.is_set():
            return False
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            return False
        self.seen.sent_bytes += len(data)
        return True

    @property
    def sent_bytes(self) -> int:
        return self.seen.sent_bytes

    def client_gone(self) -> bool:
        try:
            self.connection.setblocking(False)
            try:
                return self.connection.recv(1, socket.MSG_PEEK) == b""
            finally:
                self.connection.setblocking(True)
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        self.seen = Seen(self.command, path, self.headers.get("Host", ""),
                         {k.lower(): v for k, v in self.headers.items()}, body)
        if path == "/_hostile/seen":
            wanted = parse_qs(urlsplit(self.path).query).get("path", [""])[0]
            count = sum(wanted in s.path for s in self.server.log())
            json_answer({"count": count})(self)
            return
        self.server.record(self.seen)
        self.server.answer_for(path)(self)

    do_GET = do_POST = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str, answers):
        super().__init__((host, 0), _Handler)
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._log: list[Seen] = []
        self.answer_for = answers

    def handle_error(self, request, client_address) -> None:  # clients hang up: fine
        pass

    def record(self, seen: Seen) -> None:
        with self._lock:
            self._log.append(seen)

    def log(self) -> list[Seen]:
        with self._lock:
            return list(self._log)

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True, name=f"hostile-{self.server_address[0]}").start()

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


class Witness:
    """The "other host" on 127.0.0.2: records whatever reaches it, answers plausibly."""

    def __init__(self) -> None:
        self._server = _Server(WITNESS_HOST, self._answer)

    @staticmethod
    def _answer(path: str):
        if "chat/completions" in path:
            return chat(analysis_json(description="This answer came from the other host."))
        return json_answer(repository_json())

    @property
    def url(self) -> str:
        return f"http://{WITNESS_HOST}:{self._server.server_address[1]}"

    @property
    def requests(self) -> list[Seen]:
        return self._server.log()


class HostileServer:
    """GitHub REST at ``.url``, OpenAI chat at ``.ai_url``; rules by path (see module doc)."""

    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self._server = _Server("127.0.0.1", self._answer)
        self.other = Witness()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def ai_url(self) -> str:
        return f"{self.url}/v1"

    def on(self, path_regex: str, answer) -> "HostileServer":
        with self._lock:
            self._rules.insert(0, _Rule(re.compile(path_regex), answer))
        return self

    @property
    def requests(self) -> list[Seen]:
        return self._server.log()

    def sent(self, path_substring: str = "") -> int:
        """Bytes written for requests whose path contains ``path_substring``."""
        return sum(s.sent_bytes for s in self.requests if path_substring in s.path)

    def _answer(self, path: str):
        with self._lock:
            for rule in self._rules:
                if rule.pattern.search(path):
                    return rule.answer
        return _DEFAULTS.get(path) or _default_for(path)

    def start(self) -> "HostileServer":
        self._server.start()
        self.other._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()
        self.other._server.stop()

    def __enter__(self) -> "HostileServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


_README = b"# r\n\nA small test repository that answers like GitHub.\n"
_DEFAULTS = {
    "/repos/o/r": json_answer(repository_json()),
    "/repositories/1": json_answer(repository_json()),
    "/repos/o/r/languages": json_answer({"Python": 1200, "Shell": 30}),
    "/repos/o/r/topics": json_answer({"names": ["testing"]}),
    "/repos/o/r/readme": raw_answer(_README, content_type="application/vnd.github.raw"),
    "/repos/o/r/git/trees/main": json_answer({"sha": "a" * 40, "truncated": False, "tree": [
        {"path": "README.md", "type": "blob", "size": len(_README)},
        {"path": "src", "type": "tree"}, {"path": "src/r.py", "type": "blob", "size": 10}]}),
}


def _default_for(path: str):
    if path.endswith("/chat/completions"):
        return chat(analysis_json())
    return json_answer({"message": "Not Found"}, status=404)
