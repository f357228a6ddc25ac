"""The market table on a platform's page: `{% market_table platform %}` (filter: ?market=BTC)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from markets.queries import platform_markets

register = template.Library()

# Rows shown on the platform page; the markets page lists them all.
PAGE_ROWS = 60


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
    rows = list(markets[: PAGE_ROWS + 1])
    return {
        "platform": platform,
        "markets": rows[:PAGE_ROWS],
        "more": len(rows) > PAGE_ROWS,
        "search": search,
        "any_markets": bool(rows) or platform.product_lines.filter(markets__isnull=False).exists(),
    }
