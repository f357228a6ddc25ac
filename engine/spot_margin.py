"""Spot margin: the trader borrows to hold more (long) or sells borrowed coin (short).

Margin level = total assets / (liabilities + interest); liquidation at the platform's level,
e.g. 1.1 (Binance, "Margin Level and Margin Call" FAQ). Leverage L = assets / own equity at
entry, Binance's "3x". Long: deposit M, borrow (L−1)·M quote, hold Q = L·M/E base.
Short: deposit M, borrow Q = (L−1)·M/E base and sell it, holding M + Q·E quote.

Kraken runs spot margin differently (Rules.used_margin_leverage set): the whole position is
borrowed from its margin pool and the deposit stays as collateral ("trade balance"). Equity =
trade balance + P/L; used margin = position cost / the pair's leverage, in quote for a long and
in the coin for a short (so it moves with the price); margin level = equity / used margin, and
liquidation at about 40% (Kraken Support, "Margin call level and margin liquidation level").
"""

from __future__ import annotations

from decimal import Decimal

from .book import AffineBook
from .numbers import positive, to_decimal
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
    if rules.used_margin_leverage is not None:
        return _open_kraken(position=position, rules=rules, entry=entry, level=level)
    if level <= ONE:
        raise EngineInputError(
            "liquidation_margin_level", "The liquidation margin level must be above 1."
        )
    long = position.side == Side.LONG
    sized = size_from_two(position=position, per_unit=entry, leverage_offset=ZERO if long else ONE)
    quantity, margin, _leverage = sized
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
    else:
        owed_coin = quantity * (ONE + growth)
        interest = quantity * growth * entry  # in quote at the entry price, for display
        assets = margin + notional - open_fee
        # equity = assets − owed·P; margin level = assets / (owed·P): liquidation when the
        # equity falls to (level − 1)·owed·P, a maintenance rate of (level − 1) on the debt.
        book = AffineBook(
            a=assets,
            b=-owed_coin,
            entry_price=entry,
            bands=((ZERO, None, level - ONE, ZERO, None),),
        )
        margin_level = assets / notional
    return _opened(
        book, rules=rules, entry=entry, sized=sized, interest=interest, level=margin_level
    )


def _open_kraken(*, position: Position, rules: Rules, entry: Decimal, level: Decimal) -> Opened:
    """Kraken: the trader's deposit M (trade balance) backs a position bought or sold wholly
    with borrowed funds. Long: equity = M + Q·(P − E), used margin Q·E/L fixed in quote, so
    liquidation when M + Q·(P − E) = level·Q·E/L. Short: equity = M + Q·(E − P), used margin
    Q/L coins worth Q·P/L, a maintenance rate of level/L on the mark notional."""
    if level <= ZERO:
        raise EngineInputError("liquidation_margin_level", "Must be greater than zero.")
    pair_leverage = positive(rules.used_margin_leverage, "used_margin_leverage")
    long = position.side == Side.LONG
    sized = size_from_two(position=position, per_unit=entry)
    quantity, margin, _leverage = sized
    notional = quantity * entry
    open_fee = rules.taker_fee * notional
    growth = interest_fraction(rules=rules, hours=position.holding_hours or ZERO)
    interest = notional * growth  # on the whole borrowed position
    equity_at_entry = margin - open_fee - interest
    if long:
        used = notional / pair_leverage
        book = AffineBook(
            a=equity_at_entry - notional,
            b=quantity,
            entry_price=entry,
            bands=((ZERO, None, ZERO, ZERO, None),),
            constant_maintenance=level * used,
        )
    else:
        book = AffineBook(
            a=equity_at_entry + notional,
            b=-quantity,
            entry_price=entry,
            bands=((ZERO, None, level / pair_leverage, ZERO, None),),
        )
    level_at_entry = equity_at_entry * pair_leverage / notional
    return _opened(
        book, rules=rules, entry=entry, sized=sized, interest=interest, level=level_at_entry
    )


def _opened(
    book: AffineBook,
    *,
    rules: Rules,
    entry: Decimal,
    sized: tuple[Decimal, Decimal, Decimal],
    interest: Decimal,
    level: Decimal,
) -> Opened:
    """A spot-margin position as `evaluate` needs it, from its (quantity, deposit, leverage):
    the deposit is the whole initial margin, the taker fee is paid on the notional bought or
    sold and the interest on the loan, and a close pays the fee on Q·P."""
    quantity, deposit, leverage = sized
    notional = quantity * entry
    open_fee = rules.taker_fee * notional
    return Opened(
        book=book,
        bands=book.bands,
        notional=notional,
        leverage=leverage,
        initial_margin=deposit,
        deposit=deposit,
        margin=deposit - open_fee - interest,
        open_fee=open_fee,
        interest_paid=interest,
        closing_per_price=quantity,
        closing_fee_rate=rules.taker_fee,
        liquidation_fee_rate=rules.liquidation_fee,
        margin_level=level,
        max_leverage=rules.max_leverage,
    )
