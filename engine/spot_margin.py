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

Several borrowed assets (Binance Cross Margin Pro): `cross_margin_pro` below, with maintenance
tiered on each liability's USD value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .book import AffineBook
from .numbers import in_engine_context, non_negative, positive, to_decimal
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


@in_engine_context
def kraken_margin_level(
    *,
    trade_balance: Decimal,
    side: Side,
    quantity: Decimal,
    entry: Decimal,
    price: Decimal,
    pair_leverage: Decimal,
) -> Decimal:
    """Equity / used margin at `price`, the figure Kraken's margin call (≈80%) and
    liquidation (≈40%) levels are read against."""
    balance = to_decimal(trade_balance, "margin")
    size = positive(quantity, "quantity")
    opened_at = positive(entry, "entry_price")
    now = positive(price, "fill_price")
    lever = positive(pair_leverage, "used_margin_leverage")
    if side == Side.LONG:
        return (balance + size * (now - opened_at)) / (size * opened_at / lever)
    return (balance + size * (opened_at - now)) / (size * now / lever)


# --- several borrowed assets: Binance Cross Margin Pro ---------------------------------------


@dataclass(frozen=True, slots=True)
class LiabilityTier:
    """A row of a platform's liability tier table: the liability's USD value bracket, its
    maintenance margin rate and maintenance amount (Binance "Cross Margin Pro Position Tiers")."""

    floor: Decimal
    cap: Decimal | None
    maintenance_rate: Decimal
    maintenance_amount: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Liability:
    asset: str
    amount: Decimal  # borrowed units
    price: Decimal  # USD per unit
    interest: Decimal = ZERO  # accrued, in units

    @property
    def value(self) -> Decimal:
        return (self.amount + self.interest) * self.price


@dataclass(frozen=True, slots=True)
class CrossMarginLevel:
    net_collateral: Decimal  # Σ collateral value − Σ (liability + interest), USD
    maintenance_margin: Decimal  # Σ over liabilities of value·rate − amount from its tier
    margin_level: Decimal | None  # net collateral / maintenance; None without liabilities
    liquidated: bool


@in_engine_context
def liability_maintenance(value: Decimal, tiers: Iterable[LiabilityTier]) -> Decimal:
    """value × rate − maintenance amount of the tier the value falls in (past the last cap,
    the last tier). With continuous amounts this equals the sum over slices at each rate."""
    rows = sorted(tiers, key=lambda tier: tier.floor)
    if not rows:
        raise EngineInputError("liability_tiers", "A liability needs its tier table.")
    chosen = rows[-1]
    for tier in rows:
        if value >= tier.floor and (tier.cap is None or value < tier.cap):
            chosen = tier
            break
    return value * chosen.maintenance_rate - chosen.maintenance_amount


@in_engine_context
def cross_margin_pro(
    *,
    collateral_value: Decimal,
    liabilities: Iterable[Liability],
    tiers: Mapping[str, Iterable[LiabilityTier]],
    open_order_loss: Decimal = ZERO,
    liquidation_level: Decimal = ONE,
) -> CrossMarginLevel:
    """Margin level = (Σ net collateral − Σ open order loss) / Σ maintenance margin, liquidation
    at ≤ 1.0 (Binance FAQ "Introduction to Binance Cross Margin Pro", new Pro mode from
    2025-01-21). `collateral_value` is the assets' value after haircuts (engine/collateral.py)."""
    counted = non_negative(collateral_value, "collateral_assets")
    loss = non_negative(open_order_loss, "open_order_loss")
    owed = ZERO
    maintenance = ZERO
    for liability in liabilities:
        non_negative(liability.amount, "liabilities")
        non_negative(liability.interest, "liabilities")
        positive(liability.price, "liabilities")
        table = tiers.get(liability.asset.upper())
        if table is None:
            raise EngineInputError(
                "liabilities",
                "%(asset)s cannot be borrowed on this platform.",
                asset=liability.asset,
            )
        owed += liability.value
        maintenance += liability_maintenance(liability.amount * liability.price, table)
    net = counted - owed - loss
    level = net / maintenance if maintenance > ZERO else None
    return CrossMarginLevel(
        net_collateral=counted - owed,
        maintenance_margin=maintenance,
        margin_level=level,
        liquidated=level is not None and level <= liquidation_level,
    )
