"""Each platform's own rules, as seeded: stored on the product line, cited, and handed to the
engine (docs/design.md, "Each platform's own rules")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

import engine
from engine import Contract, CrossMarginSharing, MarginMode, Position, Side, evaluate
from platforms import choices
from platforms.models import ProductLine
from platforms.profiles import load_platform, resolve, rules_for
from tests.platforms import factories

pytestmark = pytest.mark.django_db

FUTURES = (choices.Contract.LINEAR, choices.Contract.INVERSE)
# A convention whose stored value differs from the default needs a citation for that field.
DEFAULTS = {
    "close_fee_reserved": False,
    "close_fee_in_maintenance": False,
    "cross_margin_sharing": choices.CrossMarginSharing.WALLET,
}


def test_the_conventions_speak_the_engines_vocabulary():
    assert set(choices.CrossMarginSharing.values) == {c.value for c in engine.CrossMarginSharing}
    assert set(choices.Convention.values) == {c.value for c in engine.Convention}


def test_every_seeded_futures_line_cites_its_conventions(seeded):
    lines = ProductLine.objects.filter(contract__in=FUTURES).prefetch_related("citations")
    for line in lines:
        cited = {c.field_name for c in line.citations.all()}
        for field, default in DEFAULTS.items():
            if getattr(line, field) != default:
                assert field in cited, f"{line}: {field} has no citation"
        if line.supports_cross:
            assert "cross_margin_sharing" in cited, f"{line}: how cross margin is shared"
        assert set(line.conventions_unchecked) <= set(choices.Convention.values)


def test_kucoin_shares_cross_margin_in_proportion_and_phemex_reserves_the_fee(seeded):
    kucoin = rules_for(
        resolve(load_platform("kucoin"), contract="linear", margin_mode="cross", scope=None)
    )
    assert kucoin.cross_margin_sharing == CrossMarginSharing.PROPORTIONAL
    phemex = rules_for(
        resolve(load_platform("phemex"), contract="linear", margin_mode="isolated", scope=None)
    )
    assert phemex.close_fee_reserved and phemex.taker_fee_in_maintenance
    bybit = rules_for(
        resolve(load_platform("bybit"), contract="inverse", margin_mode="isolated", scope=None)
    )
    assert bybit.close_fee_reserved and bybit.close_fee_in_maintenance


def test_a_seeded_answer_names_the_conventions_no_example_checks(seeded):
    # Phemex's cross sharing has no worked example: a cross answer on Phemex says so.
    rules = rules_for(
        resolve(load_platform("phemex"), contract="linear", margin_mode="cross", scope=None)
    )
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=Decimal(50000),
            quantity=Decimal("0.1"),
            margin_mode=MarginMode.CROSS,
            wallet_balance=Decimal(1000),
        ),
        rules=rules,
    )
    assert engine.Convention.CROSS_MARGIN_SHARING in evaluation.unchecked
    # isolated, its fee to close is checked by Phemex's own example: not listed
    isolated = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=Decimal(50000),
            quantity=Decimal("0.1"),
            leverage=Decimal(10),
        ),
        rules=rules_for(
            resolve(load_platform("phemex"), contract="linear", margin_mode="isolated", scope=None)
        ),
    )
    assert evaluation.unchecked and not {
        engine.Convention.CLOSE_FEE_RESERVED,
        engine.Convention.CROSS_MARGIN_SHARING,
    } & set(isolated.unchecked)
    assert isolated.close_fee_reserve > 0


@pytest.mark.parametrize("value", [["no_such_convention"], "settlement", [1]])
def test_unchecked_conventions_must_be_known_names(value):
    line = factories.product_line(factories.platform(), save=False, conventions_unchecked=value)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "conventions_unchecked" in error.value.message_dict


def test_reserving_the_fee_to_close_needs_a_taker_fee():
    line = factories.product_line(factories.platform(), save=False, close_fee_reserved=True)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "taker_fee" in error.value.message_dict
    line.taker_fee = Decimal("0.0006")
    line.full_clean()


def test_the_platform_page_shows_the_conventions(client, seeded):
    page = client.get("/platforms/kucoin/").content.decode()
    assert "Cross margin shared" in page and "KuCoin style" in page
    assert "Without a published example" in page
    bybit = client.get("/platforms/bybit/").content.decode()
    assert "held in an isolated position's margin and counted in maintenance" in bybit


def test_the_api_shares_kucoin_cross_margin_by_value_and_says_what_is_unchecked(client, seeded):
    query = {
        "platform": "kucoin",
        "contract": "linear",
        "side": "long",
        "margin_mode": "cross",
        "entry_price": "62000",
        "quantity": "0.01",
        "wallet_balance": "1000",
        "other_position_value": "3800",
    }
    body = client.get("/api/v1/evaluate", query).json()
    # 620 of 4,420 in value: the position holds 1000 × 620 / 4420 of the margin, less its fee
    share = Decimal(1000) * Decimal(620) / Decimal(4420) - Decimal("0.0006") * Decimal(620)
    assert abs(Decimal(body["margin"]) - share) < Decimal("1e-8")  # the API's 8 places
    assert body["conventions_without_published_example"] == ["fees_from_margin"]
    assert body["liquidation_steps"] == [] and body["close_fee_reserve"] == "0"


def test_the_maths_shows_the_fee_to_close_and_what_no_example_checks(client, seeded):
    query = {
        "platform": "phemex",
        "contract": "linear",
        "side": "long",
        "margin_mode": "isolated",
        "entry_price": "50000",
        "leverage": "10",
        "margin": "1000",
        "crash": "0.5",
    }
    page = client.get("/calculator/maths", query, headers={"HX-Request": "true"}).content.decode()
    assert "Fee to close, at the bankruptcy price" in page
    assert "Checked against the platform?" in page  # the settlement at bankruptcy


def test_the_account_page_says_kucoin_shares_cross_margin_by_value(client, seeded):
    query = {
        "platform": "kucoin",
        "wallet_balance": "1000",
        "positions-TOTAL_FORMS": "2",
        "positions-INITIAL_FORMS": "0",
        "positions-0-symbol": "XBTUSDTM",
        "positions-0-quantity": "0.01",
        "positions-0-entry_price": "62000",
        "positions-1-symbol": "ETHUSDTM",
        "positions-1-side": "short",
        "positions-1-quantity": "1",
        "positions-1-entry_price": "3800",
    }
    response = client.get("/account/", query)
    assert response.context["valid"]
    assert "in proportion to its value" in response.content.decode()


def test_the_account_api_names_how_cross_margin_is_shared(client, seeded):
    body = {
        "platform": "kucoin",
        "wallet_balance": 1000,
        "positions": [
            {"symbol": "XBTUSDTM", "side": "long", "quantity": "0.01", "entry_price": 62000},
            {"symbol": "ETHUSDTM", "side": "short", "quantity": "1", "entry_price": 3800},
        ],
    }
    response = client.post("/api/v1/account", data=body, content_type="application/json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["cross_margin_sharing"] == "proportional"
    btc, eth = data["positions"]
    # the short's share: 3800 of 4420 in value; liquidated like an isolated short with it
    assert Decimal(eth["liquidation_price"]) > Decimal(3800)
    assert Decimal(btc["liquidation_price"]) < Decimal(62000)
