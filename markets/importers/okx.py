"""OKX perpetual swaps: instruments (contract value, leverage) and mark prices.

Public: GET /api/v5/public/instruments?instType=SWAP and /api/v5/public/mark-price?instType=SWAP.
Position tiers for swaps are in contracts and need the instrument family per request: a later slice.
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
    from_millis,
    nautilus_fixture,
)

API = "https://www.okx.com"
LINES = {"linear": "derivatives-linear", "inverse": "derivatives-inverse"}


class OkxImporter(Importer):
    platform_slug = "okx"
    endpoints = (
        Endpoint("instruments", f"{API}/api/v5/public/instruments", {"instType": "SWAP"}),
        Endpoint("mark_price", f"{API}/api/v5/public/mark-price", {"instType": "SWAP"}),
    )
    recordings = {
        "instruments": nautilus_fixture(
            file="okx_instruments_swap.json",
            endpoint=f"GET {API}/api/v5/public/instruments?instType=SWAP",
            adapter="okx",
            fixture="http_get_instruments_swap.json",
            recorded_at=None,
            note="A test fixture of nautilus_trader's OKX adapter; the response states no time, "
            "so the markets it describes show their age as unknown.",
        ),
        "mark_price": nautilus_fixture(
            file="okx_mark_price_swap.json",
            endpoint=f"GET {API}/api/v5/public/mark-price?instType=SWAP",
            adapter="okx",
            fixture="http_get_mark_price.json",
            recorded_at=dt.datetime(2025, 4, 14, 0, 25, 49, tzinfo=dt.UTC),
            note="Dated by the row's own 'ts'.",
        ),
        # cryptofeed's recorded answer (its playback test data): every swap OKX listed on
        # 13 May 2022; the file keeps the swaps of 33 bases (markets/recordings/README.md).
        "instruments_2022": cryptofeed_sample(
            file="okx_instruments_swap_2022-05-13.json",
            endpoint=f"GET {API}/api/v5/public/instruments?instType=SWAP",
            sample="OKX.0",
            recorded_at=dt.datetime(2022, 5, 13, 16, 23, 16, tzinfo=dt.UTC),
            note="Recorded from OKX's live API by cryptofeed, dated by the recording's own "
            "timestamp (1652458996.53).",
        ),
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        marks = {row["instId"]: row for row in _data(answers.get("mark_price", {"code": "0"}))}
        readings = _read_instruments(answers["instruments"], reads["instruments"])
        if "instruments_2022" in answers:  # older: only the swaps the first answer lacks
            add_unseen(
                readings,
                _read_instruments(answers["instruments_2022"], reads["instruments_2022"]),
            )
        for reading in readings:
            mark = marks.get(reading.symbol)
            if mark is not None:
                reading.mark_price = decimal(mark.get("markPx"))
                read_at = from_millis(mark.get("ts")) or reads["mark_price"].read_at
                reading.read["quote"] = Read(reads["mark_price"].source, read_at)
        return readings


def _read_instruments(answer: dict[str, Any], read: Read) -> list[MarketReading]:
    """Each live perpetual swap of an instruments answer: its contract value and max leverage."""
    readings = []
    for item in _data(answer):
        kind = item.get("ctType")
        if item.get("instType") != "SWAP" or kind not in LINES or item.get("state") != "live":
            continue
        base, _, quote = (item.get("instFamily") or item.get("uly") or "").partition("-")
        reading = MarketReading(product_line=LINES[kind], symbol=item["instId"])
        reading.values = {
            "base": base,
            "quote": quote,
            "settle": item.get("settleCcy", ""),
            "kind": kind,
            # ctVal: base units a contract (linear), or USD a contract (inverse).
            "contract_size": decimal(item.get("ctVal")) or Decimal(1),
            "max_leverage": decimal(item.get("lever")),
        }
        reading.read["instrument"] = read
        readings.append(reading)
    return readings


def _data(answer: dict[str, Any]) -> list[dict[str, Any]]:
    if str(answer.get("code")) != "0":
        raise ValueError(f"OKX answered code {answer.get('code')}: {answer.get('msg')}")
    return answer.get("data", [])
