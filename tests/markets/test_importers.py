"""Each importer reads real recorded responses (no database, no network).

Recordings (markets/recordings/README.md):
- Binance: freqtrade 2026.9, freqtrade/exchange/binance_leverage_tiers.json (ccxt's
  fetch_leverage_tiers of GET /fapi/v1/leverageBracket; file dated 2026-09-29).
- Bybit: nautilus_trader 1.221.0, crates/adapters/bybit/test_data/http_get_instruments_linear.json,
  http_get_instruments_inverse.json, http_get_fee_rate.json.
- OKX: nautilus_trader 1.221.0, crates/adapters/okx/test_data/http_get_instruments_swap.json,
  http_get_mark_price.json.
- Hyperliquid: ccxt 4.5.90, python/ccxt/hyperliquid.py, the metaAndAssetCtxs response in the
  comment of fetch_swap_markets (one asset, SOL).
"""

import datetime as dt
from decimal import Decimal

import pytest

from markets.importers import IMPORTERS
from markets.importers.base import RECORDINGS_DIR
from platforms.models import tier_table_errors


def readings(slug):
    found, sources = IMPORTERS[slug]().from_recordings()
    return {r.symbol: r for r in found}, sources


def test_every_recording_is_shipped_and_cited():
    for importer in IMPORTERS.values():
        for recording in importer.recordings.values():
            assert (RECORDINGS_DIR / recording.file).is_file()
            assert recording.package and recording.version and recording.path
            assert recording.citation.startswith(
                ("snapshot of GET https://", "snapshot of POST https://")
            )
            assert f"{recording.package} {recording.version} ({recording.path})" in (
                recording.citation
            )
    readme = (RECORDINGS_DIR / "README.md").read_text()
    for importer in IMPORTERS.values():
        for recording in importer.recordings.values():
            assert recording.file in readme and recording.path in readme


def test_binance_brackets_give_btcusdt_its_own_table():
    markets, sources = readings("binance")
    assert len(markets) >= 20
    assert {"BTCUSDT", "ETHUSDT", "BTCUSDC", "ETHUSDC"} <= set(markets)
    btc = markets["BTCUSDT"]
    assert btc.product_line == "usds-m"
    assert btc.values["base"] == "BTC" and btc.values["quote"] == "USDT"
    # freqtrade 2026.9 binance_leverage_tiers.json, "BTC/USDT:USDT" bracket 1 and 2:
    # initialLeverage 150, notionalCap 300000, maintMarginRatio 0.004, cum 0.0;
    # initialLeverage 100, 300000–800000, maintMarginRatio 0.005, cum 300.0.
    first, second = btc.tiers[:2]
    assert (first.notional_floor, first.notional_cap) == (0, 300000)
    assert first.maintenance_margin_rate == Decimal("0.004") and first.max_leverage == 150
    assert (second.notional_floor, second.maintenance_amount) == (300000, 300)
    assert btc.values["max_leverage"] == 150
    assert btc.read["tiers"].read_at == dt.datetime(2026, 9, 29, 17, 24, tzinfo=dt.UTC)
    assert "freqtrade 2026.9" in sources[0]


def test_every_binance_table_passes_the_admins_tier_rule():
    class Row:
        def __init__(self, symbol, tier):
            self.symbol, self.effective_date = symbol, None
            self.__dict__.update(tier.__dict__)

    markets, _ = readings("binance")
    rows = [Row(symbol, tier) for symbol, r in markets.items() for tier in r.tiers]
    assert tier_table_errors(rows) == []


def test_bybit_instruments_and_account_fees():
    markets, _ = readings("bybit")
    # http_get_instruments_linear.json: BTCUSDT LinearPerpetual, leverageFilter.maxLeverage "100"
    btc = markets["BTCUSDT"]
    assert btc.product_line == "derivatives-linear"
    assert btc.values["max_leverage"] == 100 and btc.values["settle"] == "USDT"
    # http_get_fee_rate.json: BTCUSDT takerFeeRate "0.0006", makerFeeRate "0.0001"
    assert (btc.values["maker_fee"], btc.values["taker_fee"]) == (
        Decimal("0.0001"),
        Decimal("0.0006"),
    )
    # http_get_instruments_inverse.json: BTCUSD InversePerpetual settled in BTC
    inverse = markets["BTCUSD"]
    assert inverse.product_line == "derivatives-inverse"
    assert inverse.values["kind"] == "inverse" and inverse.values["settle"] == "BTC"
    assert "maker_fee" not in inverse.values  # the fee recording has no BTCUSD


def test_bybit_funding_interval_in_minutes_only():
    # Bybit states fundingInterval in minutes (480 = 8 h); the recording says 8, so it is not
    # read as 8 minutes: the field is left alone, with a warning.
    markets, _ = readings("bybit")
    assert "funding_interval_hours" not in markets["BTCUSDT"].values
    assert "fundingInterval 8" in markets["BTCUSDT"].warnings[0]


def test_okx_contract_values_and_mark_price():
    markets, _ = readings("okx")
    # http_get_instruments_swap.json: ctVal "0.01" BTC (linear), "100" USD (inverse), lever "100"
    assert markets["BTC-USDT-SWAP"].values["contract_size"] == Decimal("0.01")
    assert markets["BTC-USD-SWAP"].values["kind"] == "inverse"
    assert markets["BTC-USD-SWAP"].values["contract_size"] == 100
    assert markets["ETH-USDT-SWAP"].values["max_leverage"] == 100
    # http_get_mark_price.json: BTC-USDT-SWAP markPx "84660.1", ts 1744590349506
    btc = markets["BTC-USDT-SWAP"]
    assert btc.mark_price == Decimal("84660.1")
    assert btc.read["quote"].read_at == dt.datetime(2025, 4, 14, 0, 25, 49, 506000, tzinfo=dt.UTC)
    assert markets["BTC-USDT-SWAP"].read["instrument"].read_at is None  # the file states no time


def test_hyperliquid_leverage_mark_and_funding():
    markets, _ = readings("hyperliquid")
    # ccxt 4.5.90 hyperliquid.py: universe [{"maxLeverage": 50, "name": "SOL", ...}],
    # contexts [{"funding": "0.0000198", "markPx": "108.04", ...}]
    sol = markets["SOL"]
    assert sol.product_line == "perpetuals"
    assert sol.values["max_leverage"] == 50 and sol.values["settle"] == "USDC"
    assert (sol.mark_price, sol.funding_rate) == (Decimal("108.04"), Decimal("0.0000198"))
    assert sol.read["quote"].read_at is None  # the example states no time


@pytest.mark.parametrize("slug", sorted(IMPORTERS))
def test_a_failed_answer_is_not_read_as_empty(slug):
    importer = IMPORTERS[slug]()
    if slug in ("binance", "hyperliquid"):
        pytest.skip("these answers carry no status field")
    answers = {
        name: {"retCode": 10001, "retMsg": "params error", "code": "51000"}
        for name in importer.recordings
    }
    with pytest.raises(ValueError):
        importer.parse(answers, {})


def test_bitmex_ccxt_markets_give_seven_perpetuals_as_of_their_timestamp():
    # ccxt (GitHub) commit 869d65f0ca0d513db0fbc7c33d6361c2a94d0434,
    # ts/src/test/static/markets/bitmex.json: each swap's "info" is BitMEX's instrument row,
    # "timestamp": "2026-05-21T14:39:07.060Z".
    markets, _ = readings("bitmex")
    stamp = dt.datetime(2026, 5, 21, 14, 39, 7, 60000, tzinfo=dt.UTC)
    assert set(markets) == {
        "XBTUSDT",
        "XBTUSD",
        "ETHUSDT",
        "LTCUSDT",
        "ADAUSDT",
        "XRPUSDT",
        "DOGEUSDT",
    }
    # ETHUSDT: "initMargin": "0.01", "underlyingToPositionMultiplier": "100000",
    # "fundingInterval": "2000-01-01T08:00:00.000Z", "markPrice": "2124.041", "fundingRate": "0.0001"
    eth = markets["ETHUSDT"]
    assert eth.product_line == "usdt-linear" and eth.values["base"] == "ETH"
    assert eth.values["max_leverage"] == 100 and eth.values["contract_size"] == Decimal("0.00001")
    assert eth.values["funding_interval_hours"] == 8
    assert (eth.mark_price, eth.funding_rate) == (Decimal("2124.041"), Decimal("0.0001"))
    assert eth.read["instrument"].read_at == stamp and eth.read["quote"].read_at == stamp
    # ADAUSDT: "initMargin": "0.03" → 33.33x
    assert markets["ADAUSDT"].values["max_leverage"] == Decimal("33.33")
    # XBTUSD (inverse) comes from the newer ccxt row, not the 2024 single-instrument recording
    xbt = markets["XBTUSD"]
    assert xbt.values["kind"] == "inverse" and xbt.mark_price == Decimal("77069.62")
    assert "ccxt (GitHub) commit 869d65f" in xbt.read["instrument"].source
