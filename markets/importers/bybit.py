"""Bybit derivatives: instruments (leverage, funding interval), fees, tiers and mark prices.

Public: GET /v5/market/instruments-info?category=linear|inverse and /v5/market/tickers (mark
price and funding rate per symbol). The fee rate (GET /v5/account/fee-rate) is signed, so it comes
only from a recording, and it is the rate of the account that recorded it, which we take as the
base fee tier's (shown with its source).

The shipped snapshot adds a real recording of August 2023 (gocryptotrader's HTTP mock): the
since-retired v2 symbol list (leverage, base fees and funding interval of every contract), v5
tickers, and BTCUSDT's risk limits (a whole-position tier table: the tier a position's value falls
in sets the maintenance rate of all of it, so no deduction amount).
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
    TierRow,
    add_unseen,
    decimal,
    from_millis,
    gocryptotrader_mock,
    nautilus_fixture,
)

API = "https://api.bybit.com"
PERPETUALS = {"LinearPerpetual": "linear", "InversePerpetual": "inverse"}
LINES = {"linear": "derivatives-linear", "inverse": "derivatives-inverse"}
# v2 lists a contract's quote; a perpetual's name is its alias (a dated future's alias differs).
V2_KINDS = {"USDT": "linear", "USD": "inverse"}


def _nautilus(file: str, endpoint: str, fixture: str, recorded_at: dt.datetime) -> Recording:
    return nautilus_fixture(
        file=file,
        endpoint=endpoint,
        adapter="bybit",
        fixture=fixture,
        recorded_at=recorded_at,
        note="A test fixture of nautilus_trader's Bybit adapter; dated by the response's own "
        "'time' field.",
    )


def _gocryptotrader(file: str, endpoint: str, recorded_at: dt.datetime, note: str) -> Recording:
    return gocryptotrader_mock(
        file=file,
        endpoint=endpoint,
        commit="c7b3ace",
        path="testdata/http_mock/bybit/bybit.json",
        recorded_at=recorded_at,
        note="Recorded from Bybit's live API for gocryptotrader's mock tests; " + note,
    )


class BybitImporter(Importer):
    platform_slug = "bybit"
    endpoints = (
        Endpoint("linear", f"{API}/v5/market/instruments-info", {"category": "linear"}),
        Endpoint("inverse", f"{API}/v5/market/instruments-info", {"category": "inverse"}),
        Endpoint("tickers_linear", f"{API}/v5/market/tickers", {"category": "linear"}),
        Endpoint("tickers_inverse", f"{API}/v5/market/tickers", {"category": "inverse"}),
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
        "symbols_v2": _gocryptotrader(
            "bybit_v2_symbols_2023-08-16.json",
            f"GET {API}/v2/public/symbols",
            dt.datetime(2023, 8, 16, 7, 16, 38, tzinfo=dt.UTC),
            "dated by the answer's own 'time_now'. The v2 endpoint has since been retired.",
        ),
        "tickers_linear": _gocryptotrader(
            "bybit_v5_tickers_linear_2023-08-16.json",
            f"GET {API}/v5/market/tickers?category=linear",
            dt.datetime(2023, 8, 16, 5, 19, 27, tzinfo=dt.UTC),
            "dated by the answer's own 'time'.",
        ),
        "tickers_inverse": _gocryptotrader(
            "bybit_v5_tickers_inverse_2023-08-16.json",
            f"GET {API}/v5/market/tickers?category=inverse",
            dt.datetime(2023, 8, 16, 5, 19, 25, tzinfo=dt.UTC),
            "dated by the answer's own 'time'.",
        ),
        "risk_limit": _gocryptotrader(
            "bybit_linear_risk_limit_btcusdt_2023-08-16.json",
            f"GET {API}/public/linear/risk-limit?symbol=BTCUSDT",
            dt.datetime(2023, 8, 16, 5, 45, 1, tzinfo=dt.UTC),
            "dated by the answer's own 'time_now'. The endpoint has since been retired.",
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
                _funding_interval(reading, item.get("fundingInterval"))
                reading.read["instrument"] = reads[category]
                if reading.symbol in fees:
                    maker, taker = fees[reading.symbol]
                    reading.values |= {"maker_fee": maker, "taker_fee": taker}
                    reading.read["fees"] = reads["fees"]
                readings.append(reading)
        if "symbols_v2" in answers:  # older than the v5 instruments above
            add_unseen(readings, _read_v2_symbols(answers["symbols_v2"], reads["symbols_v2"]))
        by_symbol = {reading.symbol: reading for reading in readings}
        for name in ("tickers_linear", "tickers_inverse"):
            if name in answers:
                _read_tickers(answers[name], reads[name], by_symbol)
        if "risk_limit" in answers:
            _read_risk_limits(answers["risk_limit"], reads["risk_limit"], by_symbol)
        return readings


def _funding_interval(reading: MarketReading, value: Any) -> None:
    """Bybit states the funding interval in minutes (480 = 8 h); a value below an hour is not
    read as minutes (a recording that says 8 would be 8 minutes), it is left alone and warned."""
    minutes = decimal(value)
    if minutes is not None and minutes >= 60:
        reading.values["funding_interval_hours"] = minutes / 60
    elif minutes is not None:
        reading.warnings.append(
            f"fundingInterval {minutes} is below Bybit's shortest (60 minutes): not read as "
            "minutes, left as it was."
        )


def _read_v2_symbols(answer: dict[str, Any], read: Read) -> list[MarketReading]:
    """GET /v2/public/symbols (retired): every contract with its leverage filter, base maker and
    taker fee and funding interval in minutes. Perpetuals only: a dated future's alias is not
    its name (BTCUSDU23 is aliased BTCUSD0929)."""
    readings = []
    for item in _v2_result(answer):
        kind = V2_KINDS.get(item.get("quote_currency", ""))
        if kind is None or item.get("status") != "Trading" or item.get("alias") != item["name"]:
            continue
        base = item.get("base_currency", "")
        reading = MarketReading(product_line=LINES[kind], symbol=item["name"])
        reading.values = {
            "base": base,
            "quote": item["quote_currency"],
            "settle": base if kind == "inverse" else item["quote_currency"],
            "kind": kind,
            "contract_size": Decimal(1),  # linear sizes in coins; an inverse contract is 1 USD
            "max_leverage": decimal((item.get("leverage_filter") or {}).get("max_leverage")),
            "maker_fee": decimal(item.get("maker_fee")),
            "taker_fee": decimal(item.get("taker_fee")),
        }
        _funding_interval(reading, item.get("funding_interval"))
        reading.read["instrument"] = read
        reading.read["fees"] = read
        readings.append(reading)
    return readings


def _read_tickers(answer: dict[str, Any], read: Read, by_symbol: dict[str, MarketReading]) -> None:
    """GET /v5/market/tickers: each contract's mark price and current funding rate (per
    funding interval), as of the answer's own time."""
    read_at = from_millis(answer.get("time")) or read.read_at
    for item in _result_list(answer):
        reading = by_symbol.get(item.get("symbol", ""))
        if reading is None:
            continue
        reading.mark_price = decimal(item.get("markPrice"))
        reading.funding_rate = decimal(item.get("fundingRate"))
        reading.read["quote"] = Read(read.source, read_at)


def _read_risk_limits(
    answer: dict[str, Any], read: Read, by_symbol: dict[str, MarketReading]
) -> None:
    """GET /public/linear/risk-limit (retired; v5's /v5/market/risk-limit replaced it): a
    symbol's risk limits, each the largest position value (USDT) at its maintenance rate and
    maximum leverage. The rate applies to the whole position, so no deduction amount."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for row in _v2_result(answer):
        tables.setdefault(row["symbol"], []).append(row)
    for symbol, rows in tables.items():
        reading = by_symbol.get(symbol)
        if reading is None:
            continue
        rows.sort(key=lambda row: decimal(row["limit"]) or Decimal(0))
        floor = Decimal(0)
        tiers = []
        for row in rows:
            cap = decimal(row["limit"])
            tiers.append(
                TierRow(
                    notional_floor=floor,
                    notional_cap=cap,
                    max_leverage=decimal(row["max_leverage"]),
                    maintenance_margin_rate=decimal(row["maintain_margin"]),
                )
            )
            floor = cap or floor
        reading.tiers = tuple(tiers)
        reading.read["tiers"] = read


def _v2_result(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """A v2-era answer ({"ret_code": 0, "result": [...]})."""
    if answer.get("ret_code") not in (0, "0") or not isinstance(answer.get("result"), list):
        raise ValueError(
            f"Bybit answered ret_code {answer.get('ret_code')}: {answer.get('ret_msg')}"
        )
    return answer["result"]


def _result_list(answer: dict[str, Any]) -> list[dict[str, Any]]:
    if answer.get("retCode") not in (0, "0"):
        raise ValueError(f"Bybit answered retCode {answer.get('retCode')}: {answer.get('retMsg')}")
    return answer.get("result", {}).get("list", [])
