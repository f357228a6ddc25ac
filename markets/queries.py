"""Reading markets for the pages: one query for the markets, one for their tiers, one for quotes."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from markets.models import Market, MarketTier
from platforms.models import Platform


def platform_markets(platform: Platform, search: str = "") -> QuerySet[Market]:
    markets = (
        Market.objects.filter(product_line__platform=platform)
        .select_related("product_line", "latest_quote")
        .prefetch_related(Prefetch("tiers", queryset=MarketTier.objects.order_by("notional_floor")))
        .order_by("product_line__name", "symbol")
    )
    search = search.replace("\x00", "").strip()  # PostgreSQL refuses NUL in a string
    if search:
        markets = markets.filter(
            Q(symbol__icontains=search) | Q(base__iexact=search) | Q(quote__iexact=search)
        )
    return markets
