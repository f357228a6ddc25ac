"""The simulation against theory, and its rules: reproducible, finite, inputs checked.

First passage: with jumps off the log price is ν·t + σ·W_t, and the chance that it reaches the
liquidation price by T has a closed form (reflection principle with drift). The simulation
watches the price between grid points with a Brownian-bridge draw, so the match holds for few
steps as well as many; without the bridge (grid points only) it falls short, as theory says.
"""

import math

import numpy as np
import pytest

from incidents.simulate import (
    Exposure,
    Market,
    SimulationInputError,
    histogram,
    run,
)

ENTRY = 50_000.0


def first_passage_probability(
    *, barrier: float, years: float, volatility: float, log_drift: float
) -> float:
    """Closed form: the chance that log price ν·t + σ·W_t reaches `barrier` (≠ 0) by `years`.

    Reflection principle with drift (e.g. Shreve, Stochastic Calculus for Finance II, 7.2):
    below (b < 0): Φ((b − νT)/(σ√T)) + exp(2νb/σ²)·Φ((b + νT)/(σ√T)); above, mirror it.
    """
    if barrier > 0:
        barrier, log_drift = -barrier, -log_drift
    root = volatility * math.sqrt(years)
    return phi((barrier - log_drift * years) / root) + math.exp(
        2 * log_drift * barrier / volatility**2
    ) * phi((barrier + log_drift * years) / root)


def phi(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def flat_table(low, high):
    prices = np.array([low, high])
    return prices, np.zeros(2), np.zeros(2)


def linear_table(quantity, bankruptcy, sign):
    """A linear position with no fees: result = margin + s·Q·(P − E); deficit past bankruptcy."""

    def table(low, high):
        prices = np.unique(np.array([low, high, bankruptcy]).clip(low, high))
        results = sign * quantity * (prices - bankruptcy)
        return prices, results, np.maximum(-results, 0.0)

    return table


@pytest.mark.parametrize("sign, liquidation", [(1, 45_000.0), (-1, 56_000.0)])
@pytest.mark.parametrize("steps", [4, 64])
def test_touching_the_liquidation_price_matches_gbm_first_passage(sign, liquidation, steps):
    market = Market(
        jump_intensity=0,
        drift=0.25,
        volatility=0.7,
        horizon_days=30,
        steps=steps,
        paths=200_000 if steps < 50 else 150_000,
        seed=7,
    )
    result = run(market, [Exposure("x", sign, ENTRY, liquidation, None, flat_table)])[0]
    theory = first_passage_probability(
        barrier=math.log(liquidation / ENTRY),
        years=market.years,
        volatility=market.volatility,
        log_drift=market.log_drift,
    )
    assert abs(result.chance_liquidation - theory) < 4 * result.liquidation_error


def test_watching_only_grid_points_misses_touches():
    market = Market(jump_intensity=0, horizon_days=30, steps=8, paths=50_000, bridge=False)
    result = run(market, [Exposure("x", 1, ENTRY, 45_000.0, None, flat_table)])[0]
    theory = first_passage_probability(
        barrier=math.log(0.9), years=market.years, volatility=0.6, log_drift=market.log_drift
    )
    assert result.chance_liquidation < theory - 10 * result.liquidation_error


def test_same_seed_same_numbers_other_seed_other_numbers():
    exposure = Exposure("x", 1, ENTRY, 45_500.0, 45_000.0, linear_table(0.2, 45_000.0, 1))
    first = run(Market(paths=20_000, seed=3), [exposure])[0]
    again = run(Market(paths=20_000, seed=3), [exposure])[0]
    other = run(Market(paths=20_000, seed=4), [exposure])[0]
    assert np.array_equal(first.results, again.results)
    assert first.liquidated == again.liquidated and first.expected_owed == again.expected_owed
    assert not np.array_equal(first.results, other.results)


def test_without_jumps_delay_or_slippage_nothing_fills_past_bankruptcy():
    exposure = Exposure("x", 1, ENTRY, 45_500.0, 45_000.0, linear_table(0.2, 45_000.0, 1))
    calm = Market(jump_intensity=0, delay_minutes=0, slippage=0, paths=20_000)
    result = run(calm, [exposure])[0]
    assert result.liquidated > 0
    assert result.with_deficit == 0 and result.expected_owed == 0


def test_jumps_bring_deficits_and_numbers_are_finite():
    exposure = Exposure("x", 1, ENTRY, 45_500.0, 45_000.0, linear_table(0.2, 45_000.0, 1))
    wild = Market(jump_intensity=50, jump_mean=-0.1, jump_stdev=0.1, paths=20_000)
    result = run(wild, [exposure])[0]
    assert result.with_deficit > 0 and result.expected_owed > 0
    assert result.owed_p99 >= result.expected_owed
    for value in (result.expected_deficit, result.deficit_p99, result.expected_owed):
        assert math.isfinite(value)
    assert np.isfinite(result.results).all()
    edges, shares = histogram([result])
    assert 0.0 in edges.tolist()
    assert shares[0].sum() == pytest.approx(1.0)


def test_a_short_is_hurt_by_rises():
    short = Exposure("short", -1, ENTRY, 54_500.0, 55_000.0, linear_table(0.2, 55_000.0, -1))
    up = Market(jump_intensity=50, jump_mean=0.1, jump_stdev=0.05, paths=20_000)
    down = Market(jump_intensity=50, jump_mean=-0.1, jump_stdev=0.05, paths=20_000)
    assert run(up, [short])[0].with_deficit > run(down, [short])[0].with_deficit


@pytest.mark.parametrize(
    "change, field",
    [
        ({"paths": 10**7}, "paths"),
        ({"steps": 0}, "steps"),
        ({"volatility": float("nan")}, "volatility"),
        ({"paths": 200_000, "steps": 500}, "steps"),
        ({"slippage": 1.0}, "slippage"),
    ],
)
def test_bad_inputs_are_refused(change, field):
    with pytest.raises(SimulationInputError) as error:
        Market(**change).check()
    assert error.value.field == field
