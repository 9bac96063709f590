"""The AI analyzer: any OpenAI-compatible chat-completions server writes the entry.

One request per repository, asking for a JSON object (DESIGN §6). The answer is
untrusted and goes through :func:`clean_ai_output` field by field. Whatever goes
wrong — timeout, connection, HTTP error, an answer over its cap, a redirect to
another host, unusable output — the offline analyzer's result is returned instead,
with ``analyzer="heuristic"`` and a one-line ``note`` for the user. The API key never
appears in a note or a log line.

The call has one total deadline (``timeout``, the SDK's retries included) and runs
where it can be abandoned (:func:`core.net.waiting.run_abandonable`): the job's
``check`` (cancel, deadline, the app quitting) is honoured within a tenth of a second
and propagates — a cancelled job ends cancelled, not with the offline text.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import replace

import openai

from core.analysis.ai_http import make_http_client, quiet_sdk_loggers
from core.analysis.ai_stack import Evidence
from core.analysis.cleaning import clean_ai_output
from core.analysis.prompt import build_messages
from core.analysis.types import Analysis, Analyzer, TechStack
from core.errors import RepofolioError
from core.github.snapshot import RepoSnapshot
from core.net.limits import (
    AI_ANSWER, AnswerRefused, AnswerTooLarge, AnswerTooSlow, ForeignRedirect, ResponseLimits,
    human_bytes,
)
from core.net.waiting import run_abandonable

log = logging.getLogger(__name__)

FALLBACK_SUFFIX = "used the offline analyzer."
_FENCE = re.compile(r"^\s*```(?:json|JSON)?\s*\n?(.*?)\n?```\s*$", re.S)


class UnusableAnswer(Exception):
    """The model answered, but not with a usable JSON object."""


class OpenAIAnalyzer:
    """Writes an Analysis with a chat model; falls back to ``fallback`` on any failure."""

    interruptible = True  # analyze() takes the job's check (see core.analysis.factory)

    def __init__(self, api_key: str, *, base_url: str | None = None, model: str = "gpt-4o-mini",
                 timeout: float = 60.0, max_retries: int = 2, fallback: Analyzer,
                 limits: ResponseLimits | None = None) -> None:
        if not api_key:
            raise ValueError("an API key is required (any non-empty string for local servers)")
        self.model = model
        self.name = f"openai:{model}"
        self.timeout = timeout
        self.fallback = fallback
        self._secret = api_key
        quiet_sdk_loggers()
        cap = (limits or ResponseLimits()).cap(AI_ANSWER, "AI model's answer")
        self._http, self._transport = make_http_client(cap, timeout)
        self._client = openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout,
                                     max_retries=max_retries, http_client=self._http)
        self._transport.allow(str(self._client.base_url))
        # The SDK loads its chat resource on first use (~50 ms): here, so that a preload
        # (core.preload) pays for it rather than the first job's AI step.
        self._completions = self._client.chat.completions

    def analyze(self, snapshot: RepoSnapshot, stack: TechStack,
                check: Callable[[], None] | None = None) -> Analysis:
        done: list[Analysis] = []

        def offline_meanwhile() -> None:  # CPU work while the model thinks, not before
            done.append(self.fallback.analyze(snapshot, stack))

        try:
            content = self._complete(build_messages(snapshot, stack), check, offline_meanwhile)
            offline = done[0]
            cleaned = clean_ai_output(parse_answer(content), offline, repo_name=snapshot.name,
                                      evidence=Evidence(snapshot))
            if cleaned is None:
                raise UnusableAnswer("no usable field")
        except RepofolioError:  # the job's own check: cancelled, past its deadline, quitting
            raise
        except Exception as exc:  # every failure ends in the offline analysis
            offline = done[0] if done else self.fallback.analyze(snapshot, stack)
            note = self._note_for(exc)
            log.warning("AI analysis of %s failed (%s); using the offline analyzer",
                        snapshot.full_name, self._redact(_describe(exc)))
            return replace(offline, analyzer="heuristic", note=note)
        log.info("AI analysis of %s done with %s", snapshot.full_name, self.model)
        return replace(cleaned, analyzer=self.name, note="")

    def _complete(self, messages: list[dict[str, str]], check: Callable[[], None] | None = None,
                  meanwhile: Callable[[], None] | None = None) -> str:
        self._transport.arm(self.timeout)
        return run_abandonable(lambda: self._ask(messages), what="AI model's answer",
                               seconds=self.timeout, check=check, meanwhile=meanwhile,
                               on_abandon=self._transport.stopping.set, name="repofolio-ai")

    def _ask(self, messages: list[dict[str, str]]) -> str:
        request = dict(model=self.model, messages=messages,
                       response_format={"type": "json_object"})
        try:
            response = self._completions.create(**request)
        except openai.BadRequestError:
            # Some OpenAI-compatible servers reject response_format: ask once without it.
            log.info("AI server rejected response_format; retrying without it")
            request.pop("response_format")
            response = self._completions.create(**request)
        choices = getattr(response, "choices", None) or []
        content = choices[0].message.content if choices and choices[0].message else None
        if not isinstance(content, str) or not content.strip():
            raise UnusableAnswer("empty answer")
        return content

    def _note_for(self, exc: Exception) -> str:
        # APITimeoutError subclasses APIConnectionError: test it first.
        if isinstance(exc, (openai.APITimeoutError, AnswerTooSlow)):
            return f"AI model did not answer within {self.timeout:g} s; {FALLBACK_SUFFIX}"
        if isinstance(exc, AnswerTooLarge):
            return (f"The AI model's answer was larger than {human_bytes(exc.max_bytes)}, so "
                    f"Repofolio stopped reading it; {FALLBACK_SUFFIX}")
        if isinstance(exc, ForeignRedirect):
            return (f"The AI model server redirected the request to another host "
                    f"({exc.host[:100]}), which Repofolio does not follow; {FALLBACK_SUFFIX}")
        if isinstance(exc, AnswerRefused):
            return f"AI model answered with unusable output; {FALLBACK_SUFFIX}"
        if isinstance(exc, openai.APIConnectionError):
            return f"Could not reach the AI model server; {FALLBACK_SUFFIX}"
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return (f"The AI model server refused the API key (HTTP {exc.status_code}); "
                    f"{FALLBACK_SUFFIX}")
        if isinstance(exc, openai.RateLimitError):
            return f"The AI model server is rate limiting requests (HTTP 429); {FALLBACK_SUFFIX}"
        if isinstance(exc, openai.NotFoundError):
            return f"The AI model server does not know model {self.model!r} (HTTP 404); {FALLBACK_SUFFIX}"
        if isinstance(exc, openai.APIStatusError):
            return f"The AI model server answered with HTTP {exc.status_code}; {FALLBACK_SUFFIX}"
        if isinstance(exc, (UnusableAnswer, openai.APIResponseValidationError)):
            return f"AI model answered with unusable output; {FALLBACK_SUFFIX}"
        return f"AI analysis failed unexpectedly; {FALLBACK_SUFFIX}"

    def _redact(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text

    def close(self) -> None:
        self._transport.stopping.set()  # a call abandoned by a cancel stops reading
        self._client.close()

    def __enter__(self) -> "OpenAIAnalyzer":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def parse_answer(content: str) -> object:
    """The JSON value in a model's answer (a ```json fence is tolerated)."""
    text = content.strip()
    if fenced := _FENCE.match(text):
        text = fenced.group(1).strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    start, end = text.find("{"), text.rfind("}")  # prose around one object
    if 0 <= start < end:
        try:
            return json.loads(text[start:end + 1])
        except ValueError:
            pass
    raise UnusableAnswer("not JSON")


def _describe(exc: Exception) -> str:
    """A short, body-free description for logs (server bodies may echo a key)."""
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}" + (f", HTTP {status}" if status else "")
