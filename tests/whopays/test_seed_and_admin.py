"""Who-pays seed data obeys the models' rules, cites every record, and is editable in the admin
with history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from platforms.models import Citation, Platform
from tests.platforms.admin_forms import form_data
from whopays.models import (
    WHO_PAYS_MODELS,
    AdlRule,
    AdlTrigger,
    FundBalance,
    InsuranceFund,
    Protection,
    ResidenceRule,
)

pytestmark = pytest.mark.django_db

ADL_PLATFORMS = {"binance", "bybit", "okx", "hyperliquid", "bitmex", "dydx"}


def test_every_record_is_cited_with_a_quote(who_pays):
    for model in WHO_PAYS_MODELS:
        rows = list(model.objects.all())
        assert rows, model
        for row in rows:
            citations = list(row.citations.all())
            assert citations, row
            assert all(c.quote and c.url.startswith("http") for c in citations), row


def test_adl_rules_for_the_platforms_the_issue_names(who_pays):
    slugs = set(AdlRule.objects.values_list("platform__slug", flat=True))
    assert slugs >= ADL_PLATFORMS
    bybit = AdlRule.objects.get(platform__slug="bybit")
    assert bybit.trigger == AdlTrigger.POOL_DRAWDOWN and bybit.loss_window_hours == 8
    assert AdlRule.objects.get(platform__slug="hyperliquid").close_price == "previous_oracle_price"
    assert AdlRule.objects.get(platform__slug="okx").close_price == "mark_price"


def test_balances_are_dated_and_kept(who_pays):
    fund = InsuranceFund.objects.get(platform__slug="binance")
    # newest first, every dated figure kept (May 2020; the shared pool in October 2025)
    assert [b.as_of for b in fund.balances.all()] == [
        dt.date(2025, 10, 11),
        dt.date(2025, 10, 10),
        dt.date(2020, 5, 11),
        dt.date(2020, 5, 10),
    ]


def test_seeding_twice_changes_nothing(who_pays):
    from django.core.management import call_command

    before = FundBalance.objects.count()
    call_command("seed_whopays", verbosity=0)
    assert FundBalance.objects.count() == before


def test_rules_refuse_bad_data(seeded):
    platform = Platform.objects.get(slug="binance")
    rule = AdlRule(
        platform=platform,
        ranking="pnl_times_leverage",
        trigger="fund_exhausted",
        close_price="bankruptcy_price",
        pool_loss_threshold=Decimal("0.3"),
    )
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert set(error.value.message_dict) == {"ranking_formula", "pool_loss_threshold"}
    likely = ResidenceRule(
        residence="eu",
        client_class="professional",
        protection=Protection.LIKELY,
        applies_to="x",
        answer="y",
    )
    with pytest.raises(ValidationError) as error:
        likely.full_clean(validate_constraints=False)
    assert "uncertainty" in error.value.message_dict


def test_admin_edits_a_rule_and_keeps_history(who_pays, staff_client):
    rule = AdlRule.objects.get(platform__slug="bitmex")
    url = reverse("admin:whopays_adlrule_change", args=[rule.pk])
    data = form_data(staff_client.get(url))
    data["close_note"] = "Edited in the admin."
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.close_note == "Edited in the admin."
    assert rule.history.count() == 2
    history = staff_client.get(reverse("admin:whopays_adlrule_history", args=[rule.pk]))
    assert history.status_code == 200


def test_admin_refuses_a_negative_balance(who_pays, staff_client):
    balance = FundBalance.objects.first()
    url = reverse("admin:whopays_fundbalance_change", args=[balance.pk])
    data = form_data(staff_client.get(url))
    data["amount"] = "-1"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_resetting_the_profiles_leaves_no_orphan_citations(who_pays):
    from django.core.management import call_command

    call_command("seed_profiles", "--reset", verbosity=0)
    left = Citation.objects.filter(content_type__app_label="whopays")
    assert left.exists()  # residence rules belong to no platform and stay
    assert all(citation.subject is not None for citation in left)
    call_command("seed_whopays", verbosity=0)
    assert AdlRule.objects.filter(platform__slug="bitmex").exists()
