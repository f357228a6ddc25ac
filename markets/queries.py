"""Reading markets for the pages: one query for the markets, one for their tiers, one for quotes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, DateTimeField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

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


def stale_condition(now: dt.datetime | None = None) -> Q:
    """Markets whose policy data is stale (Market.is_stale, in SQL): never read, or any group
    read longer ago than MARKET_POLICY_STALE_DAYS."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.MARKET_POLICY_STALE_DAYS)
    never = Q(instrument_read_at=None, tiers_read_at=None, fees_read_at=None)
    old = (
        Q(instrument_read_at__lt=cutoff) | Q(tiers_read_at__lt=cutoff) | Q(fees_read_at__lt=cutoff)
    )
    return never | old


def oldest_reading() -> Case:
    """The oldest of a market's policy readings; None where it was never read (sorts first)."""
    far = Value(dt.datetime(9999, 1, 1, tzinfo=dt.UTC))
    fields = ("instrument_read_at", "tiers_read_at", "fees_read_at")
    return Case(
        When(Q(**{f"{name}": None for name in fields}), then=Value(None)),
        default=Least(*(Coalesce(name, far) for name in fields)),
        output_field=DateTimeField(),
    )
