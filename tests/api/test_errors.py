"""Every API answer is JSON, whatever went wrong, and every field's error is reported at once."""

import itertools
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from api.openapi import DECIMAL
from api.serializers import FRACTION_PLACES, MONEY_PLACES, decimal_str

EVALUATE = "/api/v1/evaluate"
STRESS = "/api/v1/stress"
SIMULATE = "/api/v1/simulate"
POSITION = {"platform": "binance", "entry_price": "50000", "margin": "1000", "leverage": "10"}
DECIMAL_TEXT = re.compile(DECIMAL["pattern"])


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


def strict_json(response) -> object:
    """The body as JSON, failing on NaN or Infinity (which json.loads would accept)."""
    assert response["Content-Type"] == "application/json", response.content[:200]

    def refuse(constant: str) -> None:
        pytest.fail(f"{constant} in {response.content[:300]!r}")

    return json.loads(response.content, parse_constant=refuse)


def decimal_strings(body: object, key: str = ""):
    """Every (key, value) of the body whose key names a price, an amount or a rate."""
    if isinstance(body, dict):
        for name, value in body.items():
            yield from decimal_strings(value, name)
    elif isinstance(body, list):
        for item in body:
            yield from decimal_strings(item, key)
    elif isinstance(body, str) and key not in {
        "explanation",
        "conventions_without_published_example",
        "message",
        "code",
        "party",
        "platform",
        "name",
        "scope",
        "product",
        "negative_balance_protection",
        "tier_symbol",
        "last_verified",
        "margin_currency",
        "closed_by",
        "incident",
        "move_source",
        "label",
        "sentences",
        "reason",
        # the stress answer's `path`: its texts, dates and sources
        "asset",
        "started_on",
        "granularity",
        "assumptions",
        "clock",
        "note",
        "url",
        "title",
        "quote",
        "source_date",
        "confidence",
        "partial_liquidation_note",
        "error",
        # an incident's move note, which replay answers, and a liquidation engine's stall
        "move_note",
        "replayed",
        "what",
    }:
        yield key, body


@pytest.mark.django_db
def test_the_reported_extreme_position_is_answered(client, seeded):
    # issue #17: decimal.InvalidOperation while writing a notional of 1e24 to 8 places
    query = {
        "platform": "bitmex",
        "contract": "inverse",
        "entry_price": "1000000000000",
        "margin": "1000000000000",
        "leverage": "1",
    }
    response = client.get(EVALUATE, query)
    assert response.status_code == 200
    assert strict_json(response)["notional"] == "1" + "0" * 24


EXTREMES = {
    "platform": ["", "bitmex", "binance"],
    "contract": ["linear", "inverse"],
    "side": ["long", "short"],
    "entry_price": ["0.00000001", "1", "1000000000000"],
    "margin": ["0.00000001", "10000000000000"],
    "leverage": ["0.01", "1000"],
    "scenario": [{}, {"gap": "1"}, {"crash": "1"}],
}


@pytest.mark.django_db
def test_extreme_values_within_the_limits_never_fail_and_never_print_a_non_number(client, seeded):
    """432 positions at the edges of every documented limit: each is answered (200) or refused
    (400) as JSON, and every number written is plain decimal text."""
    answered = 0
    names = list(EXTREMES)
    for values in itertools.product(*EXTREMES.values()):
        combo = dict(zip(names, values, strict=True))
        query = {k: v for k, v in combo.items() if k != "scenario" and v} | combo["scenario"]
        response = client.get(EVALUATE, query)
        assert response.status_code in (200, 400), (query, response.content[:300])
        body = strict_json(response)
        if response.status_code == 200:
            answered += 1
            for key, text in decimal_strings(body):
                assert DECIMAL_TEXT.match(text), (query, key, text)
    assert answered > 200  # most of them are positions the engine answers, not refusals


@pytest.mark.django_db
def test_extreme_values_in_a_stress_replay(client, incidents):
    answered = 0
    for contract, side, entry_price, margin, move in itertools.product(
        ("linear", "inverse"),
        ("long", "short"),
        ("0.00000001", "1000000000000"),
        ("0.00000001", "10000000000000"),
        ("-0.99", "1000"),
    ):
        query = {
            "platform": "bitmex",
            "incident": "binance-may-2020",
            "contract": contract,
            "side": side,
            "entry_price": entry_price,
            "margin": margin,
            "leverage": "1000",
            "move": move,
        }
        response = client.get(STRESS, query)
        assert response.status_code in (200, 400), (query, response.content[:300])
        body = strict_json(response)
        if response.status_code == 200:
            answered += 1
            for key, text in decimal_strings(body):
                assert DECIMAL_TEXT.match(text), (query, key, text)
    assert answered >= 16


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert "openapi.json" in strict_json(response)["errors"]["__all__"][0]
    # the rest of the site keeps its HTML page
    page = client.get("/nothing-here")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url", [EVALUATE, STRESS, SIMULATE, "/api/v1/openapi.json"])
def test_a_method_an_endpoint_does_not_answer_is_a_json_405(client, url):
    response = client.delete(url)
    assert response.status_code == 405
    assert strict_json(response)["errors"]["__all__"] == ["This endpoint does not answer DELETE."]
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_a_bug_is_a_json_500_and_is_logged(monkeypatch, caplog):
    def broken(**kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("calculator.results.evaluate", broken)
    client = Client(raise_request_exception=False)
    response = client.get(EVALUATE, {"entry_price": "50000", "margin": "1000", "leverage": "10"})
    assert response.status_code == 500
    assert "logged" in strict_json(response)["errors"]["__all__"][0]
    assert any(
        record.exc_info and record.exc_info[0] is ZeroDivisionError for record in caplog.records
    )
    # the test client, like any error reporter, hears of the exception
    with pytest.raises(ZeroDivisionError):
        Client().get(EVALUATE, {"entry_price": "50000", "margin": "1000", "leverage": "10"})


@pytest.mark.django_db
def test_an_unknown_field_is_reported_with_every_other_error(client, seeded):
    # issue #23: the unknown field's error came alone, hiding the others
    bad = {**POSITION, "levrage": "10", "entry_price": "fifty", "side": "sideways"}
    for response in (
        client.get(EVALUATE, bad),
        client.post(EVALUATE, json.dumps(bad), content_type="application/json"),
    ):
        assert response.status_code == 400
        errors = strict_json(response)["errors"]
        assert errors["levrage"] == ["Unknown field."]
        assert {"entry_price", "side"} <= set(errors)


@pytest.mark.django_db
def test_stress_and_simulate_report_every_error_too(client, incidents):
    stress = client.get(
        STRESS, {**POSITION, "incident": "nope", "gap": "0.1", "entry_price": "-1"}
    ).json()["errors"]
    assert stress["gap"] == ["Unknown field."]
    assert stress["incident"] == ["No incident with this slug."]
    assert "entry_price" in stress
    simulate = client.get(
        SIMULATE, {**POSITION, "crash": "0.2", "paths": "1", "volatility": "x"}
    ).json()["errors"]
    assert simulate["crash"] == ["Unknown field."]
    assert {"paths", "volatility"} <= set(simulate)


@pytest.mark.django_db
def test_a_list_where_one_value_goes_is_reported_with_the_rest(client, seeded):
    body = {**POSITION, "margin": [1000], "side": "sideways", "compare": [1]}
    errors = client.post(EVALUATE, json.dumps(body), content_type="application/json").json()[
        "errors"
    ]
    assert errors["margin"] == ["Expected a single value, not a list or object."]
    assert errors["compare"] == ["Expected a list of platform slugs."]
    assert "side" in errors


@pytest.mark.django_db
def test_simulate_answers_where_the_engine_refuses_only_at_the_paths_prices(client, seeded):
    # found by the contract test: the outcome table of a dust-sized loan has no price the
    # engine can evaluate (an EngineInputError raised inside the simulation)
    body = {
        "contract": "loan",
        "collateral": 1e-18,
        "debt": 1e-18,
        "entry_price": 1e-18,
        "liquidation_threshold": 1e-18,
    }
    response = client.post(SIMULATE, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "entry_price" in strict_json(response)["errors"]


@pytest.mark.django_db
def test_simulate_with_almost_no_volatility(client, seeded):
    # found by the contract test: exp() of a bridge exponent divided by σ² ≈ 1e-33 overflowed
    body = {
        "entry_price": 380,
        "quantity": 2.273e-15,
        "leverage": 10.0,
        "liquidation_margin_level": 4.877462840622626,
        "stop_price": 12000000,
        "volatility": 2.76e-16,
    }
    response = client.post(SIMULATE, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert strict_json(response)["chance_liquidation"] is not None


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("1E+24"), MONEY_PLACES, "1" + "0" * 24),
        (Decimal("999999.999999999"), MONEY_PLACES, "1000000"),  # the carry needs a digit
        (Decimal("9999999999999999999.999999999"), MONEY_PLACES, "1" + "0" * 19),
        (Decimal("0.0000000149"), MONEY_PLACES, "0.00000001"),
        (Decimal("-0.000000001"), MONEY_PLACES, "0"),
        (Decimal("1E+2"), FRACTION_PLACES, "100"),
        (0.1, FRACTION_PLACES, "0.1"),
        (1e300, FRACTION_PLACES, "1" + "0" * 300),
        (float("inf"), FRACTION_PLACES, None),
        (float("nan"), FRACTION_PLACES, None),
        (None, MONEY_PLACES, None),
    ],
)
def test_decimal_text_is_plain_whatever_the_size(value, places, text):
    assert decimal_str(value, places) == text
