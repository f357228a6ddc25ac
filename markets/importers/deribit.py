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
    add_unseen,
    cryptofeed_sample,
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
        ),
        # cryptofeed's recorded answers (its playback test data), one per currency, each dated
        # by its own usIn: BTC and ETH of July 2021, SOL and the USDC perpetuals of May 2022.
        "cryptofeed": cryptofeed_sample(
            file="deribit_perpetuals_cryptofeed.json",
            endpoint=f"GET {API}?currency=BTC|ETH|SOL|USDC&expired=false",
            sample="DERIBIT.0",
            recorded_at=dt.datetime(2022, 5, 29, 18, 20, 21, tzinfo=dt.UTC),
            note="Four live answers recorded by cryptofeed (the file's own line times are older "
            "than some bodies, so each answer is dated by its usIn).",
        ),
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = _read(_rows(answers["instruments"]), reads["instruments"])
        if "cryptofeed" in answers:  # older answers, one per currency: what the first lacks
            for url, answer in answers["cryptofeed"].items():
                rows = _rows(answer)
                read = Read(f"{reads['cryptofeed'].source}, {url}", _micros(answer.get("usIn")))
                add_unseen(readings, _read(rows, read))
        return readings


def _rows(answer: Any) -> list[dict[str, Any]]:
    """The instruments of a get_instruments answer (JSON-RPC: "result" holds them)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("result"), list):
        error = answer.get("error") if isinstance(answer, dict) else None
        raise ValueError(f"Deribit answered no instruments: {error or answer!r:.200}")
    return answer["result"]


def _read(rows: list[dict[str, Any]], read: Read) -> list[MarketReading]:
    """The active perpetuals among a get_instruments answer's instruments."""
    readings = []
    for item in rows:
        line = LINES.get(_type(item))
        if (
            line is None
            or item.get("kind") != "future"
            or item.get("settlement_period") != "perpetual"
            or not item.get("is_active")
        ):
            continue  # dated futures, options, combos: a later slice
        base = item.get("base_currency", "")
        inverse = line == "inverse"
        reading = MarketReading(product_line=line, symbol=item["instrument_name"])
        reading.values = {
            "base": base,
            "quote": item.get("quote_currency", ""),
            # an inverse contract settles in its coin (older answers do not say so)
            "settle": item.get("settlement_currency") or (base if inverse else ""),
            "kind": "inverse" if inverse else "linear",
            # Inverse: USD a contract (BTC-PERPETUAL: 10). Linear: coins a contract.
            "contract_size": decimal(item.get("contract_size")) or Decimal(1),
            "max_leverage": decimal(item.get("max_leverage")),
            "taker_fee": decimal(item.get("taker_commission")),
        }
        maker = decimal(item.get("maker_commission"))
        if maker is not None and maker < 0:
            reading.warnings.append(f"maker fee {maker:%} is a rebate: not stored.")
        else:
            reading.values["maker_fee"] = maker
        reading.read["instrument"] = read
        reading.read["fees"] = read
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


def _type(item: dict[str, Any]) -> str:
    """reversed (inverse) or linear: instrument_type today, future_type in 2022's answers; the
    2021 answers state neither, and their USD-quoted perpetuals were inverse (settled in coin)."""
    stated = item.get("instrument_type") or item.get("future_type")
    if stated:
        return str(stated)
    return "reversed" if item.get("quote_currency") == "USD" else ""


def _micros(value: Any) -> dt.datetime | None:
    number = decimal(value)
    return dt.datetime.fromtimestamp(int(number) / 1_000_000, tz=dt.UTC) if number else None
