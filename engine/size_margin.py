"""Maintenance that grows with the position's size in coins (Deribit's rule), as a flat rate.

Deribit states maintenance as a base rate plus a rate per coin of position size: "1% +
(PositionSize in BTC) * 0.005%" (support article "11 January 2022"; the Linear Perpetual page
gives the same for BTC_USDC and "2% + (POS Size in ETH) * 0.0005%" for ETH). For one position the
size in coins is fixed, so the rule is one flat rate for that position: a 100 BTC position keeps
1% + 100 × 0.005% = 1.5% of its notional. The engine then works with that rate as with any flat
rate, so every result (liquidation price, deficit, curve) follows the rule without a new path.

For an inverse contract the size in coins is USD value ÷ price, which grows as the price falls;
the caller passes the size at the entry price, which understates maintenance a little for a long
that falls a long way (a 50% fall doubles the coin size). Linear contracts have no such gap.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from .types import ZERO, Contract, EngineInputError, Position, Rules

ONE = Decimal(1)


def size_dependent_rate(
    *, base_rate: Decimal, rate_per_coin: Decimal, size_in_coins: Decimal
) -> Decimal:
    """base + rate per coin × |size|: a short's size counts like a long's."""
    if not (base_rate.is_finite() and rate_per_coin.is_finite() and size_in_coins.is_finite()):
        raise EngineInputError("maintenance_margin_rate", "The maintenance rule needs numbers.")
    if base_rate < ZERO or rate_per_coin < ZERO:
        raise EngineInputError("maintenance_margin_rate", "A maintenance rate cannot be negative.")
    rate = base_rate + rate_per_coin * abs(size_in_coins)
    if rate >= ONE:
        raise EngineInputError(
            "quantity",
            "At this size the platform's maintenance rule reaches 100%: the "
            "position is larger than the platform allows.",
        )
    return rate


def with_size_dependent_maintenance(
    rules: Rules, *, base_rate: Decimal, rate_per_coin: Decimal, size_in_coins: Decimal
) -> Rules:
    """`rules` whose maintenance is the rule's flat rate for this size (tiers no longer apply)."""
    rate = size_dependent_rate(
        base_rate=base_rate, rate_per_coin=rate_per_coin, size_in_coins=size_in_coins
    )
    return dataclasses.replace(
        rules, tiers=(), maintenance_margin_rate=rate, maintenance_amount=ZERO
    )


def position_size_in_coins(position: Position) -> Decimal | None:
    """The position's size in coins at entry, from whichever two sizes the trader gave.

    Linear: quantity is in coins (or margin × leverage ÷ entry). Inverse: quantity is the USD face
    value, so coins = quantity ÷ entry (or margin in coin × leverage). None: not enough given.
    """
    entry = position.entry_price
    if not entry.is_finite() or entry <= ZERO:
        return None
    if position.contract == Contract.LINEAR:
        if position.quantity is not None:
            return abs(position.quantity)
        if position.margin is not None and position.leverage is not None:
            return abs(position.margin * position.leverage / entry)
    elif position.contract == Contract.INVERSE:
        if position.quantity is not None:
            return abs(position.quantity / entry)
        if position.margin is not None and position.leverage is not None:
            return abs(position.margin * position.leverage)
    return None
