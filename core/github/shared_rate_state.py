"""A token's GitHub rate-limit state shared by every worker of a team, kept in Redis.

GitHub counts requests per token, whichever machine sends them. Workers on three
machines that each learn the quota from their own answers all run into the same
wall and each find out by being refused. Here the state lives in the team's
Redis (the queue's server): ``remaining`` and ``reset`` as the answers said them,
a secondary limit's ``hold``, and ``in_flight``, the requests sent and not yet
answered by every machine. A request goes out only while ``remaining`` exceeds
``in_flight`` and the team has fewer than :data:`TEAM_MAX_IN_FLIGHT` out (checked and
counted atomically, in a Lua script), so the machines together never send more than
GitHub said is left, nor trip its limit on requests at once; a spent window blocks
them all until its reset. An answer that cost nothing (a 304) leaves ``remaining`` as it
was, and its request leaves ``in_flight``: no drift. A worker that died with
requests out leaves them counted until the next window starts.

If Redis fails mid-way, a request goes by this process's own knowledge (the queue
it came from is then failing too, and says so).

Keys are ``repofolio:rate:<sha256 of API base URL and token>``: never the token.
A key expires an hour after its window, so an idle token leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

KEY_PREFIX = "repofolio:rate:"
KEEP_AFTER_RESET = 3600  # seconds a key outlives its window
# GitHub's secondary limit: no more than 100 requests of a token at once, whoever sends
# them. The team keeps under it, with room for the token's other users.
TEAM_MAX_IN_FLIGHT = 80
FULL_WAIT = 0.25  # seconds a request waits when the team has that many out

# -> {0, 0}: go (counted in flight) · {1, until}: a secondary limit holds, or the team has
# as many requests out as it may · {2, reset}: spent
_TAKE = """
local now, margin = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'remaining', 'reset', 'hold', 'in_flight')
local hold = tonumber(state[3])
if hold and hold > now then return {1, tostring(hold)} end
local remaining, reset = tonumber(state[1]), tonumber(state[2])
local in_flight = tonumber(state[4]) or 0
if in_flight >= tonumber(ARGV[3]) then return {1, tostring(now + tonumber(ARGV[4]))} end
if remaining and reset then
  if reset + margin <= now then
    redis.call('HDEL', KEYS[1], 'remaining')
  elseif remaining - in_flight <= 0 then
    return {2, tostring(reset)}
  end
end
redis.call('HINCRBY', KEYS[1], 'in_flight', 1)
if redis.call('TTL', KEYS[1]) < 0 then  -- a server that never says its limit: no note
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
end
return {0, '0'}
"""

_RELEASE = """
if redis.call('HINCRBY', KEYS[1], 'in_flight', -1) < 0 then
  redis.call('HSET', KEYS[1], 'in_flight', 0)
end
return 0
"""

# Answers of concurrent requests arrive in any order: within one window the lowest count
# is the truth; a later reset starts a new window; an older window's answer says nothing.
_NOTE = """
local remaining, reset, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current = tonumber(redis.call('HGET', KEYS[1], 'reset'))
if (not current) or reset > current then
  redis.call('HSET', KEYS[1], 'remaining', remaining, 'reset', reset, 'in_flight', 0)
elseif reset == current then
  local known = tonumber(redis.call('HGET', KEYS[1], 'remaining'))
  if (not known) or remaining < known then
    redis.call('HSET', KEYS[1], 'remaining', remaining)
  end
end
redis.call('EXPIREAT', KEYS[1], math.floor(math.max(reset, current or 0) + keep))
return 0
"""

_HOLD = """
local hold, keep = tonumber(ARGV[1]), tonumber(ARGV[2])
local current = tonumber(redis.call('HGET', KEYS[1], 'hold'))
if (not current) or hold > current then
  redis.call('HSET', KEYS[1], 'hold', tostring(hold))
end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 or ttl < keep then redis.call('EXPIRE', KEYS[1], math.floor(keep)) end
return 0
"""


@dataclass(frozen=True)
class Verdict:
    """What :meth:`SharedRateState.take` decided for one request."""

    go: bool
    until: float = 0.0  # when it may go, if not now
    secondary: bool = False


def state_key(base_url: str, token: str | None) -> str:
    digest = hashlib.sha256(f"{base_url.rstrip('/').lower()}\n{token or ''}".encode("utf-8"))
    return KEY_PREFIX + digest.hexdigest()


class SharedRateState:
    """The rate-limit state of one (API, token) pair in Redis; safe from any thread."""

    def __init__(self, redis_client, base_url: str, token: str | None, *,
                 reset_margin: float = 1.0, max_in_flight: int = TEAM_MAX_IN_FLIGHT):
        """``redis_client``: a ``redis.Redis`` (the queue's connection pool)."""
        self.key = state_key(base_url, token)
        self.reset_margin, self.max_in_flight = reset_margin, max_in_flight
        self._take = redis_client.register_script(_TAKE)
        self._release = redis_client.register_script(_RELEASE)
        self._note = redis_client.register_script(_NOTE)
        self._hold = redis_client.register_script(_HOLD)

    def take(self, now: float) -> Verdict:
        """Count one request in flight if what is left allows it; else say until when."""
        answer = self._run(self._take, now, self.reset_margin, self.max_in_flight, FULL_WAIT,
                           KEEP_AFTER_RESET)
        if answer is None or int(answer[0]) == 0:
            return Verdict(True)
        return Verdict(False, float(answer[1]), secondary=int(answer[0]) == 1)

    def release(self) -> None:
        """A request that :meth:`take` let go has its answer (or failed)."""
        self._run(self._release)

    def note(self, remaining: int, reset: int) -> None:
        """Record an answer's ``x-ratelimit-remaining`` and ``x-ratelimit-reset``."""
        self._run(self._note, int(remaining), int(reset), KEEP_AFTER_RESET)

    def hold(self, until: float) -> None:
        """A secondary limit: no worker sends this token's requests before ``until``."""
        self._run(self._hold, repr(float(until)), KEEP_AFTER_RESET)

    def _run(self, script, *args):
        from redis import RedisError
        try:
            return script(keys=[self.key], args=list(args))
        except RedisError as error:
            log.warning("The shared rate-limit state is out of reach (%s); going by this "
                        "process's own", type(error).__name__)
            return None
