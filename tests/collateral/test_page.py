"""The calculator page offers the collateral-assets input where the platform counts several
assets, and answers with them like the API does."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def collateral(seeded):
    call_command("seed_collateral", verbosity=0)


def block(page: str) -> str:
    return re.search(r'<div id="collateral-assets"[^>]*>', page).group(0)


def test_input_shown_for_a_platform_with_multi_asset_collateral(client, collateral):
    page = client.get("/", {"platform": "binance", "margin_mode": "cross"}).content.decode()
    tag = block(page)
    assert "hidden" not in tag
    assert "binance" in tag and "okx" in tag and "bybit" in tag


def test_input_hidden_for_a_platform_without(client, collateral):
    page = client.get("/", {"platform": "bitmex"}).content.decode()
    assert "hidden" in block(page)


def test_page_answers_with_collateral_assets_and_shows_errors(client, collateral):
    query = {
        "platform": "binance",
        "margin_mode": "cross",
        "entry_price": "60000",
        "quantity": "1",
        "collateral_assets": "BTC:0.5, USDT:1000",
    }
    response = client.get("/", query)
    assert response.status_code == 200
    assert response.context["valid"]
    # 0.5 BTC at a 5% haircut and 1,000 USDT at 99.99%
    assert response.context["evaluation"].position.wallet_balance == Decimal("29499.9")
    bad = client.get("/", {**query, "collateral_assets": "DOGE:1@0.1"})
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "DOGE is not accepted as collateral on this platform." in page


def test_page_shows_what_the_assets_count_for_and_a_loans_loan_to_value(client, collateral):
    page = client.get(
        "/",
        {
            "platform": "binance",
            "margin_mode": "cross",
            "entry_price": "60000",
            "quantity": "1",
            "collateral_assets": "BNB:2@500",
        },
    ).content.decode()
    assert "Collateral counted" in page
    assert "$950" in page and "$1,000" in page
    loan = client.get(
        "/",
        {
            "contract": "loan",
            "entry_price": "2000",
            "collateral": "5",
            "debt": "6000",
            "liquidation_threshold": "0.8",
        },
    ).content.decode()
    assert "Loan-to-value" in loan and "60.0%" in loan


def test_page_tells_a_loans_liquidation_call_by_call(client, collateral):
    # Aave (stored close factor 50% above HF 0.95): 5 WETH at 1,500 and 0.1 WBTC at 30,000
    # against 9,000 → one call repays half
    page = client.get(
        "/",
        {
            "platform": "aave",
            "contract": "loan",
            "entry_price": "2000",
            "collateral": "5",
            "debt": "9000",
            "collateral_assets": "WBTC:0.1@30000",
            "fill_price": "1500",
        },
    ).content.decode()
    assert "Lender&#x27;s liquidation" in page or "Lender's liquidation" in page
    assert "1 call repays $4,500.00" in page
