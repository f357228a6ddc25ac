"""Finding a platform's market by its symbol for a calculation, and its latest quote.

A market's policy fields (tiers, fees, leverage, funding interval) are read once per version of
the policy data, like the profiles (platforms.profiles.derived): a write to them bumps that
version. Its quote (mark price, funding rate) moves by the minute and is not policy, so it is
read from the database on each request and has a version of its own
(`quotes_version`), which only the results of a calculation that names a symbol depend on.
"""

from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Prefetch

from config.cache_guard import cache_failed
from markets.models import Market, MarketQuote, MarketTier
from platforms.models import Platform
from platforms.profiles import derived, scope_key

QUOTES_VERSION_KEY = "underwater:market-quotes-version"
NEAREST = 5


def markets_of(platform: Platform) -> dict[str, Market]:
    """The platform's markets by upper-case symbol, with their product lines and tiers."""

    def build() -> dict[str, Market]:
        markets = (
            Market.objects.filter(product_line__platform_id=platform.pk)
            .select_related("product_line__platform")
            .prefetch_related(
                Prefetch("tiers", queryset=MarketTier.objects.order_by("notional_floor"))
            )
            .order_by("symbol")
        )
        return {market.symbol.upper(): market for market in markets}

    return derived(("markets", platform.pk), build)


def find_market(platform: Platform, symbol: str) -> Market | None:
    return markets_of(platform).get(symbol.strip().upper())


def nearest_markets(platform: Platform, text: str, limit: int = NEAREST) -> list[str]:
    """Symbols a visitor may have meant: the same base asset first, then similar spellings."""
    markets = markets_of(platform)
    wanted = text.strip().upper()
    same_base = [m.symbol for m in markets.values() if m.base.upper() == wanted]
    starting = [m.symbol for key, m in markets.items() if key.startswith(wanted[:3])]
    similar = [
        markets[key].symbol
        for key in difflib.get_close_matches(wanted, list(markets), n=limit, cutoff=0.5)
    ]
    found: list[str] = []
    for symbol in (*same_base, *similar, *starting):
        if symbol not in found:
            found.append(symbol)
    return found[:limit]


def latest_quote(market: Market) -> MarketQuote | None:
    """Read now, not from the snapshot: quotes change without a policy version bump."""
    return MarketQuote.objects.filter(market_id=market.pk).first()


@dataclass(frozen=True)
class MarketChoice:
    """The market a calculation names, and its quote as read for this request."""

    market: Market
    quote: MarketQuote | None

    @property
    def mark_price(self) -> Decimal | None:
        return self.quote.mark_price if self.quote else None

    @property
    def funding_rate(self) -> Decimal | None:
        return self.quote.funding_rate if self.quote else None

    @property
    def tiers_as_of(self) -> datetime | None:
        return self.market.tiers_read_at or self.market.policy_read_at


def choose(platform: Platform, symbol: str) -> MarketChoice | None:
    market = find_market(platform, symbol)
    if market is None:
        return None
    return MarketChoice(market, latest_quote(market))


def market_scope(platform: Platform, choice: MarketChoice, margin_mode: str) -> str | None:
    """The account scope of the market's product line a calculation uses when none is named:
    the retail default in the margin mode asked for, as `platforms.profiles.resolve` picks."""
    for line in platform.product_lines.all():
        if line.pk == choice.market.product_line_id:
            scopes = sorted(
                line.scopes.all(),
                key=lambda s: (
                    s.margin_mode != margin_mode,
                    not s.is_default,
                    s.client_class not in ("retail", "any"),
                ),
            )
            return scope_key(scopes[0]) if scopes else None
    return None


def quotes_version() -> str:
    """Changes whenever a quote is written; '' where the shared cache cannot say."""
    try:
        version = cache.get(QUOTES_VERSION_KEY)
        if version is None:
            cache.add(QUOTES_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(QUOTES_VERSION_KEY)
    except Exception as error:  # any backend's failure: results are not kept for long anyway
        cache_failed("market quotes version unknown", error)
        return uuid.uuid4().hex  # a key no later request repeats: nothing stale is served
    return str(version or uuid.uuid4().hex)


def bump_quotes_version() -> None:
    try:
        cache.set(QUOTES_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as error:
        cache_failed("market quotes version not bumped", error)
