"""The who-pays cards' source lists are kept by each process (Django's `{% cache %}`, keyed on
the policy-data version and the language): an admin's edit of a cited record or of one of its
citations, and another language, show in the next redraw."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.platforms.admin_forms import form_data
from whopays.models import AdlRule, InsuranceFund

pytestmark = pytest.mark.django_db

SCENARIO = {
    "margin": "1000",
    "leverage": "10",
    "gap": "0.3",
}
HTMX = {"HX-Request": "true"}


def card_sources(
    client, card: str, entry_price: str, prefix: str = "", platform: str = "binance", **extra: str
) -> str:
    """The source list of one who-pays card (its section's id) in a redraw."""
    query = {**SCENARIO, "platform": platform, "entry_price": entry_price, **extra}
    page = client.get(f"{prefix}/", query, headers=HTMX).content.decode()
    section = re.search(rf'<section [^>]*id="{card}".*?</section>', page, re.DOTALL)
    assert section, f"no {card} card"
    sources = re.search(r'<details class="who-pays-sources">.*?</details>', section.group(0), re.S)
    assert sources, f"no sources on the {card} card"
    return sources.group(0)


def test_an_admin_edit_of_a_citation_shows_in_the_next_redraw(who_pays, staff_client):
    before = card_sources(staff_client, "adl", "50000")
    rule = AdlRule.objects.get(platform__slug="binance")
    url = reverse("admin:whopays_adlrule_change", args=[rule.pk])
    data = form_data(staff_client.get(url))
    quote = next(name for name in data if name.endswith("-0-quote"))
    data[quote] = "A quote edited in the admin."
    assert staff_client.post(url, data).status_code == 302

    after = card_sources(staff_client, "adl", "50001")
    assert after != before
    assert "“A quote edited in the admin.”" in after


def test_a_new_citation_on_the_fund_shows_in_the_next_redraw(who_pays, client):
    before = card_sources(client, "insurance-fund", "50000")
    fund = InsuranceFund.objects.get(platform__slug="binance")
    fund.citations.create(
        field_name="note",
        url="https://example.com/fund",
        title="A source added later",
        quote="Added after the first redraw.",
    )
    after = card_sources(client, "insurance-fund", "50001")
    assert after != before
    assert "A source added later" in after


def test_each_language_gets_its_own_sources(who_pays, client):
    english = card_sources(client, "adl", "50000")
    russian = card_sources(client, "adl", "50001", prefix="/ru")
    assert russian != english
    caches["template_fragments"].clear()
    assert card_sources(client, "adl", "50002", prefix="/ru") == russian
    assert card_sources(client, "adl", "50003") == english


@pytest.mark.parametrize("card", ["adl", "insurance-fund"])
def test_each_platform_gets_its_own_sources(who_pays, client, card):
    binance = card_sources(client, card, "50000")
    okx = card_sources(client, card, "50001", platform="okx")
    assert okx != binance
    caches["template_fragments"].clear()
    assert card_sources(client, card, "50002", platform="okx") == okx


def test_each_residence_gets_its_own_sources(who_pays, client):
    uk = card_sources(client, "jurisdiction", "50000", residence="uk")
    eu = card_sources(client, "jurisdiction", "50001", residence="eu")
    assert eu != uk
    caches["template_fragments"].clear()
    assert card_sources(client, "jurisdiction", "50002", residence="eu") == eu
