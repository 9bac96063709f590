"""The shared rate limiter: what answers teach it, how it waits, and that sharing it counts.

Unit tests drive :class:`RateLimiter` with an injected clock; the others run real
clients against the fake GitHub and measure, at the server, how many requests of
one token were in flight at once.
"""

from __future__ import annotations

import threading
import time

import pytest

from core.errors import Cancelled, RateLimited
from core.github.client import GitHubClient
from core.github.rate_limiter import RateLimiter, RateLimiterRegistry
from tests.fakes.github_server import most_at_once


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_within_a_window_the_lowest_count_wins_and_a_later_reset_starts_anew():
    limiter = RateLimiter(clock=Clock())
    limiter.note(10, 2000)
    limiter.note(12, 2000)  # an answer that was overtaken by a later one
    assert limiter.remaining == 10
    limiter.note(50, 1000)  # from an older window: says nothing any more
    assert limiter.remaining == 10
    limiter.note(59, 5600)
    assert limiter.remaining == 59


def test_a_spent_limit_far_off_is_refused_without_waiting():
    clock = Clock()
    slept = []
    limiter = RateLimiter(clock=clock, sleep=slept.append)
    limiter.note(0, int(clock.now) + 1800)
    with pytest.raises(RateLimited) as refused:
        limiter.acquire("o/r", max_wait=120)
    assert refused.value.wait_seconds == 1800 and not refused.value.secondary
    assert slept == []


def test_a_spent_limit_soon_over_is_waited_out_then_unknown():
    clock = Clock()
    slept = []
    limiter = RateLimiter(clock=clock, sleep=slept.append)
    limiter.note(0, int(clock.now) + 30)
    limiter.acquire("o/r", max_wait=120)
    limiter.release()
    assert slept == [31.0] and limiter.remaining is None and limiter.waits == 1


def test_a_secondary_limit_holds_every_request_of_the_token():
    clock = Clock()
    limiter = RateLimiter(clock=clock, sleep=lambda s: None)
    limiter.note(4000, int(clock.now) + 3000)
    limiter.hold(clock.now + 90)
    with pytest.raises(RateLimited) as refused:
        limiter.acquire("o/r", max_wait=60)
    assert refused.value.secondary and refused.value.wait_seconds == 90


def test_the_known_quota_bounds_what_goes_out_at_once():
    limiter = RateLimiter(clock=Clock(), max_concurrent=8)
    limiter.note(2, 1_003_000)
    limiter.acquire("a", max_wait=0)
    limiter.acquire("b", max_wait=0)
    third = threading.Thread(target=limiter.acquire, args=("c",), kwargs={"max_wait": 0},
                             daemon=True)
    third.start()
    third.join(0.5)
    assert third.is_alive()  # two requests are out for the two units left: it waits
    limiter.note(1, 1_003_000)  # a answered; b will take the last unit
    limiter.release()
    third.join(0.5)
    assert third.is_alive()
    limiter.note(1, 1_003_000)  # b answered 304, which costs nothing: one unit is left
    limiter.release()
    third.join(10)
    assert not third.is_alive()


def test_a_wait_for_the_reset_ends_early_on_cancel():
    limiter = RateLimiter()
    limiter.note(0, int(time.time()) + 60)
    cancel = threading.Event()
    outcome = []

    def check():
        if cancel.is_set():
            raise Cancelled("Cancelled by the user.")

    def request():
        try:
            limiter.acquire("o/r", max_wait=120, check=check)
            outcome.append("sent")
        except Cancelled as error:
            outcome.append(error)

    waiting = threading.Thread(target=request, daemon=True)
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive() and outcome == []  # waiting for the reset, a minute away
    cancel.set()
    waiting.join(10)
    assert not waiting.is_alive() and isinstance(outcome[0], Cancelled)


def test_the_registry_gives_one_limiter_per_api_and_token():
    registry = RateLimiterRegistry()
    a = registry.get("https://api.github.com", "t1")
    assert registry.get("https://API.github.com/", "t1") is a
    assert registry.get("https://api.github.com", "t2") is not a
    assert registry.get("https://api.github.com", None) is not a
    assert registry.get("https://ghe.example/api/v3", "t1") is not a


@pytest.mark.parametrize("shared", [True, False])
def test_clients_of_one_token_keep_to_a_few_requests_at_once(fake_github, shared):
    fake_github.latency = 0.1
    cap = 4  # below what the three clients would send at once
    registry = RateLimiterRegistry(max_concurrent=cap)
    repos = {}
    with GitHubClient(fake_github.url) as c:
        for name in ("pallets/flask", "fastapi/fastapi", "expressjs/express"):
            repos[name] = c.get_repository(*name.split("/"))
    fake_github.reset()

    def fetch(name):
        limiter = (registry.get(fake_github.url, None) if shared
                   else RateLimiter(max_concurrent=cap))
        with GitHubClient(fake_github.url, limiter=limiter) as client:
            client.fetch_snapshot(repos[name])

    threads = [threading.Thread(target=fetch, args=(name,), daemon=True) for name in repos]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    most = most_at_once(fake_github.requests)
    if shared:
        assert most <= cap
    else:  # what happens without sharing: each client alone keeps to the limit
        assert most > cap


def test_the_token_s_default_limit_lets_several_imports_send_side_by_side(fake_github):
    fake_github.latency = 0.3
    with GitHubClient(fake_github.url) as c:
        repos = [c.get_repository("pallets", "flask") for _ in range(3)]
    fake_github.reset()
    registry = RateLimiterRegistry()
    barrier = threading.Barrier(len(repos))

    def fetch(repo):
        with GitHubClient(fake_github.url,
                          limiter=registry.get(fake_github.url, None)) as client:
            barrier.wait()
            client.fetch_snapshot(repo)

    threads = [threading.Thread(target=fetch, args=(r,), daemon=True) for r in repos]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    widest = 7  # one import's widest step: flask's six manifests and its README
    assert most_at_once(fake_github.requests) > widest
