"""The crash chart's float fast path (`outcome_by_crash`) against the exact rule (`outcome_at`,
through `evaluate` with a crash scenario): the same result at every crash size, for every kind
of contract, waterfall, fee and protection."""

from decimal import Decimal as D

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from engine import (
    Contract,
    CoverageStep,
    CrashSizes,
    EngineInputError,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    evaluate,
    may_leave_uncovered,
    outcome_by_crash,
    payers,
)
from engine.coverage import cover, trader_owes_function

CRASHES = [D(i) / 50 for i in range(51)]
SHORT_RISES = [D(i) / 5 for i in range(51)]  # up to a 1,000% rise against a short

amounts = st.decimals(min_value=D("0"), max_value=D("1e7"), places=2)
waterfalls = st.lists(
    st.builds(
        CoverageStep,
        party=st.sampled_from(list(Party)),
        capacity=st.one_of(st.none(), amounts),
    ),
    max_size=5,
).map(tuple)


@st.composite
def positions_and_rules(draw):
    contract = draw(st.sampled_from(list(Contract)))
    side = draw(st.sampled_from([Side.LONG, Side.SHORT]))
    entry = draw(st.decimals(min_value=D("0.01"), max_value=D("200000"), places=2))
    margin = draw(st.decimals(min_value=D("1"), max_value=D("100000"), places=2))
    leverage = draw(st.decimals(min_value=D("1"), max_value=D("125"), places=1))
    position = Position(
        contract=contract,
        side=side,
        entry_price=entry,
        margin=margin,
        leverage=leverage,
        collateral=margin / entry,
        debt=margin * D("0.5"),
    )
    rules = Rules(
        maintenance_margin_rate=draw(st.decimals(min_value=D("0"), max_value=D("0.05"), places=4)),
        taker_fee=draw(st.decimals(min_value=D("0"), max_value=D("0.002"), places=5)),
        liquidation_fee=draw(st.decimals(min_value=D("0"), max_value=D("0.02"), places=4)),
        liquidation_penalty=draw(st.decimals(min_value=D("0"), max_value=D("0.1"), places=3)),
        liquidation_margin_level=D("1.1"),
        liquidation_threshold=D("0.8"),
        waterfall=draw(waterfalls),
        negative_balance_protection=draw(st.booleans()),
        settles_at_bankruptcy=draw(st.booleans()),
    )
    return position, rules


stops = st.one_of(
    st.none(),
    st.tuples(st.decimals(min_value=D("0.001"), max_value=D("0.6"), places=3), st.booleans()),
)


@given(positions_and_rules(), st.booleans(), stops)
@settings(max_examples=300)
def test_every_crash_point_matches_the_exact_outcome(case, depleted, stop):
    position, rules = case
    crashes = CRASHES if position.side == Side.LONG else SHORT_RISES
    # a stop some way from entry against the position, ordinary or guaranteed
    sign = 1 if position.side == Side.LONG else -1
    stop_price = None if stop is None else position.entry_price * (1 - sign * stop[0])
    guaranteed = stop is not None and stop[1]
    try:
        curve = outcome_by_crash(
            position=position,
            rules=rules,
            crashes=crashes,
            insurance_fund_depleted=depleted,
            stop_price=stop_price,
            guaranteed_stop=guaranteed,
        )
    except EngineInputError:
        with pytest.raises(EngineInputError):
            evaluate(position=position, rules=rules)
        event("input error")
        return
    event(f"compared {position.contract.value}" + (" with a stop" if stop else ""))
    assert [size for size, _ in curve] == [float(crash) for crash in crashes]
    # The caller's own evaluation (here with a gap scenario) gives the same line.
    given_evaluation = evaluate(position=position, rules=rules, scenario=Scenario(gap=D("0.05")))
    assert curve == outcome_by_crash(
        position=position,
        rules=rules,
        crashes=crashes,
        insurance_fund_depleted=depleted,
        stop_price=stop_price,
        guaranteed_stop=guaranteed,
        evaluation=given_evaluation,
    )
    for (_size, result), crash in zip(curve, crashes, strict=True):
        evaluation = evaluate(
            position=position,
            rules=rules,
            scenario=Scenario(
                crash=crash,
                stop_price=stop_price,
                guaranteed_stop=guaranteed,
                insurance_fund_depleted=depleted,
            ),
        )
        outcome = evaluation.outcome
        liquidation = evaluation.liquidation_price
        # A crash landing exactly on the liquidation price or the stop may round either way.
        for edge in (liquidation, stop_price):
            assume(edge is None or abs(outcome.fill_price - edge) > edge / 10**9)
            assume(
                edge is None or abs(position.entry_price * (1 - sign * crash) - edge) > edge / 10**9
            )
        scale = float(evaluation.notional) * (1 + float(crash)) + float(evaluation.margin) + 1
        assert result == pytest.approx(float(outcome.trader_result), abs=scale * 1e-9), crash


def test_a_guaranteed_stop_flattens_the_crash_line_at_the_stop():
    """$1,000 at 10x long from $50,000 (0.2 BTC; the 0.05% taker fee on opening, $5, comes out
    of the margin), stop at $47,500. Past a 5% fall a guaranteed stop keeps $995 - $500 less the
    fee on the $9,500 closed; an ordinary stop fills at the crash price, so past the bankruptcy
    price the trader owes (no protection here)."""
    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(50000),
        margin=D(1000),
        leverage=D(10),
    )
    rules = Rules(
        maintenance_margin_rate=D("0.005"),
        taker_fee=D("0.0005"),
        waterfall=(CoverageStep(party=Party.TRADER_DEBT),),
    )
    crashes = [D("0.02"), D("0.06"), D("0.5")]
    guaranteed = dict(
        outcome_by_crash(
            position=position,
            rules=rules,
            crashes=crashes,
            stop_price=D(47500),
            guaranteed_stop=True,
        )
    )
    ordinary = dict(
        outcome_by_crash(position=position, rules=rules, crashes=crashes, stop_price=D(47500))
    )
    assert guaranteed[0.02] == ordinary[0.02] == pytest.approx(995 - 200)  # not stopped yet
    assert guaranteed[0.06] == guaranteed[0.5] == pytest.approx(995 - 500 - 0.0005 * 9500)
    assert ordinary[0.06] == pytest.approx(995 - 600 - 0.0005 * 9400)
    assert ordinary[0.5] == pytest.approx(995 - 5000)  # 0.2 BTC x $25,000 fall


@given(
    waterfalls,
    st.booleans(),
    st.booleans(),
    st.decimals(min_value=D("0"), max_value=D("1e8"), places=2),
)
def test_trader_owes_function_agrees_with_cover(waterfall, protection, depleted, deficit):
    owes = trader_owes_function(
        waterfall=waterfall,
        negative_balance_protection=protection,
        insurance_fund_depleted=depleted,
    )
    parts = cover(
        deficit=deficit,
        waterfall=waterfall,
        negative_balance_protection=protection,
        insurance_fund_depleted=depleted,
    )
    exact = sum((p.amount for p in parts if p.party == Party.TRADER_DEBT), D(0))
    assert owes(float(deficit)) == pytest.approx(float(exact), abs=1e-6)


def test_a_depleted_fund_moves_the_deficit_to_the_trader():
    # Long 10× from 50,000 with $1,000 and no protection: the fund pays first unless it is empty.
    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(50000),
        margin=D(1000),
        leverage=D(10),
    )
    rules = Rules(
        maintenance_margin_rate=D("0.005"),
        waterfall=(CoverageStep(Party.INSURANCE_FUND), CoverageStep(Party.TRADER_DEBT)),
    )
    full = dict(outcome_by_crash(position=position, rules=rules, crashes=[D("0.5")]))
    empty = dict(
        outcome_by_crash(
            position=position, rules=rules, crashes=[D("0.5")], insurance_fund_depleted=True
        )
    )
    assert full[0.5] == 0.0
    # a 50% crash on $10,000 of BTC loses $5,000: $4,000 more than the $1,000 margin
    assert empty[0.5] == pytest.approx(-4000.0)


@pytest.mark.parametrize(
    "bad", [D("NaN"), D("sNaN"), D("1e400"), 10**400, float("inf"), -0.1, 1.5, "0.5", True, None]
)
def test_unusable_crash_sizes_are_input_errors(bad):
    position = Position(
        contract=Contract.LINEAR, side=Side.LONG, entry_price=D(100), margin=D(10), leverage=D(5)
    )
    with pytest.raises(EngineInputError):
        outcome_by_crash(
            position=position, rules=Rules(maintenance_margin_rate=D("0.01")), crashes=[bad]
        )


def test_checked_crash_sizes_give_the_same_curve_and_still_hold_a_long_to_100_percent():
    position = Position(
        contract=Contract.LINEAR, side=Side.LONG, entry_price=D(100), margin=D(10), leverage=D(5)
    )
    rules = Rules(maintenance_margin_rate=D("0.01"))
    sizes = [i / 50 for i in range(51)]

    assert outcome_by_crash(
        position=position, rules=rules, crashes=CrashSizes(sizes)
    ) == outcome_by_crash(position=position, rules=rules, crashes=sizes)
    # 150% is a short's rise, not a long's fall
    with pytest.raises(EngineInputError):
        outcome_by_crash(position=position, rules=rules, crashes=CrashSizes([0.5, 1.5]))
    with pytest.raises(EngineInputError):
        CrashSizes([0.1, float("nan")])


@pytest.mark.parametrize(
    ("waterfall", "protection", "depleted", "expected"),
    [
        ((CoverageStep(Party.UNCOVERED),), False, False, True),  # Binance spot margin
        ((CoverageStep(Party.INSURANCE_FUND),), False, False, False),  # an unlimited fund
        ((CoverageStep(Party.INSURANCE_FUND),), False, True, True),  # ... when it is empty
        ((CoverageStep(Party.INSURANCE_FUND, D(100)),), True, False, False),  # a promise
        ((CoverageStep(Party.TRADER_DEBT),), False, False, False),  # the trader's debt
        ((), False, False, False),  # no waterfall, no protection: the trader owes it
    ],
)
def test_may_leave_uncovered_reads_cover(waterfall, protection, depleted, expected):
    assert (
        may_leave_uncovered(
            waterfall=waterfall,
            negative_balance_protection=protection,
            insurance_fund_depleted=depleted,
        )
        is expected
    )


@pytest.mark.parametrize(
    ("waterfall", "protection", "depleted", "expected"),
    [
        # Binance: the fund first, auto-deleveraging behind it (and in its place when empty)
        (
            (CoverageStep(Party.INSURANCE_FUND), CoverageStep(Party.AUTO_DELEVERAGING)),
            False,
            False,
            (Party.INSURANCE_FUND, Party.AUTO_DELEVERAGING),
        ),
        (
            (CoverageStep(Party.INSURANCE_FUND), CoverageStep(Party.AUTO_DELEVERAGING)),
            False,
            True,
            (Party.AUTO_DELEVERAGING,),
        ),
        # the margin is gone past bankruptcy; a limited fund, then nobody named for the rest
        (
            (CoverageStep(Party.REMAINING_MARGIN), CoverageStep(Party.INSURANCE_FUND, D(100))),
            False,
            False,
            (Party.INSURANCE_FUND, Party.UNCOVERED),
        ),
        # ... or the trader, where the platform lists them
        (
            (CoverageStep(Party.INSURANCE_FUND, D(100)), CoverageStep(Party.TRADER_DEBT)),
            False,
            False,
            (Party.INSURANCE_FUND, Party.TRADER_DEBT),
        ),
        # a promise: the platform's capital, never the trader
        ((CoverageStep(Party.TRADER_DEBT),), True, False, (Party.EXCHANGE_CAPITAL,)),
        ((), False, False, (Party.TRADER_DEBT,)),
    ],
)
def test_payers_list_who_would_pay_in_the_platforms_order(
    waterfall, protection, depleted, expected
):
    assert (
        payers(
            waterfall=waterfall,
            negative_balance_protection=protection,
            insurance_fund_depleted=depleted,
        )
        == expected
    )
