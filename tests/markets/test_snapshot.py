"""The shipped snapshot: what a fresh `make run` offers on each platform, each fact dated.

Recordings (markets/recordings/README.md), besides those tests/markets/test_importers.py cites:
- Hyperliquid: hyperliquid-python-sdk, GitHub commit 5cd90193, tests/cassettes/info_test/
  test_get_info.yaml, a live `meta` answer dated by its Date header (17 Jul 2023 21:43:21 GMT).
- dYdX: dydxopsdao/networks, GitHub commit 9663b34f, dydx-mainnet-1/genesis.json (genesis_time
  2023-10-26T17:00:00Z): the perpetuals, liquidity tiers and fee tiers.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from markets.importers import IMPORTERS
from markets.models import Market

META_2023 = dt.datetime(2023, 7, 17, 21, 43, 21, tzinfo=dt.UTC)
GENESIS = dt.datetime(2023, 10, 26, 17, 0, tzinfo=dt.UTC)

# Platforms whose shipped recordings hold at least 20 markets, BTC's and ETH's among them.
FULL = {"binance", "bitget", "bybit", "dydx", "gate", "htx", "hyperliquid", "okx"}
# Where the recordings found hold fewer (README: searched and not found), nothing is made up:
# these ship what the recordings have, and the rest of each product line uses its cited table.
THIN = {"bingx", "bitmex", "deribit", "kraken", "mexc"}


def readings(slug):
    found, _ = IMPORTERS[slug]().from_recordings()
    return {r.symbol: r for r in found}


def test_hyperliquid_adds_the_recorded_universe_of_july_2023_without_quotes():
    markets = readings("hyperliquid")
    assert len(markets) >= 20 and {"BTC", "ETH"} <= set(markets)
    # BTC comes from ccxt's newer (undated) row, with its mark price and funding rate
    assert markets["BTC"].read["instrument"].read_at is None
    assert markets["BTC"].mark_price is not None
    # test_get_info.yaml: {"maxLeverage":50,"name":"ATOM","szDecimals":2}
    atom = markets["ATOM"]
    assert atom.values["max_leverage"] == 50 and atom.values["funding_interval_hours"] == 1
    assert atom.read["instrument"].read_at == META_2023
    assert "hyperliquid-python-sdk" in atom.read["instrument"].source
    assert atom.mark_price is None and "quote" not in atom.read


def test_dydx_genesis_markets_carry_their_liquidity_tiers_margin_and_fee():
    markets = readings("dydx")
    assert len(markets) >= 20 and {"BTC-USD", "ETH-USD"} <= set(markets)
    # BTC-USD keeps the indexer row (initialMarginFraction 0.02, maintenance 0.012)
    assert markets["BTC-USD"].tiers[0].maintenance_margin_rate == Decimal("0.012")
    # genesis: ETH-USD is liquidity tier 0 "Large-Cap": initial_margin_ppm 50000,
    # maintenance_fraction_ppm 600000, base_position_notional 1e12 quote quantums ($1,000,000)
    eth = markets["ETH-USD"]
    assert eth.values["max_leverage"] == 20 and eth.values["taker_fee"] == Decimal("0.0005")
    assert "maker_fee" not in eth.values  # a rebate (-110 ppm): not stored
    (tier,) = eth.tiers
    assert tier.maintenance_margin_rate == Decimal("0.03")
    assert (tier.notional_floor, tier.notional_cap) == (0, 1_000_000)
    assert eth.read["tiers"].read_at == GENESIS and "genesis" in eth.read["tiers"].source
    # the prices module's ETH-USD (market 1): price 1811985252, exponent -6
    assert eth.mark_price == Decimal("1811.985252") and eth.funding_rate is None
    assert eth.read["quote"].read_at == GENESIS and "oracle price" in eth.read["quote"].source
    # MKR-USD is tier 2 "Long-Tail": 200000 ppm initial (5x), fraction 500000 (10%), $100,000
    (mkr,) = markets["MKR-USD"].tiers
    assert markets["MKR-USD"].values["max_leverage"] == 5
    assert (mkr.maintenance_margin_rate, mkr.notional_cap) == (Decimal("0.1"), 100_000)
    # SOL-USD is tier 1 "Mid-Cap": 10x, 5% maintenance up to $250,000
    (sol,) = markets["SOL-USD"].tiers
    assert (sol.max_leverage, sol.maintenance_margin_rate) == (10, Decimal("0.05"))


@pytest.mark.django_db
def test_a_fresh_seed_offers_btc_eth_and_dated_sourced_markets(seeded):
    call_command("seed_markets", verbosity=0)
    by_platform: dict[str, list[Market]] = {}
    for market in Market.objects.select_related("product_line__platform"):
        by_platform.setdefault(market.product_line.platform.slug, []).append(market)
    assert set(by_platform) == FULL | THIN
    for slug, markets in by_platform.items():
        bases = {m.base for m in markets}
        assert "BTC" in bases, slug
        for market in markets:
            # every market cites where it was read; a snapshot never passes for live data
            assert market.instrument_source.startswith("snapshot of "), market
            assert market.from_snapshot, market
            if market.tiers.exists():
                assert market.tiers_source.startswith("snapshot of "), market
    for slug in FULL:
        markets = by_platform[slug]
        assert len(markets) >= 20, (slug, len(markets))
        assert {"BTC", "ETH"} <= {m.base for m in markets}, slug
        # most carry their source's own date; the rest say their date is unknown
        dated = [m for m in markets if m.policy_read_at is not None]
        assert len(dated) >= 20, (slug, len(dated))
    for slug in THIN:
        assert len(by_platform[slug]) < 20, f"{slug} now has 20 markets: move it to FULL"


@pytest.mark.django_db
def test_a_dydx_genesis_market_starts_at_its_genesis_oracle_price(client, seeded):
    call_command("import_markets", platform="dydx", from_recording=True, verbosity=0)
    position = {"platform": "dydx", "symbol": "ETH-USD", "margin": "1000", "leverage": "5"}
    answer = client.get("/api/v1/evaluate", position).json()
    assert answer["market"]["entry_from_mark"] is True
    assert Decimal(answer["notional"]) == 5000
    # 20x, 3% maintenance up to $1,000,000 (Large-Cap), the tier's own table
    assert Decimal(answer["maintenance_margin_rate"]) == Decimal("0.03")
