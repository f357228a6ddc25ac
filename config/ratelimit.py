"""Per-client rate limits counted in Django's cache, so they hold across processes and instances.

A fixed window per client and scope: cheap (one add and one incr), and with a shared cache
(CACHE_URL=redis://…) every instance counts the same requests. Over the limit: 429 with Retry-After.

Without the cache the limits fail open: a request is let through (and the failure logged,
config/cache_guard.py) rather than refused, so a cache outage never takes the site down.
"""

from __future__ import annotations

import functools
import ipaddress
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

from config.cache_guard import cache_failed


def client_id(request: HttpRequest) -> str:
    """The client's address; behind N trusted proxies, the Nth address from the right."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def login_client_ip(request: HttpRequest) -> str | None:
    """django-axes' client address: `client_id`'s, or None where it is not an IP address (a
    request without REMOTE_ADDR, such as the test client's `login()`), which axes stores as
    unknown; its IP column refuses any other text on PostgreSQL."""
    address = client_id(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def over_limit(
    scope: str, request: HttpRequest, limit: int, window: int, *, fail_closed: bool = False
) -> int:
    """Seconds to wait if this request is over the limit, else 0 (also when the cache fails,
    unless `fail_closed`: then the cache's error is raised, for limits that must hold)."""
    now = int(time.time())
    window_start = now - now % window
    key = f"rl:{scope}:{client_id(request)}:{window_start}"
    try:
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: start again
            cache.add(key, 1, timeout=window + 1)
            count = 1
    except Exception as error:  # any backend's failure: fail open
        if fail_closed:
            cache_failed(f"rate limit {scope} fails closed", error)
            raise
        cache_failed("rate limits fail open", error)
        return 0
    return (window_start + window - now) or 1 if count > limit else 0


def rate_limited(
    scope: str, *, json: bool = False, methods: tuple[str, ...] | None = None
) -> Callable:
    """Limit a view to settings.RATE_LIMITS[scope] = (requests, seconds) per client; only the
    requests of `methods` count, when given (a form's POST, not its page)."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if methods is not None and request.method not in methods:
                return view(request, *args, **kwargs)
            limit, window = settings.RATE_LIMITS[scope]
            wait = over_limit(scope, request, limit, window) if limit else 0
            if wait:
                message = f"Too many requests: at most {limit} every {window} seconds. Try again in {wait} s."
                if json:
                    response: HttpResponse = JsonResponse(
                        {"errors": {"__all__": [message]}}, status=429
                    )
                else:
                    response = HttpResponse(
                        message, status=429, content_type="text/plain; charset=utf-8"
                    )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
