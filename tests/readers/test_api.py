"""POST /api/v1/account with `source`: the account read from a public address, replayed from
recordings with respx."""

from __future__ import annotations

import json

import httpx
import pytest
from django.core.cache import cache

from tests.readers.conftest import (
    DYDX_ADDRESS,
    DYDX_FLAT_ADDRESS,
    HL_ADDRESS,
    HL_URL,
    recording,
)

URL = "/api/v1/account"
pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def test_a_hyperliquid_address_answers_its_account_and_what_was_read(
    client, seeded, reading_on, platforms
):
    response = post(client, {"source": {"platform": "hyperliquid", "address": HL_ADDRESS}})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert len(body["positions"]) == 12
    assert body["profile"]["platform"] == "hyperliquid"
    source = body["source"]
    assert source["platform"] == "hyperliquid" and source["address"] == HL_ADDRESS
    assert source["read_at"].endswith("Z")
    assert source["balances"]["withdrawable"] == "1010.57173"
    assert source["positions"][0]["symbol"] == "BTC"
    assert source["positions"][0]["mark_price"] == "26961.2"
    # Hyperliquid's own liquidation price, beside ours (its maintenance rules are its own)
    assert source["positions"][0]["stated_liquidation_price"] == "173198.69592357"
    assert source["positions"][1]["stated_liquidation_price"] is None
    btc = body["positions"][0]
    assert btc["symbol"] == "BTC" and btc["side"] == "short" and btc["mark_price"] == "26961.2"
    assert body["liquidation_map"]["all"] is not None
    assert body["answer"]
    # the request went to Hyperliquid's info endpoint with the address in the body
    sent = json.loads(platforms.calls.last.request.content)
    assert sent == {"type": "clearinghouseState", "user": HL_ADDRESS}


def test_the_read_account_compares_across_platforms(client, seeded, reading_on, platforms):
    response = post(
        client,
        {"source": {"platform": "hyperliquid", "address": HL_ADDRESS}, "compare": ["binance"]},
    )
    assert response.status_code == 200
    (other,) = response.json()["compared"]
    assert other["platform"] == "binance"


def test_a_dydx_subaccount_is_read_with_oracle_marks(client, seeded, reading_on, platforms):
    response = post(
        client, {"source": {"platform": "dydx", "address": DYDX_ADDRESS, "subaccount": 0}}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    (btc,) = body["positions"]
    assert btc["mark_price"] == "89919.2" and btc["entry_price"] == "43000"
    assert body["wallet_balance"] == "121500"
    assert body["source"]["subaccount"] == 0


def test_no_open_positions_is_a_200_with_an_empty_account_and_a_message(
    client, seeded, reading_on, platforms
):
    response = post(client, {"source": {"platform": "dydx", "address": DYDX_FLAT_ADDRESS}})
    assert response.status_code == 200
    body = response.json()
    assert body["positions"] == [] and body["source"]["positions"] == []
    assert "no open positions" in body["message"]


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ({"platform": "hyperliquid", "address": "0x12"}, "source.address"),
        ({"platform": "dydx", "address": "dydx1nope"}, "source.address"),
        ({"platform": "dydx", "address": DYDX_ADDRESS, "subaccount": -1}, "source.subaccount"),
        ({"platform": "ftx", "address": HL_ADDRESS}, "source.platform"),
        ({"platform": "hyperliquid", "address": HL_ADDRESS, "key": "x"}, "source.key"),
        ("0xabc", "source"),
    ],
)
def test_a_malformed_source_is_a_400_naming_the_field(client, reading_on, source, field):
    with respx_forbidden():
        response = post(client, {"source": source})
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_source_and_positions_together_is_a_field_error(client, reading_on):
    body = {
        "source": {"platform": "hyperliquid", "address": HL_ADDRESS},
        "positions": [{"entry_price": 1, "quantity": 1}],
    }
    response = post(client, body)
    assert response.status_code == 400
    assert "positions" in response.json()["errors"]


def test_reading_turned_off_is_a_503_with_a_message(client):
    response = post(client, {"source": {"platform": "hyperliquid", "address": HL_ADDRESS}})
    assert response.status_code == 503
    assert "turned off" in response.json()["errors"]["source"][0]


def test_a_platform_that_does_not_answer_in_time_is_a_504(client, reading_on):
    import respx

    with respx.mock(assert_all_mocked=True) as router:
        router.post(HL_URL).mock(side_effect=httpx.ReadTimeout("slow"))
        response = post(client, {"source": {"platform": "hyperliquid", "address": HL_ADDRESS}})
    assert response.status_code == 504
    assert "did not answer in time" in response.json()["errors"]["source"][0]


def test_a_platform_error_is_a_502_never_a_500(client, reading_on):
    import respx

    # Hyperliquid's answer as hyperliquid-python-sdk recorded it: HTTP 500, body `null`
    with respx.mock(assert_all_mocked=True) as router:
        router.post(HL_URL).respond(500, json=recording("hyperliquid_info_500.json"))
        response = post(client, {"source": {"platform": "hyperliquid", "address": HL_ADDRESS}})
    assert response.status_code == 502
    assert "HTTP 500" in response.json()["errors"]["source"][0]


def test_an_unreachable_platform_is_a_502(client, reading_on):
    import respx

    with respx.mock(assert_all_mocked=True) as router:
        router.post(HL_URL).mock(side_effect=httpx.ConnectError("refused"))
        response = post(client, {"source": {"platform": "hyperliquid", "address": HL_ADDRESS}})
    assert response.status_code == 502


def test_a_reading_is_reused_for_the_same_address(client, seeded, reading_on, platforms):
    body = {"source": {"platform": "hyperliquid", "address": HL_ADDRESS}}
    first = post(client, body).json()["source"]["read_at"]
    second = post(client, body).json()["source"]["read_at"]
    assert first == second
    assert platforms.calls.call_count == 1


def test_the_read_limit_holds_and_fails_closed_without_the_cache(
    client, seeded, reading_on, platforms, monkeypatch
):
    reading_on.RATE_LIMITS = {**reading_on.RATE_LIMITS, "read": (1, 60)}
    post(client, {"source": {"platform": "hyperliquid", "address": HL_ADDRESS}})
    other = {"platform": "dydx", "address": DYDX_ADDRESS}
    limited = post(client, {"source": other})
    assert limited.status_code == 429 and limited["Retry-After"]

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    cache.clear()
    monkeypatch.setattr(cache, "add", broken)
    monkeypatch.setattr(cache, "get", broken)
    refused = post(client, {"source": other})
    assert refused.status_code == 503
    assert "paused" in refused.json()["errors"]["source"][0]


class respx_forbidden:
    """Any request at all fails: a malformed source is refused before anything is sent."""

    def __enter__(self):
        import respx

        self.mock = respx.mock(assert_all_mocked=True, assert_all_called=False)
        self.mock.__enter__()

    def __exit__(self, *exc):
        self.mock.__exit__(*exc)
        assert not self.mock.calls


def test_the_openapi_document_describes_source_and_its_answers(
    client, seeded, reading_on, platforms
):
    import jsonschema_rs

    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    request = jsonschema_rs.validator_for(schemas["AccountRequest"])
    good = {"source": {"platform": "dydx", "address": DYDX_ADDRESS, "subaccount": 0}}
    assert request.is_valid(good)
    assert not request.is_valid({**good, "positions": [{"entry_price": 1}]})
    assert not request.is_valid({"source": {"platform": "dydx"}})
    assert request.is_valid({"wallet_balance": 1, "positions": [{"entry_price": 1}]})
    described = schemas["AccountRequest"]["properties"]["source"]["properties"]
    from readers.forms import SourceForm

    for name, field in SourceForm.base_fields.items():
        assert described[name]["description"] == field.help_text
    answer = jsonschema_rs.validator_for(schemas["Account"])
    for source in (good["source"], {"platform": "dydx", "address": DYDX_FLAT_ADDRESS}):
        body = post(client, {"source": source}).json()
        answer.validate(body)
    responses = document["paths"]["/api/v1/account"]["post"]["responses"]
    assert {"502", "503", "504"} <= set(responses)


def test_a_dydx_subaccount_the_indexer_does_not_know_has_no_positions(client, reading_on):
    import respx

    # the indexer answers 404 for an address or subaccount it has never seen
    url = f"https://indexer.dydx.trade/v4/addresses/{DYDX_ADDRESS}/subaccountNumber/3"
    with respx.mock(assert_all_mocked=True) as router:
        router.get(url).respond(404)
        response = post(
            client, {"source": {"platform": "dydx", "address": DYDX_ADDRESS, "subaccount": 3}}
        )
    assert response.status_code == 200
    assert "no open positions on dYdX" in response.json()["message"]
