"""Positions at the edges: no bankruptcy price, no liquidation price, huge and tiny numbers."""

from decimal import Decimal as D
from decimal import localcontext

import pytest

from engine import (
    CONTEXT,
    Contract,
    CoverageStep,
    EngineInputError,
    MarginMode,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    Tier,
    evaluate,
)

FLAT = Rules(maintenance_margin_rate=D("0.005"))


@pytest.mark.parametrize("leverage", [D("0.5"), D(1)])
def test_inverse_short_at_or_below_1x_has_no_bankruptcy_price(leverage):
    # docs/design.md, "Inverse (coin-margined) contracts": a short at 1× or less has no
    # bankruptcy price (a synthetic dollar)
    evaluation = evaluate(
        position=Position(
            contract=Contract.INVERSE,
            side=Side.SHORT,
            entry_price=D(50000),
            quantity=D(50000),
            leverage=leverage,
        ),
        rules=FLAT,
        scenario=Scenario(crash=D(5)),  # the price sextuples
    )
    assert evaluation.bankruptcy_price is None
    assert "no_bankruptcy_price" in {w.code for w in evaluation.warnings}
    assert evaluation.outcome.deficit == 0


def test_linear_long_at_1x_cannot_be_liquidated_and_loses_at_most_its_margin():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(50000),
            margin=D(5000),
            leverage=D(1),
        ),
        rules=FLAT,
        scenario=Scenario(crash=D(1)),
    )
    assert evaluation.liquidation_price is None
    assert evaluation.bankruptcy_price is None  # bankruptcy at 0: no positive price
    assert evaluation.outcome.trader_result == 0
    assert evaluation.outcome.deficit == 0


def test_gap_without_a_liquidation_price_is_a_warning_not_an_error():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(100),
            margin=D(100),
            leverage=D(1),
        ),
        rules=FLAT,
        scenario=Scenario(gap=D("0.1")),
    )
    assert evaluation.outcome is None
    assert "gap_without_liquidation_price" in {w.code for w in evaluation.warnings}


def test_the_worked_example_from_the_brief():
    # 10x long, 5% gap past liquidation, insurance fund pays: "you owe nothing".
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(50000),
            margin=D(1000),
            leverage=D(10),
        ),
        rules=Rules(
            maintenance_margin_rate=D("0.005"),
            waterfall=(CoverageStep(Party.REMAINING_MARGIN), CoverageStep(Party.INSURANCE_FUND)),
        ),
        scenario=Scenario(gap=D("0.05")),
    )
    outcome = evaluation.outcome
    assert outcome.liquidated
    assert outcome.deficit > 0
    assert [c.party for c in outcome.coverage] == [Party.REMAINING_MARGIN, Party.INSURANCE_FUND]
    assert outcome.coverage[0].amount == 0
    assert outcome.trader_owes == 0
    assert "paid by the insurance fund, so you owe nothing" in outcome.explanation
    # D = s·Q·(P_bk − P_fill)
    quantity = D("0.2")
    with localcontext(CONTEXT):
        assert outcome.deficit == quantity * (evaluation.bankruptcy_price - outcome.fill_price)


def test_depleted_fund_without_protection_leaves_the_rest_uncovered():
    rules = Rules(
        maintenance_margin_rate=D("0.005"),
        waterfall=(
            CoverageStep(Party.INSURANCE_FUND),
            CoverageStep(Party.AUTO_DELEVERAGING, D(10)),
        ),
    )
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.SHORT,
            entry_price=D(100),
            margin=D(100),
            leverage=D(20),
        ),
        rules=rules,
        scenario=Scenario(crash=D("0.5"), insurance_fund_depleted=True),
    )
    coverage = {c.party: c.amount for c in evaluation.outcome.coverage}
    assert coverage[Party.INSURANCE_FUND] == 0
    assert coverage[Party.AUTO_DELEVERAGING] == 10
    assert coverage[Party.UNCOVERED] == evaluation.outcome.deficit - 10


def test_no_waterfall_and_no_protection_means_the_trader_owes():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(100),
            margin=D(100),
            leverage=D(5),
        ),
        rules=Rules(),
        scenario=Scenario(crash=D("0.5")),
    )
    # 5 units bought at 100 with 100 of margin, sold at 50: 250 lost, 150 owed
    assert evaluation.outcome.trader_owes == 150
    assert evaluation.outcome.trader_result == -150
    assert "you owe $150.00" in evaluation.outcome.explanation


def test_protection_sends_the_rest_to_the_platform():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(100),
            margin=D(100),
            leverage=D(5),
        ),
        rules=Rules(negative_balance_protection=True),
        scenario=Scenario(crash=D("0.5")),
    )
    assert evaluation.outcome.trader_owes == 0
    assert evaluation.outcome.coverage[-1].party is Party.EXCHANGE_CAPITAL


def test_stop_gaps_through_unless_guaranteed():
    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(100),
        margin=D(100),
        leverage=D(5),
    )
    gapped = evaluate(
        position=position, rules=FLAT, scenario=Scenario(crash=D("0.5"), stop_price=D(95))
    ).outcome
    assert gapped.closed_by == "stop" and gapped.fill_price == 50
    guaranteed = evaluate(
        position=position,
        rules=FLAT,
        scenario=Scenario(crash=D("0.5"), stop_price=D(95), guaranteed_stop=True),
    ).outcome
    assert guaranteed.closed_by == "guaranteed_stop" and guaranteed.fill_price == 95
    assert guaranteed.equity_after == 75  # 100 + 5 × (95 − 100)
    untouched = evaluate(
        position=position, rules=FLAT, scenario=Scenario(crash=D("0.01"), stop_price=D(95))
    ).outcome
    assert untouched.closed_by is None and not untouched.liquidated


def test_bybit_style_settlement_keeps_nothing_for_the_trader():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(20000),
            quantity=D(1),
            leverage=D(50),
        ),
        rules=Rules(maintenance_margin_rate=D("0.005"), settles_at_bankruptcy=True),
        scenario=Scenario(fill_price=D(19690)),
    )
    outcome = evaluation.outcome
    assert outcome.liquidated
    assert outcome.equity_after == 0
    assert outcome.to_insurance_fund == 90  # 400 − 310 lost by the fill


def test_liquidation_fee_at_or_above_maintenance_warns_bankrupt_on_liquidation():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(100),
            quantity=D(1),
            leverage=D(20),
        ),
        rules=Rules(maintenance_margin_rate=D("0.004"), liquidation_fee=D("0.005")),
    )
    assert "bankrupt_on_liquidation" in {w.code for w in evaluation.warnings}


def test_size_beyond_last_tier_and_leverage_above_max_warn():
    tiers = (Tier(D(0), D(1000), D("0.01"), max_leverage=D(20)),)
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(100),
            quantity=D(50),
            leverage=D(50),
        ),
        rules=Rules(tiers=tiers),
    )
    codes = {w.code for w in evaluation.warnings}
    assert {"size_beyond_last_tier", "leverage_above_platform_max"} <= codes


def test_cross_margin_uses_the_whole_wallet():
    # Binance USDⓈ-M FAQ: margin = WB − TMM1 + UPNL1
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(100),
            quantity=D(10),
            margin_mode="cross",
            wallet_balance=D(500),
            other_maintenance_margin=D(50),
            other_unrealized_pnl=D(-50),
        ),
        rules=Rules(maintenance_margin_rate=D(0)),
    )
    assert evaluation.margin == 400
    assert evaluation.bankruptcy_price == 60


def test_fees_funding_and_interest_move_liquidation_closer():
    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(100),
        quantity=D(10),
        leverage=D(10),
        holding_hours=D(72),
    )
    bare = evaluate(position=position, rules=FLAT).liquidation_price
    costly = evaluate(
        position=position,
        rules=Rules(
            maintenance_margin_rate=D("0.005"), taker_fee=D("0.0005"), funding_rate=D("0.0001")
        ),
    )
    assert costly.open_fee == D("0.5")
    assert costly.funding_paid == D("0.9")  # 72 h / 8 h × 0.01% × 1,000
    assert costly.liquidation_price > bare


@pytest.mark.parametrize(
    ("entry", "quantity"),
    [(D("1e-12"), D("1e12")), (D("1e9"), D("1e9")), (D("0.000001"), D("0.000001"))],
)
def test_huge_and_tiny_numbers_stay_finite(entry, quantity):
    for contract in (Contract.LINEAR, Contract.INVERSE):
        evaluation = evaluate(
            position=Position(
                contract=contract,
                side=Side.SHORT,
                entry_price=entry,
                quantity=quantity,
                leverage=D(100),
            ),
            rules=FLAT,
            scenario=Scenario(gap=D("0.2")),
        )
        assert evaluation.liquidation_price.is_finite()
        assert evaluation.outcome.deficit.is_finite()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"entry_price": D(0)}, "entry_price"),
        ({"entry_price": D(-5)}, "entry_price"),
        ({"entry_price": D("NaN")}, "entry_price"),
        ({"quantity": D("Infinity")}, "quantity"),
        ({"leverage": None}, "margin"),
        ({"margin": D(10)}, "leverage"),
        ({"entry_price": D("1e30")}, "entry_price"),
    ],
)
def test_unusable_values_raise_engine_input_error(changes, field):
    values = {
        "contract": Contract.LINEAR,
        "side": Side.LONG,
        "entry_price": D(100),
        "quantity": D(1),
        "leverage": D(10),
    }
    values.update(changes)
    with pytest.raises(EngineInputError) as error:
        evaluate(position=Position(**values), rules=FLAT)
    assert error.value.field == field


def test_loan_bad_debt_and_penalty():
    rules = Rules(liquidation_threshold=D("0.8"), liquidation_penalty=D("0.05"))
    position = Position(
        contract=Contract.LOAN, side=Side.LONG, entry_price=D(2500), collateral=D(4), debt=D(6000)
    )
    # liquidated just below 1,875: the penalty (5% of the debt) comes out of the collateral
    mild = evaluate(position=position, rules=rules, scenario=Scenario(fill_price=D(1870))).outcome
    assert mild.liquidated and mild.deficit == 0
    assert mild.closing_fee == D(300)
    assert mild.equity_after == 4 * D(1870) - 6000 - 300
    # a crash to 1,000: collateral worth 4,000 against 6,000 of debt
    crash = evaluate(position=position, rules=rules, scenario=Scenario(fill_price=D(1000))).outcome
    assert crash.deficit == 2000


@pytest.mark.parametrize(("side", "fill"), [(Side.LONG, D(47500)), (Side.SHORT, D(52500))])
def test_a_position_liquidated_on_opening_is_liquidated_at_its_entry_price(side, fill):
    # $1,000 at 10x (10% initial margin) under a 25% maintenance rate (ESMA's close-out at 50%
    # of a 2x margin): equity is below maintenance from the start. Solving equity = maintenance
    # gives a price on the winning side (60,000 for the long, 44,000 for the short), where a
    # "5% gap past liquidation" would read as a gain. Liquidation starts at entry instead: the
    # gap fills 5% against the position and leaves 1,000 - 0.2 BTC x 2,500 = $500.
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=side,
            entry_price=D(50000),
            margin=D(1000),
            leverage=D(10),
        ),
        rules=Rules(maintenance_margin_rate=D("0.25")),
        scenario=Scenario(gap=D("0.05")),
    )
    assert "liquidated_on_entry" in {w.code for w in evaluation.warnings}
    assert evaluation.liquidation_price == D(50000)
    assert evaluation.distance_to_liquidation == 0
    assert not evaluation.distance_to_liquidation.is_signed()  # no "-0%"
    assert evaluation.outcome.fill_price == fill
    assert evaluation.outcome.closed_by == "liquidation"
    assert evaluation.outcome.trader_result == D(500)


def test_a_leverage_warning_writes_numbers_as_people_do():
    # 10 BTC at $50,000 on $10 of margin is 50,000x; "5.000e+4x" is not how anyone writes it.
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(50000),
            quantity=D(10),
            margin=D(10),
        ),
        rules=Rules(maintenance_margin_rate=D("0.004"), max_leverage=D("50.00")),
    )
    (warning,) = [w for w in evaluation.warnings if w.code == "leverage_above_platform_max"]
    assert warning.message.startswith("Leverage of 50,000x is above the platform's maximum of 50x")


def test_cross_margin_refuses_a_wallet_already_taken_by_other_positions():
    # A $10 wallet whose other positions need $500 of maintenance is already being liquidated:
    # there is no margin left for this one (it used to say "you lose your −$490.00 deposit").
    with pytest.raises(EngineInputError) as raised:
        evaluate(
            position=Position(
                contract=Contract.LINEAR,
                side=Side.LONG,
                entry_price=D(50000),
                quantity=D(1),
                margin_mode=MarginMode.CROSS,
                wallet_balance=D(10),
                other_maintenance_margin=D(500),
            ),
            rules=FLAT,
        )
    assert raised.value.field == "other_maintenance_margin"


def test_an_opening_fee_that_takes_the_whole_margin_is_refused():
    # $1,000 at 150x is $150,000 of position; a 1% taker fee is $1,500, more than the margin.
    # An exchange would not fill the order; evaluated, it would start with negative equity.
    with pytest.raises(EngineInputError) as raised:
        evaluate(
            position=Position(
                contract=Contract.LINEAR,
                side=Side.SHORT,
                entry_price=D(120000),
                margin=D(1000),
                leverage=D(150),
            ),
            rules=Rules(maintenance_margin_rate=D("0.005"), taker_fee=D("0.01")),
        )
    assert raised.value.field == "margin"
