"""Deribit perpetuals: instruments (contract size, leverage, fees), and the maintenance rule.

Public: GET /api/v2/public/get_instruments?currency=any&kind=future (JSON-RPC: "result" holds
the instruments). Deribit's maintenance grows with size and is not in the API: it is published
per currency on its support pages, so the rule comes from there, cited with its date, and is
stored as the market's rule (base rate + rate per coin; engine/size_margin.py applies it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from markets.importers.base import (
    Endpoint,
    Importer,
    MarketReading,
    Read,
    decimal,
    nautilus_fixture,
)

API = "https://www.deribit.com/api/v2/public/get_instruments"
LINES = {"reversed": "inverse", "linear": "usdc-linear"}

# (product line, base) → (base rate, rate per coin), with where Deribit publishes it.
RULE_SOURCE = (
    "snapshot of Deribit's published rule as of 2022-01-11: support article '11 January 2022' "
    "(https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022): "
    "'1%+ (PositionSize in BTC) * 0.005%'"
)
LINEAR_RULE_SOURCE = (
    "snapshot of Deribit's published rule: support page 'Linear Perpetual' "
    "(https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual), "
    "undated, last verified 2026-11-21: '1% + (POS Size in BTC) * 0.005%'"
)
MAINTENANCE_RULES: dict[tuple[str, str], tuple[Decimal, Decimal, Read]] = {
    ("inverse", "BTC"): (
        Decimal("0.01"),
        Decimal("0.00005"),
        Read(RULE_SOURCE, dt.datetime(2022, 1, 11, tzinfo=dt.UTC)),
    ),
    ("usdc-linear", "BTC"): (
        Decimal("0.01"),
        Decimal("0.00005"),
        Read(LINEAR_RULE_SOURCE, dt.datetime(2026, 11, 21, tzinfo=dt.UTC)),
    ),
}


class DeribitImporter(Importer):
    platform_slug = "deribit"
    endpoints = (Endpoint("instruments", API, {"currency": "any", "kind": "future"}),)
    recordings = {
        "instruments": nautilus_fixture(
            file="deribit_instruments_future.json",
            endpoint=f"GET {API}?currency=any&kind=future",
            adapter="deribit",
            fixture="http_get_instruments.json",
            version="commit 17b9c23",
            recorded_at=dt.datetime(2025, 12, 9, 19, 20, tzinfo=dt.UTC),
            note="A test fixture of nautilus_trader's Deribit adapter, answered by Deribit's "
            "testnet; dated by the response's own 'usIn' (a round number: edited by its authors).",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        answer = answers["instruments"]
        if not isinstance(answer, dict) or not isinstance(answer.get("result"), list):
            error = answer.get("error") if isinstance(answer, dict) else None
            raise ValueError(f"Deribit answered no instruments: {error or answer!r:.200}")
        readings = []
        for item in answer["result"]:
            line = LINES.get(item.get("instrument_type", ""))
            if (
                line is None
                or item.get("kind") != "future"
                or item.get("settlement_period") != "perpetual"
                or not item.get("is_active")
            ):
                continue  # dated futures, options, combos: a later slice
            base = item.get("base_currency", "")
            reading = MarketReading(product_line=line, symbol=item["instrument_name"])
            reading.values = {
                "base": base,
                "quote": item.get("quote_currency", ""),
                "settle": item.get("settlement_currency", ""),
                "kind": "inverse" if line == "inverse" else "linear",
                # Inverse: USD a contract (BTC-PERPETUAL: 10). Linear: coins a contract.
                "contract_size": decimal(item.get("contract_size")) or Decimal(1),
                "max_leverage": decimal(item.get("max_leverage")),
                "maker_fee": decimal(item.get("maker_commission")),
                "taker_fee": decimal(item.get("taker_commission")),
            }
            reading.read["instrument"] = reads["instruments"]
            reading.read["fees"] = reads["instruments"]
            rule = MAINTENANCE_RULES.get((line, base))
            if rule is not None:
                base_rate, per_coin, source = rule
                reading.values |= {
                    "maintenance_base_rate": base_rate,
                    "maintenance_rate_per_coin": per_coin,
                }
                reading.read["tiers"] = source
            readings.append(reading)
        return readings
