"""Token buckets keyed by participant id or client address (docs/http.md).

A phone may make ``burst`` writes at once and then ``rate`` per second; a flood is refused with the
number of seconds after which the next write will be accepted (the ``Retry-After`` header).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from workshop_tui.errors import RateLimited

#: Above this many keys, buckets that have refilled completely are forgotten (they equal a new one).
PRUNE_ABOVE = 10_000


class RateLimiter:
    def __init__(
        self,
        *,
        burst: float,
        rate: float,
        what: str = "requests",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if burst < 1 or rate <= 0:
            raise ValueError("burst must be >= 1 and rate > 0")
        self.burst = float(burst)
        self.rate = float(rate)
        self.what = what
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._pruned_at = -math.inf

    def __len__(self) -> int:
        return len(self._buckets)

    def check(self, key: str) -> None:
        """Take one token for ``key`` or raise :class:`RateLimited` with a whole-second Retry-After."""
        now = self._clock()
        tokens, at = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        if tokens < 1.0:
            wait = max(1, math.ceil((1.0 - tokens) / self.rate))
            self._buckets[key] = (tokens, now)
            raise RateLimited(f"too many {self.what}: try again in {wait} s", retry_after=wait)
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > PRUNE_ABOVE and now - self._pruned_at >= 1.0:
            self._prune(now)

    def _prune(self, now: float) -> None:
        self._pruned_at = now
        full = [k for k, (t, at) in self._buckets.items() if t + (now - at) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]
