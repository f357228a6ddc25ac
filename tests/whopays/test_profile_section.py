"""A profile page's who-pays section: the ADL rule, the fund's balances as a chart and a table,
and the platform's terms by residence, each with its sources."""

import json

import pytest

from calculator.charts import unpacked

pytestmark = pytest.mark.django_db


def _figures(html):
    start = html.index('<script id="figures-data" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_binance_shows_its_adl_rule_and_its_funds_drains(client, who_pays):
    response = client.get("/platforms/binance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "When a loser cannot pay: ADL, the insurance fund and where you live" in html
    assert "Not knowable from outside" in html  # Binance does not publish the book
    figure = _figures(html)["fund-usds-m-btcusdt"]
    trace = figure["data"][0]
    # Cointelegraph, 11 May 2020: "21,005,925 USDT on May 10 to just 7,731,989 on May 11";
    # Binance Square, October 2025: "from approximately USD 1.23 billion to USD 1.04 billion"
    assert trace["x"] == ["2020-05-10", "2020-05-11", "2025-10-10", "2025-10-11"]
    ys = unpacked(trace["y"]) if isinstance(trace["y"], dict) else trace["y"]
    assert ys == [21005925.0, 7731989.0, 1.23e9, 1.04e9]
    assert trace["mode"] == "markers"  # never a line through years nobody published
    assert "21,005,925.00 USDT on 10 May 2020, 1,040,000,000.00 USDT on 11 October 2025" in html
    assert "(rounded by the source)" in html


def test_bitmex_shows_its_published_formula(client, who_pays):
    html = client.get("/platforms/bitmex/").content.decode()
    assert "Profit % × effective leverage (formula published)" in html
    assert "PNL Percentage" in html
    assert (
        "excluded by the platform&#x27;s terms" in html
        or "excluded by the platform's terms" in html
    )


def test_bybit_shows_the_pool_drawdown_trigger(client, who_pays):
    html = client.get("/platforms/bybit/").content.decode()
    assert "above 30% of its pool over 8 hours" in html


def test_a_fund_without_balances_says_so(client, who_pays):
    html = client.get("/platforms/okx/").content.decode()
    assert "No balance recorded yet" in html


def test_a_platform_without_who_pays_facts_has_no_section(client, who_pays):
    html = client.get("/platforms/aave/").content.decode()
    assert "who-pays-title" not in html
