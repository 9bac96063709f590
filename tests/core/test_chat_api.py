"""The chat-completions client against a real loopback server: what the SDK used to do."""

from __future__ import annotations

import httpx
import pytest

from core.analysis.chat_api import (
    DEFAULT_BASE_URL, ChatClient, ChatConnectionError, ChatStatusError, UnusableAnswer,
)

REQUEST = {"model": "m", "messages": [{"role": "user", "content": "Repository: octo/cat"}]}


@pytest.fixture
def http():
    with httpx.Client(timeout=5) as client:
        yield client


def client_for(http, url, *, max_retries=2, env=None, waits=None):
    return ChatClient(http, "k", base_url=url, max_retries=max_retries, env=env or {},
                      sleep=(waits.append if waits is not None else lambda _s: None))


def test_an_answer_s_text_comes_back_with_the_key_and_the_request(fake_openai, http):
    fake_openai.reply("hello")
    assert client_for(http, fake_openai.url).complete(REQUEST) == "hello"
    sent = fake_openai.requests[0]
    assert sent["body"] == REQUEST and sent["headers"]["authorization"] == "Bearer k"
    assert sent["headers"]["user-agent"].startswith("repofolio/")


def test_rate_limits_and_conflicts_are_retried_as_long_as_retries_last(fake_openai, http):
    fake_openai.fail(429)
    fake_openai.fail(409)
    waits: list[float] = []
    assert client_for(http, fake_openai.url, waits=waits).complete(REQUEST)
    assert fake_openai.request_count == 3 and waits == [0.001, 0.001]  # retry-after-ms said so
    fake_openai.fail(429, times=2)
    with pytest.raises(ChatStatusError) as refused:
        client_for(http, fake_openai.url, max_retries=1).complete(REQUEST)
    assert refused.value.status_code == 429 and fake_openai.request_count == 5


def test_without_retry_after_the_wait_doubles_from_half_a_second(fake_openai, http):
    fake_openai.fail(500, times=2, retry_after_ms=None)
    waits: list[float] = []
    client_for(http, fake_openai.url, waits=waits).complete(REQUEST)
    assert 0.375 <= waits[0] <= 0.5 and 0.75 <= waits[1] <= 1.0


def test_the_server_s_own_word_on_retrying_wins(fake_openai, http):
    fake_openai.fail(500, headers={"x-should-retry": "false"})
    with pytest.raises(ChatStatusError):
        client_for(http, fake_openai.url).complete(REQUEST)
    fake_openai.fail(400, headers={"x-should-retry": "true"})
    assert client_for(http, fake_openai.url).complete(REQUEST)
    assert fake_openai.request_count == 3


def test_client_errors_are_not_retried(fake_openai, http):
    for status in (400, 401, 404):
        fake_openai.fail(status)
        with pytest.raises(ChatStatusError) as refused:
            client_for(http, fake_openai.url).complete(REQUEST)
        assert refused.value.status_code == status
    assert fake_openai.request_count == 3


def test_an_answer_without_text_is_unusable(fake_openai, http):
    for body in ({"choices": []}, {"choices": [{"message": {"content": "  "}}]}, ["x"]):
        fake_openai.fail(200, body=body, retry_after_ms=None)
        with pytest.raises(UnusableAnswer):
            client_for(http, fake_openai.url).complete(REQUEST)


def test_an_unreachable_server_is_retried_then_reported(http):
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    waits: list[float] = []
    with pytest.raises(ChatConnectionError):
        client_for(http, f"http://127.0.0.1:{port}/v1", max_retries=1, waits=waits).complete(REQUEST)
    assert len(waits) == 1


def test_the_base_url_and_account_headers_come_from_the_environment(fake_openai, http):
    env = {"OPENAI_BASE_URL": fake_openai.url + "/", "OPENAI_ORG_ID": "org-1",
           "OPENAI_PROJECT_ID": "proj-1"}
    chat = ChatClient(http, "k", env=env)
    assert chat.base_url == fake_openai.url and chat.complete(REQUEST)
    headers = fake_openai.requests[0]["headers"]
    assert headers["openai-organization"] == "org-1" and headers["openai-project"] == "proj-1"
    assert ChatClient(http, "k", env={}).base_url == DEFAULT_BASE_URL
