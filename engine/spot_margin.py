"""Spot margin: the trader borrows to hold more (long) or sells borrowed coin (short).

Margin level = total assets / (liabilities + interest); liquidation at the platform's level,
e.g. 1.1 (Binance, "Margin Level and Margin Call" FAQ). Leverage L = assets / own equity at
entry, Binance's "3x". Long: deposit M, borrow (L−1)·M quote, hold Q = L·M/E base.
Short: deposit M, borrow Q = (L−1)·M/E base and sell it, holding M + Q·E quote.
"""

from __future__ import annotations

from decimal import Decimal

from .book import AffineBook
from .numbers import to_decimal
from .opening import Opened, interest_fraction, size_from_two
from .types import ZERO, EngineInputError, MarginMode, Position, Rules, Side

ONE = Decimal(1)


def open_spot_margin(*, position: Position, rules: Rules, entry: Decimal) -> Opened:
    if position.margin_mode == MarginMode.CROSS:
        raise EngineInputError(
            "margin_mode", "Spot margin is modelled per position: use isolated with your deposit."
        )
    if rules.liquidation_margin_level is None:
        raise EngineInputError(
            "liquidation_margin_level",
            "Spot margin needs the platform's liquidation margin level (e.g. 1.1).",
        )
    level = to_decimal(rules.liquidation_margin_level, "liquidation_margin_level")
    if level <= ONE:
        raise EngineInputError(
            "liquidation_margin_level", "The liquidation margin level must be above 1."
        )
    long = position.side == Side.LONG
    quantity, margin, leverage = size_from_two(
        position=position, per_unit=entry, leverage_offset=ZERO if long else ONE
    )
    notional = quantity * entry
    open_fee = rules.taker_fee * notional  # paid out of the account's assets
    growth = interest_fraction(rules=rules, hours=position.holding_hours or ZERO)

    if long:
        debt = notional - margin
        if debt <= ZERO:
            raise EngineInputError("leverage", "Spot margin needs a loan: leverage above 1x.")
        interest = debt * growth
        owed = debt + interest
        # equity = Q·P − fee − owed; margin level = (Q·P − fee) / owed, so at the liquidation
        # level the equity is the constant (level − 1) · owed.
        book = AffineBook(
            a=-open_fee - owed,
            b=quantity,
            entry_price=entry,
            bands=((ZERO, None, ZERO, ZERO, None),),
            constant_maintenance=(level - ONE) * owed,
        )
        margin_level = (notional - open_fee) / debt
        bands = book.bands
    else:
        owed_coin = quantity * (ONE + growth)
        interest = quantity * growth * entry  # in quote at the entry price, for display
        assets = margin + notional - open_fee
        # equity = assets − owed·P; margin level = assets / (owed·P): liquidation when the
        # equity falls to (level − 1)·owed·P, a maintenance rate of (level − 1) on the debt.
        bands = ((ZERO, None, level - ONE, ZERO, None),)
        book = AffineBook(a=assets, b=-owed_coin, entry_price=entry, bands=bands)
        margin_level = assets / notional
    return Opened(
        book=book,
        bands=bands,
        notional=notional,
        leverage=leverage,
        initial_margin=margin,
        deposit=margin,
        margin=margin - open_fee - interest,
        open_fee=open_fee,
        interest_paid=interest,
        closing_per_price=quantity,
        closing_fee_rate=rules.taker_fee,
        liquidation_fee_rate=rules.liquidation_fee,
        margin_level=margin_level,
        max_leverage=rules.max_leverage,
    )
