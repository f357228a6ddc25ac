"""Bitget perpetuals (USDT-M and coin-M): leverage, base fees and funding interval per contract.

Public: GET https://api.bitget.com/api/v2/mix/market/contracts?productType=USDT-FUTURES and
?productType=COIN-FUTURES ({"code": "00000", "data": [...]}). A contract states its maximum
leverage, maker and taker fee rates and funding interval in hours ("fundInterval"); its
position tiers are another endpoint per symbol, not read here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from markets.importers.base import (
    Endpoint,
    Importer,
    ListAnswer,
    MarketReading,
    Read,
    ccxt_static_markets,
    decimal,
)

API = "https://api.bitget.com/api/v2/mix/market/contracts"
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
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = []
        for name, answer in answers.items():
            for item in CONTRACTS.rows(answer):
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
        return readings
