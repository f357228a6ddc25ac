"""Kraken Derivatives multi-collateral perpetuals ("PF_" contracts): leverage and contract size.

Public: GET https://futures.kraken.com/derivatives/api/v3/instruments
({"result": "success", "instruments": [...]}). Each contract lists its margin levels (position
value in USD from which an initial and a maintenance rate apply). The maximum leverage is
1 / the first level's initial margin. The levels are not stored as a tier table: the sources
read here do not say whether a level's rate applies to the whole position or only to the slice
above its floor, and the two give different maintenance; until one does, the market keeps none
(and says so) rather than guessing. Inverse ("PI_") and fixed-maturity contracts are not read.
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
    leverage_from_margin,
)

API = "https://futures.kraken.com/derivatives/api/v3/instruments"
INSTRUMENTS = ListAnswer(
    "Kraken",
    "instruments",
    status="result",
    accepted=("success",),
    message="error",
    noun="instruments",
)
ASSETS = {"XBT": "BTC"}


class KrakenImporter(Importer):
    platform_slug = "kraken"
    endpoints = (Endpoint("instruments", API),)
    recordings = {
        "instruments": ccxt_static_markets(
            file="krakenfutures_ccxt_markets.json",
            endpoint=f"GET {API}",
            commit="3802e1a",
            exchange="krakenfutures",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = []
        for item in INSTRUMENTS.rows(answers["instruments"]):
            symbol = str(item.get("symbol", ""))
            if item.get("type") != "flexible_futures" or not item.get("tradeable"):
                continue
            if not symbol.startswith("PF_") or not symbol.endswith("USD"):
                continue
            base = symbol[3:-3]
            levels = item.get("marginLevels") or []
            initial = decimal(levels[0].get("initialMargin")) if levels else None
            reading = MarketReading(product_line="derivatives", symbol=symbol)
            reading.values = {
                "base": ASSETS.get(base, base),
                "quote": "USD",
                "settle": "USD",
                "kind": "linear",
                "contract_size": decimal(item.get("contractSize")) or Decimal(1),
                "max_leverage": leverage_from_margin(initial),
            }
            reading.read["instrument"] = reads["instruments"]
            reading.warnings.append(
                f"{len(levels)} margin levels not stored as tiers: whole-position or per-slice "
                "rates are not established by the sources read."
            )
            readings.append(reading)
        return readings
