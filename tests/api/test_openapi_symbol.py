"""With a `symbol`, the entry price is optional (it defaults to the market's last mark price):
the published document says so, and the API answers as it says."""

import jsonschema_rs
import pytest
from django.core.management import call_command

from api.openapi import ENTRY_OR_SYMBOL
from markets.models import Market

OPERATIONS = ("/api/v1/evaluate", "/api/v1/stress", "/api/v1/simulate")


def document(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def body(doc: dict, path: str) -> dict:
    schema = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_the_entry_price_is_required_only_without_a_symbol(client):
    doc = document(client)
    for path in OPERATIONS:
        schema = body(doc, path)
        assert "entry_price" not in schema["required"]
        assert schema["description"] == ENTRY_OR_SYMBOL
        entry = next(
            p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == "entry_price"
        )
        assert entry["required"] is False and ENTRY_OR_SYMBOL in entry["description"]
    # the stress replay still needs its incident
    assert body(doc, "/api/v1/stress")["required"] == ["incident"]


def test_the_schema_takes_a_body_with_a_symbol_and_no_entry_price(client):
    request = jsonschema_rs.Draft202012Validator(
        document(client)["components"]["schemas"]["Request"]
    )
    position = {"platform": "hyperliquid", "margin": 1000, "leverage": 5}
    assert request.is_valid({**position, "symbol": "BTC"})
    assert request.is_valid({**position, "entry_price": 100})


@pytest.mark.django_db
def test_a_body_with_a_symbol_and_no_entry_price_is_answered_at_the_mark(client, seeded):
    call_command("import_markets", platform="hyperliquid", from_recording=True, verbosity=0)
    market = next(
        m
        for m in Market.objects.filter(product_line__platform__slug="hyperliquid")
        if hasattr(m, "latest_quote") and m.latest_quote.mark_price
    )
    position = {"platform": "hyperliquid", "symbol": market.symbol, "margin": 1000, "leverage": 2}
    response = client.post("/api/v1/evaluate", position, content_type="application/json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["market"]["entry_from_mark"] is True
    assert answer["market"]["symbol"] == market.symbol
    # without a symbol the entry price is asked for, as before
    del position["symbol"]
    refused = client.post("/api/v1/evaluate", position, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["entry_price"] == ["Enter entry price."]
    # a market we hold no mark price for: the 400 names the field and the market
    unmarked = Market.objects.filter(product_line__platform__slug="hyperliquid").exclude(
        latest_quote__mark_price__isnull=False
    )
    if unmarked.exists():
        position["symbol"] = unmarked.first().symbol
        no_mark = client.post("/api/v1/evaluate", position, content_type="application/json")
        assert no_mark.status_code == 400 and "entry_price" in no_mark.json()["errors"]


@pytest.mark.django_db
def test_simulate_also_starts_at_the_mark(client, seeded):
    call_command("import_markets", platform="hyperliquid", from_recording=True, verbosity=0)
    position = {"platform": "hyperliquid", "symbol": "BTC", "margin": 1000, "leverage": 2}
    response = client.get("/api/v1/simulate", position)
    assert response.status_code == 200, response.json()
