"""Laws of the domain, checked with hypothesis over many positions."""

from decimal import Decimal as D
from decimal import localcontext

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine import (
    Contract,
    CoverageStep,
    EngineInputError,
    MaintenanceBasis,
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

prices = st.decimals(min_value=D("0.0001"), max_value=D("1000000"), places=4)
quantities = st.decimals(min_value=D("0.001"), max_value=D("10000"), places=3)
leverages = st.decimals(min_value=D("1.1"), max_value=D("125"), places=1)
rates = st.decimals(min_value=D("0"), max_value=D("0.05"), places=4)
sides = st.sampled_from([Side.LONG, Side.SHORT])
contracts = st.sampled_from([Contract.LINEAR, Contract.INVERSE])
bases = st.sampled_from([MaintenanceBasis.MARK, MaintenanceBasis.ENTRY])

TIERS = maintenance_amounts_from_rates(
    tiers=(
        Tier(D(0), D(50_000), D("0.004"), max_leverage=D(125)),
        Tier(D(50_000), D(250_000), D("0.005"), max_leverage=D(100)),
        Tier(D(250_000), D(1_000_000), D("0.01"), max_leverage=D(50)),
        Tier(D(1_000_000), None, D("0.025"), max_leverage=D(20)),
    )
)


def close(a: D, b: D, scale: D) -> bool:
    return abs(a - b) <= scale * D("1e-25")


@given(contracts, sides, prices, quantities, leverages, rates, bases)
def test_equity_is_zero_at_bankruptcy_and_maintenance_at_liquidation(
    contract, side, entry, quantity, leverage, rate, basis
):
    position = Position(
        contract=contract, side=side, entry_price=entry, quantity=quantity, leverage=leverage
    )
    rules = Rules(maintenance_margin_rate=rate, maintenance_basis=basis)
    evaluation = evaluate(position=position, rules=rules)
    scale = evaluation.notional + entry
    if evaluation.bankruptcy_price is not None:
        at_bankruptcy = evaluate(
            position=position,
            rules=rules,
            scenario=Scenario(fill_price=evaluation.bankruptcy_price),
        ).outcome
        assert close(at_bankruptcy.equity_after, D(0), scale)
    if evaluation.liquidation_price is not None:
        from engine.evaluate import open_position

        opened, _entry, _sign = open_position(position, rules)
        price = evaluation.liquidation_price
        equity, maintenance = opened.book.equity(price), opened.book.maintenance(price)
        if any(w.code == "liquidated_on_entry" for w in evaluation.warnings):
            # below maintenance from the start: liquidation starts at once, at entry
            assert price == opened.book.entry_price
            assert equity <= maintenance + scale * D("1e-25")
        else:
            assert close(equity, maintenance, scale)


@given(sides, prices, quantities, leverages)
def test_tiered_liquidation_meets_maintenance_in_its_own_tier(side, entry, quantity, leverage):
    position = Position(
        contract=Contract.LINEAR, side=side, entry_price=entry, quantity=quantity, leverage=leverage
    )
    rules = Rules(tiers=TIERS)
    evaluation = evaluate(position=position, rules=rules)
    price = evaluation.liquidation_price
    assume(price is not None)
    # (below maintenance from the start: liquidated at entry, see the test above)
    assume(not any(w.code == "liquidated_on_entry" for w in evaluation.warnings))
    equity = evaluation.margin + (1 if side is Side.LONG else -1) * quantity * (price - entry)
    maintenance = quantity * price * evaluation.maintenance_margin_rate - (
        evaluation.maintenance_amount
    )
    assert close(equity, maintenance, evaluation.notional + entry)
    notional = quantity * price
    tier = next(t for t in TIERS if t.maintenance_margin_rate == evaluation.maintenance_margin_rate)
    assert tier.notional_floor <= notional
    assert tier.notional_cap is None or notional < tier.notional_cap


@given(contracts, sides, prices, quantities, leverages, rates)
def test_long_liquidates_below_entry_and_short_above(
    contract, side, entry, quantity, leverage, rate
):
    evaluation = evaluate(
        position=Position(
            contract=contract, side=side, entry_price=entry, quantity=quantity, leverage=leverage
        ),
        rules=Rules(maintenance_margin_rate=rate),
    )
    assume(not any(w.code == "liquidated_on_entry" for w in evaluation.warnings))
    for price in (evaluation.liquidation_price, evaluation.bankruptcy_price):
        if price is not None:
            assert price > 0
            assert price < entry if side is Side.LONG else price > entry
    if evaluation.liquidation_price is not None and evaluation.bankruptcy_price is not None:
        # liquidation comes before bankruptcy
        if side is Side.LONG:
            assert evaluation.liquidation_price >= evaluation.bankruptcy_price
        else:
            assert evaluation.liquidation_price <= evaluation.bankruptcy_price


@given(contracts, sides, prices, quantities, rates, st.lists(leverages, min_size=2, max_size=5))
def test_liquidation_moves_toward_entry_as_leverage_rises(
    contract, side, entry, quantity, rate, leverage_list
):
    distances = []
    for leverage in sorted(set(leverage_list)):
        evaluation = evaluate(
            position=Position(
                contract=contract,
                side=side,
                entry_price=entry,
                quantity=quantity,
                leverage=leverage,
            ),
            rules=Rules(maintenance_margin_rate=rate),
        )
        if evaluation.liquidation_price is None:
            distances.append(None)
        else:
            distances.append(evaluation.distance_to_liquidation)
    # signed room to liquidation (negative once leverage exceeds 1/mmr) only shrinks
    known = [d for d in distances if d is not None]
    assert known == sorted(known, reverse=True)
    # once a liquidation price exists, more leverage never removes it
    if None in distances and known:
        assert distances.index(None) < len(distances) - len(known) + 1


amounts = st.decimals(min_value=D("0"), max_value=D("1e12"), places=6)
steps = st.lists(
    st.builds(
        CoverageStep,
        party=st.sampled_from(list(Party)),
        capacity=st.one_of(st.none(), amounts),
    ),
    max_size=6,
)


@given(
    contracts,
    sides,
    prices,
    quantities,
    leverages,
    rates,
    st.decimals(min_value=D("0"), max_value=D("0.9"), places=3),
    steps,
    st.booleans(),
    st.booleans(),
)
@settings(max_examples=300)
def test_coverage_adds_up_and_protection_means_trader_owes_nothing(
    contract, side, entry, quantity, leverage, rate, gap, waterfall, protection, depleted
):
    rules = Rules(
        maintenance_margin_rate=rate,
        waterfall=tuple(waterfall),
        negative_balance_protection=protection,
        liquidation_fee=D("0.005"),
        taker_fee=D("0.0005"),
    )
    evaluation = evaluate(
        position=Position(
            contract=contract, side=side, entry_price=entry, quantity=quantity, leverage=leverage
        ),
        rules=rules,
        scenario=Scenario(gap=gap, insurance_fund_depleted=depleted),
    )
    outcome = evaluation.outcome
    assume(outcome is not None)
    assert outcome.deficit >= 0
    # the parts carry up to 40 digits: add them in the engine's context, not Python's 28
    with localcontext(CONTEXT):
        assert sum((part.amount for part in outcome.coverage), D(0)) == outcome.deficit
    assert all(part.amount >= 0 for part in outcome.coverage)
    assert outcome.trader_owes >= 0
    if protection:
        assert outcome.trader_owes == 0
    if outcome.deficit > 0:
        assert outcome.trader_result.copy_negate() == outcome.trader_owes
    assert outcome.explanation


def _finite(value) -> bool:
    return not isinstance(value, D) or value.is_finite()


@given(
    st.sampled_from(list(Contract)),
    sides,
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.one_of(st.none(), st.decimals(allow_nan=True, allow_infinity=True)),
)
@settings(max_examples=400)
def test_any_input_gives_finite_decimals_or_an_engine_input_error(
    contract, side, entry, quantity, leverage, rate, crash
):
    try:
        evaluation = evaluate(
            position=Position(
                contract=contract,
                side=side,
                entry_price=entry,
                quantity=quantity,
                leverage=leverage,
                collateral=quantity,
            ),
            rules=Rules(
                maintenance_margin_rate=rate,
                liquidation_margin_level=D("1.1"),
                liquidation_threshold=D("0.8"),
            ),
            scenario=Scenario(crash=crash),
        )
    except EngineInputError:
        return
    for name in evaluation.__slots__:
        assert _finite(getattr(evaluation, name)), name
    if evaluation.outcome is not None:
        for name in evaluation.outcome.__slots__:
            assert _finite(getattr(evaluation.outcome, name)), name
