"""A market's own numbers laid over a product line's rules, for the engine.

The calculator builds Rules from a profile (platforms.profiles.rules_for); with a market chosen
it can pass them here: the market's tier table, max leverage, taker fee and funding interval
replace the line's where the market has them, and every convention (maintenance basis, fees
from margin, settlement, coverage waterfall, protection) stays the profile's.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from engine import Rules, Tier, with_size_dependent_maintenance
from markets.models import Market
from platforms.profiles import tier_table


def market_tiers(market: Market) -> tuple[Tier, ...]:
    return tier_table(market.tiers.all())


def rules_for_market(
    market: Market,
    base_rules: Rules,
    *,
    funding_rate: Decimal | None = None,
    size_in_coins: Decimal | None = None,
) -> Rules:
    """`base_rules` with the market's own tiers, leverage, taker fee and funding.

    The latest funding rate is used only when asked for (`funding_rate`), because a visitor's
    holding-period funding is an assumption the calculator states, not a fact we may fill in.
    A market whose maintenance grows with size (Deribit) gets the rate of this position's size
    (`size_in_coins`, see engine.position_size_in_coins); without a size, the rate at size 0,
    the least it can be.
    """
    changes: dict[str, Any] = {}
    tiers = market_tiers(market)
    if tiers:
        changes["tiers"] = tiers
    if market.max_leverage is not None:
        changes["max_leverage"] = market.max_leverage
    if market.taker_fee is not None:
        changes["taker_fee"] = market.taker_fee
    if market.funding_interval_hours is not None:
        changes["funding_interval_hours"] = market.funding_interval_hours
    if funding_rate is not None:
        changes["funding_rate"] = funding_rate
    rules = dataclasses.replace(base_rules, **changes)
    if market.has_size_rule:
        assert market.maintenance_base_rate is not None  # for mypy: has_size_rule checked both
        assert market.maintenance_rate_per_coin is not None
        rules = with_size_dependent_maintenance(
            rules,
            base_rate=market.maintenance_base_rate,
            rate_per_coin=market.maintenance_rate_per_coin,
            size_in_coins=size_in_coins or Decimal(0),
        )
    return rules
