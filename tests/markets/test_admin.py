"""The markets admin: stale first, pinned fields, the tier table checked whole, import runs."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from markets.models import Market
from tests.platforms.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def markets(seeded):
    call_command("seed_markets", stdout=StringIO())


def test_changelist_puts_never_read_markets_first_and_flags_stale(staff_client, markets):
    response = staff_client.get(reverse("admin:markets_market_changelist"))
    listed = [m.symbol for m in response.context["cl"].result_list]
    # no time of reading: first (OKX's instruments and ccxt's Hyperliquid markets state none)
    never = set(
        Market.objects.filter(instrument_read_at__isnull=True).values_list("symbol", flat=True)
    )
    assert {"BTC-USD-SWAP", "ETH-USDT-SWAP"} <= never
    assert set(listed[: len(never)]) == never
    # Bybit 2023 before Binance 2026, in the whole ordered list (it runs past the first page)
    ordered = [m.symbol for m in response.context["cl"].queryset]
    assert ordered[: len(listed)] == listed
    assert ordered.index("BTCUSD") < ordered.index("AAVEUSDC")
    page = response.content.decode()
    assert "⚠ never read" in page and "⚠ stale" in page
    assert (
        "Binance: last import succeeded 0\xa0minutes ago (from a dated recording), 46 created"
        in page
    )


def test_admin_can_pin_a_field(staff_client, markets):
    market = Market.objects.get(product_line__platform__slug="bybit", symbol="BTCUSDT")
    url = reverse("admin:markets_market_change", args=[market.pk])
    data = form_data(staff_client.get(url))
    data["taker_fee"] = "0.00055"
    data["pinned_fields"] = ["taker_fee"]
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    market.refresh_from_db()
    assert market.pinned_fields == ["taker_fee"]
    assert market.history.latest().history_user.username == "editor"


def test_admin_refuses_a_gap_in_the_tier_table(staff_client, markets):
    market = Market.objects.get(product_line__platform__slug="binance", symbol="BTCUSDT")
    url = reverse("admin:markets_market_change", args=[market.pk])
    data = form_data(staff_client.get(url))
    data["tiers-1-notional_floor"] = "300001"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "gap between" in response.content.decode()


def test_import_runs_are_listed(staff_client, markets):
    page = staff_client.get(reverse("admin:markets_importrun_changelist")).content.decode()
    assert "binance" in page and "okx" in page
