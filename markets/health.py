"""What /healthz says about market data: when each platform's import last succeeded, and
which markets are stale. Stale data makes the site "degraded", never unavailable: the
calculator still answers, on the product lines' tables or the last data read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Max

from markets.models import ImportRun, Market, MarketQuote
from markets.queries import stale_condition

LISTED = 20  # stale markets named in the answer; `stale_count` counts them all


def market_health() -> dict[str, Any] | None:
    """None where no market was ever imported or typed (nothing to report)."""
    runs = {
        row["platform_slug"]: row["last"]
        for row in ImportRun.objects.filter(succeeded=True)
        .values("platform_slug")
        .annotate(last=Max("finished_at"))
    }
    if not runs and not Market.objects.exists():
        return None
    stale = Market.objects.filter(stale_condition()).order_by(
        "product_line__platform__slug", "symbol"
    )
    count = stale.count()
    quotes = MarketQuote.objects.all()
    return {
        "status": "stale" if count else "ok",
        "stale_after_days": settings.MARKET_POLICY_STALE_DAYS,
        "last_import": {
            slug: last.isoformat() if last else None for slug, last in sorted(runs.items())
        },
        "stale_count": count,
        "stale": [
            f"{slug}:{symbol}"
            for slug, symbol in stale.values_list("product_line__platform__slug", "symbol")[:LISTED]
        ],
        "stale_quotes": sum(1 for quote in quotes.only("read_at") if quote.is_stale),
    }
