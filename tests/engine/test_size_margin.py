"""Maintenance that grows with size (Deribit: "1% + (PositionSize in BTC) * 0.005%").

Deribit support, "11 January 2022" (https://support.deribit.com/hc/en-us/articles/25944826427293):
"BTC Maintenance Margin | 1%+ (PositionSize in BTC) * 0.005%"; Linear Perpetual page: "Position
size 0 | 1% + 0 = 1%".
"""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import (
    Contract,
    EngineInputError,
    Position,
    Rules,
    Side,
    Tier,
    evaluate,
    position_size_in_coins,
    size_dependent_rate,
    with_size_dependent_maintenance,
)

BASE = D("0.01")
PER_BTC = D("0.00005")
sizes = st.decimals(min_value=0, max_value=19_000, places=4)
bases = st.decimals(min_value=0, max_value=D("0.5"), places=4)
per_coin = st.decimals(min_value=0, max_value=D("0.001"), places=6)


def test_deribits_published_examples():
    assert size_dependent_rate(base_rate=BASE, rate_per_coin=PER_BTC, size_in_coins=D(0)) == D(
        "0.01"
    )
    assert size_dependent_rate(base_rate=BASE, rate_per_coin=PER_BTC, size_in_coins=D(1)) == D(
        "0.01005"
    )
    assert size_dependent_rate(base_rate=BASE, rate_per_coin=PER_BTC, size_in_coins=D(100)) == D(
        "0.015"
    )


@given(bases, per_coin, sizes, sizes)
def test_a_larger_position_never_needs_a_lower_rate(base, rate, a, b):
    small, large = sorted((a, b))
    try:
        high = size_dependent_rate(base_rate=base, rate_per_coin=rate, size_in_coins=large)
    except EngineInputError:
        return
    low = size_dependent_rate(base_rate=base, rate_per_coin=rate, size_in_coins=small)
    assert base <= low <= high < 1


@given(bases, per_coin, sizes)
def test_a_short_counts_like_a_long(base, rate, size):
    try:
        long = size_dependent_rate(base_rate=base, rate_per_coin=rate, size_in_coins=size)
    except EngineInputError:
        return
    assert size_dependent_rate(base_rate=base, rate_per_coin=rate, size_in_coins=-size) == long


@given(bases, per_coin, sizes)
def test_a_rule_past_100_percent_is_a_field_error_never_a_rate(base, rate, size):
    if base + rate * size >= 1:
        with pytest.raises(EngineInputError) as error:
            size_dependent_rate(base_rate=base, rate_per_coin=rate, size_in_coins=size)
        assert error.value.field == "quantity"
    else:
        assert size_dependent_rate(base_rate=base, rate_per_coin=rate, size_in_coins=size) < 1


@given(
    st.decimals(min_value=D("0.01"), max_value=500, places=2),
    st.decimals(min_value=1000, max_value=200_000, places=0),
    st.sampled_from([Side.LONG, Side.SHORT]),
)
def test_the_engine_uses_the_rate_of_the_positions_own_size(quantity, entry, side):
    position = Position(
        contract=Contract.LINEAR, side=side, entry_price=entry, quantity=quantity, leverage=D(20)
    )
    tiers = (Tier(D(0), None, D("0.004")),)
    size = position_size_in_coins(position)
    assert size == quantity
    rules = with_size_dependent_maintenance(
        Rules(tiers=tiers), base_rate=BASE, rate_per_coin=PER_BTC, size_in_coins=size
    )
    evaluation = evaluate(position=position, rules=rules)
    assert evaluation.maintenance_margin_rate == BASE + PER_BTC * quantity
    # a bigger position at the same leverage is liquidated no later (closer to entry)
    bigger = Position(
        contract=Contract.LINEAR,
        side=side,
        entry_price=entry,
        quantity=quantity * 2,
        leverage=D(20),
    )
    bigger_rules = with_size_dependent_maintenance(
        Rules(), base_rate=BASE, rate_per_coin=PER_BTC, size_in_coins=quantity * 2
    )
    big = evaluate(position=bigger, rules=bigger_rules)
    if evaluation.liquidation_price is not None and big.liquidation_price is not None:
        if side is Side.LONG:
            assert big.liquidation_price >= evaluation.liquidation_price
        else:
            assert big.liquidation_price <= evaluation.liquidation_price


def test_an_inverse_position_counts_its_coins_at_entry():
    position = Position(
        contract=Contract.INVERSE,
        side=Side.LONG,
        entry_price=D(50_000),
        quantity=D(5_000_000),
        leverage=D(10),
    )
    assert position_size_in_coins(position) == D(100)
    by_margin = Position(
        contract=Contract.INVERSE,
        side=Side.LONG,
        entry_price=D(50_000),
        margin=D(10),
        leverage=D(10),
    )
    assert position_size_in_coins(by_margin) == D(100)
