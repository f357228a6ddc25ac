"""The collateral app: seed files load with their sources, rules hold, the admin edits them
with history, and the lookup hands the engine the stored ratios."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from collateral.lookup import default_scheme, platforms_with_collateral, rules_for
from collateral.models import CollateralRatio, CollateralScheme
from engine.collateral import Holding, value_basket

pytestmark = pytest.mark.django_db


@pytest.fixture
def collateral(seeded):
    call_command("seed_collateral", verbosity=0)


def test_every_seeded_ratio_carries_a_dated_or_noted_source(collateral):
    ratios = CollateralRatio.objects.all()
    assert ratios.count() >= 10
    for ratio in ratios:
        citations = list(ratio.citations.all())
        assert citations, ratio
        assert all(c.url and c.quote and (c.source_date or c.date_note) for c in citations)


def test_seeding_twice_skips_what_is_there(collateral):
    before = CollateralRatio.objects.count()
    call_command("seed_collateral", verbosity=0)
    assert CollateralRatio.objects.count() == before
    call_command("seed_collateral", "--reset", verbosity=0)
    assert CollateralRatio.objects.count() == before


def test_lookup_values_binance_multi_assets_like_its_faq(collateral):
    scheme = default_scheme("binance")
    assert scheme is not None
    basket = value_basket(holdings=[Holding("BNB", D(2), D(500))], rules=rules_for(scheme))
    assert basket.collateral_value == D(950)


def test_lookup_keeps_okx_tiers_in_order(collateral):
    scheme = default_scheme("okx")
    assert scheme is not None
    rule = rules_for(scheme)["BTC"]
    assert [tier.ratio for tier in rule.tiers] == [D("0.98"), D("0.9775")]
    assert "okx" in platforms_with_collateral()
    assert default_scheme("deribit") is None


def test_ratio_must_be_a_fraction_and_cap_above_floor(collateral):
    scheme = CollateralScheme.objects.first()
    with pytest.raises(ValidationError):
        CollateralRatio(scheme=scheme, asset="XYZ", ratio=D("1.5")).full_clean()
    with pytest.raises(ValidationError):
        CollateralRatio(scheme=scheme, asset="XYZ", floor=D(5), cap=D(1), ratio=D(1)).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        CollateralRatio.objects.create(scheme=scheme, asset="XYZ", floor=D(5), cap=D(1), ratio=1)


def test_admin_edits_a_scheme_with_history(collateral, staff_client):
    scheme = CollateralScheme.objects.get(platform__slug="binance")
    page = staff_client.get(reverse("admin:collateral_collateralscheme_change", args=[scheme.pk]))
    assert page.status_code == 200
    assert b"BNB" in page.content
    listing = staff_client.get(reverse("admin:collateral_collateralratio_changelist"))
    assert listing.status_code == 200
    scheme.notes = "checked"
    scheme.save()
    assert scheme.history.count() == 2
