"""Collateralised loans (CeFi loans, Aave-style lending): volatile collateral, stable debt.

Health factor = collateral · price · liquidation threshold / debt; below 1 the position can be
liquidated (Aave Help Center, "Liquidations"). Bankruptcy: collateral value = debt. The
liquidation penalty (Aave's bonus) is paid out of the collateral to the liquidator.
The engine liquidates the whole loan at the fill price: Aave's close factor (50% of the debt
per call while HF > 0.95) only spreads the same loss over several calls.
"""

from __future__ import annotations

from decimal import Decimal

from .book import AffineBook
from .numbers import fraction, optional_positive, positive
from .opening import Opened, interest_fraction
from .types import ZERO, EngineInputError, Position, Rules, Side

ONE = Decimal(1)


def open_loan(*, position: Position, rules: Rules, entry: Decimal) -> Opened:
    if position.side != Side.LONG:
        raise EngineInputError(
            "side", "A loan is volatile collateral against stable debt: only 'long' applies."
        )
    if rules.liquidation_threshold is None:
        raise EngineInputError(
            "liquidation_threshold", "A loan needs the collateral's liquidation threshold."
        )
    threshold = fraction(rules.liquidation_threshold, "liquidation_threshold")
    if threshold <= ZERO:
        raise EngineInputError("liquidation_threshold", "Must be greater than zero.")
    penalty = fraction(rules.liquidation_penalty, "liquidation_penalty")
    collateral = positive(
        position.collateral if position.collateral is not None else position.quantity,
        "collateral",
    )
    value = collateral * entry
    leverage = optional_positive(position.leverage, "leverage")
    if position.debt is not None:
        debt = positive(position.debt, "debt")
    elif leverage is not None:
        if leverage <= ONE:
            raise EngineInputError("leverage", "A loan's leverage is above 1x.")
        debt = value * (ONE - ONE / leverage)
    else:
        raise EngineInputError("debt", "Give the debt (or the leverage).")
    interest = debt * interest_fraction(rules=rules, hours=position.holding_hours or ZERO)
    owed = debt + interest
    equity = value - debt
    # equity = C·P − owed; HF = C·P·LT / owed = 1 ⇔ equity = (1 − LT)·C·P
    bands = ((ZERO, None, ONE - threshold, ZERO, None),)
    book = AffineBook(a=-owed, b=collateral, entry_price=entry, bands=bands)
    return Opened(
        book=book,
        bands=bands,
        notional=value,
        leverage=value / equity if equity > ZERO else None,
        initial_margin=equity,
        deposit=equity,
        margin=equity - interest,
        interest_paid=interest,
        # the penalty is a share of the debt repaid
        closing_fixed=owed,
        closing_fee_rate=ZERO,
        liquidation_fee_rate=penalty,
        liquidation_fee_to_fund=False,
        health_factor=value * threshold / debt,
        max_leverage=rules.max_leverage,
    )
