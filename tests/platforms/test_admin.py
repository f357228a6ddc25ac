"""Editing profiles in the admin as a logged-in staff user: bad data is refused with a message."""

import datetime as dt

import pytest
from django.urls import reverse

from platforms.models import MarginTier, Platform, WaterfallStep
from tests.platforms import factories
from tests.platforms.admin_forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    return reverse(f"admin:platforms_{obj._meta.model_name}_change", args=[obj.pk])


def test_admin_requires_login(client):
    response = client.get(reverse("admin:platforms_platform_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_publishing_without_a_source_is_refused_with_a_message(staff_client):
    platform = factories.platform(source_url="https://acme.example/a")
    data = form_data(staff_client.get(change_url(platform)))
    data["source_url"] = ""
    response = staff_client.post(change_url(platform), data)
    assert response.status_code == 200
    assert "cannot be published without a primary source" in response.content.decode()
    platform.refresh_from_db()
    assert platform.source_url == "https://acme.example/a"


def test_rate_out_of_range_is_refused_on_the_product_form(staff_client):
    line = factories.product_line(factories.platform())
    data = form_data(staff_client.get(change_url(line)))
    data["liquidation_fee"] = "1.5"
    response = staff_client.post(change_url(line), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "liquidation_fee" in errors
    line.refresh_from_db()
    assert line.liquidation_fee is None


def test_overlapping_tiers_are_refused_and_nothing_is_saved(staff_client):
    line = factories.product_line(factories.platform())
    data = form_data(staff_client.get(change_url(line)))
    prefix = "tiers"
    row = {
        "symbol": "BTCUSDT",
        "effective_date": "2021-03-18",
        "max_leverage": "100",
        "maintenance_amount": "0",
    }
    add_inline_row(
        data,
        prefix,
        {**row, "notional_floor": "0", "notional_cap": "60000", "maintenance_margin_rate": "0.004"},
    )
    add_inline_row(
        data,
        prefix,
        {**row, "notional_floor": "50000", "notional_cap": "", "maintenance_margin_rate": "0.005"},
    )
    data["name"] = "Renamed while tiers are wrong"
    response = staff_client.post(change_url(line), data)
    assert response.status_code == 200
    assert "tiers overlap between 60,000" in response.content.decode()
    assert MarginTier.objects.count() == 0
    line.refresh_from_db()
    assert line.name == "USDT perpetuals"


def test_contiguous_tiers_are_saved(staff_client):
    line = factories.product_line(factories.platform())
    data = form_data(staff_client.get(change_url(line)))
    row = {
        "symbol": "BTCUSDT",
        "effective_date": "2021-03-18",
        "max_leverage": "100",
        "maintenance_amount": "0",
    }
    add_inline_row(
        data,
        "tiers",
        {**row, "notional_floor": "0", "notional_cap": "50000", "maintenance_margin_rate": "0.004"},
    )
    add_inline_row(
        data,
        "tiers",
        {
            **row,
            "notional_floor": "50000",
            "notional_cap": "",
            "maintenance_margin_rate": "0.005",
            "maintenance_amount": "50",
        },
    )
    response = staff_client.post(change_url(line), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert MarginTier.objects.filter(product_line=line).count() == 2


def test_duplicate_waterfall_positions_are_refused(staff_client):
    scope = factories.scope(factories.product_line(factories.platform()))
    data = form_data(staff_client.get(change_url(scope)))
    add_inline_row(data, "waterfall", {"order": "1", "party": "insurance_fund"})
    add_inline_row(data, "waterfall", {"order": "1", "party": "auto_deleveraging"})
    response = staff_client.post(change_url(scope), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for order" in response.content.decode()
    assert WaterfallStep.objects.count() == 0


def test_history_records_who_changed_what(staff_client):
    platform = factories.platform(summary="Old summary.")
    data = form_data(staff_client.get(change_url(platform)))
    data["summary"] = "New summary after re-checking the terms."
    response = staff_client.post(change_url(platform), data)
    assert response.status_code == 302
    latest = Platform.history.filter(id=platform.pk).first()
    assert latest.history_user == staff_client.user
    assert latest.summary == "New summary after re-checking the terms."
    changes = latest.diff_against(latest.prev_record).changes
    assert [change.field for change in changes] == ["summary"]
    history_page = staff_client.get(reverse("admin:platforms_platform_history", args=[platform.pk]))
    assert history_page.status_code == 200
    assert "editor" in history_page.content.decode()


def test_stale_profiles_are_flagged_in_the_list(staff_client):
    factories.platform(slug="fresh", name="Fresh", last_verified=dt.date.today())
    factories.platform(
        slug="old", name="Old One", last_verified=dt.date.today() - dt.timedelta(days=400)
    )
    response = staff_client.get(reverse("admin:platforms_platform_changelist") + "?stale=yes")
    page = response.content.decode()
    assert "Old One" in page
    assert "stale: re-check sources" in page
    assert ">Fresh<" not in page


def test_changelist_filters_by_protection_and_searches(staff_client):
    liable = factories.platform(slug="liable", name="Liable Broker")
    factories.scope(factories.product_line(liable), protection="user_liable")
    safe = factories.platform(slug="safe", name="Safe Exchange")
    factories.scope(factories.product_line(safe), protection="contractual_promise")
    url = reverse("admin:platforms_platform_changelist")
    page = staff_client.get(url + "?protection=user_liable").content.decode()
    assert "Liable Broker" in page and "Safe Exchange" not in page
    page = staff_client.get(url + "?q=Safe").content.decode()
    assert "Safe Exchange" in page and "Liable Broker" not in page
