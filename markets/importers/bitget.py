"""Bitget perpetuals (USDT-M and coin-M): leverage, base fees and funding interval per contract.

Public: GET https://api.bitget.com/api/v2/mix/market/contracts?productType=USDT-FUTURES and
?productType=COIN-FUTURES ({"code": "00000", "data": [...]}). A contract states its maximum
leverage, maker and taker fee rates and funding interval in hours ("fundInterval"); its
position tiers are another endpoint per symbol, not read here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from markets.importers.base import (
    Endpoint,
    Importer,
    ListAnswer,
    MarketReading,
    Read,
    add_unseen,
    ccxt_static_markets,
    cryptofeed_sample,
    decimal,
)

API = "https://api.bitget.com/api/v2/mix/market/contracts"
API_V1 = "https://api.bitget.com/api/mix/v1/market/contracts"
CONTRACTS = ListAnswer("Bitget", "data", status="code", accepted=("00000",), message="msg")
LINES = {"linear": "usdt-m", "inverse": "coin-m"}


class BitgetImporter(Importer):
    platform_slug = "bitget"
    endpoints = (
        Endpoint("usdt", API, {"productType": "USDT-FUTURES"}),
        Endpoint("coin", API, {"productType": "COIN-FUTURES"}),
    )
    recordings = {
        name: ccxt_static_markets(
            file=f"bitget_ccxt_markets_{name}.json",
            endpoint=f"GET {API}?productType={product}",
            commit="0cad838",
            exchange="bitget",
            note="ccxt's static test markets: each swap's 'info' is Bitget's contract row; no "
            "time stated. The file's markets are split by margin (USDT- or coin-margined).",
        )
        for name, product in (("usdt", "USDT-FUTURES"), ("coin", "COIN-FUTURES"))
    } | {
        # cryptofeed's recorded answers of the retired v1 endpoint (its playback test data):
        # every perpetual of 7 April 2022 with its base fees, no leverage or funding interval.
        f"{name}_2022": cryptofeed_sample(
            file=f"bitget_mix_v1_contracts_{name}_2022-04-07.json",
            endpoint=f"GET {API_V1}?productType={product}",
            sample="BITGET.0",
            recorded_at=recorded_at,
            note="Recorded from Bitget's live API by cryptofeed; dated by the answer's own "
            "'requestTime'.",
        )
        for name, product, recorded_at in (
            ("usdt", "umcbl", dt.datetime(2022, 4, 7, 0, 7, 56, 159000, tzinfo=dt.UTC)),
            ("coin", "dmcbl", dt.datetime(2022, 4, 7, 0, 7, 56, 459000, tzinfo=dt.UTC)),
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = []
        for name in ("usdt", "coin"):
            for item in CONTRACTS.rows(answers[name]):
                if item.get("symbolType") != "perpetual" or item.get("symbolStatus") != "normal":
                    continue
                base, quote = item.get("baseCoin", ""), item.get("quoteCoin", "")
                kind = "inverse" if quote == "USD" else "linear"
                reading = MarketReading(product_line=LINES[kind], symbol=item["symbol"])
                reading.values = {
                    "base": base,
                    "quote": quote,
                    "settle": base if kind == "inverse" else quote,
                    "kind": kind,
                    "contract_size": Decimal(1),  # Bitget sizes orders in coins on both lines
                    "max_leverage": decimal(item.get("maxLever")),
                    "maker_fee": decimal(item.get("makerFeeRate")),
                    "taker_fee": decimal(item.get("takerFeeRate")),
                }
                hours = decimal(item.get("fundInterval"))
                if hours:
                    reading.values["funding_interval_hours"] = hours
                reading.read["instrument"] = reads[name]
                reading.read["fees"] = reads[name]
                readings.append(reading)
        for name in ("usdt_2022", "coin_2022"):
            if name in answers:  # older: only the contracts the v2 rows lack
                add_unseen(readings, _read_v1(CONTRACTS.rows(answers[name]), reads[name]))
        return readings


def _read_v1(rows: list[dict[str, Any]], read: Read) -> list[MarketReading]:
    """Rows of the retired v1 contracts endpoint: symbol "BTCUSDT_UMCBL" (v2 calls the same
    contract "BTCUSDT": the product suffix is dropped), base and quote coin, base fees."""
    readings = []
    for item in rows:
        symbol = str(item.get("symbol", "")).split("_")[0]
        base, quote = item.get("baseCoin", ""), item.get("quoteCoin", "")
        if not symbol or not base or quote not in ("USDT", "USD"):
            continue
        kind = "inverse" if quote == "USD" else "linear"
        reading = MarketReading(product_line=LINES[kind], symbol=symbol)
        reading.values = {
            "base": base,
            "quote": quote,
            "settle": base if kind == "inverse" else quote,
            "kind": kind,
            "contract_size": Decimal(1),
            "maker_fee": decimal(item.get("makerFeeRate")),
            "taker_fee": decimal(item.get("takerFeeRate")),
        }
        reading.read["instrument"] = read
        reading.read["fees"] = read
        readings.append(reading)
    return readings
