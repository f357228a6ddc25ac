"""More of the law where you live: Australia (ASIC's CFD order) and Japan (the FSA's 2x cap),
each cited and dated, read by the same answer as the EU, UK and US."""

import pytest

from whopays.models import ResidenceRule

pytestmark = pytest.mark.django_db
POSITION = {"entry_price": "50000", "margin": "1000", "leverage": "10", "gap": "0.05"}


def law(client, **query):
    response = client.get("/api/v1/evaluate", {**POSITION, **query})
    assert response.status_code == 200, response.content
    return response.json()["jurisdiction"]


def test_australian_retail_gets_asics_protection_by_its_own_name(client, who_pays):
    found = law(client, platform="bybit", residence="au")
    assert found["protection"] == "guaranteed" and found["leverage_cap"] == "2"
    assert found["margin_close_out"] == "0.5"
    assert found["applies"] is False  # an offshore exchange: not a licensed CFD issuer
    assert "ASIC" in found["headline"]
    assert not any("EU-authorised" in s for s in found["sentences"])
    assert any("providers licensed by ASIC" in s for s in found["sentences"])
    # the one-line summary too: it said "EU-authorised CFD providers" for Australia
    assert "EU-authorised" not in found["summary"]
    assert "CFD providers licensed by ASIC (ASIC, 2021)" in found["summary"]
    assert "2020-10-23" in {c["source_date"] for c in found["citations"]}


def test_japan_names_the_cap_and_what_we_did_not_find(client, who_pays):
    found = law(client, platform="binance", residence="jp")
    assert found["leverage_cap"] == "2" and found["protection"] == "not_required"
    assert "did not find" in found["uncertainty"]
    rule = ResidenceRule.objects.get(residence="jp", client_class="retail")
    assert any(c.is_inference for c in rule.citations.all())


def test_every_residence_rule_is_cited_and_dated(who_pays):
    for rule in ResidenceRule.objects.all():
        citations = list(rule.citations.all())
        assert citations, str(rule)
        assert all(c.url.startswith("http") and c.quote for c in citations)
        assert all(c.source_date or c.date_note for c in citations)


def test_a_residence_outside_the_list_is_a_field_error(client, who_pays):
    response = client.get("/api/v1/evaluate", {**POSITION, "platform": "bybit", "residence": "xx"})
    assert response.status_code == 400
    assert "residence" in response.json()["errors"]
