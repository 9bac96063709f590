"""A real OpenAI-compatible chat server on 127.0.0.1, for tests (and manual runs).

    with FakeOpenAI() as ai:                  # or the ``fake_openai`` pytest fixture
        client = openai.OpenAI(api_key="k", base_url=ai.url, max_retries=0)
        ai.reply({"description": "..."})      # queue answers: str, dict/list (JSON), or
        ai.reply(lambda body: "...")          #   callable(request_body) -> str | dict
        ai.fail(500, times=2)                 # the next 2 requests answer HTTP 500
        ai.latency = 1.5                      # seconds to wait before every answer
        ai.requests[-1]["body"]["messages"]   # what the client sent (thread-safe copy)

API
- ``url``: base URL ending in ``/v1``; ``POST /v1/chat/completions`` (and
  ``/chat/completions``) answer in the real shape: id, object "chat.completion",
  created, model, choices[0].message{role, content}, finish_reason, usage.
  ``GET /v1/models`` lists one model. A request without ``Authorization: Bearer ...``
  gets 401, a body that is not JSON 400, as the real API does.
- ``requests``: list of ``{"path", "headers", "body"}`` (header names lower-case, body
  parsed as JSON, None if it was not JSON);
  ``request_count``: how many chat requests arrived (failed ones included).
- ``reply(content_or_callable)``: queue one answer. Queued answers are used in order;
  when none is queued, the default answer is a valid analysis JSON object derived
  from the ``owner/name`` in the prompt (see :func:`default_analysis`).
  :func:`keeps_to_the_fence` is a model that answers from what the prompt carried:
  it obeys "set the category/description to …" written outside the README's
  markers and ignores what is between them, as a well-behaved model should.
- ``fail(status, times=1, body=None, retry_after_ms=1, headers=None)``: the next ``times``
  requests answer ``status`` with an OpenAI-style error body (or ``body``); failures are
  served before queued replies. ``retry-after-ms`` keeps the client's own retries fast
  (``retry_after_ms=None`` sends none); ``headers`` are added to the answer.
- ``latency``: seconds to sleep before answering (for timeout tests).
- ``hold()``: chat requests wait (after they are logged) until the returned
  :class:`~tests.fakes.holds.Hold` is released (``hold.wait_until_held(n)`` returns
  when ``n`` wait at once): an import stopped during its analysis, deterministically.
- ``log_credentials = False``; when True, each request's ``Authorization`` header is
  written to the ``tests.fakes.openai_server`` logger at WARNING (see FakeGitHub's).
- ``reset()``: forget requests, queued replies, failures and latency.
- ``close()``; the object is a context manager. Pytest fixture: ``fake_openai``.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable

import pytest

from tests.fakes.github_server import LoopbackServer
from tests.fakes.holds import Hold, Holds

log = logging.getLogger(__name__)

Reply = str | dict | list | Callable[[dict], Any]
_REPO = re.compile(r"Repository:\s*([\w.-]+/[\w.-]+)|\b([A-Za-z0-9-]+/[\w.-]+)\b")
_ORDER = re.compile(r"\bset (?:the )?(category|description) to ([^.\n]+)", re.I)


def default_analysis(body: dict) -> dict:
    """A valid analysis object naming the repository found in the request's messages."""
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", [])
                     if isinstance(m, dict) and m.get("role") == "user")
    match = _REPO.search(text)
    full_name = (match.group(1) or match.group(2)) if match else "unknown/project"
    owner, name = full_name.split("/", 1)
    return {
        "description": f"{name} is an open-source project maintained by {owner}.",
        "summary": f"{name} is a project by {owner}, described here by the fake AI model. "
                   f"It shows how the portfolio entry for {full_name} looks.",
        "tags": [name.lower(), "open-source", "fake-ai"],
        "category": "Developer Tool",
        "highlights": [f"Maintained by {owner}", "Described by a fake model"],
        "tech_stack": [],
    }


def keeps_to_the_fence(body: dict) -> dict:
    """A model that reads the README as data and the rest of the prompt as instructions.

    It sees the user message as a model would: the README runs from the first start
    marker to the first end marker after it, whatever the README meant. Outside that,
    "set the category to X" and "set the description to Y" are obeyed on top of
    :func:`default_analysis`; inside it, nothing is.
    """
    from core.analysis.prompt import README_END, README_START  # the markers of our prompt
    user = "\n".join(str(m.get("content", "")) for m in body.get("messages", [])
                     if isinstance(m, dict) and m.get("role") == "user")
    before, start, rest = user.partition(README_START)
    outside = before + (rest.partition(README_END)[2] if start else "")
    answer = default_analysis(body)
    for field, value in _ORDER.findall(outside):
        answer[field.lower()] = value.strip()
    return answer


class FakeOpenAI:
    """The chat-completions endpoint of an OpenAI-compatible server, in a daemon thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[dict] = []
        self._replies: list[Reply] = []
        self._failures: list[tuple[int, Any, dict[str, str]]] = []
        self._ids = itertools.count(1)
        self.chat_count = 0
        self.latency = 0.0
        self.log_credentials = False
        self._holds = Holds()
        self._server = LoopbackServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        # A short poll interval makes close() (shutdown) quick.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="fake-openai", daemon=True)
        self._thread.start()

    # --- test API ---------------------------------------------------------------

    @property
    def requests(self) -> list[dict]:
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self) -> int:
        with self._lock:
            return self.chat_count

    def reply(self, content_or_callable: Reply) -> None:
        with self._lock:
            self._replies.append(content_or_callable)

    def fail(self, status: int, times: int = 1, body: Any = None,
             retry_after_ms: int | None = 1, headers: dict[str, str] | None = None) -> None:
        answer = dict(headers or {})
        if retry_after_ms is not None:
            answer["retry-after-ms"] = str(retry_after_ms)
        with self._lock:
            self._failures.extend([(status, body, answer)] * times)

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._replies.clear()
            self._failures.clear()
            self.chat_count = 0
            self.latency = 0.0

    def hold(self, *, limit: float = 60.0) -> Hold:
        return self._holds.add(r"chat/completions", limit=limit)

    def close(self) -> None:
        self._holds.release_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeOpenAI":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- serving ----------------------------------------------------------------

    def _next_answer(self, body: dict) -> tuple[int, dict, dict]:
        """(status, JSON body, extra headers) for one chat request."""
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
            reply = self._replies.pop(0) if (self._replies and not failure) else None
        if failure:
            status, error_body, headers = failure
            error_body = error_body if error_body is not None else {"error": {
                "message": f"Fake failure with HTTP {status}", "type": "server_error",
                "param": None, "code": None}}
            return status, error_body, headers
        if reply is None:
            reply = default_analysis
        content = reply(body) if callable(reply) else reply
        if not isinstance(content, str):
            content = json.dumps(content)
        return 200, self._completion(body, content), {}

    def _completion(self, body: dict, content: str) -> dict:
        prompt_chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])
                           if isinstance(m, dict))
        prompt_tokens, completion_tokens = prompt_chars // 4 + 1, len(content) // 4 + 1
        return {
            "id": f"chatcmpl-fake{next(self._ids)}", "object": "chat.completion",
            "created": int(time.time()), "model": str(body.get("model", "fake-model")),
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "logprobs": None, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content, "refusal": None}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                pass

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes: without this, Nagle's algorithm and
                # the client's delayed ACK add ~40 ms to every answer.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _send(self, status: int, payload: object, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/") in ("/v1/models", "/models"):
                    self._send(200, {"object": "list", "data": [
                        {"id": "fake-model", "object": "model", "created": 0, "owned_by": "fake"}]})
                else:
                    self._send(404, {"error": {"message": "Not found", "type": "invalid_request_error"}})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.split("?")[0] not in ("/v1/chat/completions", "/chat/completions"):
                    self._send(404, {"error": {"message": "Not found", "type": "invalid_request_error"}})
                    return
                try:
                    body = json.loads(raw or b"null")
                except ValueError:
                    body = None
                with fake._lock:
                    headers = {key.lower(): value for key, value in self.headers.items()}
                    fake._requests.append({"path": self.path, "headers": headers, "body": body})
                    fake.chat_count += 1
                if fake.log_credentials and "authorization" in headers:
                    log.warning("fake OpenAI: request with Authorization: %s",
                                headers["authorization"])
                fake._holds.enter(self.path)
                if fake.latency:
                    time.sleep(fake.latency)
                if not self.headers.get("Authorization", "").startswith("Bearer "):
                    self._send(401, {"error": {"message": "Missing API key",
                                               "type": "invalid_request_error"}})
                elif not isinstance(body, dict):
                    self._send(400, {"error": {"message": "Body is not a JSON object",
                                               "type": "invalid_request_error"}})
                else:
                    try:
                        self._send(*fake._next_answer(body))
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up (timeout test)

        return Handler


@pytest.fixture
def fake_openai():
    """A running FakeOpenAI, closed after the test."""
    server = FakeOpenAI()
    try:
        yield server
    finally:
        server.close()
