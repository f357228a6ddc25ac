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
    MarketReading,
    Read,
    ccxt_market_infos,
    ccxt_static_markets,
    decimal,
)

API = "https://open-api.bingx.com/openApi/swap/v2/quote/contracts"
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
            note="ccxt's static test markets: each swap's 'info' is BingX's contract row; no time "
            "stated.",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = []
        for item in _rows(answers["contracts"]):
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


def _rows(answer: Any) -> list[dict[str, Any]]:
    """The live answer ({"code": 0, "data": [...]}) or ccxt's recorded markets."""
    if isinstance(answer, dict) and "data" in answer:
        if answer.get("code") not in (0, "0"):
            raise ValueError(f"BingX answered code {answer.get('code')}: {answer.get('msg')}")
        return list(answer["data"])
    infos = ccxt_market_infos(answer)
    if infos is not None:
        return infos
    raise ValueError(f"BingX answered no contracts: {answer!r:.200}")
