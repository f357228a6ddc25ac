"""Partial liquidation along a crash's path: the engine's steps at the first touch, then the
surviving remainder walked on to its next liquidation price (engine.path.stepped_walk, read
by incidents.replay.walk_path for the incident page and /api/v1/stress alike)."""

import json
from decimal import Decimal as D
from decimal import localcontext

import pytest
from django.core.management import call_command
from django.utils.html import escape
from hypothesis import assume, given
from hypothesis import strategies as st

from engine import (
    Contract,
    CoverageStep,
    EngineInputError,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    Tier,
    evaluate,
    maintenance_amounts_from_rates,
)
from engine.numbers import CONTEXT
from engine.path import (
    PathPoint,
    first_crossing,
    remainder_at,
    scaled,
    settle_walk,
    stepped_walk,
)

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
    kept = settle_walk(
        at_touch,
        waterfall=rules.waterfall,
        negative_balance_protection=rules.negative_balance_protection,
        settles_at_bankruptcy=rules.settles_at_bankruptcy,
    ).trader_result
    assert kept >= full.trader_result - tolerance


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


@given(
    st.sampled_from([Side.LONG, Side.SHORT]),
    st.decimals(min_value=D(1000), max_value=D(100_000), places=0),
    st.decimals(min_value=D("0.5"), max_value=D(500), places=2),
    st.decimals(min_value=D(5), max_value=D(100), places=0),
    st.decimals(min_value=D(0), max_value=D("0.01"), places=4),
    st.booleans(),
    moves,
    st.one_of(st.none(), st.decimals(min_value=D(0), max_value=D(10**7), places=2)),
    st.booleans(),
)
def test_the_walk_accounts_for_every_unit_and_every_dollar_to_its_end(
    side, entry, size, leverage, fee_rate, settles, shape, fund, protected
):
    """Nothing lost along the whole path: each unit is closed at its own fill or still open at
    the end, the money is the opening equity plus each fill's PnL less each fee, the equity at
    every published point follows what is left open, and the end is settled exactly over the
    waterfall (ADL after the insurance fund). Every number is finite."""
    _rules, _position, evaluation = _setup(side, entry, size, leverage, fee_rate, settles)
    published = [PathPoint(D(0), D(1))] + [
        PathPoint(D(minute + 1), price, gap) for minute, (price, gap) in enumerate(shape)
    ]
    points = scaled(published, entry)
    walk = stepped_walk(
        opened=evaluation.opened, side=side, points=points, level=evaluation.liquidation_price
    )
    assume(walk is not None)
    sign = 1 if side == Side.LONG else -1
    book = evaluation.opened.book
    numbers = [walk.equity, walk.remainder, walk.price]
    for close in walk.closes:
        numbers += [close.minute, close.price, close.quantity, close.fee]
        numbers += [close.quantity_after, close.equity_after]
    assert all(n.is_finite() for n in numbers)
    with localcontext(CONTEXT):
        # every unit: closed at its fill, or open and marked at the path's end
        money = book.a + sign * walk.remainder * walk.price
        for close in walk.closes:
            money += sign * close.quantity * close.price - close.fee
        assert abs(money - walk.equity) <= size * entry * D("1e-25")
        # each close leaves what the earlier ones did not take
        left = size
        for close in walk.closes:
            left -= close.quantity
            assert abs(left - close.quantity_after) <= size * D("1e-30")
        assert abs(left - walk.remainder) <= size * D("1e-30")
    # the equity at each published point after the first close is what is left open, marked
    for point in points:
        state = remainder_at(walk, side, point.minute, point.price)
        if state is None:
            assert point.minute < walk.closes[0].minute
            continue
        assert state.equity.is_finite() and D(0) <= state.quantity <= size
        if state.quantity:
            assert point.minute < walk.closes[-1].minute or walk.remainder > 0
    # the end, settled: the parts add up to the deficit, exactly
    waterfall = (
        CoverageStep(Party.REMAINING_MARGIN),
        CoverageStep(Party.INSURANCE_FUND, fund),
        CoverageStep(Party.AUTO_DELEVERAGING),
    )
    settled = settle_walk(
        walk,
        waterfall=waterfall if fund is not None else (),
        negative_balance_protection=protected,
        settles_at_bankruptcy=settles,
    )
    with localcontext(CONTEXT):
        assert sum((part.amount for part in settled.coverage), D(0)) == settled.deficit
    assert all(part.amount >= 0 for part in settled.coverage)
    assert settled.trader_result.is_finite() and settled.trader_owes >= 0
    if walk.remainder > 0:
        assert settled.still_open and settled.trader_result == walk.equity
    else:
        assert settled.deficit == max(-walk.equity, D(0))
        if fund is not None or protected:
            assert settled.trader_owes == 0  # ADL, or the platform's promise, takes the rest
        if settles and walk.equity > 0:
            assert settled.trader_result == 0 and settled.to_insurance_fund == walk.equity


@pytest.mark.django_db
def test_the_replay_follows_what_is_left_open_after_a_partial_close(client, incidents):
    """A crash that cuts a large long down its tiers, bounces, then falls again: the page's
    equity at the bounce is what was left open, the chart shows every close, the remainder's
    liquidation price and the steps' end with who pays, and the API says the same."""
    from api.serializers import decimal_str
    from calculator.formatting import money
    from incidents.models import Incident, PricePoint

    incident = Incident.objects.get(slug="binance-may-2020")
    _first, low = incident.path.all()
    low.price, low.minute = D(8600), D(5)
    low.save()
    PricePoint.objects.create(incident=incident, order=low.order + 1, minute=10, price=9000)
    PricePoint.objects.create(incident=incident, order=low.order + 2, minute=20, price=7000)
    query = {k: v for k, v in LARGE_LONG.items() if k != "compare"}
    response = client.get(f"/incidents/{incident.slug}/", query)
    assert response.status_code == 200
    walked = response.context["walked"]
    binance = walked.rows[0]
    walk = binance.stepped
    assert walk is not None and walk.remainder == 0
    # cut twice at the first touch (minute 4.9), the rest closed on the second fall (minute 12)
    assert [close.partial for close in walk.closes] == [True, True, False]
    assert walk.closes[-1].minute > 10
    # the equity at each published point: the whole position, then what is left open, marked
    # at the low and at the bounce, then nothing once the last part is closed
    equities = [step.equity for step in walked.steps]
    assert equities[0] == 100000 and equities[-1] is None
    for step in walked.steps[1:3]:
        left = remainder_at(walk, Side.LONG, step.point.minute, step.point.price)
        assert left is not None and left.quantity == walk.closes[1].quantity_after
        assert step.equity == left.equity
    assert equities[2] > equities[1] > 0  # the bounce lifts what is left open
    # the chart: every close, the remainder's liquidation price, the steps' end
    figure = json.loads(response.context["figures_json"])["path"]
    traces = {trace["name"].replace("<br>", " "): trace for trace in figure["data"]}
    closes = next(t for name, t in traces.items() if name.startswith("Closed in steps on"))
    assert len(closes["x"]) == 3 and closes["x"][-1] == float(walk.closes[-1].minute)
    level = next(t for name, t in traces.items() if name.startswith("Liquidation price of what"))
    assert level["y"][0] == pytest.approx(float(walk.closes[0].next_liquidation) * 9535 / 50000)
    end = next(t for name, t in traces.items() if "after its closes in steps" in name)
    assert end["x"] == [float(walk.closes[-1].minute)]
    html = response.content.decode()
    assert "after its closes in steps, you keep" in html  # the chart's summary
    assert "With the steps, who pays the deficit" in html
    assert "nobody: the steps leave no deficit" in html
    # the table under the chart: the bounce's equity, not "closed"
    assert money(equities[2]) in html
    # the API walks the same: each close with what it leaves, and the steps' end settled
    body = client.get("/api/v1/stress", {**query, "incident": incident.slug}).json()
    api = body["path"]["platforms"][0]
    assert [c["open_after"] for c in api["closes"]] == [
        decimal_str(close.quantity_after) for close in walk.closes
    ]
    assert api["closes"][-1]["next_liquidation_price"] is None
    assert api["deficit_with_steps"] == "0" and api["who_pays_with_steps"] == []
    assert [p["equity"] for p in body["path"]["points"]] == [decimal_str(e) for e in equities]


@pytest.mark.django_db
def test_steps_that_end_in_a_jump_leave_a_deficit_that_the_waterfall_pays(client, incidents):
    """A first touch cut down the tiers on a straight stretch, then a jump with no trading
    through the remainder's next price: the rest is closed after the jump, past bankruptcy.
    With the insurance fund marked empty, Binance's waterfall sends the deficit to ADL: the
    card, the chart and the API name it."""
    from api.serializers import decimal_str
    from calculator.formatting import money
    from engine import Party
    from incidents.models import Incident, PricePoint

    incident = Incident.objects.get(slug="binance-may-2020")
    _first, low = incident.path.all()
    low.price, low.minute = D(8600), D(5)
    low.save()
    PricePoint.objects.create(
        incident=incident, order=low.order + 1, minute=6, price=6000, gap=True
    )
    query = {k: v for k, v in LARGE_LONG.items() if k != "compare"}
    query["insurance_fund_depleted"] = "on"
    response = client.get(f"/incidents/{incident.slug}/", query)
    assert response.status_code == 200
    binance = response.context["walked"].rows[0]
    walk, settled = binance.stepped, binance.stepped_outcome
    assert walk is not None and walk.remainder == 0 and not walk.closes[-1].partial
    assert walk.closes[-1].price == binance.closes[-1].close.price  # after the jump
    assert settled is not None and settled.deficit > 0 and settled.deficit == -walk.equity
    parties = {part.party: part.amount for part in binance.stepped_payers}
    assert parties == {Party.AUTO_DELEVERAGING: settled.deficit}
    assert settled.trader_owes == 0 and binance.stepped_result == 0
    html = response.content.decode()
    assert f"({settled.deficit:.2f})" in html.replace(",", "")  # the card's who-pays line
    figure = json.loads(response.context["figures_json"])["path"]
    names = [trace["name"].replace("<br>", " ") for trace in figure["data"]]
    assert any(f"end with a deficit of {money(settled.deficit)}" in name for name in names), names
    body = client.get("/api/v1/stress", {**query, "incident": incident.slug}).json()
    api = body["path"]["platforms"][0]
    assert api["deficit_with_steps"] == decimal_str(settled.deficit)
    assert api["who_pays_with_steps"] == [
        {"party": "auto_deleveraging", "amount": decimal_str(settled.deficit)}
    ]
