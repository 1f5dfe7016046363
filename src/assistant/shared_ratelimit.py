"""The rate limit shared by every worker and replica: the same token bucket as ``ratelimit``, kept in Redis.

With ``ASSISTANT_REDIS_URL`` set, each check is one Lua script run atomically by Redis (read the bucket,
refill it by the time passed on Redis's clock, take a token, store it with an expiry), so every process on
every machine draws from one bucket per client. When Redis cannot be reached the question is still
answered: the check falls back to the process's own bucket, the error is logged (at most once per
``FAILURE_LOG_SECONDS``) and counted in ``assistant_rate_limit_errors_total``, and Redis is tried again
after ``RETRY_SECONDS`` (so a dead Redis costs one timeout per second, not one per request).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

from assistant.clients import hash_address
from assistant.ratelimit import Rate, RateLimiter
from assistant.settings import Settings

log = logging.getLogger(__name__)

KEY_PREFIX = "assistant:ratelimit"
RETRY_SECONDS = 1.0
FAILURE_LOG_SECONDS = 60.0
# Keys name a hash of the client address, never the address (it may be stored in a Redis snapshot).
DEFAULT_KEY_SALT = b"assistant-rate-limit"

# KEYS[1]: the bucket; ARGV: capacity, tokens per second, expiry in ms. Returns the wait in seconds (0: allowed).
TOKEN_BUCKET = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens < 1 then
  wait = (1 - tokens) / rate
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return tostring(wait)
"""


class Limiter(Protocol):
    """Takes a token for a client: 0.0 when allowed, else the seconds until one is free."""

    def acquire(self, client: str) -> float:
        """Take a token for ``client``."""
        ...


class Script(Protocol):
    """A registered Redis script (redis-py's ``Script``): runs by its hash, loading itself when Redis lacks it."""

    def __call__(self, keys: list[str], args: list[float | int | str]) -> object:
        """Run the script."""
        ...


class RedisRateLimiter:
    """Token buckets in Redis, shared by every process that uses the same Redis; the local bucket when it fails."""

    def __init__(
        self,
        rate: Rate,
        script: Script,
        what: str,
        on_error: Callable[[], None],
        errors: tuple[type[Exception], ...],
        key_salt: bytes = DEFAULT_KEY_SALT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.script = script
        self.what = what
        self.on_error = on_error
        self.errors = errors
        self.key_salt = key_salt
        self.clock = clock
        self.fallback = RateLimiter(rate, clock)
        # Empty buckets refill in one period; after that a key would say nothing a missing one doesn't.
        self.expire_ms = max(1, math.ceil(rate.seconds * 1000))
        self._down_until = 0.0
        self._logged_at = -math.inf
        self._lock = threading.Lock()

    def acquire(self, client: str) -> float:
        """Take a token from the client's shared bucket, or from the local one while Redis is unreachable."""
        if self.clock() < self._down_until:
            return self.fallback.acquire(client)
        key = f"{KEY_PREFIX}:{self.what}:{hash_address(client, self.key_salt, 32)}"
        try:
            wait = self.script(keys=[key], args=[self.rate.requests, self.rate.per_second, self.expire_ms])
            return float(wait.decode() if isinstance(wait, bytes) else str(wait))
        except self.errors as exc:
            self._failed(exc)
            return self.fallback.acquire(client)

    def _failed(self, exc: Exception) -> None:
        now = self.clock()
        self.on_error()
        with self._lock:
            self._down_until = now + RETRY_SECONDS
            if now - self._logged_at < FAILURE_LOG_SECONDS:
                return
            self._logged_at = now
        log.error(
            "shared rate limit unavailable, limiting %s per process for now: %s",
            self.what,
            exc,
            extra={"event": "rate_limit"},
        )


def make_limiter(settings: Settings, rate: Rate, what: str, on_error: Callable[[], None]) -> Limiter:
    """The shared limiter when ``ASSISTANT_REDIS_URL`` is set (needs the ``redis`` extra), else a per-process one."""
    if settings.redis_url is None:
        return RateLimiter(rate)
    import redis
    from redis.exceptions import RedisError

    client = redis.Redis.from_url(
        settings.redis_url.get_secret_value(),
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
    )
    salt = settings.client_salt.get_secret_value().encode() if settings.client_salt else DEFAULT_KEY_SALT
    script = client.register_script(TOKEN_BUCKET)
    # A script error (e.g. an evicted or corrupt key) counts as Redis failing: the resident is still answered.
    return RedisRateLimiter(rate, script, what, on_error, (RedisError, OSError), salt)
