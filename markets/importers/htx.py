"""HTX (formerly Huobi) perpetual swaps, USDT- and coin-margined: each contract's size.

Public: GET https://api.hbdm.com/linear-swap-api/v1/swap_contract_info (USDT-margined) and
GET https://api.hbdm.com/swap-api/v1/swap_contract_info (coin-margined), each
{"status": "ok", "data": [...], "ts": ...}. A contract states its code ("BTC-USDT", "BTC-USD"),
its size (coins a contract when USDT-margined, USD a contract when coin-margined) and its status
(1: listed). Leverage, fees and margin tiers are other endpoints, not read here: a market keeps
its product line's values for them.
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
    cryptofeed_sample,
    decimal,
)

API = "https://api.hbdm.com"
PATHS = {
    "usdt": "/linear-swap-api/v1/swap_contract_info",
    "coin": "/swap-api/v1/swap_contract_info",
}
CONTRACTS = ListAnswer("HTX", "data", status="status", accepted=("ok",), message="err_msg")
LINES = {"usdt": "usdt-m", "coin": "coin-m"}
LISTED = 1


class HtxImporter(Importer):
    platform_slug = "htx"
    endpoints = tuple(Endpoint(name, f"{API}{path}") for name, path in PATHS.items())
    # cryptofeed's recorded answers (its playback test data) of 19 February 2022, each dated
    # by its own "ts"; the files keep the contracts of 21 bases (markets/recordings/README.md).
    recordings = {
        name: cryptofeed_sample(
            file=f"htx_swap_contract_info_{name}_2022-02-19.json",
            endpoint=f"GET {API}{PATHS[name]}",
            sample="HUOBI_SWAP.0",
            recorded_at=recorded_at,
            note="Recorded from HTX's (then Huobi's) live API by cryptofeed; dated by the "
            "answer's own 'ts'.",
        )
        for name, recorded_at in (
            ("usdt", dt.datetime(2022, 2, 19, 16, 49, 43, 814000, tzinfo=dt.UTC)),
            ("coin", dt.datetime(2022, 2, 19, 16, 49, 43, 18000, tzinfo=dt.UTC)),
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = []
        for name in ("usdt", "coin"):
            for item in CONTRACTS.rows(answers[name]):
                if item.get("contract_status") != LISTED or item.get("business_type", "swap") != (
                    "swap"
                ):
                    continue  # delisted, suspended, or a dated future
                base, _, quote = str(item.get("contract_code", "")).partition("-")
                if not base or quote != ("USDT" if name == "usdt" else "USD"):
                    continue
                inverse = name == "coin"
                reading = MarketReading(product_line=LINES[name], symbol=item["contract_code"])
                reading.values = {
                    "base": base,
                    "quote": quote,
                    "settle": base if inverse else quote,
                    "kind": "inverse" if inverse else "linear",
                    # coins a contract (USDT-margined) or USD a contract (coin-margined)
                    "contract_size": decimal(item.get("contract_size")) or Decimal(1),
                }
                reading.read["instrument"] = reads[name]
                readings.append(reading)
        return readings
