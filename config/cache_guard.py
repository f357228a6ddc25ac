"""The shared cache is a help, not a dependency: when it fails, the site keeps answering.

Every use of the cache (rate-limit counts in config/ratelimit.py, the policy-data version in
platforms/profiles.py, the health check) catches the failure, carries on without it and reports
it here. Backends raise their own types (redis.ConnectionError, OSError from a full or unwritable
file cache, …), so any exception counts. Under an outage every request fails the same way: one
warning per use every LOG_EVERY_SECONDS per process, with the number of failures since the last,
says so without flooding the log.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger("underwater.cache")

LOG_EVERY_SECONDS = 10.0

_lock = threading.Lock()
# use → (monotonic time of the last warning, failures since it)
_reported: dict[str, tuple[float, int]] = {}


def cache_failed(use: str, error: BaseException) -> None:
    """Record that the cache failed for `use` (e.g. "rate limits fail open"); log now and then."""
    now = time.monotonic()
    with _lock:
        last, count = _reported.get(use, (-LOG_EVERY_SECONDS, 0))
        count += 1
        if now - last < LOG_EVERY_SECONDS:
            _reported[use] = (last, count)
            return
        _reported[use] = (now, 0)
    logger.warning(
        "cache unavailable: %s (%s: %s; %d failure(s) since the last report)",
        use,
        type(error).__name__,
        error,
        count,
    )


def forget_failures() -> None:
    """Start counting afresh (tests)."""
    with _lock:
        _reported.clear()
