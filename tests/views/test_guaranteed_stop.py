"""A guaranteed stop only where the platform offers one (docs/design.md, "What happens past
liquidation": a stop-loss is an order, not a guarantee; in a gap it fills at the gap price, and
a guaranteed stop, where a platform offers one, fills at the stop).

Numbers: $1,000 in a cross-margin account at 2x long from $50,000 is 0.04 BTC. Under the
ESMA/FCA retail rules the broker closes out at 50% of the 50% initial margin, a 25% maintenance
rate, so liquidation is where 1000 + 0.04 (P - 50000) = 0.25 x 0.04 P: P = $33,333.33. A 5% gap
past it is $31,666.67. A guaranteed stop at $45,000 closes at $45,000 and keeps
1000 - 0.04 x 5000 = $800 (the profile has no trading fee).
"""

import re

import pytest

from platforms.models import ProductLine

pytestmark = pytest.mark.django_db

ESMA = {
    "platform": "esma-fca-retail-cfd",
    "margin_mode": "cross",
    "wallet_balance": "1000",
    "entry_price": "50000",
    "leverage": "2",
    "gap": "0.05",
    "stop_price": "45000",
    "guaranteed_stop": "true",
}
BINANCE = {
    "platform": "binance",
    "entry_price": "50000",
    "margin": "1000",
    "leverage": "10",
    "gap": "0.05",
    "stop_price": "48000",
    "guaranteed_stop": "true",
}
REFUSED = "Our Binance profile has no guaranteed stop"


def checkbox(page: str) -> str:
    match = re.search(r'<input type="checkbox" name="guaranteed_stop"[^>]*>', page)
    assert match, "no guaranteed-stop checkbox"
    return match.group(0)


def test_only_the_profiles_that_cite_a_guaranteed_stop_offer_one(seeded):
    offering = ProductLine.objects.filter(guaranteed_stop=True)
    assert {line.platform.slug for line in offering} == {"esma-fca-retail-cfd"}
    for line in offering:
        assert line.citations.filter(field_name="guaranteed_stop").exists(), str(line)


def test_a_guaranteed_stop_fills_at_the_stop_where_offered(client, seeded):
    page = client.get("/", ESMA).content.decode()
    assert "your guaranteed stop closed the position at $45,000.00" in page
    assert "you keep $800.00 and owe nothing" in page
    assert "disabled" not in checkbox(page) and "checked" in checkbox(page)
    assert "IG does" in page  # the profile's terms under the checkbox


def test_without_the_guarantee_the_same_stop_fills_at_the_gap_price(client, seeded):
    page = client.get("/", {**ESMA, "guaranteed_stop": ""}).content.decode()
    assert "The price gapped 5% past your liquidation price to $31,666.67" in page
    # 1000 + 0.04 x (31,666.67 - 50,000) = $266.67
    assert "you keep $266.67 and owe nothing" in page


def test_a_platform_without_one_refuses_it_beside_the_field(client, seeded):
    response = client.get("/", BINANCE)
    page = response.content.decode()
    assert response.status_code == 200
    assert not response.context["valid"]
    assert re.search(rf'id="err-guaranteed_stop">{REFUSED}', page)
    # left enabled while ticked, so a visitor without JavaScript can untick it
    assert "disabled" not in checkbox(page)
    redraw = client.get("/", BINANCE, headers={"HX-Request": "true"}).content.decode()
    assert re.search(rf'id="err-guaranteed_stop" hx-swap-oob="true">{REFUSED}', redraw)


def test_unticked_on_such_a_platform_the_checkbox_is_disabled_and_says_why(client, seeded):
    page = client.get("/", {**BINANCE, "guaranteed_stop": ""}).content.decode()
    assert "disabled" in checkbox(page)
    assert f'id="help-guaranteed_stop">{REFUSED}' in page
    custom = client.get("/", {**BINANCE, "platform": "", "guaranteed_stop": ""}).content.decode()
    assert "disabled" not in checkbox(custom)


def test_the_platform_options_tell_the_page_where_a_stop_can_be_guaranteed(client, seeded):
    page = client.get("/").content.decode()
    esma = re.search(r'<option value="esma-fca-retail-cfd"[^>]*>', page).group(0)
    binance = re.search(r'<option value="binance"[^>]*>', page).group(0)
    assert 'data-guaranteed-stop="linear"' in esma
    assert "data-guaranteed-stop" not in binance
    assert 'data-no-stop="Our {platform} profile has no guaranteed stop' in page


def test_the_api_refuses_it_with_a_field_error(client, seeded):
    body = {k: v for k, v in BINANCE.items()}
    response = client.get("/api/v1/evaluate", body)
    assert response.status_code == 400
    assert REFUSED in " ".join(response.json()["errors"]["guaranteed_stop"])
    allowed = client.get("/api/v1/evaluate", ESMA).json()
    assert allowed["outcome"]["closed_by"] == "guaranteed_stop"
    assert allowed["outcome"]["fill_price"].startswith("45000")


def test_a_compared_platform_without_one_gets_an_ordinary_stop_and_says_so(client, seeded):
    response = client.get("/", {**ESMA, "compare": "binance"})
    (binance,) = response.context["compared"]
    assert binance.stop_not_guaranteed
    assert binance.evaluation.outcome.closed_by == "stop"
    fill = binance.evaluation.outcome.fill_price
    assert fill < 45000  # the gap price on Binance's own liquidation price, not the stop
    page = response.content.decode()
    assert f"With Binance, where your stop is an ordinary order and fills at ${fill:,.2f}," in page


def test_the_crash_chart_counts_the_stop(client, seeded):
    response = client.get("/", ESMA)
    crash = next(f for f in response.context["figures"] if f.key == "crash")
    assert "Each line counts your stop at $45,000.00, guaranteed where" in crash.summary
    # past a 10% fall the guaranteed stop holds every result at $800
    line = {row[0]: row[1] for row in crash.rows}
    assert line["20%"] == line["100%"] == "$800.00"


def test_the_platform_page_says_whether_stops_are_guaranteed(client, seeded):
    esma = client.get("/platforms/esma-fca-retail-cfd/").content.decode()
    binance = client.get("/platforms/binance/").content.decode()
    assert "Guaranteed stops offered: Some brokers offer one" in esma
    assert "No guaranteed stop in our profile" in binance


def test_a_loan_profile_says_nothing_about_stops(client, seeded):
    # Aave's loans have no orders at all: "no guaranteed stop" would be beside the point.
    assert "<dt>Stops</dt>" not in client.get("/platforms/aave/").content.decode()
