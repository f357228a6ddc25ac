"""BitMEX, Deribit and more Hyperliquid markets, from real recorded answers (no network).

Recordings (markets/recordings/README.md):
- BitMEX: nautilus_trader 1.221.0, crates/adapters/bitmex/test_data/http_get_instrument_xbtusd.json
  (GET /api/v1/instrument, XBTUSD, timestamp 2024-11-24T23:33:19.034Z); ccxt at commit 869d65f,
  ts/src/test/static/markets/bitmex.json (seven perpetuals, timestamp 2026-05-21T14:39:07.060Z).
- Deribit: nautilus_trader at commit 17b9c23, crates/adapters/deribit/test_data/
  http_get_instruments.json (GET /api/v2/public/get_instruments, testnet; BTC-PERPETUAL).
- Hyperliquid: ccxt at commit 09bbcae, ts/src/test/static/markets/hyperliquid.json (the info of
  BTC, ETH, SOL, ADA and MEME).
"""

import datetime as dt
from decimal import Decimal
from io import StringIO

import httpx
import pytest
import respx
from django.core.management import call_command

from engine import Contract, Position, Side, evaluate, position_size_in_coins
from markets.importers import IMPORTERS
from markets.importers.base import RECORDINGS_DIR, Read
from markets.models import Market
from markets.rules import rules_for_market
from platforms.profiles import load_platform, resolve, rules_for


def readings(slug):
    found, _sources = IMPORTERS[slug]().from_recordings()
    return {r.symbol: r for r in found}


def recorded(name):
    return httpx.Response(200, content=(RECORDINGS_DIR / name).read_bytes())


def test_bitmex_xbtusd_leverage_fees_funding_and_mark():
    # the single-instrument recording on its own (the snapshot prefers ccxt's newer row)
    importer = IMPORTERS["bitmex"]()
    recording = importer.recordings["instruments"]
    read = Read(recording.citation, recording.recorded_at)
    (xbt,) = importer.parse({"instruments": recording.load()}, {"instruments": read})
    # "initMargin": 0.01, "makerFee": 0.0005, "takerFee": 0.0005,
    # "fundingInterval": "2000-01-01T08:00:00.000Z", "fundingRate": 0.00011, "markPrice": 97849.76
    assert xbt.product_line == "xbtusd-inverse"
    assert xbt.values["kind"] == "inverse" and xbt.values["base"] == "BTC"
    assert xbt.values["max_leverage"] == 100
    assert (xbt.values["maker_fee"], xbt.values["taker_fee"]) == (Decimal("0.0005"),) * 2
    assert xbt.values["funding_interval_hours"] == 8
    assert (xbt.mark_price, xbt.funding_rate) == (Decimal("97849.76"), Decimal("0.00011"))
    assert xbt.read["quote"].read_at == dt.datetime(2024, 11, 24, 23, 33, 19, 34000, tzinfo=dt.UTC)


def test_deribit_perpetual_only_with_its_size_rule():
    # nautilus_trader's fixture on its own (the snapshot adds cryptofeed's older answers)
    importer = IMPORTERS["deribit"]()
    recording = importer.recordings["instruments"]
    read = Read(recording.citation, recording.recorded_at)
    found = importer.parse({"instruments": recording.load()}, {"instruments": read})
    markets = {r.symbol: r for r in found}
    assert set(markets) == {"BTC-PERPETUAL"}  # the dated future BTC-27DEC24 is skipped
    btc = markets["BTC-PERPETUAL"]
    # "contract_size": 10.0, "max_leverage": 50, "taker_commission": 0.0005
    assert btc.product_line == "inverse" and btc.values["contract_size"] == 10
    assert btc.values["max_leverage"] == 50 and btc.values["taker_fee"] == Decimal("0.0005")
    # Deribit: "1%+ (PositionSize in BTC) * 0.005%"
    assert btc.values["maintenance_base_rate"] == Decimal("0.01")
    assert btc.values["maintenance_rate_per_coin"] == Decimal("0.00005")
    assert "support.deribit.com" in btc.read["tiers"].source


def test_hyperliquid_has_btc_eth_and_hourly_funding():
    markets = readings("hyperliquid")
    assert {"BTC", "ETH", "SOL", "ADA", "MEME"} <= set(markets)
    btc = markets["BTC"]
    # "maxLeverage": "50", "funding": "0.00007563", "markPx": "67681.0"
    assert btc.values["max_leverage"] == 50
    assert (btc.mark_price, btc.funding_rate) == (Decimal("67681.0"), Decimal("0.00007563"))
    assert all(r.values["funding_interval_hours"] == 1 for r in markets.values())
    assert markets["SOL"].mark_price == Decimal("108.04")  # ccxt's commented example first


@pytest.mark.django_db
def test_seeded_deribit_market_applies_maintenance_for_the_positions_size(seeded):
    call_command("seed_markets", stdout=StringIO())
    market = Market.objects.get(product_line__platform__slug="deribit", symbol="BTC-PERPETUAL")
    assert market.has_size_rule and market.from_snapshot
    assert market.tiers_read_at == dt.datetime(2022, 1, 11, tzinfo=dt.UTC)
    base = rules_for(resolve(load_platform("deribit"), contract="inverse", margin_mode="isolated"))
    # 100 BTC at 50,000 USD: 5,000,000 USD of contracts; maintenance 1% + 100 × 0.005% = 1.5%
    position = Position(
        contract=Contract.INVERSE,
        side=Side.LONG,
        entry_price=Decimal(50_000),
        quantity=Decimal(5_000_000),
        leverage=Decimal(10),
    )
    size = position_size_in_coins(position)
    rules = rules_for_market(market, base, size_in_coins=size)
    assert rules.maintenance_margin_rate == Decimal("0.015")
    assert evaluate(position=position, rules=rules).maintenance_margin_rate == Decimal("0.015")
    assert rules_for_market(market, base).maintenance_margin_rate == Decimal("0.01")


@pytest.mark.django_db
def test_seed_markets_gives_bitmex_and_hyperliquid_btc_and_eth(seeded):
    call_command("seed_markets", stdout=StringIO())
    xbt = Market.objects.get(product_line__platform__slug="bitmex", symbol="XBTUSD")
    # ccxt's static bitmex.json (commit 869d65f): XBTUSD "markPrice": "77069.62" of 2026-05-21,
    # newer than the nautilus_trader fixture's 97849.76 of 2024-11-24
    assert xbt.latest_quote.mark_price == Decimal("77069.62") and xbt.from_snapshot
    eth = Market.objects.get(product_line__platform__slug="bitmex", symbol="ETHUSDT")
    assert eth.latest_quote.mark_price == Decimal("2124.041")
    hyperliquid = Market.objects.filter(product_line__platform__slug="hyperliquid")
    assert {"BTC", "ETH"} <= set(hyperliquid.values_list("base", flat=True))
    assert all(m.funding_interval_hours == 1 for m in hyperliquid)


@pytest.fixture
def live(settings):
    settings.MARKET_IMPORT_ENABLED = True
    settings.MARKET_IMPORT_RETRY_SECONDS = 0


@pytest.mark.django_db
@respx.mock(assert_all_called=True)
def test_bitmex_and_deribit_live_read_the_same_way(seeded, live, respx_mock):
    respx_mock.get("https://www.bitmex.com/api/v1/instrument/active").mock(
        return_value=recorded("bitmex_instrument_xbtusd.json")
    )
    respx_mock.get(
        "https://www.deribit.com/api/v2/public/get_instruments",
        params={"currency": "any", "kind": "future"},
    ).mock(return_value=recorded("deribit_instruments_future.json"))
    call_command("import_markets", platform="bitmex", stdout=StringIO())
    call_command("import_markets", platform="deribit", stdout=StringIO())
    xbt = Market.objects.get(symbol="XBTUSD")
    assert not xbt.from_snapshot
    assert xbt.instrument_source == "GET https://www.bitmex.com/api/v1/instrument/active"
    perpetual = Market.objects.get(symbol="BTC-PERPETUAL")
    assert perpetual.instrument_source.startswith("GET https://www.deribit.com/")
    # the rule is Deribit's published page, never the live endpoint: not labelled live
    assert perpetual.tiers_source.startswith("snapshot of Deribit's published rule")


def test_mexc_contracts_with_their_one_tier():
    # ccxt commit 1f08614, ts/src/test/static/markets/mexc.json, BTC_USDT's info:
    # "contractSize": "0.0001", "maxLeverage": "200", "takerFeeRate": "0.0002",
    # "makerFeeRate": "0", "maintenanceMarginRate": "0.004", "riskLevelLimit": "1"
    markets = readings("mexc")
    assert set(markets) == {
        "BTC_USDT",
        "ETH_USDT",
        "SOL_USDT",
        "XRP_USDT",
        "ADA_USDT",
        "LTC_USDT",
        "TRX_USDT",
    }
    btc = markets["BTC_USDT"]
    assert btc.product_line == "usdt-m" and btc.values["contract_size"] == Decimal("0.0001")
    assert (btc.values["maker_fee"], btc.values["taker_fee"]) == (0, Decimal("0.0002"))
    (tier,) = btc.tiers
    assert tier.maintenance_margin_rate == Decimal("0.004") and tier.max_leverage == 200


@pytest.mark.django_db
@respx.mock(assert_all_called=True)
def test_mexc_live_reads_the_contract_detail_answer(seeded, live, respx_mock):
    import json

    recorded_rows = json.loads((RECORDINGS_DIR / "mexc_ccxt_markets.json").read_text())
    answer = {"success": True, "code": 0, "data": [m["info"] for m in recorded_rows.values()]}
    respx_mock.get("https://contract.mexc.com/api/v1/contract/detail").mock(
        return_value=httpx.Response(200, json=answer)
    )
    call_command("import_markets", platform="mexc", stdout=StringIO())
    eth = Market.objects.get(product_line__platform__slug="mexc", symbol="ETH_USDT")
    assert eth.contract_size == Decimal("0.01") and not eth.from_snapshot
    assert eth.tiers.get().maintenance_margin_rate == Decimal("0.004")


def test_dydx_btc_from_the_indexer_row():
    # ccxt commit 439b9da, ts/src/test/static/markets/dydx.json, BTC-USD's info:
    # "initialMarginFraction": "0.02", "maintenanceMarginFraction": "0.012",
    # "oraclePrice": "118442.13796", "nextFundingRate": "0.00015111785714285714"
    btc = readings("dydx")["BTC-USD"]
    assert btc.product_line == "perpetuals" and btc.values["max_leverage"] == 50
    assert btc.values["settle"] == "USDC" and btc.values["funding_interval_hours"] == 1
    (tier,) = btc.tiers
    assert tier.maintenance_margin_rate == Decimal("0.012")
    assert btc.mark_price == Decimal("118442.13796")
    assert btc.funding_rate == Decimal("0.00015111785714285714")


@pytest.mark.django_db
@respx.mock(assert_all_called=True)
def test_dydx_live_reads_the_indexer_answer(seeded, live, respx_mock):
    import json

    recorded_rows = json.loads((RECORDINGS_DIR / "dydx_ccxt_markets.json").read_text())
    answer = {"markets": {m["info"]["ticker"]: m["info"] for m in recorded_rows.values()}}
    respx_mock.get("https://indexer.dydx.trade/v4/perpetualMarkets").mock(
        return_value=httpx.Response(200, json=answer)
    )
    call_command("import_markets", platform="dydx", stdout=StringIO())
    btc = Market.objects.get(product_line__platform__slug="dydx", symbol="BTC-USD")
    assert btc.max_leverage == 50 and not btc.from_snapshot
    # the quote keeps 8 places: the indexer's rate rounded, as stored
    assert btc.latest_quote.funding_rate == Decimal("0.00015112")


def test_bingx_contracts_leverage_and_fees():
    # ccxt commit 1756184, ts/src/test/static/markets/bingx.json, BTC-USDT's info:
    # "maxLongLeverage": "125", "maxShortLeverage": "125", "makerFeeRate": "0.0002",
    # "takerFeeRate": "0.0005"
    markets = readings("bingx")
    assert set(markets) == {"BTC-USDT", "LTC-USDT", "ADA-USDT", "SOL-USDT"}
    btc = markets["BTC-USDT"]
    assert btc.product_line == "perpetual-futures" and btc.values["max_leverage"] == 125
    assert (btc.values["maker_fee"], btc.values["taker_fee"]) == (
        Decimal("0.0002"),
        Decimal("0.0005"),
    )
    assert btc.tiers is None  # tiers are a signed endpoint: none read


@pytest.mark.django_db
@respx.mock(assert_all_called=True)
def test_bingx_live_reads_the_contracts_answer(seeded, live, respx_mock):
    import json

    recorded_rows = json.loads((RECORDINGS_DIR / "bingx_ccxt_markets.json").read_text())
    answer = {"code": 0, "msg": "", "data": [m["info"] for m in recorded_rows.values()]}
    respx_mock.get("https://open-api.bingx.com/openApi/swap/v2/quote/contracts").mock(
        return_value=httpx.Response(200, json=answer)
    )
    call_command("import_markets", platform="bingx", stdout=StringIO())
    assert Market.objects.filter(product_line__platform__slug="bingx").count() == 4


@pytest.mark.django_db
def test_admin_edits_the_size_rule_and_refuses_half_of_it(seeded, staff_client):
    from django.urls import reverse

    call_command("seed_markets", stdout=StringIO())
    market = Market.objects.get(symbol="BTC-PERPETUAL")
    url = reverse("admin:markets_market_change", args=[market.pk])
    page = staff_client.get(url).content.decode()
    assert "maintenance_rate_per_coin" in page
    market.maintenance_rate_per_coin = None
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        market.full_clean()
    assert "maintenance_rate_per_coin" in error.value.message_dict


def test_bitget_usdt_and_coin_margined_perpetuals():
    # ccxt commit 0cad838, ts/src/test/static/markets/bitget.json, BTCUSDT's info:
    # "maxLever": "125", "makerFeeRate": "0.0002", "takerFeeRate": "0.0006", "fundInterval": "8"
    markets = readings("bitget")
    # the eight ccxt rows; cryptofeed's v1 answers add 51 others (test_cryptofeed_recordings)
    ccxt = {s for s, r in markets.items() if "ccxt" in r.read["instrument"].source}
    assert len(ccxt) == 8 and {"BTCUSDT", "ETHUSDT", "BTCUSD"} <= ccxt
    btc = markets["BTCUSDT"]
    assert btc.product_line == "usdt-m" and btc.values["max_leverage"] == 125
    assert btc.values["taker_fee"] == Decimal("0.0006")
    assert btc.values["funding_interval_hours"] == 8
    inverse = markets["BTCUSD"]
    assert inverse.product_line == "coin-m" and inverse.values["settle"] == "BTC"
    assert markets["ETHUSDT"].values["max_leverage"] == 100


@pytest.mark.django_db
@respx.mock(assert_all_called=True)
def test_bitget_live_asks_both_product_types(seeded, live, respx_mock):
    import json

    rows = [
        m["info"]
        for name in ("usdt", "coin")
        for m in json.loads(
            (RECORDINGS_DIR / f"bitget_ccxt_markets_{name}.json").read_text()
        ).values()
    ]
    url = "https://api.bitget.com/api/v2/mix/market/contracts"
    respx_mock.get(url, params={"productType": "USDT-FUTURES"}).mock(
        return_value=httpx.Response(
            200, json={"code": "00000", "data": [r for r in rows if r["quoteCoin"] == "USDT"]}
        )
    )
    respx_mock.get(url, params={"productType": "COIN-FUTURES"}).mock(
        return_value=httpx.Response(
            200, json={"code": "00000", "data": [r for r in rows if r["quoteCoin"] == "USD"]}
        )
    )
    call_command("import_markets", platform="bitget", stdout=StringIO())
    assert Market.objects.filter(product_line__platform__slug="bitget").count() == 8
    assert Market.objects.get(symbol="BTCUSD", product_line__slug="coin-m").kind == "inverse"


def test_kraken_multi_collateral_perpetuals_without_guessed_tiers():
    # ccxt commit 3802e1a, ts/src/test/static/markets/krakenfutures.json, PF_XBTUSD's info:
    # "type": "flexible_futures", "marginLevels": [{"numNonContractUnits": "0E-20",
    # "initialMargin": "0.02", "maintenanceMargin": "0.01"}, ...]
    markets = readings("kraken")
    assert set(markets) == {"PF_XBTUSD", "PF_ETHUSD", "PF_LTCUSD"}
    btc = markets["PF_XBTUSD"]
    assert btc.product_line == "derivatives" and btc.values["base"] == "BTC"
    assert btc.values["max_leverage"] == 50
    assert btc.tiers is None and "margin levels not stored" in btc.warnings[0]


@pytest.mark.django_db
@respx.mock(assert_all_called=True)
def test_kraken_live_reads_the_instruments_answer(seeded, live, respx_mock):
    import json

    recorded_rows = json.loads((RECORDINGS_DIR / "krakenfutures_ccxt_markets.json").read_text())
    answer = {"result": "success", "instruments": [m["info"] for m in recorded_rows.values()]}
    respx_mock.get("https://futures.kraken.com/derivatives/api/v3/instruments").mock(
        return_value=httpx.Response(200, json=answer)
    )
    call_command("import_markets", platform="kraken", stdout=StringIO())
    assert Market.objects.get(symbol="PF_ETHUSD").max_leverage == 50
