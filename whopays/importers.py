"""Live imports of what platforms publish about who pays: insurance-fund balances and ADL risk
ratings. Readers are pure (JSON in, readings out), so the tests replay the platforms' own
published responses (whopays/recordings/README.md) through the code that reads live ones.

Live requests reuse the markets importers' client rules (httpx, timeouts, retries on busy
answers) and run only when WHOPAYS_IMPORT_ENABLED is set.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings

from markets.importers.base import Endpoint, ImportUnavailable, decimal, from_millis, get_json

RECORDINGS_DIR = Path(__file__).resolve().parent / "recordings"


@dataclass(frozen=True)
class BalanceReading:
    """A pool's balance as published: the symbols it backs (empty: all), its currency."""

    platform: str
    symbols: tuple[str, ...]
    currency: str
    amount: Decimal
    as_of: dt.datetime
    source: str
    quote: str
    url: str  # the endpoint read, or the documentation page that published the response


@dataclass(frozen=True)
class RiskReading:
    platform: str
    symbol: str
    rating: str
    as_of: dt.datetime
    source: str


@dataclass(frozen=True)
class Source:
    """One endpoint, the reader of its answer, and the published response the tests replay."""

    endpoint: Endpoint
    recording: str
    docs_url: str


def _binance_balances(answer: Any, source: str, url: str) -> list[BalanceReading]:
    """/fapi/v1/insuranceBalance: one group (with a symbol) or a list of groups, each with the
    symbols it backs and a balance per margin asset."""
    groups = answer if isinstance(answer, list) else [answer]
    found = []
    for group in groups:
        if not isinstance(group, dict):
            continue
        symbols = tuple(str(s).upper() for s in group.get("symbols") or [])
        for asset in group.get("assets") or []:
            amount = decimal(asset.get("marginBalance"))
            when = from_millis(asset.get("updateTime"))
            if amount is None or amount < 0 or when is None:
                continue
            found.append(
                BalanceReading(
                    "binance",
                    symbols,
                    str(asset.get("asset", "")).upper(),
                    amount,
                    when,
                    source,
                    json.dumps(asset),
                    url,
                )
            )
    return found


def _binance_risks(answer: Any, source: str, url: str) -> list[RiskReading]:
    """/fapi/v1/symbolAdlRisk: one symbol's rating, or a list of them."""
    rows = answer if isinstance(answer, list) else [answer]
    found = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        when = from_millis(row.get("updateTime"))
        symbol, rating = str(row.get("symbol", "")).upper(), str(row.get("adlRisk", "")).lower()
        if when is None or not symbol or rating not in {"low", "medium", "high"}:
            continue
        found.append(RiskReading("binance", symbol, rating, when, source))
    return found


def _bybit_balances(answer: Any, source: str, url: str) -> list[BalanceReading]:
    """/v5/market/insurance: every pool's USD value, summed into the platform's whole fund
    (our profile records Bybit's pools together, in USD). Older answers say `updatedTime`."""
    result = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(result, dict) or answer.get("retCode") not in (0, "0"):
        return []
    when = from_millis(result.get("updateTime") or result.get("updatedTime"))
    values = [decimal(item.get("value")) for item in result.get("list") or []]
    if when is None or not values or any(v is None or v < 0 for v in values):
        return []
    total = sum((v for v in values if v is not None), Decimal(0))
    return [BalanceReading("bybit", (), "USD", total, when, source, json.dumps(result), url)]


BINANCE_BALANCE = Source(
    Endpoint(
        "binance_insurance",
        "https://fapi.binance.com/fapi/v1/insuranceBalance",
        {"symbol": "BTCUSDT"},
    ),
    "binance_insurance_balance_btcusdt.json",
    "https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Insurance-Fund-Balance",
)
BINANCE_RISK = Source(
    Endpoint("binance_adl_risk", "https://fapi.binance.com/fapi/v1/symbolAdlRisk"),
    "binance_symbol_adl_risk.json",
    "https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/ADL-Risk",
)
BYBIT_BALANCE = Source(
    Endpoint("bybit_insurance", "https://api.bybit.com/v5/market/insurance"),
    "bybit_insurance.json",
    "https://bybit-exchange.github.io/docs/v5/market/insurance",
)
BALANCE_READERS = ((BINANCE_BALANCE, _binance_balances), (BYBIT_BALANCE, _bybit_balances))
RISK_READERS = ((BINANCE_RISK, _binance_risks),)


def from_recordings() -> tuple[list[BalanceReading], list[RiskReading]]:
    def load(source: Source) -> Any:
        return json.loads((RECORDINGS_DIR / source.recording).read_text(encoding="utf-8"))

    def label(source: Source) -> str:
        return f"published example of {source.endpoint} ({source.docs_url})"

    balances = [r for s, read in BALANCE_READERS for r in read(load(s), label(s), s.docs_url)]
    risks = [r for s, read in RISK_READERS for r in read(load(s), label(s), s.docs_url)]
    return balances, risks


def from_platforms(
    client: httpx.Client | None = None,
) -> tuple[list[BalanceReading], list[RiskReading]]:
    if not settings.WHOPAYS_IMPORT_ENABLED:
        raise ImportUnavailable(
            "Live import is switched off (WHOPAYS_IMPORT_ENABLED is not set): nothing was read "
            "and nothing changed. Use --from-recording to replay the published examples."
        )
    own = client is None
    client = client or httpx.Client(
        timeout=httpx.Timeout(settings.WHOPAYS_IMPORT_TIMEOUT_SECONDS),
        transport=httpx.HTTPTransport(retries=2),
        headers={"User-Agent": "underwater-whopays-import"},
    )
    try:
        balances = [
            r
            for s, read in BALANCE_READERS
            for r in read(get_json(client, s.endpoint), str(s.endpoint), s.endpoint.url)
        ]
        risks = [
            r
            for s, read in RISK_READERS
            for r in read(get_json(client, s.endpoint), str(s.endpoint), s.endpoint.url)
        ]
    finally:
        if own:
            client.close()
    return balances, risks
