"""/healthz on market data: when each import last succeeded, which markets are stale (a 200,
"degraded"); the admin lists markets by their oldest reading, a market stale by its tiers
alone included."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from markets.models import ImportRun, Market
from platforms.models import ProductLine

pytestmark = pytest.mark.django_db


def make_market(symbol: str, **read_at) -> Market:
    line = ProductLine.objects.get(platform__slug="binance", slug="usds-m")
    return Market.objects.create(
        product_line=line, symbol=symbol, base=symbol[:3], quote="USDT", **read_at
    )


def test_healthz_says_nothing_of_markets_where_there_are_none(client, seeded):
    assert "markets" not in client.get("/healthz").json()


def test_healthz_reports_the_last_import_and_the_stale_markets_without_a_503(client, seeded):
    now = timezone.now()
    make_market("BTCUSDT", instrument_read_at=now, tiers_read_at=now)
    make_market("ETHUSDT", instrument_read_at=now, tiers_read_at=now - dt.timedelta(days=30))
    make_market("SOLUSDT")  # never read
    ImportRun.objects.create(platform_slug="binance", mode="live", succeeded=True, finished_at=now)
    ImportRun.objects.create(platform_slug="okx", mode="live", succeeded=False, finished_at=now)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    markets = body["markets"]
    assert markets["status"] == "stale" and markets["stale_count"] == 2
    assert markets["stale"] == ["binance:ETHUSDT", "binance:SOLUSDT"]
    assert markets["last_import"] == {"binance": now.isoformat()}  # the failed run is not one


def test_healthz_is_ok_when_every_market_is_current(client, seeded):
    now = timezone.now()
    make_market("BTCUSDT", instrument_read_at=now, tiers_read_at=now, fees_read_at=now)
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["markets"]["stale"] == []


def test_the_admin_lists_stale_markets_first_by_their_oldest_reading(staff_client, seeded):
    now = timezone.now()
    make_market("BTCUSDT", instrument_read_at=now, tiers_read_at=now)
    make_market("ETHUSDT", instrument_read_at=now, tiers_read_at=now - dt.timedelta(days=30))
    make_market("SOLUSDT")
    response = staff_client.get(reverse("admin:markets_market_changelist"))
    assert [m.symbol for m in response.context["cl"].result_list] == [
        "SOLUSDT",
        "ETHUSDT",
        "BTCUSDT",
    ]
    stale = staff_client.get(reverse("admin:markets_market_changelist"), {"stale": "yes"})
    assert [m.symbol for m in stale.context["cl"].result_list] == ["SOLUSDT", "ETHUSDT"]
