"""The seeded profiles, through the API, give the figures the exchanges publish for them."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_bitmex_linear_reproduces_karens_cross_margin_example(client, seeded):
    # BitMEX, "Isolated and Cross Margin Examples", Example one
    # (https://www.bitmex.com/app/isolatedMarginExamples): "Karen's BitMEX account wallet has
    # 10,000 USDT. She buys 20 contracts of ETHUSDT at the price of $1,000 at 50x Cross Margin.
    # The required initial margin is 2% = 400 USDT, and the maintenance margin is 1% = 200 USDT.
    # [...] Her liquidation and bankruptcy prices are 510 and 500, respectively."
    body = client.get(
        "/api/v1/evaluate",
        {
            "platform": "bitmex",
            "contract": "linear",
            "margin_mode": "cross",
            "wallet_balance": "10000",
            "entry_price": "1000",
            "quantity": "20",
        },
    ).json()
    assert Decimal(body["maintenance_margin"]) == 200
    assert Decimal(body["liquidation_price"]) == 510
    assert Decimal(body["bankruptcy_price"]) == 500
