"""Binance USDⓈ-M futures: each symbol's leverage brackets (its tier table).

Binance gives brackets only to signed requests (GET /fapi/v1/leverageBracket, USER_DATA), so a
live import needs an account's API key, which this app does not hold. The shipped snapshot is the
bracket table that freqtrade keeps in its package for backtests (ccxt's fetch_leverage_tiers
output; each row's "info" is Binance's own bracket, which is what we read). A recorded public
GET /fapi/v1/premiumIndex answer (gocryptotrader's HTTP mock) gives BTCUSDT a mark price and
funding rate as of its own time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from markets.importers.base import (
    Importer,
    MarketReading,
    Read,
    Recording,
    TierRow,
    decimal,
    from_millis,
    gocryptotrader_mock,
)

LEVERAGE_BRACKET = "GET https://fapi.binance.com/fapi/v1/leverageBracket"
PREMIUM_INDEX = "GET https://fapi.binance.com/fapi/v1/premiumIndex"


class BinanceImporter(Importer):
    platform_slug = "binance"
    live_unavailable = (
        "Binance publishes per-symbol brackets only to signed requests "
        "(GET /fapi/v1/leverageBracket needs an API key), which this app does not hold: nothing "
        "changed. Use --from-recording for the shipped snapshot."
    )
    recordings = {
        "brackets": Recording(
            file="binance_leverage_tiers.json",
            endpoint=LEVERAGE_BRACKET,
            package="freqtrade",
            version="2026.9",
            path="freqtrade/exchange/binance_leverage_tiers.json",
            licence="GPL-3.0 (freqtrade); data excerpt with attribution",
            recorded_at=dt.datetime(2026, 9, 29, 17, 24, tzinfo=dt.UTC),
            note="The file's date in the freqtrade 2026.9 sdist; the snapshot itself is undated.",
        ),
        "premium_index": gocryptotrader_mock(
            file="binance_premium_index_btcusdt_2023-06-20.json",
            endpoint=f"{PREMIUM_INDEX}?symbol=BTCUSDT",
            commit="7417b81",
            path="exchanges/binance/testdata/http.json",
            recorded_at=dt.datetime(2023, 6, 20, 6, 55, 12, tzinfo=dt.UTC),
            note="Recorded from Binance's live API for gocryptotrader's mock tests; dated by the "
            "answer's own 'time'. Older than the brackets: shown with its date, flagged stale.",
        ),
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings = []
        for unified, rows in answers["brackets"].items():
            # ccxt's unified symbol "BTC/USDT:USDT": base/quote:settle. Linear only (USDⓈ-M).
            pair, _, settle = unified.partition(":")
            base, _, quote = pair.partition("/")
            if not (base and quote and settle == quote):
                continue
            brackets = sorted((row["info"] for row in rows), key=lambda b: b["notionalFloor"])
            tiers = tuple(
                TierRow(
                    notional_floor=decimal(b["notionalFloor"]) or Decimal(0),
                    notional_cap=decimal(b["notionalCap"]),
                    max_leverage=decimal(b["initialLeverage"]),
                    maintenance_margin_rate=decimal(b["maintMarginRatio"]),
                    maintenance_amount=decimal(b["cum"]) or Decimal(0),
                )
                for b in brackets
            )
            readings.append(
                MarketReading(
                    product_line="usds-m",
                    symbol=f"{base}{quote}",
                    values={
                        "base": base,
                        "quote": quote,
                        "settle": settle,
                        "kind": "linear",
                        "contract_size": Decimal(1),
                        "max_leverage": tiers[0].max_leverage if tiers else None,
                    },
                    tiers=tiers,
                    read={"instrument": reads["brackets"], "tiers": reads["brackets"]},
                )
            )
        if "premium_index" in answers:
            _read_premium_index(answers["premium_index"], reads["premium_index"], readings)
        return readings


def _read_premium_index(answer: Any, read: Read, readings: list[MarketReading]) -> None:
    """GET /fapi/v1/premiumIndex (one symbol's object, or a list of them): the mark price and the
    last funding rate (per funding interval), as of the answer's own 'time'."""
    rows = answer if isinstance(answer, list) else [answer]
    if not all(isinstance(row, dict) and "markPrice" in row for row in rows):
        raise ValueError(f"Binance answered no premium index: {answer!r:.200}")
    by_symbol = {row["symbol"]: row for row in rows}
    for reading in readings:
        row = by_symbol.get(reading.symbol)
        if row is None:
            continue
        reading.mark_price = decimal(row["markPrice"])
        reading.funding_rate = decimal(row.get("lastFundingRate"))
        reading.read["quote"] = Read(read.source, from_millis(row.get("time")) or read.read_at)
