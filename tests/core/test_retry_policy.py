"""``retry_delay`` as the pure function it is: the clock and the randomness are given.

No queue and no waiting: each test passes ``now`` and an ``rng`` and reads the
delay. The queue tests check that a job does retry; these check how long it waits.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.errors import (
    AuthFailed, Cancelled, DuplicateImport, GitHubError, ImportTimeout, InvalidInput,
    NetworkError, RateLimited, RepoNotFound,
)
from core.retry_policy import retry_delay
from core.settings import Settings

POLICY = Settings(home=Path("unused"), retry_base_delay=2.0, retry_max_delay=60.0,
                  max_attempts=10, rate_limit_max_wait=120.0)
NOW = datetime(2026, 11, 28, 12, 0, 0)
TRANSIENT = NetworkError("connection reset")


class Jitter:
    """An rng whose ``uniform(a, b)`` answers the same point of every range."""

    def __init__(self, where: float):
        self.where = where  # 0: the low end, 1: the high end

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.where


MIDDLE, LOWEST, HIGHEST = Jitter(0.5), Jitter(0.0), Jitter(1.0)


def delay(error=TRANSIENT, attempts=1, settings=POLICY, **kw):
    return retry_delay(error, attempts, settings, **{"rng": MIDDLE, **kw})


def test_waits_double_with_each_attempt():
    assert [delay(attempts=n) for n in range(1, 6)] == [2.0, 4.0, 8.0, 16.0, 32.0]


def test_waits_stop_growing_at_the_cap():
    assert delay(attempts=6) == 60.0  # 64 capped
    assert delay(attempts=9) == 60.0
    assert delay(attempts=6, rng=HIGHEST) == 60.0  # jitter never lifts it past the cap


def test_jitter_stays_within_a_fifth_either_way():
    assert delay(attempts=3, rng=LOWEST) == pytest.approx(8.0 * 0.8)
    assert delay(attempts=3, rng=HIGHEST) == pytest.approx(8.0 * 1.2)
    seeded = random.Random(14)
    draws = [retry_delay(TRANSIENT, 3, POLICY, rng=seeded) for _ in range(500)]
    assert all(6.4 <= d <= 9.6 for d in draws)
    assert min(draws) < 7.0 and max(draws) > 9.0  # it does spread over the range


def test_a_5xx_from_github_is_transient_and_a_4xx_is_final():
    assert delay(GitHubError("bad gateway", status=502)) == 2.0
    assert delay(GitHubError("unprocessable", status=422)) is None


@pytest.mark.parametrize("error", [
    RepoNotFound("gone"), AuthFailed("bad token"), InvalidInput("bad"),
    DuplicateImport("twice", project_id=1), Cancelled("stop"), ImportTimeout("late"),
])
def test_final_errors_are_never_retried(error):
    assert delay(error) is None


def test_no_retry_once_the_attempts_are_spent():
    assert delay(attempts=POLICY.max_attempts - 1) == 60.0
    assert delay(attempts=POLICY.max_attempts) is None


def test_no_retry_that_would_start_past_the_deadline():
    deadline = NOW + timedelta(seconds=8)
    assert delay(attempts=3, deadline=deadline, now=NOW) == 8.0  # starts exactly at it: allowed
    assert delay(attempts=3, deadline=deadline, now=NOW + timedelta(seconds=0.5)) is None
    assert delay(attempts=4, deadline=deadline, now=NOW) is None
    assert delay(attempts=4, deadline=None, now=NOW) == 16.0


def test_a_spent_rate_limit_waits_until_just_after_its_reset():
    assert delay(RateLimited("spent", wait_seconds=30)) == 31.0
    assert delay(RateLimited("spent", wait_seconds=0)) == 1.0
    # Neither jitter nor the backoff cap may bring the retry before the reset.
    assert delay(RateLimited("spent", wait_seconds=100), rng=LOWEST) == 101.0
    assert delay(RateLimited("spent", wait_seconds=100), attempts=8) == 101.0


def test_a_rate_limit_resetting_later_than_the_longest_wait_fails_now():
    assert delay(RateLimited("spent", wait_seconds=POLICY.rate_limit_max_wait)) is not None
    assert delay(RateLimited("spent", wait_seconds=POLICY.rate_limit_max_wait + 1)) is None


def test_a_rate_limit_wait_is_also_cut_by_the_deadline():
    deadline = NOW + timedelta(seconds=20)
    assert delay(RateLimited("spent", wait_seconds=30), deadline=deadline, now=NOW) is None
    assert delay(RateLimited("spent", wait_seconds=10), deadline=deadline, now=NOW) == 11.0
