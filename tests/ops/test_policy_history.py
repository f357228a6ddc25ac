"""Every change to policy data, inlines included, shows on its platform's History page."""

import pytest
from django.urls import reverse

from tests.platforms import factories
from tests.platforms.admin_forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    return reverse(f"admin:platforms_{obj._meta.model_name}_change", args=[obj.pk])


def history_of(client, platform) -> str:
    response = client.get(reverse("admin:platforms_platform_history", args=[platform.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="related-changes"') :]


def test_inline_edits_of_tiers_waterfall_and_citations_show_on_the_platforms_history(
    staff_client,
):
    platform = factories.platform()
    line = factories.product_line(platform)
    factories.tier(line, "0", None, "0.004").save()  # made by a script: no user
    scope = factories.scope(line)

    # the tier table, edited inline on the product line: a rate changed
    data = form_data(staff_client.get(change_url(line)))
    data["tiers-0-maintenance_margin_rate"] = "0.0045"
    assert staff_client.post(change_url(line), data).status_code == 302

    # a waterfall step added inline on the scope, with a citation beside the scope
    data = form_data(staff_client.get(change_url(scope)))
    add_inline_row(data, "waterfall", {"order": "1", "party": "insurance_fund"})
    prefix = next(
        key[: -len("-TOTAL_FORMS")]
        for key in data
        if "citation" in key.lower() and key.endswith("TOTAL_FORMS")
    )
    add_inline_row(
        data,
        prefix,
        {
            "url": "https://acme.example/insurance-fund",
            "quote": "The insurance fund covers losses.",
            "confidence": "high",
        },
    )
    response = staff_client.post(change_url(scope), data)
    assert response.status_code == 302, response.context and response.context["errors"]

    related = history_of(staff_client, platform)
    assert "margin tier" in related
    assert "maintenance margin rate:</strong> 0.004000 → 0.004500" in related
    assert "waterfall step" in related
    assert "step 1: insurance_fund" in related
    assert "citation" in related
    assert "https://acme.example/insurance-fund" in related
    assert related.count("<td>editor</td>") >= 3  # who made the tier, step and citation changes
    assert "None (seed or script)" in related  # the tier's creation


def test_a_deleted_tier_still_shows(staff_client):
    platform = factories.platform()
    line = factories.product_line(platform)
    factories.tier(line, "0", None, "0.004").save()
    data = form_data(staff_client.get(change_url(line)))
    data["tiers-0-DELETE"] = "on"
    assert staff_client.post(change_url(line), data).status_code == 302
    related = history_of(staff_client, platform)
    assert "Deleted" in related
    assert "BTCUSDT 0–∞" in related


def test_another_platforms_changes_stay_off_this_page(staff_client):
    mine = factories.platform()
    other = factories.platform(slug="other", name="Other")
    factories.product_line(other, name="Someone else's perpetuals")
    assert "Someone else&#x27;s perpetuals" not in history_of(staff_client, mine)
