"""The liquidation engine's pace on a crash's path (engine.path.engine_crossing): where a source
says the engine was stalled, a liquidation the path reaches meanwhile is filled when the engine
acts again, at the path's price then."""

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from engine import EngineInputError, Side
from engine.path import PathPoint, Stall, _beyond, engine_crossing, first_crossing, price_at

prices = st.decimals(min_value=D("0.2"), max_value=D(5), places=3)
paths = st.lists(st.tuples(prices, st.booleans()), min_size=1, max_size=8).map(
    lambda shape: (
        [PathPoint(D(0), D(1))]
        + [PathPoint(D(10 * (i + 1)), price, gap) for i, (price, gap) in enumerate(shape)]
    )
)
stalls = st.lists(
    st.tuples(
        st.decimals(min_value=D(0), max_value=D(90), places=1),
        st.decimals(min_value=D("0.5"), max_value=D(40), places=1),
    ),
    max_size=3,
).map(lambda pairs: [Stall(start, start + length) for start, length in pairs])


@given(
    paths,
    st.sampled_from([Side.LONG, Side.SHORT]),
    st.decimals(min_value=D("0.3"), max_value=D(3), places=3),
    stalls,
)
def test_a_stalled_engine_acts_when_it_returns_at_the_price_then(points, side, level, stalled):
    plain = first_crossing(points=points, side=side, level=level)
    found = engine_crossing(points=points, side=side, level=level, stalls=stalled)
    assert engine_crossing(points=points, side=side, level=level) == plain
    if found is None:
        return
    assert plain is not None and found.minute >= plain.minute
    # it never acts while stalled, and fills at the path's price when it does
    assert not any(s.start <= found.minute < s.end for s in stalled)
    assert found.fill_price.is_finite() and found.fill_price > 0
    assert _beyond(side, found.fill_price, level)
    if found.delayed:
        assert found.fill_price == price_at(points, found.minute)
        assert any(s.end == found.minute for s in stalled)
    elif not found.in_gap and found.segment > 0:
        assert found.fill_price == level  # on a straight stretch, at its own price
    # the segment ends at or after the moment it acts
    assert points[found.segment].minute >= found.minute
    assert found.segment == 0 or points[found.segment - 1].minute <= found.minute


@given(paths, st.sampled_from([Side.LONG, Side.SHORT]), st.decimals(D("0.3"), D(3), places=3))
def test_a_stall_away_from_the_crossing_changes_nothing(points, side, level):
    plain = first_crossing(points=points, side=side, level=level)
    assume(plain is not None and plain.minute > 1)
    before = Stall(D(0), plain.minute / 2)
    after = Stall(plain.minute + 1, plain.minute + 5)
    assert engine_crossing(points=points, side=side, level=level, stalls=[before, after]) == plain


def test_a_long_liquidated_during_a_stall_fills_lower_when_the_engine_returns():
    # 100 → 80 over 20 minutes, then 60 at minute 40: the level 90 is reached at minute 10;
    # the engine is stalled from 5 to 30 and acts at minute 30, where the path is at 70
    points = [PathPoint(D(0), D(100)), PathPoint(D(20), D(80)), PathPoint(D(40), D(60))]
    found = engine_crossing(points=points, side=Side.LONG, level=D(90), stalls=[Stall(D(5), D(30))])
    assert found is not None and found.delayed
    assert (found.minute, found.fill_price, found.segment) == (D(30), D(70), 2)
    # a bounce above the level by then: liquidated at the next crossing, where it happens
    bounce = [*points[:2], PathPoint(D(30), D(95)), PathPoint(D(40), D(85))]
    later = engine_crossing(points=bounce, side=Side.LONG, level=D(90), stalls=[Stall(D(5), D(30))])
    assert later is not None and not later.delayed
    assert (later.minute, later.fill_price, later.segment) == (D(35), D(90), 3)
    # still stalled when the path ends: no known fill
    assert (
        engine_crossing(points=points, side=Side.LONG, level=D(90), stalls=[Stall(D(5), D(60))])
        is None
    )


def test_a_stall_that_ends_before_it_starts_is_refused():
    points = [PathPoint(D(0), D(100)), PathPoint(D(20), D(80))]
    with pytest.raises(EngineInputError):
        engine_crossing(points=points, side=Side.LONG, level=D(90), stalls=[Stall(D(5), D(5))])
