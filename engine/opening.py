"""What every contract module hands to `evaluate`: the opened position, sized and costed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from .book import AffineBook, InverseBook
from .numbers import HOURS_PER_YEAR, non_negative, optional_positive, positive, to_decimal
from .tiers import Band, band_index, bands_for
from .types import (
    ZERO,
    CrossMarginSharing,
    EngineInputError,
    Evaluation,
    MaintenanceBasis,
    MarginMode,
    Position,
    Rules,
    Side,
)

ONE = Decimal(1)


@dataclass(slots=True)
class Opened:
    """An opened position as `evaluate` needs it; each contract module states what differs
    from a linear futures position (the defaults)."""

    book: AffineBook | InverseBook
    bands: tuple[Band, ...]
    notional: Decimal  # quote (USD face value for inverse)
    leverage: Decimal | None
    initial_margin: Decimal  # margin currency
    deposit: Decimal  # the trader's own money at stake before costs, margin currency
    margin: Decimal  # after fees, funding and interest, margin currency
    closing_fee_rate: Decimal  # taker fee on a normal close
    liquidation_fee_rate: Decimal  # liquidation fee, or a loan's liquidation penalty
    open_fee: Decimal = ZERO
    funding_paid: Decimal = ZERO
    interest_paid: Decimal = ZERO
    margin_currency: str = "quote"
    closing_fixed: Decimal = (
        ZERO  # notional on which a closing fee is charged: fixed + per_price · P
    )
    closing_per_price: Decimal = ZERO
    liquidation_fee_to_fund: bool = True  # False where the fee goes to a liquidator (loans)
    can_be_liquidated: bool = True
    health_factor: Decimal | None = None
    loan_to_value: Decimal | None = None  # loans: debt / collateral value at entry
    margin_level: Decimal | None = None
    max_leverage: Decimal | None = None
    close_fee_reserve: Decimal = ZERO  # the fee to close at the bankruptcy price, margin currency
    close_fee_held: Decimal = ZERO  # the part of it held in the margin (isolated)

    def deposit_in_quote(self, price: Decimal) -> Decimal:
        return self.deposit * price if self.margin_currency == "coin" else self.deposit

    def close_fee_held_in_quote(self, price: Decimal) -> Decimal:
        """The fee to close held in the margin, in quote at `price` (coin × price for inverse)."""
        return (
            self.close_fee_held * price if self.margin_currency == "coin" else self.close_fee_held
        )

    def closing_notional(self, price: Decimal) -> Decimal:
        return self.closing_fixed + self.closing_per_price * price


def leverage_and_initial(
    *, cross: bool, value: Decimal, margin: Decimal, stated_leverage: Decimal | None
) -> tuple[Decimal | None, Decimal]:
    """(leverage, initial margin) of an opened futures position, `value` in the margin
    currency: in cross margin the leverage is the wallet's and the initial margin what the
    stated leverage asks for; isolated, both are as given."""
    if not cross:
        return stated_leverage, margin
    leverage = value / margin if margin > ZERO else None
    return leverage, value / stated_leverage if stated_leverage else margin


def size_from_two(
    *,
    position: Position,
    per_unit: Decimal,
    leverage_offset: Decimal = ZERO,
) -> tuple[Decimal, Decimal, Decimal]:
    """(quantity, margin, leverage) from any two of them: margin = quantity·per_unit / (L − off).

    `per_unit` turns a quantity into notional in the margin currency (E for linear, 1/E for
    inverse); `leverage_offset` is 1 for a spot-margin short, whose borrowed notional is
    (L − 1)·margin.
    """
    quantity = optional_positive(position.quantity, "quantity")
    margin = optional_positive(position.margin, "margin")
    leverage = optional_positive(position.leverage, "leverage")
    given = (quantity is not None) + (margin is not None) + (leverage is not None)
    if given != 2:
        raise EngineInputError(
            "leverage" if given > 2 else "margin",
            "Give exactly two of quantity, margin and leverage.",
        )
    if leverage is not None and leverage - leverage_offset <= ZERO:
        raise EngineInputError(
            "leverage", "Leverage must be above %(least)sx here.", least=leverage_offset
        )
    # the given two are checked above; the derived one is checked here
    if quantity is None:
        quantity = positive(margin * (leverage - leverage_offset) / per_unit, "quantity")  # type: ignore[operator]
    elif margin is None:
        margin = positive(quantity * per_unit / (leverage - leverage_offset), "margin")  # type: ignore[operator]
    else:
        leverage = quantity * per_unit / margin + leverage_offset
    return quantity, margin, leverage  # type: ignore[return-value]


def cross_size(
    *, position: Position, per_unit: Decimal, rules: Rules | None = None
) -> tuple[Decimal, Decimal, Decimal | None, Decimal]:
    """(quantity, margin, stated leverage, wallet) under cross margin.

    Shared as the wallet (Binance USDⓈ-M FAQ: WB − TMM1 + UPNL1; docs/design.md): margin =
    wallet balance − other positions' maintenance + their unrealized PnL; the whole wallet is
    at risk. Shared in proportion (KuCoin, "Liquidation Price in Cross Margin Mode": AMR =
    total margin / Σ|mark value|): margin = (wallet + other PnL) × value / (value + other value).
    """
    if position.wallet_balance is None:
        raise EngineInputError("wallet_balance", "Cross margin needs the wallet balance.")
    wallet = positive(position.wallet_balance, "wallet_balance")
    other_maintenance = non_negative(position.other_maintenance_margin, "other_maintenance_margin")
    other_pnl = to_decimal(position.other_unrealized_pnl, "other_unrealized_pnl")
    leverage = optional_positive(position.leverage, "leverage")
    quantity = optional_positive(position.quantity, "quantity")
    if quantity is None:
        if leverage is None:
            raise EngineInputError("quantity", "Give the position size or the leverage.")
        quantity = positive(wallet * leverage / per_unit, "quantity")
    proportional = (
        rules is not None and rules.cross_margin_sharing == CrossMarginSharing.PROPORTIONAL
    )
    if proportional:
        other_value = non_negative(position.other_position_value, "other_position_value")
        value = quantity * per_unit
        share = value / (value + other_value) if other_value else ONE
        margin = (wallet + other_pnl) * share
    else:
        margin = wallet - other_maintenance + other_pnl
    if margin <= 0:
        raise EngineInputError(
            "other_maintenance_margin" if other_maintenance > 0 else "other_unrealized_pnl",
            "Your other positions already take the whole wallet (its balance less their "
            "maintenance margin, plus their unrealized PnL, is not above zero): the account "
            "would be liquidated before this position opens.",
        )
    return quantity, margin, leverage, wallet


def funding_paid(*, rules: Rules, sign: int, notional: Decimal, hours: Decimal) -> Decimal:
    """Funding over the holding period: hours / interval × rate × notional, paid by longs when
    the rate is positive. Uses the entry notional (the mark notional moves at each payment)."""
    if not rules.funding_rate or not hours:
        return ZERO
    interval = positive(rules.funding_interval_hours, "funding_interval_hours")
    return sign * rules.funding_rate * hours / interval * notional


def interest_fraction(*, rules: Rules, hours: Decimal) -> Decimal:
    """Simple interest over the holding period (Binance margin: principal × hourly rate × hours;
    Aave compounds per second, which differs by under 1% of the interest over a year at 10%)."""
    if not rules.borrow_rate_yearly or not hours:
        return ZERO
    return non_negative(rules.borrow_rate_yearly, "borrow_rate_yearly") * hours / HOURS_PER_YEAR


def fees_reduce_margin(*, position: Position, rules: Rules) -> bool:
    # Under cross margin every fee comes out of the same wallet that backs the position.
    return rules.fees_from_margin or position.margin_mode == MarginMode.CROSS


def balance_fee(evaluation: Evaluation) -> Decimal:
    """The opening fee the platform took from the account balance instead of the margin
    (Bitget, isolated); zero where the margin paid it or there was none. The margin and the
    deposit a visitor is told they lose do not include it."""
    if fees_reduce_margin(position=evaluation.position, rules=evaluation.rules):
        return ZERO
    return evaluation.open_fee


def margin_after_costs(
    *, position: Position, rules: Rules, sign: int, margin: Decimal, notional: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(opening fee, funding paid, margin at stake), all in the margin currency.

    `notional` is in that currency too (quote for linear, coin for inverse), so one rule serves
    both: the taker fee and the funding over the holding period come out of the margin.
    """
    open_fee = rules.taker_fee * notional
    fee_from_margin = fees_reduce_margin(position=position, rules=rules)
    if fee_from_margin and open_fee > ZERO and open_fee >= margin:
        # an exchange refuses such an order; evaluated, it would start bankrupt
        raise EngineInputError(
            "wallet_balance" if position.margin_mode == MarginMode.CROSS else "margin",
            "The opening fee (taker fee × position size) takes all of this margin: the "
            "platform would not open the position. Lower the leverage or the size.",
        )
    funding = funding_paid(
        rules=rules, sign=sign, notional=notional, hours=position.holding_hours or ZERO
    )
    costs = funding + (open_fee if fee_from_margin else ZERO)
    return open_fee, funding, margin - costs


def maintenance_rules(rules: Rules, *, cross: bool) -> Rules:
    """The rules maintenance is measured by. KuCoin's cross margin counts the fee to close in
    maintenance ("Liquidation Price in Cross Margin Mode": … / (1 − side × MMR − side × taker
    fee rate); its risk rate adds "Expected closing fees"), though its isolated formula does
    not ("How to Calculate the Liquidation Price": MM = HP × Vol × S × MMRate)."""
    proportional = rules.cross_margin_sharing == CrossMarginSharing.PROPORTIONAL
    if cross and proportional and not rules.taker_fee_in_maintenance:
        return replace(rules, taker_fee_in_maintenance=True)
    return rules


def close_fee_reserve(
    *, rules: Rules, sign: int, value: Decimal, margin: Decimal, coin: bool = False
) -> Decimal:
    """The fee to close at the bankruptcy price, in the margin currency (0 unless the platform
    reserves it or counts it in maintenance).

    Phemex, "Liquidation price for USDT-M": "close fee=bankruptcy Value*takerfeerate", with
    bankruptcy value = open value − initial margin; Bybit, "Order Cost": closing fee = Qty ×
    bankruptcy price × taker fee. Linear: taker × Q·P_bk = taker × (Q·E − s·M); inverse, in
    coin: taker × N/P_bk = taker × (N/E + s·M). `value` is Q·E (linear) or N/E coin (inverse).
    """
    if not (rules.close_fee_reserved or rules.close_fee_in_maintenance) or not rules.taker_fee:
        return ZERO
    at_bankruptcy = value + sign * margin if coin else value - sign * margin
    return rules.taker_fee * at_bankruptcy if at_bankruptcy > ZERO else ZERO


def shifted_bands(bands: tuple[Band, ...], extra: Decimal) -> tuple[Band, ...]:
    """Bands whose maintenance is `extra` higher at every price (a fixed fee to close counted
    in maintenance): a lower maintenance amount, which may go below zero."""
    if not extra:
        return bands
    return tuple((floor, cap, rate, amount - extra, lev) for floor, cap, rate, amount, lev in bands)


def entry_maintenance(
    *, rules: Rules, bands: tuple[Band, ...], notional: Decimal
) -> tuple[int, Decimal | None]:
    """The entry notional's band, and the constant maintenance where the platform measures it
    on the entry notional (Bybit, "Liquidation Price (USDT Contract)": MM = Position Value × MMR
    − deduction, Position Value = Contract Size × Entry Price); None where it follows the mark."""
    entry_index = band_index(bands, notional)
    if rules.maintenance_basis != MaintenanceBasis.ENTRY:
        return entry_index, None
    _floor, _cap, rate, amount, _lev = bands[entry_index]
    return entry_index, notional * rate - amount


@dataclass(frozen=True, slots=True)
class FuturesTerms:
    """What a futures contract builds its book from, in the margin currency (quote for linear,
    coin for inverse)."""

    sign: int
    size: Decimal  # quantity (linear) or USD face value (inverse)
    value: Decimal  # the entry value: Q·E (linear) or N/E coin (inverse)
    entry: Decimal
    margin_at_stake: Decimal  # after costs, with the fee to close held in it
    bands: tuple[Band, ...]  # shifted by the fee to close counted in maintenance
    constant_maintenance: Decimal | None


def open_futures(
    *,
    position: Position,
    rules: Rules,
    entry: Decimal,
    coin: bool,
    book: Callable[[FuturesTerms], AffineBook | InverseBook],
) -> Opened:
    """A linear (`coin` False) or inverse (`coin` True) position sized from its inputs, its
    costs taken from the margin and the fee to close reserved; `book` is the contract's own
    equity and maintenance as functions of price."""
    sign = 1 if position.side == Side.LONG else -1
    per_unit = ONE / entry if coin else entry
    cross = position.margin_mode == MarginMode.CROSS
    stated_leverage: Decimal | None
    if cross:
        size, margin, stated_leverage, _wallet = cross_size(
            position=position, per_unit=per_unit, rules=rules
        )
    else:
        size, margin, stated_leverage = size_from_two(position=position, per_unit=per_unit)
    value = size / entry if coin else size * entry
    bands = bands_for(rules=maintenance_rules(rules, cross=cross))

    open_fee, funding, margin_at_stake = margin_after_costs(
        position=position, rules=rules, sign=sign, margin=margin, notional=value
    )
    entry_index, constant = entry_maintenance(rules=rules, bands=bands, notional=value)
    # the fee to close at the bankruptcy price: held in an isolated margin (Bybit, Phemex; a
    # cross wallet holds it already) and/or counted in maintenance (Bybit)
    reserve = close_fee_reserve(rules=rules, sign=sign, value=value, margin=margin, coin=coin)
    held = reserve if rules.close_fee_reserved and not cross else ZERO
    margin_at_stake += held
    in_maintenance = reserve if rules.close_fee_in_maintenance else ZERO
    if constant is not None:
        constant += in_maintenance
    terms = FuturesTerms(
        sign=sign,
        size=size,
        value=value,
        entry=entry,
        margin_at_stake=margin_at_stake,
        bands=shifted_bands(bands, in_maintenance),
        constant_maintenance=constant,
    )
    leverage, initial = leverage_and_initial(
        cross=cross, value=value, margin=margin, stated_leverage=stated_leverage
    )
    return Opened(
        book=book(terms),
        bands=bands,
        # inverse: the USD face value
        notional=size if coin else value,
        leverage=leverage,
        initial_margin=initial,
        deposit=margin + held,
        close_fee_reserve=reserve if held or in_maintenance else ZERO,
        close_fee_held=held,
        margin=margin_at_stake,
        open_fee=open_fee,
        funding_paid=funding,
        margin_currency="coin" if coin else "quote",
        # linear: a fee on Q·P; inverse: a fee of rate × N/P coin is worth rate × N in USD
        # whatever the price
        closing_fixed=size if coin else ZERO,
        closing_per_price=ZERO if coin else size,
        closing_fee_rate=rules.taker_fee,
        liquidation_fee_rate=rules.liquidation_fee,
        max_leverage=bands[entry_index][4],
    )
