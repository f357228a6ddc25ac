"""Bybit v5 derivatives: instruments (leverage, funding interval) and the account fee rate.

Public: GET /v5/market/instruments-info?category=linear|inverse. The fee rate
(GET /v5/account/fee-rate) is signed, so it comes only from a recording, and it is the rate of
the account that recorded it, which we take as the base fee tier's (shown with its source).
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
    Recording,
    decimal,
)

API = "https://api.bybit.com"
NAUTILUS = "nautilus_trader"
NAUTILUS_VERSION = "1.221.0"
NAUTILUS_LICENCE = "LGPL-3.0-or-later (nautilus_trader); data excerpt with attribution"
PERPETUALS = {"LinearPerpetual": "linear", "InversePerpetual": "inverse"}
LINES = {"linear": "derivatives-linear", "inverse": "derivatives-inverse"}


def _nautilus(file: str, endpoint: str, path: str, recorded_at: dt.datetime) -> Recording:
    return Recording(
        file=file,
        endpoint=endpoint,
        package=NAUTILUS,
        version=NAUTILUS_VERSION,
        path=f"crates/adapters/bybit/test_data/{path}",
        licence=NAUTILUS_LICENCE,
        recorded_at=recorded_at,
        note="A test fixture of nautilus_trader's Bybit adapter; dated by the response's own "
        "'time' field.",
    )


class BybitImporter(Importer):
    platform_slug = "bybit"
    endpoints = (
        Endpoint("linear", f"{API}/v5/market/instruments-info", {"category": "linear"}),
        Endpoint("inverse", f"{API}/v5/market/instruments-info", {"category": "inverse"}),
    )
    recordings = {
        "linear": _nautilus(
            "bybit_instruments_linear.json",
            f"GET {API}/v5/market/instruments-info?category=linear",
            "http_get_instruments_linear.json",
            dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC),
        ),
        "inverse": _nautilus(
            "bybit_instruments_inverse.json",
            f"GET {API}/v5/market/instruments-info?category=inverse",
            "http_get_instruments_inverse.json",
            dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC),
        ),
        "fees": _nautilus(
            "bybit_fee_rate.json",
            f"GET {API}/v5/account/fee-rate",
            "http_get_fee_rate.json",
            dt.datetime(2023, 10, 19, 0, 5, tzinfo=dt.UTC),
        ),
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        fees = {}
        if "fees" in answers:
            for row in _result_list(answers["fees"]):
                fees[row["symbol"]] = (
                    decimal(row.get("makerFeeRate")),
                    decimal(row.get("takerFeeRate")),
                )
        readings = []
        for category in ("linear", "inverse"):
            if category not in answers:
                continue
            for item in _result_list(answers[category]):
                kind = PERPETUALS.get(item.get("contractType", ""))
                if kind is None or item.get("status") != "Trading":
                    continue  # futures with expiry and pre-launch markets: a later slice
                reading = MarketReading(product_line=LINES[kind], symbol=item["symbol"])
                reading.values = {
                    "base": item.get("baseCoin", ""),
                    "quote": item.get("quoteCoin", ""),
                    "settle": item.get("settleCoin", ""),
                    "kind": kind,
                    # Linear sizes are in coins; an inverse contract is 1 USD.
                    "contract_size": Decimal(1),
                    "max_leverage": decimal(item.get("leverageFilter", {}).get("maxLeverage")),
                }
                minutes = decimal(item.get("fundingInterval"))
                if minutes is not None and minutes >= 60:
                    # Bybit states the interval in minutes (480 = 8 h).
                    reading.values["funding_interval_hours"] = minutes / 60
                elif minutes is not None:
                    reading.warnings.append(
                        f"fundingInterval {minutes} is below Bybit's shortest (60 minutes): not "
                        "read as minutes, left as it was."
                    )
                reading.read["instrument"] = reads[category]
                if reading.symbol in fees:
                    maker, taker = fees[reading.symbol]
                    reading.values |= {"maker_fee": maker, "taker_fee": taker}
                    reading.read["fees"] = reads["fees"]
                readings.append(reading)
        return readings


def _result_list(answer: dict[str, Any]) -> list[dict[str, Any]]:
    if answer.get("retCode") not in (0, "0"):
        raise ValueError(f"Bybit answered retCode {answer.get('retCode')}: {answer.get('retMsg')}")
    return answer.get("result", {}).get("list", [])
