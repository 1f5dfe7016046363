"""Per-client rate limiting of the question route: a token bucket per client address, in memory.

Each server process keeps its own buckets, so with N uvicorn workers a client may get up to N times the
limit (the README says so). Buckets that have filled up again carry no information and are dropped.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
RATE_RE = re.compile(r"^\s*([1-9][0-9]*)\s*/\s*(second|minute|hour|day)\s*$")
FIRST_PURGE_AT = 1024


@dataclass(frozen=True)
class Rate:
    """``requests`` per ``seconds``."""

    requests: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Tokens added back per second."""
        return self.requests / self.seconds


def parse_rate(text: str) -> Rate | None:
    """``"30/minute"`` → ``Rate(30, 60.0)``; ``"off"`` → None (no limit)."""
    if text.strip().lower() == "off":
        return None
    match = RATE_RE.match(text)
    if match is None:
        raise ValueError(f"rate limit {text!r}: expected N/second, N/minute, N/hour, N/day or off")
    return Rate(int(match.group(1)), PERIODS[match.group(2)])


class RateLimiter:
    """Token buckets: a client may send ``rate.requests`` at once, then one more per ``1/rate.per_second`` s."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when counted)
        self._purge_at = FIRST_PURGE_AT

    def acquire(self, client: str) -> float:
        """Take a token for ``client``: 0.0 when allowed, else the seconds until one is free."""
        now = self.clock()
        tokens, then = self._buckets.get(client, (float(self.rate.requests), now))
        tokens = min(float(self.rate.requests), tokens + (now - then) * self.rate.per_second)
        if tokens < 1.0:
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate.per_second
        self._buckets[client] = (tokens - 1.0, now)
        if len(self._buckets) >= self._purge_at:
            self._purge(now)
        return 0.0

    def _purge(self, now: float) -> None:
        """Forget the clients whose bucket is full again (they would start full anyway)."""
        full_after = self.rate.seconds
        self._buckets = {c: (t, when) for c, (t, when) in self._buckets.items() if now - when < full_after}
        self._purge_at = max(FIRST_PURGE_AT, 2 * len(self._buckets))

    def __len__(self) -> int:
        return len(self._buckets)
