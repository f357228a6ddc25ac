"""The 10 October 2025 ADL section: the shipped extract's counts, and what the first ADL would
have kept of a short's profit (engine.adl.adl_close along the published path)."""

from decimal import Decimal, localcontext

import pytest
from django.core.management import call_command

from engine import CONTEXT
from incidents.adl_october import DATA, adl_sides, totals

pytestmark = pytest.mark.django_db
SHORT = {
    "platform": "hyperliquid",
    "side": "short",
    "entry_price": "112000",
    "margin": "1000",
    "leverage": "10",
}


@pytest.fixture
def incidents(seeded):
    call_command("seed_whopays", verbosity=0)
    call_command("seed_incidents", verbosity=0)


def test_the_extract_ships_with_its_licence_and_matches_the_source_readme():
    assert "GNU GENERAL PUBLIC LICENSE" in (DATA / "COPYING").read_text()
    assert "HyperAnalyzeADL" in (DATA / "README.md").read_text()
    positions, deleveraged, realised = totals()
    # the source's README: "Total Positions: 13,031" and "4,619 ADL Events"
    assert (positions, deleveraged) == (13031, 4619)
    assert realised > 0
    btc_short = adl_sides()[("BTC", "SHORT")]
    assert btc_short.deleveraged_in_profit <= btc_short.in_profit <= btc_short.positions
    assert Decimal("0.7") < btc_short.share_in_profit_deleveraged < Decimal("0.8")


def test_a_short_sees_what_the_first_adl_would_have_kept(client, incidents):
    response = client.get("/incidents/october-2025-crash/", SHORT)
    assert response.status_code == 200
    mine = response.context["your_adl"]
    close = mine.close
    assert close is not None
    with localcontext(CONTEXT):
        assert close.kept + close.cost == close.profit
    # the first ADL (21:16) is above the low (97,000 on a 112,000 entry): it keeps less
    assert mine.low_price == Decimal(97000)
    assert mine.low_price < mine.adl_price < Decimal(112000)
    assert 0 < close.kept < close.profit
    html = response.content.decode()
    assert "The winners' side: auto-deleveraging on Hyperliquid that night" in html
    assert "4,619 of 13,031 positions" in html
    assert "would have kept <strong>$" in html
    assert "hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging" in html


def test_a_long_is_told_it_was_on_the_losing_side(client, incidents):
    response = client.get("/incidents/october-2025-crash/", {**SHORT, "side": "long"})
    assert response.context["your_adl"].close is None
    assert "A long was on the losing side of this fall" in response.content.decode()


def test_other_incidents_have_no_adl_section(client, incidents):
    response = client.get("/incidents/binance-may-2020/", SHORT)
    assert "adl_sides" not in response.context
