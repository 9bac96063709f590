"""The AI client's own httpx client: one origin, capped and timed answers, the proxy it
should use, quiet loggers. Against real loopback servers (tests/fakes)."""

from __future__ import annotations

import json
import logging

import pytest

from core.analysis.ai_http import SDK_LOGGERS, make_http_client, quiet_sdk_loggers
from core.analysis.heuristic import HeuristicAnalyzer
from core.analysis.openai_analyzer import OpenAIAnalyzer
from core.analysis.techstack import detect_stack
from core.errors import Cancelled
from core.net.limits import AnswerTooLarge, AnswerTooSlow, Cap, ForeignRedirect
from tests.fakes import corpus
from tests.fakes.hostile_server import HostileServer, endless, stall


@pytest.fixture
def hostile():
    with HostileServer() as server:
        yield server


def guarded(base_url: str, cap: int = 10_000, seconds: float = 10.0):
    client, transport = make_http_client(Cap("AI model's answer", cap), seconds)
    transport.allow(base_url)
    transport.arm(seconds)
    return client, transport


def test_nothing_is_sent_to_another_origin(hostile):
    client, _ = guarded(hostile.ai_url)
    with client, pytest.raises(ForeignRedirect) as caught:
        client.post(hostile.other.url + "/v1/chat/completions", json={"secret": "README"})
    assert caught.value.host == "127.0.0.2" and hostile.other.requests == []


def test_the_answer_is_capped_and_timed(hostile):
    hostile.on(r"/endless$", endless())
    client, _ = guarded(hostile.ai_url, cap=10_000)
    with client, pytest.raises(AnswerTooLarge):
        client.get(hostile.ai_url + "/endless")
    client, transport = guarded(hostile.ai_url)
    transport.arm(0.0)  # the call's allowance is already spent
    with client, pytest.raises(AnswerTooSlow):
        client.get(hostile.ai_url + "/anything")


def test_the_environments_proxy_is_used_like_the_sdks_own_client(hostile, monkeypatch):
    """HTTP_PROXY points at the witness: the request reaches it, as a proxied request."""
    monkeypatch.setenv("HTTP_PROXY", hostile.other.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client, _ = guarded(hostile.ai_url)
    with client:
        answer = client.post(hostile.ai_url + "/chat/completions", json={"model": "m"})
    assert answer.status_code == 200 and len(hostile.other.requests) == 1
    assert hostile.requests == []  # it went through the proxy, not straight there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    client, _ = guarded(hostile.ai_url)
    with client:
        assert client.post(hostile.ai_url + "/chat/completions", json={}).status_code == 200
    assert len(hostile.requests) == 1


def test_a_cancel_during_the_ai_call_is_the_jobs_not_a_fallback(hostile):
    hostile.on(r"/chat/completions$", stall())
    checks = []

    def check():
        checks.append(1)
        if len(checks) == 3:
            raise Cancelled("Cancelled by the user.")

    flask = corpus.snapshot("pallets__flask")
    analyzer = OpenAIAnalyzer("sk-test", base_url=hostile.ai_url, timeout=30, max_retries=0,
                              fallback=HeuristicAnalyzer())
    with analyzer, pytest.raises(Cancelled):
        analyzer.analyze(flask, detect_stack(flask), check=check)


def test_the_sdk_loggers_stay_at_warning_with_credentials_masked(caplog):
    for name in SDK_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)  # as OPENAI_LOG=debug would
    quiet_sdk_loggers()
    assert all(logging.getLogger(n).level == logging.WARNING for n in SDK_LOGGERS)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("httpx").info("HTTP Request: POST http://me:pw@h/v1")
        logging.getLogger("httpx").warning("retrying http://me:pw@h/v1")
    assert [r.getMessage() for r in caplog.records] == ["retrying http://***@h/v1"]
    assert json.dumps([r.getMessage() for r in caplog.records]).count("pw") == 0
