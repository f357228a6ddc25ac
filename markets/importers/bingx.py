"""BingX USDT-M perpetual swaps: leverage and base fees of each contract.

Public: GET https://open-api.bingx.com/openApi/swap/v2/quote/contracts
({"code": 0, "data": [...]}). A contract states its maximum long and short leverage and its
maker and taker fee rates; its margin tiers come from a signed endpoint, so none are read.
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

API = "https://open-api.bingx.com/openApi/swap/v2/quote/contracts"
CONTRACTS = ListAnswer("BingX", "data", status="code", accepted=(0, "0"), message="msg")
ONLINE = "1"


class BingxImporter(Importer):
    platform_slug = "bingx"
    endpoints = (Endpoint("contracts", API),)
    recordings = {
        "contracts": ccxt_static_markets(
            file="bingx_ccxt_markets.json",
            endpoint=f"GET {API}",
            commit="1756184",
            exchange="bingx",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = []
        for item in CONTRACTS.rows(answers["contracts"]):
            if str(item.get("status")) != ONLINE or item.get("currency") != "USDT":
                continue
            longs = decimal(item.get("maxLongLeverage"))
            shorts = decimal(item.get("maxShortLeverage"))
            sides = [x for x in (longs, shorts) if x is not None]
            reading = MarketReading(product_line="perpetual-futures", symbol=item["symbol"])
            reading.values = {
                "base": item.get("asset", ""),
                "quote": "USDT",
                "settle": "USDT",
                "kind": "linear",
                "contract_size": Decimal(1),  # quantities are in coins
                # the lower of the two sides, so neither is overstated
                "max_leverage": min(sides) if sides else None,
                "maker_fee": decimal(item.get("makerFeeRate")),
                "taker_fee": decimal(item.get("takerFeeRate")),
            }
            reading.read["instrument"] = reads["contracts"]
            reading.read["fees"] = reads["contracts"]
            readings.append(reading)
        return readings
