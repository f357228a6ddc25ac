"""OKX's and Deribit's instrument lists as cryptofeed recorded them from the live APIs.

Recordings (markets/recordings/README.md), cryptofeed (XFree86 1.1) on GitHub, commit
ce58c2a0015040aa2271e80bac783d74fa2cdcff:
- sample_data/OKX.0: GET /api/v5/public/instruments?instType=SWAP, recorded at 1652458996.53
  (2022-05-13 16:23:16 UTC); the file keeps the swaps of 33 bases.
- sample_data/HUOBI_SWAP.0: HTX's GET /linear-swap-api/v1/swap_contract_info and
  /swap-api/v1/swap_contract_info (2022-02-19), the contracts of 21 bases.
- sample_data/BITGET.0: GET /api/mix/v1/market/contracts?productType=umcbl and dmcbl (2022-04-07).
- sample_data/DERIBIT.0: GET /api/v2/public/get_instruments?currency=BTC|ETH|SOL|USDC, each
  dated by its own usIn (BTC, ETH: 2021-07-22; SOL, USDC: 2022-05-29); perpetual rows only.
"""

import datetime as dt
from decimal import Decimal
from io import StringIO

import httpx
import pytest
import respx
from django.core.management import call_command

from markets.importers import IMPORTERS
from markets.importers.base import RECORDINGS_DIR
from markets.models import Market

OKX_2022 = dt.datetime(2022, 5, 13, 16, 23, 16, tzinfo=dt.UTC)


def readings(slug):
    found, _ = IMPORTERS[slug]().from_recordings()
    return {r.symbol: r for r in found}


def test_okx_2022_swaps_give_btc_eth_and_thirty_more_markets():
    markets = readings("okx")
    assert len(markets) >= 20 and {"BTC-USDT-SWAP", "ETH-USDT-SWAP", "ETH-USD-SWAP"} <= set(markets)
    # {"instId": "ETH-USD-SWAP", "ctType": "inverse", "ctVal": "10", "lever": "125",
    #  "settleCcy": "ETH", "uly": "ETH-USD", "state": "live"}
    eth = markets["ETH-USD-SWAP"]
    assert eth.product_line == "derivatives-inverse"
    assert (eth.values["kind"], eth.values["settle"], eth.values["base"]) == (
        "inverse",
        "ETH",
        "ETH",
    )
    assert eth.values["contract_size"] == 10 and eth.values["max_leverage"] == 125
    assert eth.read["instrument"].read_at == OKX_2022
    assert "cryptofeed (GitHub) commit ce58c2a (sample_data/OKX.0)" in eth.read["instrument"].source
    # {"instId": "MATIC-USDT-SWAP", "ctType": "linear", "ctVal": "10", "lever": "75"}
    matic = markets["MATIC-USDT-SWAP"]
    assert matic.product_line == "derivatives-linear"
    assert matic.values["contract_size"] == 10 and matic.values["max_leverage"] == 75
    # nautilus_trader's undated rows keep BTC-USDT-SWAP (lever "100"; 2022's says "125")
    btc = markets["BTC-USDT-SWAP"]
    assert btc.values["max_leverage"] == 100 and btc.read["instrument"].read_at is None


def test_deribit_perpetuals_of_2021_and_2022_each_dated_by_its_answer():
    markets = readings("deribit")
    assert {"BTC-PERPETUAL", "ETH-PERPETUAL", "SOL-PERPETUAL", "ETH_USDC-PERPETUAL"} <= set(markets)
    # ETH answer (usIn 1626993723450008): "max_leverage": 50, "contract_size": 1,
    # "taker_commission": 0.0005, "maker_commission": 0.0, no instrument_type or settlement
    # currency in 2021: a USD-quoted perpetual, inverse, settled in ETH
    eth = markets["ETH-PERPETUAL"]
    assert eth.product_line == "inverse" and eth.values["settle"] == "ETH"
    assert eth.values["max_leverage"] == 50 and eth.values["contract_size"] == 1
    assert (eth.values["maker_fee"], eth.values["taker_fee"]) == (0, Decimal("0.0005"))
    assert eth.read["instrument"].read_at == dt.datetime(
        2021, 7, 22, 22, 42, 3, 450008, tzinfo=dt.UTC
    )
    # SOL answer (usIn 1653848241469408): "future_type": "reversed", "maker_commission": -0.0002
    sol = markets["SOL-PERPETUAL"]
    assert sol.product_line == "inverse" and sol.values["max_leverage"] == 25
    assert "maker_fee" not in sol.values and "rebate" in sol.warnings[0]
    # USDC answer: "future_type": "linear", "contract_size": 0.01, "max_leverage": 50
    eth_usdc = markets["ETH_USDC-PERPETUAL"]
    assert eth_usdc.product_line == "usdc-linear" and eth_usdc.values["settle"] == "USDC"
    assert eth_usdc.values["contract_size"] == Decimal("0.01")
    assert eth_usdc.read["instrument"].read_at.date() == dt.date(2022, 5, 29)
    # BTC_USDC-PERPETUAL carries Deribit's published size rule, like BTC-PERPETUAL
    assert markets["BTC_USDC-PERPETUAL"].values["maintenance_base_rate"] == Decimal("0.01")
    # the newer nautilus_trader fixture keeps BTC-PERPETUAL
    assert markets["BTC-PERPETUAL"].read["instrument"].read_at.year == 2025


def test_bitget_v1_contracts_of_april_2022_add_fees_without_leverage():
    # cryptofeed sample_data/BITGET.0: GET /api/mix/v1/market/contracts?productType=umcbl and
    # dmcbl, "requestTime": 1649290076159 and 1649290076459 (2022-04-07 00:07:56 UTC)
    markets = readings("bitget")
    assert len(markets) >= 20 and {"BTCUSDT", "ETHUSDT", "ETHUSD"} <= set(markets)
    # {"symbol": "SOLUSDT_UMCBL", "makerFeeRate": "0.0002", "takerFeeRate": "0.0006",
    #  "quoteCoin": "USDT", "baseCoin": "SOL", ...}: v2 calls it SOLUSDT
    sol = markets["SOLUSDT"]
    assert sol.product_line == "usdt-m" and sol.values["settle"] == "USDT"
    assert (sol.values["maker_fee"], sol.values["taker_fee"]) == (
        Decimal("0.0002"),
        Decimal("0.0006"),
    )
    assert "max_leverage" not in sol.values  # v1 states none: the line's value holds
    stamp = dt.datetime(2022, 4, 7, 0, 7, 56, 159000, tzinfo=dt.UTC)
    assert sol.read["instrument"].read_at == stamp and sol.read["fees"].read_at == stamp
    # {"symbol": "ETHUSD_DMCBL", "quoteCoin": "USD", "baseCoin": "ETH"}: coin-margined
    eth_usd = markets["ETHUSD"]
    assert eth_usd.product_line == "coin-m" and eth_usd.values["settle"] == "ETH"
    # ccxt's newer (undated) v2 rows keep BTCUSDT, with its maxLever 125
    assert markets["BTCUSDT"].values["max_leverage"] == 125


def test_htx_swaps_of_february_2022_give_a_new_venue_its_markets():
    # cryptofeed sample_data/HUOBI_SWAP.0: GET /linear-swap-api/v1/swap_contract_info
    # ("ts": 1645289383814) and /swap-api/v1/swap_contract_info ("ts": 1645289383018)
    markets = readings("htx")
    assert len(markets) >= 20 and {"BTC-USDT", "ETH-USDT", "BTC-USD", "ETH-USD"} <= set(markets)
    # {"symbol": "ETH", "contract_code": "ETH-USDT", "contract_size": 0.01, "contract_status": 1,
    #  "business_type": "swap", ...}
    eth = markets["ETH-USDT"]
    assert eth.product_line == "usdt-m" and eth.values["kind"] == "linear"
    assert eth.values["contract_size"] == Decimal("0.01") and eth.values["settle"] == "USDT"
    assert eth.read["instrument"].read_at == dt.datetime(
        2022, 2, 19, 16, 49, 43, 814000, tzinfo=dt.UTC
    )
    # {"symbol": "ETH", "contract_code": "ETH-USD", "contract_size": 10.0}: 10 USD a contract
    eth_usd = markets["ETH-USD"]
    assert eth_usd.product_line == "coin-m" and eth_usd.values["kind"] == "inverse"
    assert eth_usd.values["contract_size"] == 10 and eth_usd.values["settle"] == "ETH"
    # leverage and fees are not in this answer: the product line's values hold
    assert "max_leverage" not in eth.values and "fees" not in eth.read


@pytest.mark.django_db
@respx.mock(assert_all_called=True)
def test_htx_live_asks_both_contract_lists(seeded, settings, respx_mock):
    settings.MARKET_IMPORT_ENABLED = True
    settings.MARKET_IMPORT_RETRY_SECONDS = 0
    for name, path in (
        ("usdt", "linear-swap-api/v1/swap_contract_info"),
        ("coin", "swap-api/v1/swap_contract_info"),
    ):
        respx_mock.get(f"https://api.hbdm.com/{path}").mock(
            return_value=httpx.Response(
                200,
                content=(
                    RECORDINGS_DIR / f"htx_swap_contract_info_{name}_2022-02-19.json"
                ).read_bytes(),
            )
        )
    call_command("import_markets", platform="htx", stdout=StringIO())
    btc = Market.objects.get(product_line__platform__slug="htx", symbol="BTC-USDT")
    assert btc.contract_size == Decimal("0.001") and not btc.from_snapshot
    assert btc.instrument_source == "GET https://api.hbdm.com/linear-swap-api/v1/swap_contract_info"


def test_gate_contracts_of_may_2023_with_first_risk_limit_fees_funding_and_mark():
    # cryptofeed sample_data/GATEIO_FUTURES.0: GET /api/v4/futures/usdt/contracts, recorded at
    # 1684930163.95 (2023-05-24 12:09:23 UTC); the 30 contracts with the largest open interest
    markets = readings("gate")
    assert len(markets) == 30 and {"BTC_USDT", "ETH_USDT"} <= set(markets)
    # {"name": "ETH_USDT", "leverage_max": "100", "maintenance_rate": "0.005",
    #  "risk_limit_base": "1000000", "maker_fee_rate": "-0.0001368", "taker_fee_rate": "0.00075",
    #  "funding_interval": 28800, "funding_rate": "0.0001", "mark_price": "1815.33",
    #  "quanto_multiplier": "0.01", ...}
    eth = markets["ETH_USDT"]
    assert eth.product_line == "usdt-perpetuals" and eth.values["contract_size"] == Decimal("0.01")
    assert eth.values["max_leverage"] == 100 and eth.values["funding_interval_hours"] == 8
    assert eth.values["taker_fee"] == Decimal("0.00075")
    assert "maker_fee" not in eth.values and "rebate" in eth.warnings[0]
    (tier,) = eth.tiers
    assert (tier.notional_floor, tier.notional_cap) == (0, 1_000_000)
    assert tier.maintenance_margin_rate == Decimal("0.005") and tier.max_leverage == 100
    assert (eth.mark_price, eth.funding_rate) == (Decimal("1815.33"), Decimal("0.0001"))
    stamp = dt.datetime(2023, 5, 24, 12, 9, 23, tzinfo=dt.UTC)
    assert eth.read["tiers"].read_at == stamp and eth.read["quote"].read_at == stamp
    # LTC_USDT: "leverage_max": "50", "maintenance_rate": "0.01", "risk_limit_base": "500000"
    (ltc,) = markets["LTC_USDT"].tiers
    assert (ltc.max_leverage, ltc.maintenance_margin_rate, ltc.notional_cap) == (
        50,
        Decimal("0.01"),
        500_000,
    )


def test_a_gate_error_answer_is_refused():
    importer = IMPORTERS["gate"]()
    with pytest.raises(ValueError, match="Gate answered no contracts"):
        importer.parse({"contracts": {"label": "INVALID_KEY", "message": "x"}}, {})
