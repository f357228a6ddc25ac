"""Inverse (coin-margined) contracts: size N is a USD face value, margin M is in coin.

equity in coin = M + s·N·(1/E − 1/P); in USD it is that times P (docs/design.md). Maintenance in
coin = (N/P)·mmr − cum on the mark basis (Binance COIN-M FAQ), (N/E)·mmr − cum on the entry
basis (Bybit, "Liquidation Price Calculation under Isolated Mode": Position Value = Contract
Quantity / Average Entry Price). Tier brackets are position values in coin.
"""

from __future__ import annotations

from decimal import Decimal

from .book import InverseBook
from .opening import (
    Opened,
    close_fee_reserve,
    cross_size,
    entry_maintenance,
    leverage_and_initial,
    maintenance_rules,
    margin_after_costs,
    shifted_bands,
    size_from_two,
)
from .tiers import bands_for
from .types import ZERO, MarginMode, Position, Rules, Side

ONE = Decimal(1)


def open_inverse(*, position: Position, rules: Rules, entry: Decimal) -> Opened:
    sign = 1 if position.side == Side.LONG else -1
    per_unit = ONE / entry
    cross = position.margin_mode == MarginMode.CROSS
    if cross:
        face, margin, stated_leverage, _wallet = cross_size(
            position=position, per_unit=per_unit, rules=rules
        )
    else:
        face, margin, stated_leverage = size_from_two(position=position, per_unit=per_unit)
    value_in_coin = face / entry
    bands = bands_for(rules=maintenance_rules(rules, cross=cross))

    open_fee, funding, margin_at_stake = margin_after_costs(
        position=position, rules=rules, sign=sign, margin=margin, notional=value_in_coin
    )
    entry_index, constant = entry_maintenance(rules=rules, bands=bands, notional=value_in_coin)
    # the fee to close at the bankruptcy price: held in an isolated margin (Bybit, Phemex; a
    # cross wallet holds it already) and/or counted in maintenance (Bybit)
    reserve = close_fee_reserve(
        rules=rules, sign=sign, value=value_in_coin, margin=margin, coin=True
    )
    held = reserve if rules.close_fee_reserved and not cross else ZERO
    margin_at_stake += held
    in_maintenance = reserve if rules.close_fee_in_maintenance else ZERO
    if constant is not None:
        constant += in_maintenance

    book = InverseBook(
        c0=margin_at_stake + sign * value_in_coin,
        face=face,
        sign=sign,
        entry_price=entry,
        bands=shifted_bands(bands, in_maintenance),
        constant_maintenance=constant,
    )
    leverage, initial = leverage_and_initial(
        cross=cross, value=value_in_coin, margin=margin, stated_leverage=stated_leverage
    )
    return Opened(
        book=book,
        bands=bands,
        notional=face,
        leverage=leverage,
        initial_margin=initial,
        deposit=margin + held,
        close_fee_reserve=reserve if held or in_maintenance else ZERO,
        close_fee_held=held,
        margin=margin_at_stake,
        open_fee=open_fee,
        funding_paid=funding,
        margin_currency="coin",
        # a fee of rate × N/P coin is worth rate × N in USD whatever the price
        closing_fixed=face,
        closing_fee_rate=rules.taker_fee,
        liquidation_fee_rate=rules.liquidation_fee,
        max_leverage=bands[entry_index][4],
    )
