"""The rules on the models refuse wrong profiles, whichever way the data comes in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from platforms.models import AccountScope, Platform, WaterfallStep, tier_table_errors
from tests.platforms import factories

pytestmark = pytest.mark.django_db


def test_a_published_profile_needs_a_source():
    unsourced = Platform(
        slug="x",
        name="X",
        kind="exchange",
        summary="s",
        last_verified=dt.date(2026, 1, 1),
        is_published=True,
        source_url="",
    )
    with pytest.raises(ValidationError) as error:
        unsourced.full_clean()
    assert "without a primary source" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        unsourced.save()


def test_a_draft_may_lack_a_source():
    draft = Platform(slug="x", name="X", kind="exchange", summary="s", is_published=False)
    draft.full_clean()


def test_last_verified_cannot_be_in_the_future():
    owner = Platform(
        slug="x",
        name="X",
        kind="exchange",
        summary="s",
        source_url="https://x.example",
        last_verified=dt.date.today() + dt.timedelta(days=2),
        is_published=True,
    )
    with pytest.raises(ValidationError) as error:
        owner.full_clean()
    assert "last_verified" in error.value.message_dict


@pytest.mark.parametrize("rate", ["-0.01", "1", "1.5"])
def test_rates_must_lie_in_zero_to_one(rate):
    line = factories.product_line(factories.platform(), save=False, liquidation_fee=Decimal(rate))
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "liquidation_fee" in error.value.message_dict


def test_rate_rule_holds_in_the_database_too():
    line = factories.product_line(factories.platform())
    line.taker_fee = Decimal("1.2")
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()


def test_leverage_must_be_at_least_one():
    line = factories.product_line(factories.platform(), save=False, max_leverage=Decimal("0.5"))
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "max_leverage" in error.value.message_dict


def test_tier_cap_must_be_above_floor():
    line = factories.product_line(factories.platform())
    tier = factories.tier(line, "50000", "50000", "0.005")
    with pytest.raises(ValidationError) as error:
        tier.full_clean()
    assert "notional_cap" in error.value.message_dict


def test_tier_table_must_start_at_zero_and_be_contiguous():
    line = factories.product_line(factories.platform())
    good = [
        factories.tier(line, "0", "50000", "0.004"),
        factories.tier(line, "50000", None, "0.005"),
    ]
    assert tier_table_errors(good) == []

    gap = [
        factories.tier(line, "0", "40000", "0.004"),
        factories.tier(line, "50000", None, "0.005"),
    ]
    assert any("gap" in e for e in tier_table_errors(gap))

    overlap = [
        factories.tier(line, "0", "60000", "0.004"),
        factories.tier(line, "50000", None, "0.005"),
    ]
    assert any("overlap" in e for e in tier_table_errors(overlap))

    late_start = [factories.tier(line, "10", None, "0.004")]
    assert any("start at a notional of 0" in e for e in tier_table_errors(late_start))

    falling = [
        factories.tier(line, "0", "50000", "0.01"),
        factories.tier(line, "50000", None, "0.005"),
    ]
    assert any("must not fall" in e for e in tier_table_errors(falling))


def test_waterfall_order_is_unique():
    scope = factories.scope(factories.product_line(factories.platform()))
    WaterfallStep.objects.create(scope=scope, order=1, party="insurance_fund")
    duplicate = WaterfallStep(scope=scope, order=1, party="auto_deleveraging")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "own position" in str(error.value)


def test_only_one_default_scope_per_mode():
    line = factories.product_line(factories.platform())
    factories.scope(line)

    other = AccountScope(
        product_line=line,
        slug="vip",
        margin_mode="isolated",
        client_class="vip",
        protection="unknown",
        max_loss="?",
        is_default=True,
    )
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "Only one default scope" in str(error.value)


def test_spot_margin_level_must_be_above_one_and_loans_need_a_threshold():
    owner = factories.platform()
    spot = factories.product_line(
        owner, save=False, slug="margin", contract="spot_margin", liquidation_margin_level=1
    )
    with pytest.raises(ValidationError) as error:
        spot.full_clean()
    assert "must be above 1" in str(error.value.message_dict["liquidation_margin_level"])
    loan = factories.product_line(owner, save=False, slug="loan", contract="loan")
    with pytest.raises(ValidationError) as error:
        loan.full_clean()
    assert "liquidation_threshold" in error.value.message_dict


def test_staleness_follows_the_setting(settings):
    settings.PROFILE_STALE_AFTER_DAYS = 180
    fresh = factories.platform(last_verified=dt.date.today() - dt.timedelta(days=10))
    old = factories.platform(slug="old", last_verified=dt.date.today() - dt.timedelta(days=181))
    assert not fresh.is_stale
    assert old.is_stale


def test_counting_the_taker_fee_in_maintenance_needs_a_taker_fee():
    line = factories.product_line(factories.platform(), save=False, taker_fee_in_maintenance=True)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "taker_fee" in error.value.message_dict
    line.taker_fee = Decimal("0.0006")
    line.full_clean()
