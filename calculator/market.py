"""A market (symbol) on the calculator page: its list for the symbol field, the entry price a
link with a symbol starts from, and what the answer says about it (tiers as of, mark price,
a month's holding cost at the recent rates). Nothing here computes money: the engine does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import slug_re
from django.http import QueryDict

from calculator.forms import Calculation
from engine import Evaluation
from engine.holding import HoldingCost, holding_cost
from markets.lookup import MarketChoice, choose
from markets.models import Market
from platforms.profiles import ProfileLookupError, load_platform

# The answer offers to start from the mark when the entry is this far from it.
FAR_FROM_MARK = Decimal("0.2")


def page_query(query: QueryDict, completed: QueryDict) -> QueryDict:
    """The page's query with the entry price at the market's mark, where the visitor's query
    names a symbol but no entry price (a link such as `/?platform=hyperliquid&symbol=SOL`, or
    the entry emptied on the page). `completed` is the query after the example position filled
    in what a link left out: the example's BTC entry price must not stand for another coin."""
    symbol = (query.get("symbol") or "").strip()
    if not symbol or query.get("entry_price"):
        return completed
    choice = _choice(completed.get("platform") or "", symbol)
    if choice is None:
        return completed  # the form names the nearest markets
    changed = completed.copy()
    # Without a mark price the entry is left empty, and the form asks for it.
    mark = choice.mark_price
    changed["entry_price"] = f"{mark.normalize():f}" if mark is not None else ""
    return changed


def _choice(platform_slug: str, symbol: str) -> MarketChoice | None:
    try:
        platform = load_platform(platform_slug)
    except ProfileLookupError:
        return None
    return choose(platform, symbol)


def symbol_options(platform_slug: str) -> list[Market]:
    """The platform's markets for the symbol field, each with its latest quote (read now).

    The slug is the visitor's, not yet validated: text that no slug can be (a NUL byte, which
    PostgreSQL refuses in a query) names no platform and asks the database nothing."""
    if not slug_re.match(platform_slug):
        return []
    return list(
        Market.objects.filter(
            product_line__platform__slug=platform_slug, product_line__platform__is_published=True
        )
        .select_related("product_line", "latest_quote")
        .order_by("base", "symbol")
    )


@dataclass(frozen=True)
class MarketAnswer:
    """What the answer says about the chosen market."""

    choice: MarketChoice
    holding: HoldingCost
    funding_rate: Decimal  # the rate the month's funding is counted at (the visitor's, if typed)
    funding_interval_hours: Decimal
    entry_off_mark: Decimal | None  # (entry − mark) / mark, where far enough to mention
    mark_query: str  # the same scenario started from the mark ("" when it is already there)
    holding_hours: Decimal  # the holding period the answer itself counts

    @property
    def days(self) -> int:
        return int(self.holding.hours / 24)

    @property
    def funding_received(self) -> bool:
        return self.holding.funding < 0

    @property
    def funding_amount(self) -> Decimal:
        return abs(self.holding.funding)


def market_answer(
    calculation: Calculation, evaluation: Evaluation, query: QueryDict
) -> MarketAnswer | None:
    choice = calculation.market
    if choice is None:
        return None
    rules = calculation.rules
    holding = holding_cost(
        rules=rules, side=calculation.position.side, notional=evaluation.notional
    )
    entry, mark = calculation.position.entry_price, choice.mark_price
    off = None
    mark_query = ""
    if mark is not None and mark > 0 and entry != mark:
        ratio = (entry - mark) / mark
        if abs(ratio) >= FAR_FROM_MARK:
            off = ratio
            at_mark = query.copy()
            at_mark["entry_price"] = f"{mark.normalize():f}"
            mark_query = at_mark.urlencode()
    return MarketAnswer(
        choice=choice,
        holding=holding,
        funding_rate=rules.funding_rate,
        funding_interval_hours=rules.funding_interval_hours,
        entry_off_mark=off,
        mark_query=mark_query,
        holding_hours=calculation.position.holding_hours,
    )
