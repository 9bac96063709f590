"""Rate control for GitHub, per (host, token): one limiter shared by every client of a process.

GitHub counts requests per token (or per address, anonymously), not per import:
four workers each with their own idea of the quota would all find out by being
refused. A :class:`RateLimiter` remembers what the last answers said
(``x-ratelimit-remaining`` / ``-reset``) and a secondary limit's ``retry-after``,
lets no request out while the limit is spent (it waits for the reset, or refuses
at once when that is too far off), keeps at most ``max_concurrent`` requests of
the token in flight (GitHub refuses more than 100 at once), and ends
every wait early when the caller's ``check`` raises (cancel, deadline, quit).

A :class:`RateLimiterRegistry` hands out one limiter per (API base URL, token);
the importer owns one (no module-level state), and gives its limiters to the
clients it builds. The knowledge lives in this process, and in team mode also in
the team's Redis (:mod:`core.github.shared_rate_state`): every answer is shared,
and every request first takes its unit there, so workers on several machines with
one token wait for the same reset instead of each being refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.errors import RateLimited
from core.github.etag_cache import token_key
from core.timeutil import clock_time

if TYPE_CHECKING:
    from core.github.shared_rate_state import SharedRateState

RESET_MARGIN = 1.0  # reset times are whole seconds and clocks drift: wait a little longer
# Requests of one token in flight at once. GitHub refuses more than 100 at once (its
# secondary limit); one import sends up to 8 (its client's pool), and 6 — what this was
# — held the default 4 workers on one token to 0.58 of their ideal speed-up
# (bench_import.py: 0.88 at 32). What keeps a token under GitHub's other secondary
# limit, 900 requests a minute, is not this cap (6 at 200 ms a request is 1,800 a minute)
# but the 403/429 it answers, which holds every request of the token (see hold()).
MAX_CONCURRENT = 32
_POLL = 0.2  # how often a wait looks at ``check`` (cancel, deadline)
# GitHub's window is an hour and a secondary limit asks for minutes: a reset or hold
# further off than this is a broken server's (or clock's) nonsense, and believing it
# would refuse every request of the token for as long as the process runs.
MAX_AHEAD = 24 * 3600.0

Check = Callable[[], None]


def rate_message(subject: str, wait: float, reset_at: float, *, secondary: bool = False) -> str:
    at = clock_time(reset_at)
    span = f"{round(wait / 60)} min" if wait >= 90 else f"{max(0, round(wait))} s"
    kind = "secondary rate limit (too many requests at once)" if secondary else "rate limit"
    return f"GitHub's {kind} was reached while fetching {subject}; it resets in {span} (at {at})."


class RateLimiter:
    """What one token may send now; thread-safe, shared by the clients of that token."""

    def __init__(self, *, max_concurrent: int = MAX_CONCURRENT,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] | None = None,
                 shared: SharedRateState | None = None):
        """``sleep`` (tests) replaces the interruptible wait for a reset; ``clock`` is
        epoch seconds, the scale of GitHub's ``x-ratelimit-reset``; ``shared``: the
        token's state in the team's store (team mode), else None."""
        self.max_concurrent = max_concurrent
        self._shared = shared
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._in_flight = 0
        self._remaining: int | None = None  # None: unknown until an answer says
        self._reset: float | None = None
        self._hold_until: float | None = None  # a secondary limit's retry-after
        self.waits = 0  # how many times a request waited for a reset (for tests and benches)

    # -- what the answers say ---------------------------------------------------------

    def note(self, remaining: int | None, reset: int | None) -> None:
        """Record an answer's ``x-ratelimit-remaining`` and ``x-ratelimit-reset``."""
        if remaining is None or reset is None or reset - self._clock() > MAX_AHEAD:
            return
        with self._cond:
            # Answers of concurrent requests arrive in any order: within one window the
            # lowest count is the true one; a later reset starts a new window, and an
            # answer from an older window says nothing any more.
            self._learn(remaining, float(reset))
        if self._shared is not None:
            self._shared.note(remaining, reset)

    def _learn(self, remaining: int, reset: float) -> None:
        """Take in a count for a window; call with the lock held."""
        if self._reset is None or reset > self._reset:
            self._reset, self._remaining = reset, remaining
        elif reset == self._reset:
            self._remaining = (remaining if self._remaining is None
                               else min(self._remaining, remaining))
        self._cond.notify_all()

    def hold(self, until: float) -> None:
        """A secondary limit (or ``retry-after``): nothing goes out before ``until``."""
        if until - self._clock() > MAX_AHEAD:
            return  # the request that heard it fails; the next ones ask again
        with self._cond:
            self._hold_until = max(self._hold_until or 0.0, until)
        if self._shared is not None:
            self._shared.hold(until)

    @property
    def remaining(self) -> int | None:
        with self._cond:
            return self._remaining

    # -- sending ----------------------------------------------------------------------

    def acquire(self, subject: str, *, max_wait: float, check: Check | None = None) -> None:
        """Wait until a request of this token may go out, then count it as in flight.

        Raises RateLimited at once when the wait would exceed ``max_wait``, and
        whatever ``check`` raises while waiting. Pair with :meth:`release`.
        """
        check = check or (lambda: None)
        waited = False
        while True:
            if waited:  # only a wait needs it: a cancel is also seen between the job's steps
                check()
            waited = True
            with self._cond:
                blocked, until, secondary = self._blocked(self._clock())
                if not blocked:
                    if not (self._in_flight < self.max_concurrent and self._budget()):
                        self._cond.wait(_POLL)  # a request in flight frees a place
                        continue
                    self._in_flight += 1
            if not blocked:
                if self._shared is None:
                    return
                verdict = self._shared.take(self._clock())  # outside the lock: a round trip
                if verdict.go:
                    return
                with self._cond:  # another machine spent it: everyone here waits too
                    self._in_flight -= 1
                    if verdict.secondary:
                        self._hold_until = max(self._hold_until or 0.0, verdict.until)
                    else:
                        self._learn(0, verdict.until)
                    self._cond.notify_all()
                until, secondary = verdict.until, verdict.secondary
            wait = until - self._clock()
            if wait > max_wait:
                raise RateLimited(rate_message(subject, wait, until, secondary=secondary),
                                  wait_seconds=wait, reset_at=until, secondary=secondary)
            self._pause(wait + (0.0 if secondary else RESET_MARGIN), check)
            with self._cond:
                self.waits += 1
                if not secondary and self._reset == until:
                    self._remaining = None  # a new window: unknown until the next answer
                if secondary and self._hold_until == until:
                    self._hold_until = None

    def release(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()
        if self._shared is not None:
            self._shared.release()

    def _blocked(self, now: float) -> tuple[bool, float, bool]:
        """(blocked, until when, by a secondary limit); call with the lock held."""
        if self._hold_until is not None and self._hold_until > now:
            return True, self._hold_until, True
        if self._remaining == 0 and self._reset is not None:
            if self._reset + RESET_MARGIN > now:
                return True, self._reset, False
            self._remaining = None  # the window is over: unknown until the next answer
        return False, 0.0, False

    def _budget(self) -> bool:
        """Whether the known quota covers one more request besides those in flight."""
        return self._remaining is None or self._remaining - self._in_flight > 0

    def _pause(self, seconds: float, check: Check) -> None:
        if self._sleep is not None:
            self._sleep(seconds)
            return
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            with self._cond:
                self._cond.wait(min(left, _POLL))
            check()


class RateLimiterRegistry:
    """One :class:`RateLimiter` per (API base URL, token), created on first use.

    ``shared(base_url, token)`` gives a new limiter the token's state in the team's
    store (team mode); None keeps the knowledge in this process.
    """

    def __init__(self, *, max_concurrent: int = MAX_CONCURRENT,
                 clock: Callable[[], float] = time.time,
                 shared: Callable[[str, str | None], SharedRateState] | None = None):
        self._max_concurrent, self._clock, self._shared = max_concurrent, clock, shared
        self._lock = threading.Lock()
        self._limiters: dict[tuple[str, str], RateLimiter] = {}

    def get(self, base_url: str, token: str | None) -> RateLimiter:
        key = token_key(base_url, token)
        with self._lock:
            limiter = self._limiters.get(key)
            if limiter is None:
                limiter = RateLimiter(
                    max_concurrent=self._max_concurrent, clock=self._clock,
                    shared=self._shared(base_url, token) if self._shared else None)
                self._limiters[key] = limiter
            return limiter
