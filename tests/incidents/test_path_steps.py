"""Partial liquidation along a crash's path: the engine's steps at the first touch, then the
surviving remainder walked on to its next liquidation price (engine.path.stepped_walk, read
by incidents.replay.walk_path for the incident page and /api/v1/stress alike)."""

from decimal import Decimal as D
from decimal import localcontext

import pytest
from django.core.management import call_command
from django.utils.html import escape
from hypothesis import assume, given
from hypothesis import strategies as st

from engine import (
    Contract,
    EngineInputError,
    Position,
    Rules,
    Scenario,
    Side,
    Tier,
    evaluate,
    maintenance_amounts_from_rates,
)
from engine.numbers import CONTEXT
from engine.path import PathPoint, first_crossing, scaled, stepped_walk
from incidents.replay import kept_after_steps

TIERS = maintenance_amounts_from_rates(
    tiers=(
        Tier(D(0), D(50_000), D("0.004"), max_leverage=D(125)),
        Tier(D(50_000), D(250_000), D("0.005"), max_leverage=D(100)),
        Tier(D(250_000), D(1_000_000), D("0.01"), max_leverage=D(50)),
        Tier(D(1_000_000), D(5_000_000), D("0.025"), max_leverage=D(20)),
        Tier(D(5_000_000), None, D("0.05"), max_leverage=D(10)),
    )
)
# relative prices after the entry (1): a crash's shape, scaled to the entry
moves = st.lists(
    st.tuples(
        st.decimals(min_value=D("0.3"), max_value=D("3"), places=3),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


def _setup(side, entry, size, leverage, fee_rate, settles):
    rules = Rules(
        tiers=TIERS,
        partial_liquidation=True,
        liquidation_fee=fee_rate,
        settles_at_bankruptcy=settles,
    )
    position = Position(
        contract=Contract.LINEAR, side=side, entry_price=entry, quantity=size, leverage=leverage
    )
    try:
        evaluation = evaluate(position=position, rules=rules)
    except EngineInputError:
        assume(False)
        raise
    assume(evaluation.liquidation_price is not None and evaluation.liquidation_price > 0)
    return rules, position, evaluation


@given(
    st.sampled_from([Side.LONG, Side.SHORT]),
    st.decimals(min_value=D(1000), max_value=D(100_000), places=0),
    st.decimals(min_value=D("0.5"), max_value=D(500), places=2),
    st.decimals(min_value=D(5), max_value=D(100), places=0),
    st.decimals(min_value=D(0), max_value=D("0.01"), places=4),
    st.booleans(),
    moves,
)
def test_steps_lose_nothing_and_never_do_worse_at_the_first_touch(
    side, entry, size, leverage, fee_rate, settles, shape
):
    rules, position, evaluation = _setup(side, entry, size, leverage, fee_rate, settles)
    published = [PathPoint(D(0), D(1))] + [
        PathPoint(D(minute + 1), price, gap) for minute, (price, gap) in enumerate(shape)
    ]
    points = scaled(published, entry)
    level = evaluation.liquidation_price
    walk = stepped_walk(opened=evaluation.opened, side=side, points=points, level=level)
    assume(walk is not None)

    # nothing lost: what was closed and what is still open make the position
    with localcontext(CONTEXT):
        total = sum((close.quantity for close in walk.closes), walk.remainder)
    assert abs(total - size) <= size * D("1e-30")
    assert all(close.quantity > 0 and close.fee >= 0 for close in walk.closes)
    minutes = [close.minute for close in walk.closes]
    assert minutes == sorted(minutes)

    # Never worse than the full close at the first touch, for a path that goes no further
    # against the position than that touch: there the steps close the same quantity at the
    # same price and pay the fee only on what they close. On a path that keeps going, the
    # remainder can be worse off than a full close (it stays exposed and is closed later, further
    # down: the Binance test below shows it on a real crash), so the comparison is made on the
    # path cut at the first touch.
    crossing = first_crossing(points=points, side=side, level=level)
    assert crossing is not None and not crossing.in_gap
    cut = [*points[: max(crossing.segment, 1)], PathPoint(crossing.minute, crossing.fill_price)]
    at_touch = stepped_walk(opened=evaluation.opened, side=side, points=cut, level=level)
    assert at_touch is not None
    full = evaluate(
        position=position, rules=rules, scenario=Scenario(fill_price=crossing.fill_price)
    ).outcome
    tolerance = size * entry * D("1e-20")
    assert kept_after_steps(at_touch, rules) >= full.trader_result - tolerance


LARGE_LONG = {
    "platform": "binance",
    "side": "long",
    "entry_price": "50000",
    "margin": "100000",
    "leverage": "10",
    "compare": ["bybit", "bitmex"],
}


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


@pytest.mark.django_db
def test_a_large_binance_long_is_cut_down_its_tiers_on_binance_may_2020(client, incidents):
    # The seeded default (1,000 margin at 10x, 10,000 notional) sits in Binance's first tier,
    # where the engine gives no steps: a million dollars of notional crosses its tiers.
    response = client.get("/incidents/binance-may-2020/", LARGE_LONG)
    assert response.status_code == 200
    binance = response.context["walked"].rows[0]
    assert binance.slug == "binance" and binance.partial_liquidation
    walk = binance.stepped
    assert walk is not None and len(walk.closes) > 1
    assert walk.closes[0].partial and walk.remainder == 0
    # the later closes are further down the path, where the remainder's next price is reached
    fills = [close.price for close in walk.closes]
    assert fills == sorted(fills, reverse=True) and fills[-1] < fills[0]
    # 100,000 margin at 10x from 50,000: 20 BTC, all of it closed over the steps
    with localcontext(CONTEXT):
        assert abs(sum(close.quantity for close in walk.closes) - 20) < D("1e-30")
    # steps modelled: the upper-bound note goes, each close and the result are on the card
    assert not binance.partial_note
    html = response.content.decode()
    assert "Closed in steps" in html
    for close in binance.closes:
        assert close.when in html
    # Bybit's seeded profile has a single tier without a market's table: no steps from the
    # engine, so its close stays the full close at the first touch, with the upper-bound note
    bybit = response.context["walked"].rows[1]
    assert bybit.slug == "bybit" and bybit.partial_liquidation and bybit.liquidated
    assert bybit.stepped is None and bybit.closes == [] and bybit.partial_note
    assert escape(bybit.partial_note) in html
    # the remainder stayed exposed while the crash went on: here it ends with less than a full
    # close at the first touch would have left (the property above says why this can happen)
    assert binance.stepped_result < binance.evaluation.outcome.trader_result
