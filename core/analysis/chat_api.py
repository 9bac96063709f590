"""One OpenAI-compatible chat-completions call over httpx: retries, typed errors, no SDK.

Why not the ``openai`` package: importing it takes 0.4–0.9 s (it loads every API type
of the whole platform), and a first import from a cold ``repofolio import --wait``
waited for it between its GitHub requests and its AI call, even when loaded ahead on
a thread of its own (docs/PERFORMANCE.md, bench_cold_import.py). We use one endpoint,
``POST {base}/chat/completions``, and the SDK's behaviour around it is small:

- the base URL: the configured one, else ``OPENAI_BASE_URL``, else OpenAI's;
- ``Authorization: Bearer KEY`` (and ``OpenAI-Organization`` / ``OpenAI-Project``
  when ``OPENAI_ORG_ID`` / ``OPENAI_PROJECT_ID`` are set, as the SDK sends them);
- up to ``max_retries`` more attempts after a connection failure, a timeout, or HTTP
  408, 409, 429 and 5xx (a server's ``x-should-retry`` decides when it says), waiting
  what ``retry-after-ms`` / ``retry-after`` ask (up to a minute), else 0.5 s doubling
  up to 8 s, less up to a quarter at random;
- an error that carries its HTTP status, never the server's body (a body may echo
  the key).

The transport (:mod:`core.analysis.ai_http`) keeps its policy: one origin, a byte cap,
a total deadline, a stop switch; its refusals are not retried.
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from core.net.agent import user_agent

DEFAULT_BASE_URL = "https://api.openai.com/v1"
RETRIED_STATUSES = frozenset({408, 409, 429})
INITIAL_RETRY_DELAY, MAX_RETRY_DELAY, MAX_RETRY_AFTER = 0.5, 8.0, 60.0


class ChatError(Exception):
    """The chat call failed; subclasses say how."""


class ChatConnectionError(ChatError):
    """The server could not be reached, or the connection broke."""


class ChatTimeout(ChatConnectionError):
    """The server did not answer within the timeout."""


class ChatStatusError(ChatError):
    """The server answered with an HTTP error status."""

    def __init__(self, status_code: int):
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


class UnusableAnswer(ChatError):
    """The server answered 200, but not with a chat completion that has text."""



class ChatClient:
    """Chat completions against one OpenAI-compatible server, over a given httpx client."""

    def __init__(self, http: httpx.Client, api_key: str, *, base_url: str | None = None,
                 max_retries: int = 2, env: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        env = os.environ if env is None else env
        self.base_url = (base_url or env.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.max_retries = max_retries
        self._http = http
        self._sleep = sleep
        self._headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json",
                         "User-Agent": user_agent()}
        for variable, header in (("OPENAI_ORG_ID", "OpenAI-Organization"),
                                 ("OPENAI_PROJECT_ID", "OpenAI-Project")):
            if env.get(variable):
                self._headers[header] = env[variable]

    def complete(self, request: dict[str, Any]) -> str:
        """The first choice's message text for ``request`` (model, messages, ...)."""
        url = f"{self.base_url}/chat/completions"
        for retries_left in range(self.max_retries, -1, -1):
            try:
                response = self._http.post(url, json=request, headers=self._headers)
            except httpx.TimeoutException as exc:
                if not retries_left:
                    raise ChatTimeout("the AI server did not answer in time") from exc
                self._sleep(_backoff(self.max_retries - retries_left))
                continue
            except httpx.TransportError as exc:
                if not retries_left:
                    raise ChatConnectionError(type(exc).__name__) from exc
                self._sleep(_backoff(self.max_retries - retries_left))
                continue
            if response.status_code < 300:
                return _content_of(response)
            if retries_left and _should_retry(response):
                self._sleep(_retry_after(response) or _backoff(self.max_retries - retries_left))
                continue
            raise ChatStatusError(response.status_code)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


def _content_of(response: httpx.Response) -> str:
    try:
        data = json.loads(response.content)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise UnusableAnswer("not a chat completion") from None
    if not isinstance(content, str) or not content.strip():
        raise UnusableAnswer("empty answer")
    return content


def _should_retry(response: httpx.Response) -> bool:
    told = response.headers.get("x-should-retry", "").lower()
    if told in ("true", "false"):
        return told == "true"
    return response.status_code in RETRIED_STATUSES or response.status_code >= 500


def _retry_after(response: httpx.Response) -> float | None:
    """What the server asked us to wait, when it asked for something sensible."""
    seconds = None
    if (millis := response.headers.get("retry-after-ms")) is not None:
        try:
            seconds = float(millis) / 1000
        except ValueError:
            pass
    if seconds is None and (value := response.headers.get("retry-after")) is not None:
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError):
                seconds = None
    return seconds if seconds is not None and 0 < seconds <= MAX_RETRY_AFTER else None


def _backoff(retried: int) -> float:
    delay = min(INITIAL_RETRY_DELAY * 2 ** retried, MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * random.random())
