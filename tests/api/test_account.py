"""POST /api/v1/account: a whole account, its positions' prices, margin ratio and map."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

URL = "/api/v1/account"
TWO = {
    "wallet_balance": 10000,
    "positions": [
        {"symbol": "BTCUSDT", "side": "long", "quantity": 1, "entry_price": 100000},
        {
            "symbol": "ETHUSDT",
            "side": "short",
            "quantity": "20",
            "entry_price": "3500",
            "mark_price": "3600",
        },
    ],
}


def post(client, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def test_url_is_the_documented_one():
    assert reverse("api:account") == URL


@pytest.mark.django_db
def test_an_account_answers_per_position_and_for_the_account(client):
    response = post(client, TWO)
    assert response.status_code == 200
    body = response.json()
    btc, eth = body["positions"]
    assert btc["merged"] == [0] and eth["merged"] == [1]
    # custom rules: 0.4% maintenance. ETH short: −2,000 PnL, 20 × 3,600 × 0.4% = 288.
    assert eth["unrealized_pnl"] == "-2000" and eth["maintenance_margin"] == "288"
    assert btc["maintenance_margin"] == "400"
    assert btc["bankruptcy_price"] == "92000"
    # 10,000 − 2,000 + (P − 100,000) = 288 + 0.004·P
    assert Decimal(btc["liquidation_price"]) == round(Decimal(92288) / Decimal("0.996"), 8)
    assert body["equity"] == "8000" and body["maintenance_margin"] == "688"
    assert body["margin_ratio"] == "0.086"
    everything = body["liquidation_map"]["all"]
    assert [p["move"] for p in everything["points"]][:3] == ["-0.9", "-0.89", "-0.88"]
    assert len(everything["points"]) == 181
    assert everything["bankruptcy_move"] == "-0.285714"  # 8,000 / (100,000 − 72,000)
    assert [s["key"] for s in body["liquidation_map"]["symbols"]] == ["BTCUSDT", "ETHUSDT"]
    deficit = everything["deepest_deficit"]
    assert deficit["deficit"] == "17200"
    assert deficit["coverage"] == [{"party": "trader_debt", "amount": "17200"}]
    assert body["answer"].startswith("Your ETHUSDT short leaves your BTCUSDT long 7.3%")


@pytest.mark.django_db
def test_one_way_merging_is_reported(client):
    body = {
        "wallet_balance": 10000,
        "positions": [
            {"symbol": "BTCUSDT", "quantity": 1, "entry_price": 100000},
            {"symbol": "ETHUSDT", "side": "short", "quantity": 1, "entry_price": 3000},
            {"symbol": "BTCUSDT", "quantity": 1, "entry_price": 90000},
        ],
    }
    positions = post(client, body).json()["positions"]
    assert [p["merged"] for p in positions] == [[0, 2], [1]]
    assert positions[0]["entry_price"] == "95000" and positions[0]["quantity"] == "2"
    hedge = post(client, {**body, "position_mode": "hedge"}).json()["positions"]
    assert [p["merged"] for p in hedge] == [[0, 2], [1]]  # same side still merges


@pytest.mark.django_db
def test_bad_input_gets_field_errors_keyed_by_position(client):
    body = {
        "wallet_balance": 10000,
        "positions": [
            {"quantity": 1, "entry_price": 100},
            {"quantity": 1, "entry_price": 100},
            {"quantity": 1, "entry_price": -5},
        ],
    }
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "positions[2].entry_price": ["Entry price must be more than 0."]
    }
    body["positions"][2] = {"quantity": 1, "entry_price": 100, "colour": "red"}
    assert post(client, body).json()["errors"] == {"positions[2].colour": ["Unknown field."]}
    body["positions"][2] = {"quantity": 1000, "entry_price": 100, "contract": "inverse"}
    errors = post(client, body).json()["errors"]
    assert list(errors) == ["positions[2].contract"]
    body["positions"][2] = {"entry_price": 100, "margin_mode": "isolated", "margin": 10}
    assert list(post(client, body).json()["errors"]) == ["positions[2].margin"]
    assert post(client, {"wallet_balance": 1, "positions": []}).json()["errors"] == {
        "positions": ["Give a list of at least one position."]
    }
    assert post(client, "[1]").status_code == 400
    assert post(client, "{").status_code == 400
    assert client.get(URL).status_code == 405


@pytest.mark.django_db
def test_platform_rules_ratio_and_compare(client, seeded):
    body = {**TWO, "platform": "okx", "compare": ["binance", "aave"]}
    response = post(client, body)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["profile"]["platform"] == "okx"
    level = Decimal(data["platform_ratio"]["value"])
    assert data["platform_ratio"]["name"] == "margin level"
    assert abs(level * Decimal(data["margin_ratio"]) - 1) < Decimal("1e-5")
    compared = {c["platform"]: c for c in data["compared"]}
    assert set(compared) == {"binance", "aave"}
    assert "error" in compared["aave"]
    assert compared["binance"]["positions"][0]["liquidation_price"]


@pytest.mark.django_db
def test_evaluate_is_unchanged_by_the_account_endpoint(client):
    response = client.get(
        "/api/v1/evaluate", {"entry_price": "50000", "leverage": "10", "margin": "1000"}
    )
    assert response.status_code == 200
    assert response.json()["liquidation_price"]


def test_the_openapi_document_describes_the_account(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/account"]["post"]
    assert set(operation["responses"]) >= {"200", "400"}
    request = document["components"]["schemas"]["AccountRequest"]
    assert set(request["properties"]["positions"]["items"]["properties"]) >= {
        "symbol",
        "mark_price",
        "entry_price",
        "quantity",
        "leverage",
        "margin",
    }
    assert "margin_ratio" in document["components"]["schemas"]["Account"]["properties"]


@pytest.mark.django_db
def test_every_key_of_an_answer_is_in_the_schema(client):
    documented = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Account"]
    answer = post(client, TWO).json()
    assert set(answer) <= set(documented["properties"]), set(answer) - set(documented["properties"])
    position = documented["properties"]["positions"]["items"]["properties"]
    assert set(answer["positions"][0]) <= set(position), set(answer["positions"][0]) - set(position)


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "NaN", "Infinity", "-1", "1e999", "0", "abc", "long", "cross"]),
)
position_objects = st.dictionaries(
    st.sampled_from(
        [
            *("symbol", "side", "contract", "margin_mode", "quantity", "entry_price"),
            *("mark_price", "leverage", "margin", "maintenance_margin_rate", "taker_fee"),
        ]
    ),
    values,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(values, st.lists(position_objects, max_size=4), st.sampled_from(["one_way", "hedge", 7]))
def test_never_a_500_nan_or_infinity(wallet, positions, mode):
    response = post(
        Client(), {"wallet_balance": wallet, "positions": positions, "position_mode": mode}
    )
    assert response.status_code in (200, 400)

    def refuse(constant):
        raise AssertionError(f"{constant} in the response")

    json.loads(response.content, parse_constant=refuse)  # no NaN or Infinity literals


@pytest.mark.django_db
def test_a_coin_margined_account_answers_in_coin(client):
    body = {
        "wallet_balance": "1",
        "positions": [
            {
                "symbol": "BTCUSD_PERP",
                "contract": "inverse",
                "quantity": 50000,
                "entry_price": 50000,
            },
            {
                "symbol": "BTCUSD_250328",
                "contract": "inverse",
                "side": "short",
                "quantity": 20000,
                "entry_price": 52000,
                "mark_price": 51000,
            },
        ],
    }
    response = post(client, body)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["currency"] == "coin"
    assert all(p["margin_currency"] == "coin" for p in data["positions"])
    assert data["positions"][0]["liquidation_price"] is not None
    # ETH inverse beside BTC inverse: two coins in one cross wallet are refused
    body["positions"][1]["symbol"] = "ETHUSD_PERP"
    body["positions"][1]["mark_price"] = 3000
    body["positions"][1]["entry_price"] = 3000
    errors = post(client, body).json()["errors"]
    assert list(errors) == ["positions[1].symbol"]
