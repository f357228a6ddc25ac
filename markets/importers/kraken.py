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
    MarketReading,
    Read,
    ccxt_market_infos,
    ccxt_static_markets,
    decimal,
)

API = "https://futures.kraken.com/derivatives/api/v3/instruments"
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
            note="ccxt's static test markets: each contract's 'info' is Kraken's instrument row; "
            "no time stated.",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = []
        for item in _rows(answers["instruments"]):
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
                "max_leverage": (Decimal(1) / initial).quantize(Decimal("0.01"))
                if initial
                else None,
            }
            reading.read["instrument"] = reads["instruments"]
            reading.warnings.append(
                f"{len(levels)} margin levels not stored as tiers: whole-position or per-slice "
                "rates are not established by the sources read."
            )
            readings.append(reading)
        return readings


def _rows(answer: Any) -> list[dict[str, Any]]:
    """The live answer ({"result": "success", "instruments": [...]}) or ccxt's recorded markets."""
    if isinstance(answer, dict) and "instruments" in answer:
        if answer.get("result") != "success":
            raise ValueError(f"Kraken answered {answer.get('result')}: {answer.get('error')}")
        return list(answer["instruments"])
    infos = ccxt_market_infos(answer)
    if infos is not None:
        return infos
    raise ValueError(f"Kraken answered no instruments: {answer!r:.200}")
