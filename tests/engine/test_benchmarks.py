"""Timing figures (no assertions): run with
`.venv/bin/python -m pytest tests/engine/test_benchmarks.py --benchmark-enable`."""

from decimal import Decimal as D

import pytest

from engine import (
    Contract,
    CoverageStep,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    Tier,
    equity_curve,
    evaluate,
    maintenance_amounts_from_rates,
    outcome_by_crash,
)

POSITION = Position(
    contract=Contract.LINEAR,
    side=Side.LONG,
    entry_price=D(60000),
    margin=D(1000),
    leverage=D(20),
    holding_hours=D(24),
)
RULES = Rules(
    tiers=maintenance_amounts_from_rates(
        tiers=(
            Tier(D(0), D(50_000), D("0.004"), max_leverage=D(125)),
            Tier(D(50_000), D(250_000), D("0.005"), max_leverage=D(100)),
            Tier(D(250_000), D(1_000_000), D("0.01"), max_leverage=D(50)),
            Tier(D(1_000_000), None, D("0.025"), max_leverage=D(20)),
        )
    ),
    taker_fee=D("0.0005"),
    liquidation_fee=D("0.0125"),
    funding_rate=D("0.0001"),
    waterfall=(
        CoverageStep(Party.REMAINING_MARGIN),
        CoverageStep(Party.INSURANCE_FUND, D(100)),
        CoverageStep(Party.AUTO_DELEVERAGING),
    ),
)
SCENARIO = Scenario(gap=D("0.05"))


@pytest.mark.benchmark
def test_one_full_evaluation(benchmark):
    evaluation = benchmark(evaluate, position=POSITION, rules=RULES, scenario=SCENARIO)
    assert evaluation.outcome.deficit > 0


@pytest.mark.benchmark
def test_one_evaluation_without_scenario(benchmark):
    benchmark(evaluate, position=POSITION, rules=RULES)


@pytest.mark.benchmark
def test_equity_curve_2000_points(benchmark):
    evaluation = evaluate(position=POSITION, rules=RULES)
    curve = benchmark(
        equity_curve, evaluation=evaluation, price_from=D(0), price_to=D(120000), points=2000
    )
    assert len(curve["prices"]) == 2000


CRASHES = [D(i) / 100 for i in range(101)]  # 0%, 1%, …, 100%


@pytest.mark.benchmark
def test_outcome_by_crash_101_sizes(benchmark):
    pairs = benchmark(outcome_by_crash, position=POSITION, rules=RULES, crashes=CRASHES)
    assert len(pairs) == 101
