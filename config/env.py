"""Typed readers for environment variables, so settings.py stays declarative."""

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return default if raw in (None, "") else float(raw)


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def cache_from_url(url: str, *, default_dir: Path, timeout: float = 0.5) -> dict[str, Any]:
    """A CACHES entry from CACHE_URL: redis://…, file:///path, locmem:// or dummy://.

    Without a URL: a file cache under var/, which all processes on one machine share.
    Redis gets `timeout` seconds to connect and to answer, and one immediate retry (a pooled
    connection left over from before a Redis restart fails once): a cache that does not answer
    costs a request that long, then the app carries on without it (config/cache_guard.py).
    """
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(default_dir),
        }
    scheme = urlparse(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "retry": Retry(NoBackoff(), 1),
            },
        }
    if scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": urlparse(url).path,
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"CACHE_URL scheme {scheme!r} is not supported (redis, file, locmem, dummy)")
