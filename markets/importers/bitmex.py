"""BitMEX perpetual swaps: instruments with leverage, fees, funding, mark price in one answer.

Public: GET /api/v1/instrument/active (a list of instruments). Each perpetual ("typ" FFWCSX)
carries its initial and maintenance margin, maker and taker fee, funding interval and rate,
and mark price with the answer's own timestamp. The shipped snapshot reads ccxt's recorded static
markets (seven perpetuals as of 21 May 2026) first, then an older single-instrument recording for
what they do not describe.
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
    ccxt_market_infos,
    ccxt_static_markets,
    decimal,
    leverage_from_margin,
    nautilus_fixture,
)

API = "https://www.bitmex.com/api/v1/instrument/active"
PERPETUAL = "FFWCSX"
LINES = {True: "xbtusd-inverse", False: "usdt-linear"}
# BitMEX spells bitcoin XBT (and its satoshi unit XBt); the base is BTC for search.
ASSETS = {"XBT": "BTC", "XBt": "BTC", "USDt": "USDT"}


class BitmexImporter(Importer):
    platform_slug = "bitmex"
    endpoints = (Endpoint("instruments", API),)
    recordings = {
        "ccxt_markets": ccxt_static_markets(
            file="bitmex_ccxt_markets.json",
            endpoint=f"GET {API}",
            commit="869d65f",
            exchange="bitmex",
            note="ccxt's static test markets: each perpetual's 'info' is BitMEX's instrument row, "
            "dated by the rows' own 'timestamp' (2026-05-21T14:39:07.060Z).",
            recorded_at=dt.datetime(2026, 5, 21, 14, 39, 7, 60000, tzinfo=dt.UTC),
        ),
        "instruments": nautilus_fixture(
            file="bitmex_instrument_xbtusd.json",
            endpoint=f"GET {API}",
            adapter="bitmex",
            fixture="http_get_instrument_xbtusd.json",
            recorded_at=dt.datetime(2024, 11, 24, 23, 33, 19, tzinfo=dt.UTC),
            note="One instrument (XBTUSD) as GET /api/v1/instrument?symbol=XBTUSD answers it; "
            "dated by its own 'timestamp'.",
        ),
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        readings: list[MarketReading] = []
        # Newest first; an older recording adds only the instruments the newer ones lack.
        for name in ("ccxt_markets", "instruments"):
            if name in answers:
                add_unseen(readings, self._read(_rows(answers[name]), reads[name]))
        return readings

    def _read(self, rows: list[dict[str, Any]], read: Read) -> list[MarketReading]:
        readings = []
        for item in rows:
            if item.get("typ") != PERPETUAL or item.get("state") != "Open":
                continue
            if item.get("isQuanto"):
                continue  # quanto contracts (paid in XBT for an alt's price): not modelled
            inverse = bool(item.get("isInverse"))
            reading = MarketReading(product_line=LINES[inverse], symbol=item["symbol"])
            reading.values = {
                "base": _asset(item.get("rootSymbol") or item.get("underlying", "")),
                "quote": _asset(item.get("quoteCurrency", "")),
                "settle": _asset(item.get("settlCurrency", "")),
                "kind": "inverse" if inverse else "linear",
                "max_leverage": leverage_from_margin(decimal(item.get("initMargin"))),
                "maker_fee": decimal(item.get("makerFee")),
                "taker_fee": decimal(item.get("takerFee")),
            }
            if inverse:
                reading.values["contract_size"] = Decimal(1)  # 1 USD a contract
            else:
                per_position = decimal(item.get("underlyingToPositionMultiplier"))
                if per_position:
                    reading.values["contract_size"] = Decimal(1) / per_position
            hours = _interval_hours(item.get("fundingInterval"))
            if hours:
                reading.values["funding_interval_hours"] = hours
            reading.read["instrument"] = read
            reading.read["fees"] = read
            reading.mark_price = decimal(item.get("markPrice"))
            reading.funding_rate = decimal(item.get("fundingRate"))
            stamp = _time(item.get("timestamp")) or read.read_at
            reading.read["quote"] = Read(read.source, stamp)
            readings.append(reading)
        return readings


def _rows(answer: Any) -> list[dict[str, Any]]:
    """The live list, one instrument's object, or ccxt's recorded markets ({symbol: {"info"}})."""
    infos = ccxt_market_infos(answer)
    if infos is not None:
        return infos
    rows = [answer] if isinstance(answer, dict) else answer
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "symbol" in r for r in rows):
        raise ValueError(f"BitMEX answered no instruments: {answer!r:.200}")
    return rows


def _asset(name: str) -> str:
    return ASSETS.get(name, name)


def _interval_hours(value: Any) -> Decimal | None:
    """BitMEX writes the interval as a time after 2000-01-01 ("2000-01-01T08:00:00.000Z")."""
    moment = _time(value)
    if moment is None:
        return None
    span = moment - dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    hours = Decimal(int(span.total_seconds())) / 3600
    return hours if hours > 0 else None


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
