"""ADL from the winner's side (engine/adl.py): the published ranking formula and the laws of an
ADL close (kept + cost == profit, nothing negative or NaN)."""

from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Contract, EngineInputError, Side
from engine.adl import adl_close, ranking_score

prices = st.decimals(min_value=D("0.0001"), max_value=D("1000000"), places=4)
quantities = st.decimals(min_value=D("0.001"), max_value=D("100000"), places=3)
sides = st.sampled_from([Side.LONG, Side.SHORT])
contracts = st.sampled_from([Contract.LINEAR, Contract.INVERSE])


def test_bitmex_formula_for_a_long_in_profit():
    # bitmex.com/app/autoDeleveraging: Ranking = PNL% × Effective Leverage, Effective
    # Leverage = |Mark Value| / (Mark Value − Bankrupt Value). Long from 100, bankrupt at 90,
    # mark 110: PnL 10%, leverage 110 / 20 = 5.5, score 0.55.
    score = ranking_score(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(100),
        mark_price=D(110),
        bankruptcy_price=D(90),
    )
    assert score.pnl_fraction == D("0.1")
    assert score.effective_leverage == D("5.5")
    assert score.score == D("0.55")


def test_losing_position_divides_by_leverage():
    score = ranking_score(
        contract=Contract.LINEAR,
        side=Side.SHORT,
        entry_price=D(100),
        mark_price=D(105),
        bankruptcy_price=D(110),
    )
    assert score.pnl_fraction == D("-0.05")
    assert score.effective_leverage == D(21)  # 105 / 5
    assert abs(score.score - D("-0.05") / D(21)) < D("1e-25")


def test_past_bankruptcy_has_no_score():
    assert (
        ranking_score(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(100),
            mark_price=D(89),
            bankruptcy_price=D(90),
        )
        is None
    )


def test_close_at_counterparty_bankruptcy_price_costs_the_gap():
    # A short from 50,000 (0.2 BTC); the market falls to 44,000 and ADL closes it at 45,000,
    # the liquidated long's bankruptcy price: keeps 0.2 × 5,000, gives up 0.2 × 1,000.
    close = adl_close(
        contract=Contract.LINEAR,
        side=Side.SHORT,
        entry_price=D(50000),
        quantity=D("0.2"),
        market_price=D(44000),
        close_price=D(45000),
    )
    assert (close.profit, close.kept, close.cost) == (D(1200), D(1000), D(200))


@pytest.mark.parametrize("field", ["entry_price", "market_price", "close_price", "quantity"])
def test_bad_numbers_name_their_field(field):
    kwargs = dict(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(1),
        quantity=D(1),
        market_price=D(2),
        close_price=D(2),
    )
    kwargs[field] = D(0)
    with pytest.raises(EngineInputError) as error:
        adl_close(**kwargs)
    assert error.value.field == field


@given(contracts, sides, prices, prices, prices, quantities)
def test_kept_plus_cost_is_the_profit(contract, side, entry, market, close_at, quantity):
    close = adl_close(
        contract=contract,
        side=side,
        entry_price=entry,
        quantity=quantity,
        market_price=market,
        close_price=close_at,
    )
    for amount in (close.profit, close.kept, close.cost):
        assert amount.is_finite()
        assert amount >= 0
    with localcontext() as exact:
        exact.prec = 200
        assert close.kept + close.cost == close.profit


@given(contracts, sides, prices, prices, prices)
def test_score_is_finite_and_signed_by_profit(contract, side, entry, mark, bankrupt):
    score = ranking_score(
        contract=contract,
        side=side,
        entry_price=entry,
        mark_price=mark,
        bankruptcy_price=bankrupt,
    )
    if score is None:
        return
    assert score.score.is_finite() and score.effective_leverage > 0
    assert (score.score > 0) == (score.pnl_fraction > 0)
