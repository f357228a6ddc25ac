"""POST/GET /api/v1/evaluate: the contract other sites and our widget depend on."""

import json
import math
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from platforms.models import WaterfallStep
from tests.platforms import factories

URL = "/api/v1/evaluate"
BASE = {"entry_price": "50000", "leverage": "10", "margin": "1000"}


def post(client, body, **extra):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def acme(db):
    """A protected exchange and a liable broker, with a flat 0.5% maintenance rate."""
    safe = factories.platform(slug="acme")
    line = factories.product_line(safe, maintenance_margin_rate=Decimal("0.005"), max_leverage=20)
    scope = factories.scope(line, protection="contractual_promise")
    WaterfallStep.objects.create(scope=scope, order=1, party="insurance_fund")
    WaterfallStep.objects.create(scope=scope, order=2, party="auto_deleveraging")
    broker = factories.platform(slug="broker", name="Broker")
    broker_line = factories.product_line(broker, maintenance_margin_rate=Decimal("0.005"))
    liable = factories.scope(broker_line, protection="user_liable")
    WaterfallStep.objects.create(scope=liable, order=1, party="trader_debt")
    return safe


def test_url_is_the_documented_one():
    assert reverse("api:evaluate") == URL


@pytest.mark.django_db
def test_custom_linear_long_matches_the_formulas(client):
    body = post(client, {**BASE, "maintenance_margin_rate": "0.005"}).json()
    # Q = 10,000 / 50,000 = 0.2 BTC; P_bk = E − M/Q = 45,000;
    # P_liq = (M − Q·E + cum) / (Q·(mmr − 1)) = (1000 − 10000) / (0.2 × −0.995) = 45,226.13…
    assert body["notional"] == "10000"
    assert body["bankruptcy_price"] == "45000"
    assert body["liquidation_price"] == "45226.13065327"
    assert body["outcome"] is None
    assert "profile" not in body


@pytest.mark.django_db
def test_get_and_post_describe_the_same_scenario(client, acme):
    query = {**BASE, "platform": "acme", "gap": "0.05"}
    by_get = client.get(URL, query).json()
    by_post = post(client, query).json()
    assert by_get == by_post


@pytest.mark.django_db
def test_protected_platform_owes_nothing_and_a_liable_one_owes_the_deficit(client, acme):
    protected = post(client, {**BASE, "platform": "acme", "gap": "0.05"}).json()["outcome"]
    liable = post(client, {**BASE, "platform": "broker", "gap": "0.05"}).json()["outcome"]
    assert Decimal(protected["deficit"]) > 0
    assert protected["deficit"] == liable["deficit"]
    assert protected["trader_owes"] == "0"
    assert protected["coverage"][0] == {"party": "insurance_fund", "amount": protected["deficit"]}
    assert liable["trader_owes"] == liable["deficit"]
    assert sum(Decimal(p["amount"]) for p in liable["coverage"]) == Decimal(liable["deficit"])
    assert "you owe nothing" in protected["explanation"]


@pytest.mark.django_db
def test_insurance_fund_depleted_moves_the_deficit_to_the_next_step(client, acme):
    outcome = post(
        client, {**BASE, "platform": "acme", "gap": "0.05", "insurance_fund_depleted": True}
    ).json()["outcome"]
    parts = {p["party"]: Decimal(p["amount"]) for p in outcome["coverage"]}
    assert parts["insurance_fund"] == 0
    assert parts["auto_deleveraging"] == Decimal(outcome["deficit"])


@pytest.mark.django_db
def test_profile_block_names_what_was_used(client, acme):
    body = post(client, {**BASE, "platform": "acme"}).json()
    assert body["profile"]["platform"] == "acme"
    assert body["profile"]["scope"] == "perps/retail-isolated"
    assert body["profile"]["negative_balance_protection"] == "contractual_promise"


@pytest.mark.django_db
def test_leverage_above_the_platform_maximum_is_a_warning(client, acme):
    body = post(client, {**BASE, "leverage": "50", "platform": "acme"}).json()
    assert "leverage_above_platform_max" in [w["code"] for w in body["warnings"]]


@pytest.mark.django_db
def test_inverse_short_at_one_x_has_no_bankruptcy_price(client):
    body = post(
        client,
        {
            "contract": "inverse",
            "side": "short",
            "entry_price": "50000",
            "quantity": "50000",
            "leverage": "1",
            "maintenance_margin_rate": "0.005",
        },
    ).json()
    assert body["bankruptcy_price"] is None


BAD_INPUTS = [
    ({"entry_price": ""}, "entry_price"),
    ({"entry_price": "-5"}, "entry_price"),
    ({"entry_price": "0"}, "entry_price"),
    ({"entry_price": "1e30"}, "entry_price"),
    ({"entry_price": "NaN"}, "entry_price"),
    ({"entry_price": "Infinity"}, "entry_price"),
    ({"entry_price": "fifty"}, "entry_price"),
    ({"leverage": "0"}, "leverage"),
    ({"leverage": "-10"}, "leverage"),
    ({"leverage": "100000"}, "leverage"),
    ({"side": "sideways"}, "side"),
    ({"contract": "option"}, "contract"),
    ({"platform": "no-such-exchange"}, "platform"),
    ({"quantity": "0.2"}, "leverage"),  # three of quantity/margin/leverage can contradict
    ({"gap": "0.1", "crash": "0.2"}, "gap"),
    ({"gap": "2"}, "gap"),
    ({"maintenance_margin_rate": "1.5"}, "maintenance_margin_rate"),
    ({"guaranteed_stop": True}, "stop_price"),
    ({"levrage": "10"}, "levrage"),
    ({"margin_mode": "cross"}, "wallet_balance"),
    ({"scope": "perps/retail-isolated"}, "scope"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), BAD_INPUTS)
def test_bad_input_is_a_400_naming_the_field(client, change, field):
    response = post(client, {**BASE, **change})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    assert all(isinstance(m, str) and m for m in errors[field])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"[1, 2]", b'"text"', b"{", b'{"entry_price": {"a": 1}}', b"\xff\xfe"],
)
def test_malformed_bodies_are_400(client, raw):
    response = client.post(URL, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "errors" in response.json()


@pytest.mark.django_db
def test_json_nan_and_huge_numbers_are_refused(client):
    raw = b'{"entry_price": NaN, "leverage": 1e400, "margin": 1000}'
    response = client.post(URL, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert {"entry_price", "leverage"} <= set(response.json()["errors"])


@pytest.mark.django_db
def test_oversized_body_is_refused(client):
    response = client.post(URL, data=b"{" + b" " * 20000 + b"}", content_type="application/json")
    assert response.status_code == 413


@pytest.mark.django_db
def test_other_methods_are_405(client):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


@pytest.mark.django_db
def test_numbers_are_decimal_strings_and_finite(client, acme):
    body = post(client, {**BASE, "platform": "acme", "crash": "0.5"}).json()
    for key in ("notional", "liquidation_price", "bankruptcy_price", "initial_margin"):
        assert isinstance(body[key], str)
        assert math.isfinite(float(body[key]))
    assert "e" not in body["liquidation_price"].lower()


@pytest.mark.django_db
def test_spot_margin_without_a_published_level_asks_for_one(client):
    body = {"contract": "spot_margin", "entry_price": "50000", "margin": "1000", "leverage": "3"}
    response = post(client, body)
    assert response.status_code == 400
    assert (
        "no published liquidation margin level"
        in response.json()["errors"]["liquidation_margin_level"][0]
    )
    ok = post(client, {**body, "liquidation_margin_level": "1.1"}).json()
    # long 3x: assets 3,000 over debt 2,000 → liquidated when 0.06·P = 1.1·2,000
    assert Decimal(ok["liquidation_price"]) == pytest.approx(Decimal("36666.66666667"))
    assert Decimal(ok["bankruptcy_price"]) == pytest.approx(Decimal("33333.33333333"))


@pytest.mark.django_db
def test_costs_are_reported_and_say_whether_the_margin_paid_them(client, seeded):
    # 0.06% of a $150,000 position is $90. Bitget takes it from the account balance ("deducted
    # from the account balance, not affecting the initial margin"), so the margin stays $1,000;
    # with the same fee typed as a custom rule it comes out of the margin.
    scenario = {"entry_price": "50000", "margin": "1000", "leverage": "150"}
    bitget = client.get(URL, {**scenario, "platform": "bitget"}).json()
    assert (bitget["open_fee"], bitget["fees_from_margin"], bitget["margin"]) == (
        "90",
        False,
        "1000",
    )
    custom = client.get(URL, {**scenario, "taker_fee": "0.0006"}).json()
    assert (custom["open_fee"], custom["fees_from_margin"], custom["margin"]) == ("90", True, "910")
    held = client.get(URL, {**scenario, "holding_hours": "24", "funding_rate": "-0.0001"}).json()
    assert held["funding_paid"] == "-45"  # received: 3 payments of 0.01% of $150,000
    assert held["interest_paid"] == "0"


@pytest.mark.django_db
def test_a_calculator_url_is_an_api_call_compared_platforms_included(client, seeded):
    # The page's own address (compare repeated, as its checkboxes send it) asks the API for
    # the same scenario on each platform; each platform keeps its own rules and coverage.
    query = "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
    body = client.get(f"{URL}?{query}&compare=bitmex&compare=offshore-broker-example").json()
    bitmex, broker = body["compared"]
    assert (bitmex["platform"], broker["platform"]) == ("bitmex", "offshore-broker-example")
    assert Decimal(broker["outcome"]["trader_owes"]) > 0  # the broker bills the deficit
    assert Decimal(bitmex["outcome"]["trader_owes"]) == 0
    assert broker["profile"]["negative_balance_protection"] == "user_liable"
    # the same answers, comma-separated or as a JSON list
    assert client.get(f"{URL}?{query}&compare=bitmex,offshore-broker-example").json() == body
    as_json = post(
        client, {**dict(parse_qsl(query)), "compare": ["bitmex", "offshore-broker-example"]}
    )
    assert as_json.json() == body
    # none asked for, or an empty value: no comparison, and not an error
    assert client.get(f"{URL}?{query}&compare=").json()["compared"] == []


@pytest.mark.django_db
def test_compare_refuses_unknown_platforms_and_too_many(client, seeded):
    query = {**BASE, "platform": "binance"}
    unknown = client.get(URL, {**query, "compare": "nowhere"})
    assert unknown.status_code == 400 and "compare" in unknown.json()["errors"]
    slugs = "bitmex,okx,bybit,deribit,kraken,gate,bitget"
    too_many = client.get(URL, {**query, "compare": slugs}).json()
    assert too_many["errors"]["compare"] == ["Compare at most 6 platforms at once."]
    bad_list = post(client, {**query, "compare": [1, 2]})
    assert bad_list.json()["errors"]["compare"] == ["Expected a list of platform slugs."]


@pytest.mark.django_db
def test_a_platform_without_this_account_says_why_instead_of_answering(client, seeded):
    # Aave lends against collateral: it has no USDT-margined futures to compare with.
    body = client.get(URL, {**BASE, "platform": "binance", "compare": "aave"}).json()
    (aave,) = body["compared"]
    assert aave["platform"] == "aave" and aave["error"] and "liquidation_price" not in aave
