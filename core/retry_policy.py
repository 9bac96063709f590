"""When a failed attempt is tried again, and after how long.

Transient failures (network, timeouts, GitHub 5xx) back off exponentially with
jitter; a spent rate limit waits for its reset when that is soon enough;
everything else (401, 404, bad input, duplicates) is final.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from core.errors import RateLimited, RepofolioError
from core.settings import Settings


def retry_delay(error: RepofolioError, attempts: int, settings: Settings, *,
                deadline: datetime | None = None, now: datetime | None = None,
                rng: random.Random | None = None) -> float | None:
    """Seconds to wait before the next attempt, or None when the job should fail now."""
    if attempts >= settings.max_attempts:
        return None
    if isinstance(error, RateLimited):
        if error.wait_seconds > settings.rate_limit_max_wait:
            return None
        delay = max(1.0, error.wait_seconds + 1.0)  # never before the reset
    elif error.retryable:
        base = settings.retry_base_delay * 2 ** max(0, attempts - 1)
        jitter = (rng or random).uniform(0.8, 1.2)
        delay = min(settings.retry_max_delay, base * jitter)
    else:
        return None
    if deadline is not None and now is not None and now + timedelta(seconds=delay) > deadline:
        return None
    return delay
