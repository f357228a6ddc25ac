"""engine/path.py: where a published price path first reaches a level, and what fills there."""

from decimal import Decimal, localcontext

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from engine import (
    CONTEXT,
    Contract,
    CoverageStep,
    EngineInputError,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    evaluate,
)
from engine.path import PathPoint, first_crossing, scaled, worst_price

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(200000), places=2)


@st.composite
def paths(draw):
    count = draw(st.integers(min_value=2, max_value=8))
    minutes = sorted(draw(st.lists(st.integers(0, 5000), min_size=count, max_size=count)))
    return [
        PathPoint(Decimal(minute), draw(prices), draw(st.booleans()) if index else False)
        for index, minute in enumerate(minutes)
    ]


@given(paths(), prices, st.sampled_from([Side.LONG, Side.SHORT]))
def test_a_fill_is_never_better_than_the_level_and_lies_on_the_path(points, level, side):
    crossing = first_crossing(points=points, side=side, level=level)
    if crossing is None:
        # never reached: every published price stays on the position's side of the level
        for point in points:
            assert (point.price > level) if side == Side.LONG else (point.price < level)
        return
    if side == Side.LONG:
        assert crossing.fill_price <= level
    else:
        assert crossing.fill_price >= level
    start = points[max(crossing.segment - 1, 0)].minute
    assert start <= crossing.minute <= points[crossing.segment].minute
    # nothing is reached before the crossing's segment
    for point in points[: crossing.segment]:
        assert (point.price > level) if side == Side.LONG else (point.price < level)
    # on a straight stretch the fill is the level itself, where the path was then
    if not crossing.in_gap and crossing.segment > 0:
        assert crossing.fill_price == level


@given(paths(), prices)
def test_scaling_keeps_every_move_and_the_worst_price(points, entry):
    moved = scaled(points, entry)
    assert moved[0].price == entry
    for before, after in zip(points, moved, strict=True):
        assert after.minute == before.minute and after.gap == before.gap
        assert abs(after.price / entry - before.price / points[0].price) < Decimal("1e-30")
    low = worst_price(moved, Side.LONG)
    assert low == min(p.price for p in moved)


def test_binance_may_2020_fills_at_the_level_not_the_bottom():
    # Brave New Coin: "from US$9535 to a low of US$8100 over the course of a single hourly
    # candle"; a long liquidated at 9,000 on the way down fills at 9,000, not at 8,100.
    points = [PathPoint(Decimal(0), Decimal(9535)), PathPoint(Decimal(10), Decimal(8100))]
    crossing = first_crossing(points=points, side=Side.LONG, level=Decimal(9000))
    assert crossing is not None and crossing.fill_price == Decimal(9000)
    assert not crossing.in_gap and crossing.interpolated
    assert crossing.minute == pytest.approx(Decimal("3.728"), abs=Decimal("0.001"))


def test_a_jump_fills_at_the_first_price_after_it():
    # EUR/CHF, 15 January 2015: 1.20 to about 0.85 with no trading on the way
    points = [PathPoint(Decimal(0), Decimal("1.20")), PathPoint(Decimal(5), Decimal("0.85"), True)]
    crossing = first_crossing(points=points, side=Side.LONG, level=Decimal("1.10"))
    assert crossing is not None and crossing.in_gap
    assert crossing.fill_price == Decimal("0.85") and crossing.minute == 5


def test_a_short_is_reached_by_a_rise():
    points = [PathPoint(Decimal(0), Decimal("0.02")), PathPoint(Decimal(10), Decimal("0.91"))]
    assert first_crossing(points=points, side=Side.LONG, level=Decimal("0.01")) is None
    crossing = first_crossing(points=points, side=Side.SHORT, level=Decimal("0.03"))
    assert crossing is not None and crossing.fill_price == Decimal("0.03")


@pytest.mark.parametrize(
    "points",
    [
        [PathPoint(Decimal(0), Decimal(1))],
        [PathPoint(Decimal(0), Decimal(1)), PathPoint(Decimal(-1), Decimal(2))],
        [PathPoint(Decimal(5), Decimal(1)), PathPoint(Decimal(1), Decimal(2))],
        [PathPoint(Decimal(0), Decimal(0)), PathPoint(Decimal(1), Decimal(2))],
        [PathPoint(Decimal(0), Decimal("NaN")), PathPoint(Decimal(1), Decimal(2))],
    ],
)
def test_a_bad_path_is_refused_with_a_message(points):
    with pytest.raises(EngineInputError):
        first_crossing(points=points, side=Side.LONG, level=Decimal(1))


# --- the path walked with the engine: what a platform that liquidates on the way fills at ------


moves = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal("0.05"), max_value=Decimal("3"), places=3),
        st.booleans(),
    ),
    min_size=1,
    max_size=5,
)


@given(
    st.sampled_from([Side.LONG, Side.SHORT]),
    st.decimals(min_value=Decimal("1.5"), max_value=Decimal(100), places=1),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("0.05"), places=3),
    moves,
)
# a long liquidated on a steady 50% fall, then one caught in a 50% jump (a deficit to split)
@example(Side.LONG, Decimal(10), Decimal("0.005"), [(Decimal("0.5"), False)])
@example(Side.LONG, Decimal(10), Decimal("0.005"), [(Decimal("0.5"), True)])
@example(Side.SHORT, Decimal(20), Decimal("0.01"), [(Decimal("1.5"), True)])
def test_nothing_is_lost_along_a_path_and_a_smooth_path_leaves_no_deficit(
    side, leverage, rate, steps
):
    """Walk a linear position along a path of relative moves: where it is liquidated on a straight
    stretch it fills at its liquidation price and owes nothing; after a jump the parts of any
    deficit add up to it exactly (docs/design.md, "Who pays a deficit": nothing is lost)."""
    entry = Decimal(50000)
    position = Position(
        contract=Contract.LINEAR,
        side=side,
        entry_price=entry,
        margin=Decimal(1000),
        leverage=leverage,
    )
    rules = Rules(
        maintenance_margin_rate=rate,
        waterfall=(
            CoverageStep(Party.INSURANCE_FUND, Decimal(500)),
            CoverageStep(Party.TRADER_DEBT),
        ),
    )
    points = [PathPoint(Decimal(0), entry)] + [
        PathPoint(Decimal(10 * (i + 1)), entry * move, gap) for i, (move, gap) in enumerate(steps)
    ]
    opened = evaluate(position=position, rules=rules)
    level = opened.liquidation_price
    if level is None or level <= 0:
        return
    crossing = first_crossing(points=points, side=side, level=level)
    if crossing is None:
        return
    outcome = evaluate(
        position=position, rules=rules, scenario=Scenario(fill_price=crossing.fill_price)
    ).outcome
    assert outcome is not None and outcome.liquidated
    with localcontext(CONTEXT):
        assert sum((part.amount for part in outcome.coverage), Decimal(0)) == outcome.deficit
    if not crossing.in_gap:
        assert outcome.deficit == 0
    elif abs(crossing.fill_price - entry) > abs(opened.bankruptcy_price - entry):
        assert outcome.deficit > 0  # the jump landed past bankruptcy: someone pays
