"""The safety answers on the page and in the API: each a sentence with the engine's number."""

from decimal import Decimal as D

import pytest

from engine import Contract, Position, Scenario, Side, evaluate
from engine.safety import margin_to_add, safe_leverage, stop_for_loss
from platforms.profiles import load_platform, resolve, rules_for

pytestmark = pytest.mark.django_db

QUERY = (
    "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
    "&max_loss=250&liquidation_target=40000"
)


def binance_answers():
    profile = resolve(load_platform("binance"), contract="linear", margin_mode="isolated")
    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(50000),
        margin=D(1000),
        leverage=D(10),
    )
    evaluation = evaluate(
        position=position, rules=rules_for(profile), scenario=Scenario(gap=D("0.05"))
    )
    return (
        safe_leverage(evaluation=evaluation),
        margin_to_add(evaluation=evaluation, target=D(40000)),
        stop_for_loss(evaluation=evaluation, max_loss=D(250), gap=D("0.05")),
    )


def test_the_api_gives_each_safety_number_with_its_sentence(client, seeded):
    leverage, margin, stop = binance_answers()
    body = client.get("/api/v1/evaluate?" + QUERY).json()
    safety = body["safety"]
    assert D(safety["safe_leverage"]["leverage"]) == leverage.leverage
    assert D(safety["margin_to_add"]["amount"]) == margin.amount
    assert D(safety["stop_for_loss"]["stop_price"]) == stop.stop_price
    sentences = " ".join(safety["sentences"])
    assert f"use at most {leverage.leverage.normalize():f}×" in sentences
    assert f"Add ${margin.amount:,.2f} of margin" in sentences
    assert f"A stop at ${stop.stop_price:,.2f} caps your loss at $250.00" in sentences


def test_the_page_shows_the_safety_sentences_and_their_maths(client, seeded):
    _leverage, margin, stop = binance_answers()
    html = client.get("/?" + QUERY).content.decode()
    assert "Staying safe, in numbers" in html
    assert f"Add ${margin.amount:,.2f} of margin" in html
    assert f"A stop at ${stop.stop_price:,.2f}" in html
    assert "Highest leverage without a deficit" in html  # the maths box


def test_without_the_questions_only_the_leverage_is_answered(client, seeded):
    body = client.get(
        "/api/v1/evaluate?platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
    ).json()
    assert body["safety"]["margin_to_add"] is None and body["safety"]["stop_for_loss"] is None
    assert body["safety"]["safe_leverage"] is not None
    none = client.get(
        "/api/v1/evaluate?platform=binance&entry_price=50000&margin=1000&leverage=10"
    ).json()
    assert none["safety"]["safe_leverage"] is None and none["safety"]["sentences"] == []


@pytest.mark.parametrize(
    ("field", "value"), [("max_loss", "-5"), ("max_loss", "abc"), ("liquidation_target", "0")]
)
def test_bad_safety_questions_are_field_errors(client, seeded, field, value):
    response = client.get(
        "/api/v1/evaluate?platform=binance&entry_price=50000&margin=1000&leverage=10"
        f"&{field}={value}"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_target_on_the_wrong_side_says_no_margin_helps(client, seeded):
    body = client.get(
        "/api/v1/evaluate?platform=binance&entry_price=50000&margin=1000&leverage=10"
        "&liquidation_target=60000"
    ).json()
    assert body["safety"]["margin_to_add"]["amount"] is None
    assert "wrong side of your entry price" in " ".join(body["safety"]["sentences"])
