"""Collateral assets through /api/v1/evaluate: valued at the platform's stored haircut, the
traded coin moving with the price, and every bad input a 400 on the field."""

import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def collateral(seeded):
    call_command("seed_collateral", verbosity=0)


def post(client, body):
    return client.post("/api/v1/evaluate", json.dumps(body), content_type="application/json")


def test_binance_multi_assets_wallet_from_a_list_of_assets(client, collateral):
    body = {
        "platform": "binance",
        "margin_mode": "cross",
        "entry_price": 60000,
        "quantity": 1,
        "collateral_assets": [
            {"asset": "BNB", "amount": 2, "price": 500},
            {"asset": "BTC", "amount": 0.5},
        ],
    }
    response = post(client, body)
    assert response.status_code == 200, response.json()
    collateral = response.json()["collateral"]
    # Binance FAQ: BNB worth $1,000 counts $950; BTC at a 5% haircut too
    assert D(collateral["assets"][0]["collateral_value"]) == D(950)
    assert D(collateral["assets"][1]["collateral_value"]) == D(28500)
    assert D(collateral["collateral_value"]) == D(29450)
    assert D(collateral["moves_with_price"]) == D("0.475")
    assert collateral["scheme"] == "USDⓈ-M Multi-Assets mode"


def test_coin_collateral_moves_liquidation_closer(client, collateral):
    def liquidation(assets):
        response = client.get(
            "/api/v1/evaluate",
            {
                "margin_mode": "cross",
                "entry_price": "60000",
                "quantity": "1",
                "collateral_assets": assets,
            },
        )
        assert response.status_code == 200, response.json()
        return D(response.json()["liquidation_price"])

    # the same 30,000 dollars at entry: in BTC they fall with the long
    assert liquidation("BTC:0.5") > liquidation("USDT:30000")


@pytest.mark.parametrize(
    ("assets", "message"),
    [
        ("BTC:abc", "must be a number"),
        ("BTC:-1", "above zero"),
        ("BTC", "Could not read"),
        ("BTC:1, BTC:2", "each asset once"),
        ("BTC:1, ETH:2", "Only the coin you trade"),
        ("BTC:1e400", "cannot be above"),
        ("BTC:nan", "must be a number above zero"),
        ("DOGE:5@0.1", "not accepted as collateral"),
    ],
)
def test_bad_assets_are_field_errors(client, collateral, assets, message):
    response = client.get(
        "/api/v1/evaluate",
        {
            "platform": "binance",
            "margin_mode": "cross",
            "entry_price": "60000",
            "quantity": "1",
            "collateral_assets": assets,
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(message in text for text in errors["collateral_assets"]), errors


def test_collateral_assets_need_cross_margin_and_no_wallet(client, collateral):
    response = post(
        client,
        {
            "entry_price": 60000,
            "quantity": 1,
            "margin": 1000,
            "collateral_assets": "USDT:1000",
        },
    )
    assert response.status_code == 400
    assert "choose cross" in response.json()["errors"]["collateral_assets"][0]
    both = post(
        client,
        {
            "margin_mode": "cross",
            "entry_price": 60000,
            "quantity": 1,
            "wallet_balance": 1000,
            "collateral_assets": "USDT:1000",
        },
    )
    assert both.status_code == 400
    assert "not both" in both.json()["errors"]["wallet_balance"][0]


def test_platform_without_multi_asset_collateral_says_so(client, collateral):
    response = client.get(
        "/api/v1/evaluate",
        {
            "platform": "bitmex",
            "margin_mode": "cross",
            "entry_price": "60000",
            "quantity": "1",
            "collateral_assets": "USDT:1000",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"]["collateral_assets"] == [
        "Our BitMEX profile stores no multi-asset collateral: give the wallet balance instead."
    ]


def test_object_list_with_unknown_keys_is_a_field_error(client, collateral):
    response = post(
        client,
        {
            "margin_mode": "cross",
            "entry_price": 60000,
            "quantity": 1,
            "collateral_assets": [{"asset": "BTC", "amount": 1, "haircut": 0.1}],
        },
    )
    assert response.status_code == 400
    assert "Unknown key" in response.json()["errors"]["collateral_assets"][0]


def test_loan_to_value_beside_the_health_factor(client, seeded):
    response = client.get(
        "/api/v1/evaluate",
        {
            "contract": "loan",
            "entry_price": "2000",
            "collateral": "5",
            "debt": "6000",
            "liquidation_threshold": "0.8",
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert D(body["loan_to_value"]) == D("0.6")
    assert round(D(body["health_factor"]), 3) == D("1.333")


def account(client, body):
    return client.post("/api/v1/account", json.dumps(body), content_type="application/json")


POSITION = {"symbol": "BTCUSDT", "side": "long", "entry_price": 60000, "quantity": 1}


def test_account_wallet_from_assets_at_okx_discount_rates(client, collateral):
    response = account(
        client,
        {
            "platform": "okx",
            "collateral_assets": [{"asset": "BTC", "amount": 22, "price": 1000}],
            "positions": [POSITION],
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    # OKX API example tiers: 20 × 0.98 + 2 × 0.9775 = 21.555 BTC, at 1,000 each
    assert D(body["collateral"]["collateral_value"]) == D(21555)
    assert D(body["wallet_balance"]) == D(21555)


def test_account_needs_a_wallet_or_assets_and_prices(client, collateral):
    neither = account(client, {"positions": [POSITION]})
    assert neither.status_code == 400
    assert neither.json()["errors"]["wallet_balance"] == ["Enter wallet balance."]
    priceless = account(client, {"collateral_assets": "BTC:1", "positions": [POSITION]})
    assert priceless.status_code == 400
    assert "give each coin's price" in priceless.json()["errors"]["collateral_assets"][0]
    both = account(
        client,
        {"wallet_balance": 100, "collateral_assets": "USDT:100", "positions": [POSITION]},
    )
    assert both.status_code == 400
    assert "not both" in both.json()["errors"]["wallet_balance"][0]


def test_aave_loan_with_other_collateral_liquidated_call_by_call(client, collateral):
    # Aave profile: WETH loan's own threshold from the platform profile; WBTC beside it at the
    # stored V3 Ethereum launch parameters (LT 0.82, bonus 5.2%); close factor 50% above
    # HF 0.95 (Aave docs, "Liquidations").
    response = client.get(
        "/api/v1/evaluate",
        {
            "platform": "aave",
            "contract": "loan",
            "entry_price": "2000",
            "collateral": "5",
            "debt": "9000",
            "collateral_assets": "WBTC:0.1@30000",
            "fill_price": "1500",
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert D(body["loan_to_value"]) == round(D(9000) / D(13000), 6)
    calls = body["loan_liquidation"]["calls"]
    assert calls, body["loan_liquidation"]
    # HF at 1,500: (7,500 × LT + 3,000 × 0.82) / 9,000 is above 0.95 → half the debt first
    assert D(calls[0]["repaid"]) == D(4500)
    assert body["loan_liquidation"]["healthy"]


def test_loan_collateral_refused_where_the_lender_takes_no_such_asset(client, collateral):
    response = client.get(
        "/api/v1/evaluate",
        {
            "platform": "aave",
            "contract": "loan",
            "entry_price": "2000",
            "collateral": "5",
            "debt": "6000",
            "collateral_assets": "DOGE:100@0.1",
        },
    )
    assert response.status_code == 400
    assert "DOGE is not accepted" in response.json()["errors"]["collateral_assets"][0]


def test_loan_crash_to_zero_never_fails(client, collateral):
    response = client.get(
        "/api/v1/evaluate",
        {
            "contract": "loan",
            "entry_price": "2000",
            "collateral": "5",
            "debt": "6000",
            "liquidation_threshold": "0.8",
            "liquidation_penalty": "0.05",
            "collateral_assets": "USDC:1000",
            "crash": "1",
        },
    )
    assert response.status_code == 200, response.json()
    liquidation = response.json()["loan_liquidation"]
    assert D(liquidation["bad_debt"]) > 0


ODD_INPUTS = [
    "[{}]",
    "[1]",
    '[{"asset": "BTC", "amount": true}]',
    '[{"asset": 5, "amount": 1}]',
    "BTC:1@0",
    ":",
    ",,,",
    "[",
    "BTC:1@1e-30",
    "BTC:99999999999999@999999999999",
    '[{"asset": "BTC", "amount": "1", "price": null}]',
    "BTC:1@nan",
    "BTC:inf",
]


def test_odd_collateral_inputs_are_answers_or_field_errors(client, collateral):
    for contract in ("linear", "loan", "inverse"):
        for value in ODD_INPUTS:
            query = {
                "contract": contract,
                "margin_mode": "isolated" if contract == "loan" else "cross",
                "entry_price": "60000",
                "collateral_assets": value,
                "platform": "binance" if contract != "loan" else "aave",
                "crash": "0.5",
            }
            if contract == "loan":
                query.update(collateral="1", debt="100")
            else:
                query["quantity"] = "1"
            response = client.get("/api/v1/evaluate", query)
            assert response.status_code in (200, 400), (contract, value)
            text = response.content.decode()
            assert "NaN" not in text and "Infinity" not in text
