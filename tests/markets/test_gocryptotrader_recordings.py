"""Bybit's and Binance's answers recorded from their live APIs for gocryptotrader's mock tests.

Recordings (markets/recordings/README.md), gocryptotrader (MIT) on GitHub:
- Bybit, commit c7b3ace78c13bd8517149dd3d868c43be653cd4e, testdata/http_mock/bybit/bybit.json:
  GET /v2/public/symbols (time_now 1692170198.257562 = 2023-08-16 07:16:38 UTC), GET
  /v5/market/tickers?category=linear|inverse (time 1692163167245 and 1692163165798), GET
  /public/linear/risk-limit?symbol=BTCUSDT (time_now 1692164701.897265).
- Binance, commit 7417b81be26a3a8e371e0f6a9b33dcd2bd65fb99, exchanges/binance/testdata/http.json:
  GET /fapi/v1/premiumIndex?symbol=BTCUSDT (time 1687244112000 = 2023-06-20 06:55:12 UTC).
"""

import datetime as dt
from decimal import Decimal

import pytest

from markets.importers import IMPORTERS
from markets.importers.base import Read
from platforms.models import tier_table_errors

SYMBOLS_READ = dt.datetime(2023, 8, 16, 7, 16, 38, tzinfo=dt.UTC)
LINEAR_TICKERS = dt.datetime(2023, 8, 16, 5, 19, 27, 245000, tzinfo=dt.UTC)
INVERSE_TICKERS = dt.datetime(2023, 8, 16, 5, 19, 25, 798000, tzinfo=dt.UTC)
RISK_LIMITS = dt.datetime(2023, 8, 16, 5, 45, 1, tzinfo=dt.UTC)


def readings(slug):
    found, _ = IMPORTERS[slug]().from_recordings()
    return {r.symbol: r for r in found}


def test_bybit_v2_symbols_give_the_largest_perpetuals_their_leverage_fees_and_interval():
    markets = readings("bybit")
    assert len(markets) >= 20
    # {"name": "SOLUSDT", "base_currency": "SOL", "quote_currency": "USDT", "funding_interval":
    #  480, "leverage_filter": {"max_leverage": 75, ...}, "maker_fee": "0.0002",
    #  "taker_fee": "0.00055", "status": "Trading", "alias": "SOLUSDT"}
    sol = markets["SOLUSDT"]
    assert sol.product_line == "derivatives-linear"
    assert (sol.values["base"], sol.values["settle"], sol.values["kind"]) == (
        "SOL",
        "USDT",
        "linear",
    )
    assert sol.values["max_leverage"] == 75
    assert (sol.values["maker_fee"], sol.values["taker_fee"]) == (
        Decimal("0.0002"),
        Decimal("0.00055"),
    )
    assert sol.values["funding_interval_hours"] == 8  # 480 minutes
    assert sol.read["instrument"].read_at == SYMBOLS_READ
    assert "gocryptotrader (GitHub) commit c7b3ace" in sol.read["instrument"].source
    # an inverse perpetual: ETHUSD, quote USD, settled in ETH, max_leverage 100
    eth_usd = markets["ETHUSD"]
    assert eth_usd.product_line == "derivatives-inverse"
    assert (eth_usd.values["kind"], eth_usd.values["settle"]) == ("inverse", "ETH")
    assert eth_usd.values["max_leverage"] == 100
    # dated futures (BTCUSDU23, aliased BTCUSD0929) are not perpetuals
    assert not any(symbol.endswith(("U23", "Z23")) for symbol in markets)
    # the v5 instruments keep their rows: BTCUSDT's fees are still the fee-rate recording's
    assert markets["BTCUSDT"].values["taker_fee"] == Decimal("0.0006")


def test_bybit_tickers_give_mark_price_and_funding_rate_as_of_their_time():
    markets = readings("bybit")
    # v5 tickers, category=linear: {"symbol": "SOLUSDT", "markPrice": "23.539",
    #  "fundingRate": "0.0001", ...}; category=inverse: ETHUSD markPrice "1824.40"
    sol = markets["SOLUSDT"]
    assert (sol.mark_price, sol.funding_rate) == (Decimal("23.539"), Decimal("0.0001"))
    assert sol.read["quote"].read_at == LINEAR_TICKERS
    assert markets["ETHUSD"].mark_price == Decimal("1824.40")
    assert markets["ETHUSD"].read["quote"].read_at == INVERSE_TICKERS
    # a negative rate is kept as recorded: RUNEUSDT "fundingRate": "-0.015"
    assert markets["RUNEUSDT"].funding_rate == Decimal("-0.015")
    # BTCUSDT (instrument from the v5 recording) takes its mark from the tickers too
    assert markets["BTCUSDT"].mark_price == Decimal("29197.40")


def test_bybit_btcusdt_risk_limits_become_its_whole_position_tier_table():
    btc = readings("bybit")["BTCUSDT"]
    # {"id": 1, "limit": 2000000, "maintain_margin": 0.005, "max_leverage": 100},
    # {"id": 2, "limit": 4000000, "maintain_margin": 0.01, "max_leverage": 57.14}, ...
    # {"id": 34, "limit": 200000000, "maintain_margin": 0.6, "max_leverage": 1}
    assert len(btc.tiers) == 34
    first, second, last = btc.tiers[0], btc.tiers[1], btc.tiers[-1]
    assert (first.notional_floor, first.notional_cap) == (0, 2_000_000)
    assert (first.maintenance_margin_rate, first.max_leverage) == (Decimal("0.005"), 100)
    assert (second.notional_floor, second.notional_cap) == (2_000_000, 4_000_000)
    assert second.max_leverage == Decimal("57.14")
    assert (last.notional_cap, last.maintenance_margin_rate) == (200_000_000, Decimal("0.6"))
    # the rate applies to the whole position (no deduction), as Bybit's risk limits do
    assert all(tier.maintenance_amount == 0 for tier in btc.tiers)
    assert btc.read["tiers"].read_at == RISK_LIMITS

    class Row:
        def __init__(self, tier):
            self.symbol, self.effective_date = "BTCUSDT", None
            self.__dict__.update(tier.__dict__)

    assert tier_table_errors([Row(tier) for tier in btc.tiers]) == []


def test_binance_btcusdt_mark_price_and_funding_rate_of_june_2023():
    markets = readings("binance")
    # {"markPrice": "26780.82240476", "lastFundingRate": "0.00001226", "symbol": "BTCUSDT",
    #  "time": 1687244112000, ...}
    btc = markets["BTCUSDT"]
    assert (btc.mark_price, btc.funding_rate) == (
        Decimal("26780.82240476"),
        Decimal("0.00001226"),
    )
    assert btc.read["quote"].read_at == dt.datetime(2023, 6, 20, 6, 55, 12, tzinfo=dt.UTC)
    assert "premiumIndex" in btc.read["quote"].source
    # the brackets stay those of freqtrade's 2026 file; other symbols have no recorded mark
    assert btc.read["tiers"].read_at.year == 2026
    assert markets["ETHUSDT"].mark_price is None and "quote" not in markets["ETHUSDT"].read


@pytest.mark.parametrize("name", ["symbols_v2", "risk_limit"])
def test_a_failed_v2_answer_is_refused(name):
    importer = IMPORTERS["bybit"]()
    answers = {key: rec.load() for key, rec in importer.recordings.items()}
    answers[name] = {"ret_code": 10001, "ret_msg": "params error", "result": None}
    with pytest.raises(ValueError, match="ret_code 10001"):
        importer.parse(answers, {key: Read("a recording", None) for key in answers})
