"""Linear (USDT/USDC-margined) futures and perpetuals.

equity(P) = M + s·Q·(P − E); maintenance(P) = Q·P·mmr − cum (docs/design.md, Binance USDⓈ-M FAQ);
with the entry basis (Bybit's examples) maintenance = Q·E·mmr − cum, a constant.
"""

from __future__ import annotations

from decimal import Decimal

from .book import AffineBook
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


def open_linear(*, position: Position, rules: Rules, entry: Decimal) -> Opened:
    sign = 1 if position.side == Side.LONG else -1
    stated_leverage = None
    cross = position.margin_mode == MarginMode.CROSS
    if cross:
        quantity, margin, stated_leverage, _wallet = cross_size(
            position=position, per_unit=entry, rules=rules
        )
    else:
        quantity, margin, stated_leverage = size_from_two(position=position, per_unit=entry)
    notional = quantity * entry
    bands = bands_for(rules=maintenance_rules(rules, cross=cross))

    open_fee, funding, margin_at_stake = margin_after_costs(
        position=position, rules=rules, sign=sign, margin=margin, notional=notional
    )
    entry_index, constant = entry_maintenance(rules=rules, bands=bands, notional=notional)
    # the fee to close at the bankruptcy price: held in an isolated margin (Bybit, Phemex; a
    # cross wallet holds it already) and/or counted in maintenance (Bybit)
    reserve = close_fee_reserve(rules=rules, sign=sign, value=notional, margin=margin)
    held = reserve if rules.close_fee_reserved and not cross else ZERO
    margin_at_stake += held
    in_maintenance = reserve if rules.close_fee_in_maintenance else ZERO
    if constant is not None:
        constant += in_maintenance

    book = AffineBook(
        a=margin_at_stake - sign * quantity * entry,
        b=sign * quantity,
        entry_price=entry,
        bands=shifted_bands(bands, in_maintenance),
        constant_maintenance=constant,
    )
    leverage, initial = leverage_and_initial(
        cross=cross, value=notional, margin=margin, stated_leverage=stated_leverage
    )
    return Opened(
        book=book,
        bands=bands,
        notional=notional,
        leverage=leverage,
        initial_margin=initial,
        deposit=margin + held,
        close_fee_reserve=reserve if held or in_maintenance else ZERO,
        close_fee_held=held,
        margin=margin_at_stake,
        open_fee=open_fee,
        funding_paid=funding,
        closing_per_price=quantity,
        closing_fee_rate=rules.taker_fee,
        liquidation_fee_rate=rules.liquidation_fee,
        max_leverage=bands[entry_index][4],
    )
