"""The one way to read an account from a platform: the setting, the rate limit (failing closed),
the per-address cache and the HTTP call, with every failure turned into a ReaderError.

`TRANSPORT` lets a test serve recorded answers to every reader in the process, the live
server's thread included (a browser test cannot reach into that thread with respx): None in
production, where httpx opens real connections.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext

from config.cache_guard import cache_failed
from config.ratelimit import over_limit
from readers import aave, dydx, hyperliquid
from readers.types import (
    AddressError,
    RateLimited,
    ReadAccount,
    ReaderError,
    ReadingOff,
    ReadingUnavailable,
    ReadLoan,
    UpstreamRefused,
    UpstreamTimeout,
)

PLATFORMS = {hyperliquid.SLUG: "Hyperliquid", dydx.SLUG: "dYdX", aave.SLUG: "Aave"}
TRANSPORT: httpx.BaseTransport | None = None
USER_AGENT = "Underwater account reader"


def clean_source(
    platform: object, address: object, subaccount: object = None
) -> tuple[str, str, int | None]:
    """(platform, address, subaccount) checked before anything is sent; AddressError names the
    field at fault."""
    if platform not in PLATFORMS:
        raise AddressError(
            "platform",
            gettext("Choose one of: %(platforms)s.") % {"platforms": ", ".join(PLATFORMS)},
        )
    if not isinstance(address, str) or not address.strip():
        raise AddressError("address", gettext("Give the account's public address."))
    if platform == hyperliquid.SLUG:
        if subaccount not in (None, ""):
            raise AddressError(
                "subaccount", gettext("Hyperliquid has no subaccount numbers here: leave it out.")
            )
        return platform, hyperliquid.clean_address(address), None
    if platform == aave.SLUG:
        if subaccount not in (None, ""):
            raise AddressError(
                "subaccount", gettext("Aave has no subaccount numbers: leave it out.")
            )
        return platform, aave.clean_address(address), None
    return str(platform), dydx.clean_address(address), dydx.clean_subaccount(subaccount)


def aave_enabled() -> bool:
    """Aave is read only where an Ethereum JSON-RPC endpoint is configured (off by default)."""
    return bool(settings.AAVE_RPC_URL)


def _cache_key(platform: str, address: str, subaccount: int | None) -> str:
    digest = hashlib.sha256(f"{platform}:{address}:{subaccount}".encode()).hexdigest()[:32]
    return f"reader:{digest}"


def _check_limit(request: HttpRequest) -> None:
    limit, window = settings.RATE_LIMITS["read"]
    if not limit:
        return
    try:
        wait = over_limit("read", request, limit, window, fail_closed=True)
    except Exception:
        raise ReadingUnavailable(
            gettext(
                "Reading accounts is paused for a moment (our rate limit cannot be checked). "
                "Try again shortly, or type the positions in."
            )
        ) from None
    if wait:
        raise RateLimited(
            gettext(
                "Too many readings: at most %(limit)s every %(window)s seconds. "
                "Try again in %(wait)s s."
            )
            % {"limit": limit, "window": window, "wait": wait},
            wait,
        )


def _client() -> httpx.Client:
    timeout = settings.ACCOUNT_READING_TIMEOUT_SECONDS
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
        transport=TRANSPORT,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=False,
    )


def _call(name: str, read: Callable[[httpx.Client], Any]) -> Any:
    try:
        with _client() as client:
            return read(client)
    except httpx.TimeoutException:
        raise UpstreamTimeout(
            gettext("%(platform)s did not answer in time. Try again in a moment.")
            % {"platform": name}
        ) from None
    except httpx.HTTPStatusError as error:
        raise UpstreamRefused(
            gettext("%(platform)s refused the request (HTTP %(status)s).")
            % {"platform": name, "status": error.response.status_code}
        ) from None
    except (httpx.HTTPError, ValueError):
        raise UpstreamRefused(
            gettext("%(platform)s could not be reached or gave an unreadable answer.")
            % {"platform": name}
        ) from None


def read_account(
    request: HttpRequest, platform: object, address: object, subaccount: object = None
) -> ReadAccount | ReadLoan:
    """The account at that address, from the cache or the platform. Raises ReaderError."""
    slug, clean, number = clean_source(platform, address, subaccount)
    if not settings.ACCOUNT_READING_ENABLED:
        raise ReadingOff(
            gettext(
                "Reading an address is turned off on this site. Type or paste the positions "
                "instead."
            )
        )
    if slug == aave.SLUG and not aave_enabled():
        raise ReadingOff(
            gettext(
                "Reading Aave accounts needs an Ethereum endpoint, which this site has not "
                "configured. Type the loan in the calculator instead."
            )
        )
    key = _cache_key(slug, clean, number)
    try:
        cached = cache.get(key)
    except Exception as error:
        cache_failed("account readings are not reused", error)
        cached = None
    if isinstance(cached, ReadAccount | ReadLoan):
        return cached
    _check_limit(request)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    name = PLATFORMS[slug]
    account: ReadAccount | ReadLoan
    if slug == hyperliquid.SLUG:
        data = _call(name, lambda c: hyperliquid.fetch(c, settings.HYPERLIQUID_INFO_URL, clean))
        account = hyperliquid.parse(data, clean, now)
    elif slug == aave.SLUG:
        pool = settings.AAVE_POOL_ADDRESS
        data = _call(name, lambda c: aave.fetch(c, settings.AAVE_RPC_URL, pool, clean))
        account = aave.parse(data, clean, now, pool=pool, base_decimals=settings.AAVE_BASE_DECIMALS)
    else:
        assert number is not None
        data, markets = _call(
            name, lambda c: dydx.fetch(c, settings.DYDX_INDEXER_URL, clean, number)
        )
        account = dydx.parse(data, markets, clean, number, now)
    try:
        cache.set(key, account, settings.ACCOUNT_READING_CACHE_SECONDS)
    except Exception as error:
        cache_failed("account readings are not reused", error)
    return account


__all__ = ["PLATFORMS", "ReaderError", "aave_enabled", "clean_source", "read_account"]
