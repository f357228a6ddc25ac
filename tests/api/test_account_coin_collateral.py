"""POST /api/v1/account with the wallet as assets: a coin that is the base of the account's
positions moves with their mark (engine/account.py), at the platform's haircut."""

import json
from decimal import Decimal
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

LONG = {
    "symbol": "BTCUSDT",
    "side": "long",
    "quantity": 1,
    "entry_price": 100000,
    "maintenance_margin_rate": "0.005",
    "taker_fee": "0",
}


def account(client, body):
    return client.post("/api/v1/account", json.dumps(body), content_type="application/json")


def test_worked_btc_long_backed_by_btc_against_the_same_value_in_usdt(client):
    # Custom rules count every asset in full. 1 BTC long at 100,000, maintenance 0.5%, no fee.
    # BTC wallet, 0.1 BTC at 100,000: at price P equity = 0.1·P + (P − 100,000) = 1.1·P − 100,000
    # and maintenance 0.005·P, so liquidation at 100,000 / 1.095 = 91,324.20 (8.68% below) and
    # bankruptcy at 100,000 / 1.1 = 90,909.09.
    # USDT wallet, 10,000: 10,000 + P − 100,000 = 0.005·P → 90,000 / 0.995 = 90,452.26 (9.55%
    # below), bankruptcy 90,000.
    btc = account(client, {"collateral_assets": "BTC:0.1@100000", "positions": [LONG]})
    usdt = account(client, {"collateral_assets": "USDT:10000", "positions": [LONG]})
    assert btc.status_code == usdt.status_code == 200, btc.json()
    mine, theirs = btc.json(), usdt.json()
    assert D(mine["wallet_balance"]) == D(theirs["wallet_balance"]) == D(10000)
    assert D(mine["positions"][0]["liquidation_price"]) == D("91324.20091324")
    assert D(mine["positions"][0]["bankruptcy_price"]) == D("90909.09090909")
    assert D(mine["liquidation_map"]["all"]["liquidation_move"]) == D("-0.086758")
    assert D(theirs["positions"][0]["liquidation_price"]) == D("90452.26130653")
    assert D(theirs["positions"][0]["bankruptcy_price"]) == D(90000)
    assert D(theirs["liquidation_map"]["all"]["liquidation_move"]) == D("-0.095477")
    assert mine["moving_collateral"] == ["BTC"] and theirs["moving_collateral"] == []


def test_a_coin_no_position_trades_keeps_its_value(client):
    eth = account(client, {"collateral_assets": "ETH:4@2500", "positions": [LONG]})
    usdt = account(client, {"collateral_assets": "USDT:10000", "positions": [LONG]})
    assert eth.status_code == usdt.status_code == 200, eth.json()
    assert eth.json()["positions"] == usdt.json()["positions"]
    assert eth.json()["liquidation_map"] == usdt.json()["liquidation_map"]
    assert eth.json()["moving_collateral"] == []  # ETH backs a BTC long: it does not move


def test_okx_tiered_haircut_moves_with_the_mark(client, seeded):
    call_command("seed_collateral", verbosity=0)
    # OKX's tiers (its API example, tests/api/test_collateral.py): 22 BTC count as
    # 20 × 0.98 + 2 × 0.9775 = 21.555 BTC; at 1,000 that is 21,555 in the wallet. With every
    # mark 10% lower the BTC counts 2,155.5 less, beside the long's own 1 × 60,000 × 10% = 6,000.
    response = account(
        client,
        {
            "platform": "okx",
            "collateral_assets": "BTC:22@1000",
            "positions": [
                {"symbol": "BTC-USDT-SWAP", "side": "long", "quantity": 1, "entry_price": 60000}
            ],
        },
    )
    assert response.status_code == 200, response.json()
    points = {
        D(p["move"]): D(p["equity"]) for p in response.json()["liquidation_map"]["all"]["points"]
    }
    assert points[D(0)] - points[D("-0.1")] == D("8155.5")


def test_the_page_says_the_btc_collateral_moves_with_btc(client):
    response = client.get(
        "/account/",
        {
            "collateral_assets": "BTC:0.1@100000",
            "positions-TOTAL_FORMS": 1,
            "positions-INITIAL_FORMS": 0,
            "positions-0-symbol": "BTCUSDT",
            "positions-0-side": "long",
            "positions-0-quantity": 1,
            "positions-0-entry_price": 100000,
        },
    )
    assert response.status_code == 200
    assert response.context["valid"], response.context["form"].errors
    assert "The BTC collateral moves with BTC's price" in response.content.decode()


@settings(max_examples=15, deadline=None)
@given(
    held=st.decimals(min_value=Decimal("0.01"), max_value=5, places=3),
    quantity=st.decimals(min_value=Decimal("0.1"), max_value=3, places=2),
    price=st.integers(min_value=20000, max_value=150000),
)
def test_btc_collateral_is_never_further_from_liquidation_than_usdt(held, quantity, price):
    # the same counted value (custom rules: in full) as BTC or as USDT, backing a BTC long
    client = Client()
    long = {"symbol": "BTCUSDT", "side": "long", "quantity": str(quantity), "entry_price": price}
    btc = account(client, {"collateral_assets": f"BTC:{held}@{price}", "positions": [long]})
    usdt = account(client, {"collateral_assets": f"USDT:{held * price}", "positions": [long]})
    assert btc.status_code == usdt.status_code == 200, btc.json()
    mine, theirs = btc.json()["liquidation_map"]["all"], usdt.json()["liquidation_map"]["all"]
    # None: no price liquidates it (a USDT wallet as large as the position); BTC falls with it
    if theirs["liquidation_move"] is not None:
        assert mine["liquidation_move"] is not None
        assert abs(D(mine["liquidation_move"])) <= abs(D(theirs["liquidation_move"]))
    # no coin in the wallet: the same answer
    plain = account(client, {"wallet_balance": str(held * price), "positions": [long]})
    assert plain.json()["liquidation_map"] == usdt.json()["liquidation_map"]
