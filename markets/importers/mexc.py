"""MEXC USDT-M perpetuals: contract size, leverage, base fees and the maintenance rate.

Public: GET https://contract.mexc.com/api/v1/contract/detail ({"success": true, "data": [...]}).
Each contract states its maintenance and initial margin rate for its first risk level and how
risk levels step up by volume in contracts ("riskBaseVol", "riskIncrVol", "riskIncrMmr"). Where a
contract has a single risk level ("riskLevelLimit" 1), its table is one tier at that rate; with
more levels the steps are in contracts, which need a price to become notional, so the table is
left unread (warned) rather than guessed.
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
    one_tier,
)

API = "https://contract.mexc.com/api/v1/contract/detail"
CONTRACTS = ListAnswer("MEXC", "data", status="success", accepted=(True,), message="message")
PERPETUAL = "1"  # futureType
ENABLED = "0"  # state


class MexcImporter(Importer):
    platform_slug = "mexc"
    endpoints = (Endpoint("contracts", API),)
    recordings = {
        "contracts": ccxt_static_markets(
            file="mexc_ccxt_markets.json",
            endpoint=f"GET {API}",
            commit="1f08614",
            exchange="mexc",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        rows = CONTRACTS.rows(answers["contracts"])
        readings = []
        for item in rows:
            if str(item.get("futureType")) != PERPETUAL or str(item.get("state")) != ENABLED:
                continue
            if item.get("settleCoin") != "USDT":
                continue  # coin-settled contracts: not in our profile's product line
            reading = MarketReading(product_line="usdt-m", symbol=item["symbol"])
            max_leverage = decimal(item.get("maxLeverage"))
            reading.values = {
                "base": item.get("baseCoin", ""),
                "quote": item.get("quoteCoin", ""),
                "settle": item.get("settleCoin", ""),
                "kind": "linear",
                "contract_size": decimal(item.get("contractSize")) or Decimal(1),
                "max_leverage": max_leverage,
                "maker_fee": decimal(item.get("makerFeeRate")),
                "taker_fee": decimal(item.get("takerFeeRate")),
            }
            reading.read["instrument"] = reads["contracts"]
            reading.read["fees"] = reads["contracts"]
            rate = decimal(item.get("maintenanceMarginRate"))
            if str(item.get("riskLevelLimit")) == "1" and rate is not None and max_leverage:
                reading.tiers = one_tier(max_leverage, rate)
                reading.read["tiers"] = reads["contracts"]
            else:
                reading.warnings.append(
                    "several risk levels, stepped in contracts: the tier table is left unread."
                )
            readings.append(reading)
        return readings
