"""Partial liquidation, step by step down the tier table (docs/design.md, "What a liquidation
does").

Platforms that liquidate in steps (Bybit, "Liquidation Process (USDT Contract)": cancel the
orders, then "FillOrKill for the excess over a lower tier", then a takeover at the bankruptcy
price; Binance and OKX describe the same for positions above the first tier) cut a large
position at its liquidation price to the cap of the tier below, charge the liquidation fee on
the part closed, and look again: if what is left is above its (lower) maintenance it stays
open, with a new liquidation price further away; otherwise the next step follows, down to the
first tier, after which the rest is taken over.

Each step happens at the liquidation price P: the part closed realises its loss into the
margin, so the position's equity at P is unchanged except for the fee.
"""

from __future__ import annotations

from decimal import Decimal

from .book import AffineBook, InverseBook
from .opening import Opened
from .tiers import Band, band_index
from .types import ZERO, LiquidationStep

# A bound on the loop: a published table has a few dozen tiers at most.
_MAX_STEPS = 100


def liquidation_steps(*, opened: Opened, sign: int, price: Decimal) -> tuple[LiquidationStep, ...]:
    """The steps of a partial liquidation at `price`, or () when the position sits in the first
    tier (a full close, nothing to step) or is not a futures position."""
    book = opened.book
    if opened.margin_level is not None or opened.health_factor is not None:
        return ()
    inverse = isinstance(book, InverseBook)
    bands = book.bands
    if len(bands) < 2 or price <= ZERO:
        return ()
    size = book.face if isinstance(book, InverseBook) else book.size
    equity = book.equity_in_coin(price) if isinstance(book, InverseBook) else book.equity(price)
    if equity is None:
        return ()

    def bracket(quantity: Decimal) -> Decimal:
        # the tier table's unit: notional in quote (linear), value in coin (inverse)
        return quantity / price if inverse else quantity * price

    def maintenance(quantity: Decimal, index: int) -> Decimal:
        _floor, _cap, rate, amount, _lev = bands[index]
        return bracket(quantity) * rate - amount

    index = band_index(bands, bracket(size))
    if index == 0:
        return ()
    steps: list[LiquidationStep] = []
    while index > 0 and len(steps) < _MAX_STEPS:
        floor = bands[index][0]
        target = floor * price if inverse else floor / price
        lower = _lower_band(bands, index, bracket(target))
        if target >= size:
            # exactly on the tier's floor: nothing to cut, only the tier below to look at
            index = lower
            continue
        fee = opened.liquidation_fee_rate * bracket(size - target)
        fee = min(fee, equity) if equity > ZERO else ZERO
        equity -= fee
        needed = maintenance(target, lower)
        survives = equity > needed and equity > ZERO
        steps.append(
            LiquidationStep(
                price=price,
                tier_before=index + 1,
                tier_after=lower + 1,
                quantity_before=size,
                quantity_after=target,
                fee=fee,
                equity_after=equity,
                maintenance_after=needed,
                survives=survives,
                next_liquidation_price=(
                    _next_liquidation(book, equity, target, sign, price, needed)
                    if survives
                    else None
                ),
            )
        )
        if survives:
            return tuple(steps)
        size, index = target, lower
    # the first tier and still below maintenance: the rest is taken over
    fee = opened.liquidation_fee_rate * bracket(size)
    fee = min(fee, equity) if equity > ZERO else ZERO
    steps.append(
        LiquidationStep(
            price=price,
            tier_before=index + 1,
            tier_after=index + 1,
            quantity_before=size,
            quantity_after=ZERO,
            fee=fee,
            equity_after=equity - fee,
            maintenance_after=ZERO,
            survives=False,
            next_liquidation_price=None,
        )
    )
    return tuple(steps)


def _lower_band(bands: tuple[Band, ...], index: int, cut_to: Decimal) -> int:
    """The tier the cut position falls in: the one below `index` (its cap is the cut), or lower
    where tiers leave gaps."""
    return min(index - 1, band_index(bands, cut_to))


def _next_liquidation(
    book: AffineBook | InverseBook,
    equity: Decimal,
    quantity: Decimal,
    sign: int,
    price: Decimal,
    needed: Decimal,
) -> Decimal | None:
    """Where what is left would be liquidated next: a book opened at `price` with the equity
    left (its maintenance a constant where the platform measures it on entry)."""
    constant = needed if book.constant_maintenance is not None else None
    smaller: AffineBook | InverseBook
    if isinstance(book, InverseBook):
        smaller = InverseBook(
            c0=equity + sign * quantity / price,
            face=quantity,
            sign=sign,
            entry_price=price,
            bands=book.bands,
            constant_maintenance=constant,
        )
    else:
        smaller = AffineBook(
            a=equity - sign * quantity * price,
            b=sign * quantity,
            entry_price=price,
            bands=book.bands,
            constant_maintenance=constant,
        )
    return smaller.liquidation_price()[0]
