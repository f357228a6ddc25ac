"""Auto-deleveraging (ADL) seen from the winning side: the score a platform ranks a profitable
position by, and what an ADL at a stated price keeps and costs.

When a liquidated position's loss is more than its margin and the insurance fund (or a backstop
vault) cannot take it, the platform closes profitable positions on the other side instead.
Which ones first, and at what price, differ by platform:

- ranking: BitMEX publishes "Ranking = PNL Percentage * Effective Leverage (if PNL percentage
  > 0) = PNL Percentage / Effective Leverage (if PNL percentage < 0)", with "Effective Leverage
  = abs(Mark Value) / (Mark Value - Bankrupt Value)" and "PNL percentage = (Mark Value - Avg
  Entry Value) / abs(Avg Entry Value)" (bitmex.com/app/autoDeleveraging); Binance, Bybit and
  OKX rank "by profit and leverage" in the same spirit;
- price: the bankruptcy price of the liquidated order (BitMEX, Binance, Bybit), the mark
  price (OKX), the previous oracle price (Hyperliquid).

Everything here is pure: prices and amounts in, small frozen dataclasses out, no NaN, no
negative amounts. The rank itself needs everyone's positions, which this module never has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import wraps
from typing import Any, TypeVar

from .numbers import CONTEXT
from .types import ZERO, Contract, EngineInputError, Side

# The cost is the profit less what is kept, subtracted exactly, so the two re-add to the profit
# with Decimal equality (as coverage.py does for the parts of a deficit).
_EXACT = CONTEXT.copy()
_EXACT.prec = 120


@dataclass(frozen=True, slots=True)
class AdlScore:
    """A position's ADL ranking inputs and score at one mark price (BitMEX's published formula)."""

    pnl_fraction: Decimal  # (mark value − entry value) / |entry value|, signed by side
    effective_leverage: Decimal  # |mark value| / (mark value − bankrupt value), by side
    score: Decimal  # pnl × leverage when in profit, pnl / leverage when not


@dataclass(frozen=True, slots=True)
class AdlClose:
    """What an ADL at `close_price` does to a position that the market has carried to
    `market_price`: `kept + cost == profit`, all three ≥ 0 (in quote currency)."""

    side: Side
    quantity: Decimal  # closed: linear base units, inverse USD face value
    market_price: Decimal
    close_price: Decimal
    profit: Decimal  # unrealised profit at the market price (0 if the position is not in profit)
    kept: Decimal  # the profit realised at the close price
    cost: Decimal  # the part of the profit the ADL takes away


T = TypeVar("T")


def _in_engine_context(function: Callable[..., T]) -> Callable[..., T]:
    """Run in the engine's 40-digit context, as evaluate() does."""

    @wraps(function)
    def run(**kwargs: Any) -> T:
        with localcontext(CONTEXT):
            return function(**kwargs)

    return run


def _value(contract: Contract, price: Decimal) -> Decimal:
    """A long position's value per unit at `price`, increasing in price: the price itself for
    a linear contract; −1/price (coin per USD of face value) for an inverse one."""
    if contract == Contract.INVERSE:
        return -1 / price
    return price


def _check_prices(**prices: Decimal | None) -> None:
    for name, price in prices.items():
        if price is None or not price.is_finite() or price <= ZERO:
            raise EngineInputError(name, "must be a positive price")


@_in_engine_context
def ranking_score(
    *,
    contract: Contract,
    side: Side,
    entry_price: Decimal,
    mark_price: Decimal,
    bankruptcy_price: Decimal,
) -> AdlScore | None:
    """The ADL score a platform that publishes BitMEX's formula shows for the position at
    `mark_price`; None when the position is already past its bankruptcy price (it is the one
    being liquidated, not a candidate for ADL). Quantity cancels out of the formula."""
    _check_prices(entry_price=entry_price, mark_price=mark_price, bankruptcy_price=bankruptcy_price)
    sign = 1 if side == Side.LONG else -1
    entry_value = _value(contract, entry_price)
    mark_value = _value(contract, mark_price)
    cushion = sign * (mark_value - _value(contract, bankruptcy_price))
    if cushion <= ZERO:
        return None
    pnl = sign * (mark_value - entry_value) / abs(entry_value)
    leverage = abs(mark_value) / cushion
    score = pnl * leverage if pnl > ZERO else pnl / leverage
    return AdlScore(pnl_fraction=pnl, effective_leverage=leverage, score=score)


def _pnl(
    contract: Contract,
    side: Side,
    quantity: Decimal,
    entry: Decimal,
    price: Decimal,
    valued_at: Decimal,
) -> Decimal:
    """Profit in quote currency of closing at `price`; an inverse contract's coin profit is
    valued at `valued_at` (the market price), so every amount of one ADL uses one rate."""
    sign = 1 if side == Side.LONG else -1
    if contract == Contract.INVERSE:
        return sign * quantity * (1 / entry - 1 / price) * valued_at
    return sign * quantity * (price - entry)


@_in_engine_context
def adl_close(
    *,
    contract: Contract,
    side: Side,
    entry_price: Decimal,
    quantity: Decimal,
    market_price: Decimal,
    close_price: Decimal,
) -> AdlClose:
    """The profit a position in profit at `market_price` keeps when ADL closes `quantity` of it
    at `close_price`, and what that costs it. A close price beyond the market (better than the
    market for the position) keeps no more than the profit: ADL never pays a bonus; a close
    price on the losing side of entry keeps nothing, and the loss is not the ADL's cost."""
    _check_prices(entry_price=entry_price, market_price=market_price, close_price=close_price)
    if quantity is None or not quantity.is_finite() or quantity <= ZERO:
        raise EngineInputError("quantity", "must be more than 0")
    profit = max(_pnl(contract, side, quantity, entry_price, market_price, market_price), ZERO)
    realised = _pnl(contract, side, quantity, entry_price, close_price, market_price)
    kept = min(max(realised, ZERO), profit)
    return AdlClose(
        side=side,
        quantity=quantity,
        market_price=market_price,
        close_price=close_price,
        profit=profit,
        kept=kept,
        cost=_EXACT.subtract(profit, kept),
    )
