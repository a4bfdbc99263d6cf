"""In-process rate limits: a sliding window of recent calls per key (a user, an API key, a client).

Kept per app process: with several web workers each enforces its own share, which is enough to stop
a script hammering an endpoint (the Redis deployment can swap in a shared counter later).
"""

from __future__ import annotations

import threading
import time
from collections import deque

from fastapi import Request

from assistant.errors import RateLimited

__all__ = ["RateLimiter", "limit"]


class RateLimiter:
    def __init__(self, calls: int, per_seconds: float):
        self.calls, self.per = calls, per_seconds
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            window = self._seen.setdefault(key, deque())
            while window and now - window[0] > self.per:
                window.popleft()
            if len(window) >= self.calls:
                retry = int(self.per - (now - window[0])) + 1
                raise RateLimited(f"too many requests: at most {self.calls} per {self.per:g} s; retry in {retry} s",
                                  details={"retry_after_s": retry})
            window.append(now)


def limit(request: Request, name: str, key: str, calls: int, per_seconds: float) -> None:
    """Count one call of ``name`` for ``key`` against a limiter kept on the app."""
    limiters = request.app.state.__dict__.setdefault("rate_limiters", {})
    limiter = limiters.get(name)
    if limiter is None:
        limiter = limiters[name] = RateLimiter(calls, per_seconds)
    limiter.check(key)
