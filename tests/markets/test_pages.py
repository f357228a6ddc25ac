"""The market table on a platform's page, the markets page and a market's page: the numbers,
the filter, and every reading labelled with its age (snapshot, stale)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from markets.models import Market, MarketQuote

pytestmark = pytest.mark.django_db


@pytest.fixture
def markets(seeded):
    call_command("seed_markets", stdout=StringIO())


def test_platform_page_lists_its_markets_with_folded_tiers(client, markets):
    page = client.get("/platforms/binance/").content.decode()
    assert 'id="markets"' in page
    assert '<a href="/platforms/binance/markets/BTCUSDT/">BTCUSDT</a>' in page
    # freqtrade 2026.9: BTCUSDT bracket 1 is 0–300,000 at 0.4%, of 12
    assert "BTCUSDT margin tiers: 12, from 0.4% maintenance up to 300,000 USDT" in page
    assert "150×" in page
    assert "snapshot of 29 Sep 2026" in page
    assert 'class="badge badge-stale">stale' in page  # a snapshot from September is old now


def test_the_filter_narrows_the_table(client, markets):
    page = client.get("/platforms/binance/", {"market": "eth"}).content.decode()
    page = page[page.index('id="markets"') :]
    assert "ETHUSDT" in page and "ETHUSDC" in page
    assert "BTCUSDT" not in page
    assert 'value="eth"' in page
    empty = client.get("/platforms/binance/", {"market": "nothing-like-it"}).content.decode()
    assert "No market matches “nothing-like-it”." in empty


def test_a_platform_without_markets_says_so(client, markets):
    page = client.get("/platforms/bitfinex/").content.decode()  # no recording for Bitfinex yet
    assert "markets yet." in page and 'class="market-table"' not in page


def test_hyperliquid_shows_mark_price_and_hourly_funding_rate(client, markets):
    page = client.get("/platforms/hyperliquid/markets/SOL/").content.decode()
    # ccxt 4.5.90 hyperliquid.py example: markPx "108.04", funding "0.0000198"
    assert "108.04" in page and "funding rate 0.00198% an interval" in page
    assert "snapshot, date unknown" in page


def test_market_page_shows_sources_and_snapshot_label(client, markets):
    response = client.get("/platforms/okx/markets/BTC-USDT-SWAP/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Snapshot, not live." in page
    assert "0.01 BTC" in page  # ctVal
    assert "84660.1" in page and "snapshot of 14 Apr 2025" in page
    assert "snapshot, date unknown" in page  # the instruments recording states no time
    assert "nautilus_trader 1.221.0" in page


def test_market_page_of_a_live_reading_shows_its_age(client, markets):
    Market.objects.filter(symbol="BTCUSDT", product_line__platform__slug="bybit").update(
        from_snapshot=False,
        instrument_read_at=timezone.now() - dt.timedelta(hours=2),
        fees_read_at=timezone.now() - dt.timedelta(hours=2),
        tiers_read_at=timezone.now() - dt.timedelta(hours=2),
    )
    MarketQuote.objects.filter(
        market__symbol="BTCUSDT", market__product_line__platform__slug="bybit"
    ).update(read_at=timezone.now() - dt.timedelta(minutes=5))
    page = client.get("/platforms/bybit/markets/BTCUSDT/").content.decode()
    assert "read 2\xa0hours ago" in page
    assert "Snapshot, not live." not in page and "badge-stale" not in page


def test_unknown_market_or_platform_is_404(client, markets):
    assert client.get("/platforms/bybit/markets/NOPE/").status_code == 404
    assert client.get("/platforms/nope/markets/").status_code == 404


def test_markets_page_lists_them_all_twenty_a_page(client, markets):
    total = Market.objects.filter(product_line__platform__slug="binance").count()
    pages = [
        client.get("/platforms/binance/markets/", {"page": n}).content.decode()
        for n in range(1, (total + 19) // 20 + 1)
    ]
    assert pages[0].count('<tr class="market-row">') == 20
    assert sum(page.count('<tr class="market-row">') for page in pages) == total
    assert sum(page.count("snapshot of 29 Sep 2026") for page in pages) == total
    assert 'rel="next"' in pages[0] and 'rel="prev"' in pages[-1]


def test_the_profile_shows_a_few_markets_btc_and_eth_first_and_links_to_all(client, markets):
    page = client.get("/platforms/binance/").content.decode()
    rows = page.split('<tr class="market-row">')[1:]
    assert len(rows) == 8
    assert all(("BTC" in row[:200] or "ETH" in row[:200]) for row in rows[:4])
    total = Market.objects.filter(product_line__platform__slug="binance").count()
    assert f"All {total} markets on Binance, with their tiers" in page


def test_odd_filter_text_is_harmless(client, markets):
    for text in ("BTC\x00", "%", "_", "' OR 1=1 --", "x" * 500):
        assert client.get("/platforms/binance/", {"market": text}).status_code == 200
    page = client.get("/platforms/binance/markets/", {"market": "BTC\x00"}).content.decode()
    assert "BTCUSDT" in page
