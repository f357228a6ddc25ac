"""Gate USDT-settled perpetual futures: leverage, first risk limit, fees, funding and mark price.

Public: GET https://api.gateio.ws/api/v4/futures/usdt/contracts (a list of contracts). A
contract states its maximum leverage, the maintenance rate of its base risk limit and that
limit's size in USDT (risk_limit_base), its maker and taker fee rates, its funding interval in
seconds, its current funding rate and mark price, and its size in coins (quanto_multiplier).
Larger positions step up through risk limits whose rates the answer does not give, so a
market's table is one row that stops at the base risk limit rather than claim a rate it does
not know (as dYdX's launch tiers do).
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
    cryptofeed_sample,
    decimal,
    one_tier,
)

API = "https://api.gateio.ws/api/v4/futures/usdt/contracts"


class GateImporter(Importer):
    platform_slug = "gate"
    endpoints = (Endpoint("contracts", API),)
    recordings = {
        # cryptofeed's recorded answer (its playback test data) of 24 May 2023; the file keeps
        # the 30 contracts with the largest open interest (markets/recordings/README.md).
        "contracts": cryptofeed_sample(
            file="gate_futures_usdt_contracts_2023-05-24.json",
            endpoint=f"GET {API}",
            sample="GATEIO_FUTURES.0",
            recorded_at=dt.datetime(2023, 5, 24, 12, 9, 23, tzinfo=dt.UTC),
            note="Recorded from Gate's live API by cryptofeed; dated by the recording's own "
            "time (1684930163.95).",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        answer = answers["contracts"]
        if not isinstance(answer, list) or not all(
            isinstance(r, dict) and "name" in r for r in answer
        ):
            raise ValueError(f"Gate answered no contracts: {answer!r:.200}")
        read = reads["contracts"]
        readings = []
        for item in answer:
            base, _, quote = str(item["name"]).partition("_")
            if item.get("in_delisting") or not base or quote != "USDT":
                continue
            reading = MarketReading(product_line="usdt-perpetuals", symbol=item["name"])
            max_leverage = decimal(item.get("leverage_max"))
            reading.values = {
                "base": base,
                "quote": quote,
                "settle": quote,
                "kind": "linear",
                "contract_size": decimal(item.get("quanto_multiplier")) or Decimal(1),
                "max_leverage": max_leverage,
                "taker_fee": decimal(item.get("taker_fee_rate")),
            }
            maker = decimal(item.get("maker_fee_rate"))
            if maker is not None and maker < 0:
                reading.warnings.append(f"maker fee {maker:%} is a rebate: not stored.")
            else:
                reading.values["maker_fee"] = maker
            seconds = decimal(item.get("funding_interval"))
            if seconds:
                reading.values["funding_interval_hours"] = seconds / 3600
            reading.read["instrument"] = read
            reading.read["fees"] = read
            maintenance = decimal(item.get("maintenance_rate"))
            base_limit = decimal(item.get("risk_limit_base"))
            if max_leverage and maintenance is not None and base_limit:
                reading.tiers = one_tier(max_leverage, maintenance, cap=base_limit)
                reading.read["tiers"] = read
            reading.mark_price = decimal(item.get("mark_price"))
            reading.funding_rate = decimal(item.get("funding_rate"))
            reading.read["quote"] = read
            readings.append(reading)
        return readings
