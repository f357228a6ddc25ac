"""The safety answers (engine/safety.py) checked against the engine they come from."""

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Contract, MarginMode, Position, Rules, Scenario, Side, evaluate
from engine.safety import margin_to_add, safe_leverage, stop_for_loss

BINANCE_LIKE = Rules(
    maintenance_margin_rate=D("0.004"), liquidation_fee=D("0.003"), taker_fee=D("0.0005")
)
LONG = Position(
    contract=Contract.LINEAR,
    side=Side.LONG,
    entry_price=D(50000),
    margin=D(1000),
    leverage=D(10),
)


def deficit_at(position: Position, rules: Rules, leverage: D, fill: D) -> D:
    tried = evaluate(
        position=replace(position, leverage=leverage),
        rules=rules,
        scenario=Scenario(fill_price=fill),
    )
    assert tried.outcome is not None
    return tried.outcome.deficit


def test_without_costs_a_20_percent_fall_is_safe_up_to_5x():
    # Bankruptcy at E·(1 − 1/L): a fill at 80% of entry reaches it at exactly 5×.
    rules = Rules(maintenance_margin_rate=D("0.004"))
    evaluation = evaluate(position=LONG, rules=rules, scenario=Scenario(crash=D("0.2")))
    answer = safe_leverage(evaluation=evaluation)
    assert answer is not None and answer.fill_price == D(40000)
    assert D("4.99") <= answer.leverage <= D(5)
    assert not answer.at_maximum


# each example runs the engine a hundred times or so: no per-example deadline
@settings(deadline=None, max_examples=40)
@given(
    side=st.sampled_from([Side.LONG, Side.SHORT]),
    leverage=st.decimals(min_value=2, max_value=100, places=1),
    gap=st.decimals(min_value="0.01", max_value="0.3", places=2),
    contract=st.sampled_from([Contract.LINEAR, Contract.INVERSE]),
)
def test_the_safe_leverage_is_the_edge_of_a_deficit(side, leverage, gap, contract):
    position = replace(LONG, side=side, leverage=leverage, contract=contract)
    if contract == Contract.INVERSE:
        position = replace(position, margin=D("0.02"))
    evaluation = evaluate(position=position, rules=BINANCE_LIKE, scenario=Scenario(gap=gap))
    answer = safe_leverage(evaluation=evaluation)
    assert answer is not None
    if answer.leverage is None:
        assert deficit_at(position, BINANCE_LIKE, D(1), answer.fill_price) > 0
        return
    assert deficit_at(position, BINANCE_LIKE, answer.leverage, answer.fill_price) == 0
    if not answer.at_maximum:
        above = answer.leverage + D("0.02")
        assert deficit_at(position, BINANCE_LIKE, above, answer.fill_price) > 0


# each example runs the engine a hundred times or so: no per-example deadline
@settings(deadline=None, max_examples=40)
@given(
    side=st.sampled_from([Side.LONG, Side.SHORT]),
    leverage=st.decimals(min_value=2, max_value=100, places=1),
    distance=st.decimals(min_value="0.01", max_value="0.9", places=2),
    cross=st.booleans(),
)
def test_the_margin_to_add_moves_liquidation_just_past_the_target(side, leverage, distance, cross):
    position = replace(LONG, side=side, leverage=leverage)
    if cross:
        position = replace(
            position, margin_mode=MarginMode.CROSS, margin=None, wallet_balance=D(1000)
        )
    evaluation = evaluate(position=position, rules=BINANCE_LIKE)
    sign = 1 if side == Side.LONG else -1
    target = D(50000) * (1 - sign * distance)
    answer = margin_to_add(evaluation=evaluation, target=target)
    assert answer is not None and answer.amount is not None and answer.amount >= 0
    liquidation = answer.liquidation_price
    assert liquidation is None or sign * (target - liquidation) >= 0
    if answer.amount > D("0.01"):
        # a cent less is not enough
        quantity = evaluation.notional / D(50000)
        less = answer.amount - D("0.01")
        fewer = replace(position, quantity=quantity, leverage=None)
        fewer = (
            replace(fewer, wallet_balance=D(1000) + less)
            if cross
            else replace(fewer, margin=evaluation.initial_margin + less)
        )
        short_of = evaluate(position=fewer, rules=BINANCE_LIKE).liquidation_price
        assert short_of is not None and sign * (target - short_of) < 0


def test_no_margin_moves_liquidation_past_the_entry():
    evaluation = evaluate(position=LONG, rules=BINANCE_LIKE)
    answer = margin_to_add(evaluation=evaluation, target=D(51000))
    assert answer is not None and answer.amount is None


# each example runs the engine a hundred times or so: no per-example deadline
@settings(deadline=None, max_examples=40)
@given(
    side=st.sampled_from([Side.LONG, Side.SHORT]),
    leverage=st.decimals(min_value=2, max_value=50, places=1),
    max_loss=st.decimals(min_value=20, max_value=990, places=2),
)
def test_the_stop_caps_the_loss_and_a_gap_through_it_costs_more(side, leverage, max_loss):
    position = replace(LONG, side=side, leverage=leverage)
    evaluation = evaluate(position=position, rules=BINANCE_LIKE, scenario=Scenario(gap=D("0.05")))
    answer = stop_for_loss(evaluation=evaluation, max_loss=max_loss, gap=D("0.05"))
    assert answer is not None
    if answer.stop_price is None:
        assert answer.reason in ("beyond_liquidation", "below_costs")
        return
    stopped = evaluate(
        position=position,
        rules=BINANCE_LIKE,
        scenario=Scenario(fill_price=answer.stop_price, stop_price=answer.stop_price),
    )
    assert stopped.outcome is not None and stopped.outcome.closed_by == "stop"
    loss = stopped.initial_margin - stopped.outcome.trader_result
    assert loss <= max_loss
    assert max_loss - loss < D(1)  # within a cent of price on a few coins
    assert answer.gap_loss is not None and answer.gap_loss > loss


def test_the_stop_for_250_dollars_on_the_example_position():
    # $1,000 at 10× long from $50,000 is 0.2 BTC: a $250 loss is $1,250 of price, less the
    # $5.00 opening fee and the closing fee (0.05% of 0.2 × the stop): 0.2·(50000 − S) + 5 +
    # 0.0001·S = 250 → S = 48,799.40 (to the cent, rounded toward the entry).
    evaluation = evaluate(position=LONG, rules=BINANCE_LIKE, scenario=Scenario(gap=D("0.05")))
    answer = stop_for_loss(evaluation=evaluation, max_loss=D(250), gap=D("0.05"))
    assert answer is not None and answer.stop_price == D("48799.40")
    assert answer.gap_fill_price == D("48799.40") * D("0.95")
