"""The market table on a platform's page: `{% market_table platform %}` (filter: ?market=BTC)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.db.models import Case, Value, When

from markets.queries import platform_markets

register = template.Library()

# Rows shown on the platform page (BTC and ETH first); the markets page lists them all, a page
# at a time. Few enough that a profile stays a few screens long on a phone.
PAGE_ROWS = 8
MAJORS = ("BTC", "ETH")


@register.filter
def plain(value: Decimal | None) -> str:
    """A stored number as the platform wrote it: 0.0100000000 → 0.01, 100.00 → 100."""
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}"


@register.inclusion_tag("markets/_market_table.html", takes_context=True)
def market_table(context: template.Context, platform) -> dict:
    request = context.get("request")
    search = (request.GET.get("market", "") if request else "")[:40]
    markets = platform_markets(platform, search)
    first = Case(When(base__in=MAJORS, then=Value(0)), default=Value(1))
    rows = list(markets.order_by(first, "product_line__name", "symbol")[: PAGE_ROWS + 1])
    return {
        "platform": platform,
        "markets": rows[:PAGE_ROWS],
        "more": len(rows) > PAGE_ROWS,
        "total": markets.count() if len(rows) > PAGE_ROWS else len(rows),
        "search": search,
        "any_markets": bool(rows) or platform.product_lines.filter(markets__isnull=False).exists(),
    }
