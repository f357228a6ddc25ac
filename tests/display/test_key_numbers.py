"""The key numbers beside the answer, and the words for what a move leaves you with."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string

from calculator.answer import Answer, KeyNumber, key_numbers, outcome_words
from engine import (
    Contract,
    CoverageStep,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    evaluate,
)

# $1,000 at 10x long from $50,000 at 0.5% maintenance: bankrupt at $45,000.
POSITION = Position(
    contract=Contract.LINEAR, side=Side.LONG, entry_price=D(50000), margin=D(1000), leverage=D(10)
)
FUND = Rules(maintenance_margin_rate=D("0.005"), waterfall=(CoverageStep(Party.INSURANCE_FUND),))
NOTHING = Rules(maintenance_margin_rate=D("0.005"))


def numbers_of(rules, scenario=None):
    evaluation = evaluate(position=POSITION, rules=rules, scenario=scenario)
    return {n.label: n.value for n in key_numbers(evaluation)}, evaluation


def test_a_fill_at_40000_leaves_a_5000_deficit_that_a_broker_without_protection_bills():
    numbers, evaluation = numbers_of(NOTHING, Scenario(fill_price=D(40000)))
    # The fill at $40,000 is $5,000 below the $45,000 bankruptcy price: 0.2 BTC × $5,000.
    assert numbers["Bankruptcy price"] == "$45,000.00"
    assert numbers["Deficit"] == "$1,000.00"
    assert numbers["After the move"] == "you owe $1,000.00" == outcome_words(evaluation.outcome)
    assert numbers["Position size"] == "$10,000.00 at 10×"


def test_an_insurance_fund_takes_the_deficit_and_the_words_say_nothing_is_owed():
    numbers, _ = numbers_of(FUND, Scenario(fill_price=D(40000)))
    assert numbers["Deficit"] == "$1,000.00"
    assert numbers["After the move"] == "deposit lost, nothing owed"


def test_a_small_move_leaves_money_and_no_move_shows_no_result():
    numbers, _ = numbers_of(FUND, Scenario(crash=D("0.05")))
    assert numbers["After the move"] == "you keep $500.00"  # 0.2 BTC × $2,500
    without, _ = numbers_of(FUND)
    assert "After the move" not in without and "Deficit" not in without


def test_key_number_items_escape_and_mark_what_tests_read():
    _, evaluation = numbers_of(FUND)
    html = render_to_string("calculator/_key_numbers.html", {"numbers": key_numbers(evaluation)})
    assert '<dd data-testid="liquidation-price">' in html
    assert "<dt>Distance to liquidation</dt><dd>" in html
    odd = render_to_string(
        "calculator/_key_numbers.html", {"numbers": [KeyNumber("A<b>", "<script>", 'x"y')]}
    )
    assert (
        odd.strip()
        == '<div><dt>A&lt;b&gt;</dt><dd data-testid="x&quot;y">&lt;script&gt;</dd></div>'
    )


def test_costs_say_what_comes_on_top_of_the_margin_and_what_comes_out_of_it():
    # 0.06% of $10,000 is $6; 0.01% funding every 8 h for 24 h on $10,000 is $3.
    held = replace(POSITION, holding_hours=D(24))
    fee = replace(NOTHING, taker_fee=D("0.0006"), funding_rate=D("0.0001"))
    from_margin = {n.label: n.value for n in key_numbers(evaluate(position=held, rules=fee))}
    assert from_margin["Costs"] == "$6.00 opening fee; $3.00 funding paid"
    # Bitget takes its fee from the account balance, not the position's margin
    on_top = replace(fee, fees_from_margin=False, funding_rate=D("-0.0001"))
    beside = {n.label: n.value for n in key_numbers(evaluate(position=held, rules=on_top))}
    assert beside["Costs"] == "$6.00 opening fee (from your balance); $3.00 funding received"
    none, _ = numbers_of(NOTHING)
    assert "Costs" not in none


def test_the_answer_says_a_fee_taken_from_the_balance_was_lost_besides_the_deposit():
    from calculator.answer import build_answer

    fee = replace(NOTHING, taker_fee=D("0.0006"))
    for rules, said in ((replace(fee, fees_from_margin=False), True), (fee, False)):
        evaluation = evaluate(position=POSITION, rules=rules, scenario=Scenario(gap=D("0.05")))
        details = build_answer(evaluation, None, []).details
        sentence = "The $6.00 opening fee came from your balance, on top of the deposit."
        assert (sentence in details) is said  # from the margin, the deposit already counts it


@pytest.mark.parametrize("length", [1, 89, 90, 91, 140])
def test_an_answers_title_is_cut_where_truncatechars_would_cut_it(length):
    headline = ("On Binance you lose your $1,000.00 deposit but owe nothing: " * 3)[:length]
    assert Answer(headline).title == truncatechars(headline, 90)
