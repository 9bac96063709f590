"""A token's rate-limit state in the team's Redis: taken per request, merged per answer,
shared by every worker that uses the token, keyed without the token."""

from __future__ import annotations

import threading

import pytest

from core.github.shared_rate_state import KEY_PREFIX, SharedRateState, state_key
from core.store_urls import parse_queue_url
from tasks.queue_storage import close_huey, make_huey

pytestmark = pytest.mark.team_only
API, TOKEN = "https://api.github.com", "ghp_SharedStateToken000000000000000000"
NOW = 1_800_000_000.0


@pytest.fixture
def redis_client(stores, tmp_path):
    huey = make_huey(parse_queue_url(stores.queue_url, tmp_path))
    yield huey.storage.conn
    close_huey(huey)


def machines(redis_client, n=3):
    """The state as ``n`` workers on different machines see it (one object each)."""
    return [SharedRateState(redis_client, API, TOKEN) for _ in range(n)]


def test_workers_together_send_no_more_than_github_said_is_left(redis_client):
    a, b, c = machines(redis_client)
    a.note(remaining=10, reset=int(NOW) + 600)
    verdicts = []

    def send(state):
        for _ in range(6):
            verdicts.append(state.take(NOW))

    threads = [threading.Thread(target=send, args=(state,)) for state in (a, b, c)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(v.go for v in verdicts) == 10  # 18 asked, 10 went out
    refused = [v for v in verdicts if not v.go]
    assert {(v.until, v.secondary) for v in refused} == {(NOW + 600, False)}


def test_a_new_window_opens_for_everyone_after_the_reset(redis_client):
    a, b, _ = machines(redis_client)
    a.note(remaining=0, reset=int(NOW) + 60)
    assert not b.take(NOW).go
    assert b.take(NOW + 62).go  # past the reset and its margin: unknown, so it may go
    b.note(remaining=4999, reset=int(NOW) + 3660)
    a.note(remaining=0, reset=int(NOW) + 60)  # a late answer from the old window
    assert a.take(NOW + 63).go


def test_answers_in_any_order_keep_the_lowest_count_of_a_window(redis_client):
    a, b, _ = machines(redis_client)
    b.note(remaining=2, reset=int(NOW) + 600)
    a.note(remaining=7, reset=int(NOW) + 600)  # an earlier request's answer, arriving late
    assert [a.take(NOW).go for _ in range(3)] == [True, True, False]


def test_answers_that_cost_nothing_do_not_wear_the_count_down(redis_client):
    """A 304 answer repeats the count; its request left in flight: no drift over an hour."""
    a, b, _ = machines(redis_client)
    a.note(remaining=3, reset=int(NOW) + 600)
    for state in [a, b] * 50:
        assert state.take(NOW).go
        state.note(remaining=3, reset=int(NOW) + 600)
        state.release()
    assert [a.take(NOW).go for _ in range(4)] == [True, True, True, False]


def test_the_team_keeps_fewer_requests_out_at_once_than_github_allows(redis_client):
    a, b = (SharedRateState(redis_client, API, TOKEN, max_in_flight=3) for _ in range(2))
    assert [a.take(NOW).go, b.take(NOW).go, a.take(NOW).go] == [True, True, True]
    full = b.take(NOW)
    assert (full.go, full.secondary) == (False, True) and NOW < full.until <= NOW + 1
    a.release()  # one answered: room for one more
    assert b.take(NOW).go and not a.take(NOW).go


def test_a_secondary_limit_holds_every_worker(redis_client):
    a, b, _ = machines(redis_client)
    a.hold(NOW + 90.5)
    verdict = b.take(NOW)
    assert (verdict.go, verdict.until, verdict.secondary) == (False, NOW + 90.5, True)
    assert b.take(NOW + 91).go


def test_the_key_names_a_hash_of_the_token_never_the_token(redis_client):
    a = SharedRateState(redis_client, API, TOKEN)
    a.note(remaining=5, reset=int(NOW) + 600)
    keys = [k.decode() for k in redis_client.keys(KEY_PREFIX + "*")]
    assert keys == [state_key(API, TOKEN)]
    assert TOKEN not in keys[0] and TOKEN[4:20] not in keys[0]
    dump = b"".join(redis_client.dump(k) or b"" for k in redis_client.keys("*"))
    assert TOKEN.encode() not in dump
    other = SharedRateState(redis_client, API, "ghp_another")  # another token: its own state
    assert other.key != a.key and other.take(NOW).go
    assert 0 < redis_client.ttl(a.key)
    assert 0 < redis_client.ttl(other.key)  # taken but never noted: it still expires
