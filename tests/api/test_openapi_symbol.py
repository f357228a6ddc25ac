"""With a `symbol`, the entry price is optional (it defaults to the market's last mark price):
the published document says so, and what it lets through is what the API answers."""

import jsonschema_rs
import pytest
from django.core.management import call_command

from markets.models import Market


def document(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def test_the_entry_price_is_required_unless_a_symbol_is_named(client):
    doc = document(client)
    schemas = [doc["components"]["schemas"]["Request"]]
    for path in ("/api/v1/stress", "/api/v1/simulate"):
        schemas.append(
            doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        )
    for schema in schemas:
        assert "entry_price" not in schema["required"]
        assert {"anyOf": [{"required": ["entry_price"]}, {"required": ["symbol"]}]} in schema[
            "allOf"
        ]
    for path in ("/api/v1/evaluate", "/api/v1/stress", "/api/v1/simulate"):
        entry = next(
            p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == "entry_price"
        )
        assert entry["required"] is False
    # the stress replay still needs its incident
    stress = doc["paths"]["/api/v1/stress"]["post"]["requestBody"]["content"]["application/json"]
    assert stress["schema"]["required"] == ["incident"]


def test_the_schema_refuses_a_body_with_neither_and_takes_one_with_a_symbol(client):
    doc = document(client)
    request = jsonschema_rs.Draft202012Validator(doc["components"]["schemas"]["Request"])
    position = {"platform": "hyperliquid", "margin": 1000, "leverage": 5}
    assert not request.is_valid(position)
    assert request.is_valid({**position, "symbol": "BTC"})
    assert request.is_valid({**position, "entry_price": 100})


@pytest.mark.django_db
def test_a_body_with_a_symbol_and_no_entry_price_is_answered_at_the_mark(client, seeded):
    call_command("import_markets", platform="hyperliquid", from_recording=True, verbosity=0)
    market = next(
        m
        for m in Market.objects.filter(product_line__platform__slug="hyperliquid")
        if m.latest_quote is not None and m.latest_quote.mark_price
    )
    body = {"platform": "hyperliquid", "symbol": market.symbol, "margin": 1000, "leverage": 2}
    response = client.post("/api/v1/evaluate", body, content_type="application/json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["market"]["entry_from_mark"] is True
    assert answer["market"]["symbol"] == market.symbol
    # without a symbol the entry price is asked for, as before
    del body["symbol"]
    refused = client.post("/api/v1/evaluate", body, content_type="application/json")
    assert refused.status_code == 400 and "entry_price" in refused.json()["errors"]
