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
class AlertReading:
    """One symbol's ADL alert as Bybit publishes it (GET /v5/market/adlAlert): the balance of
    the pool backing it and the ratios of its eight-hour PnL-drawdown rule (September 2025)."""

    platform: str
    symbol: str
    coin: str
    balance: Decimal
    pnl_ratio: Decimal  # the symbol's PnL drawdown over 8 hours / the pool's 8-hour high
    trigger_ratio: Decimal  # insurancePnlRatio: ADL when pnl_ratio falls to it
    trigger_balance: Decimal  # adlTriggerThreshold: the drawdown rule applies above it
    stop_ratio: Decimal  # adlStopRatio: ADL stops once pnl_ratio is back above it
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


def _okx_balances(answer: Any, source: str, url: str) -> list[BalanceReading]:
    """/api/v5/public/insurance-fund: per instrument family, each currency's balance (the
    `details`; `total` is their sum in USD, not stored). The family is the pool's symbol."""
    if not isinstance(answer, dict) or answer.get("code") not in ("0", 0):
        return []
    rows = answer.get("data")
    found = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        family = str(row.get("instFamily") or row.get("ccy") or "").upper()
        for detail in row.get("details") or []:
            if not isinstance(detail, dict):
                continue
            amount, when = decimal(detail.get("balance")), _millis(detail.get("ts"))
            currency = str(detail.get("ccy", "")).upper()
            if amount is None or amount < 0 or when is None or not currency:
                continue
            symbols = (family,) if family else ()
            found.append(
                BalanceReading(
                    "okx", symbols, currency, amount, when, source, json.dumps(detail), url
                )
            )
    return found


def _bybit_alerts(answer: Any, source: str) -> list[AlertReading]:
    """/v5/market/adlAlert: one row per symbol; a row missing a number is skipped (never read
    as zero). `maxBalance` is not read: Bybit now returns it empty (deprecated)."""
    result = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(result, dict) or answer.get("retCode") not in (0, "0"):
        return []
    when = _millis(result.get("updatedTime") or result.get("updateTime"))
    if when is None:
        return []
    found = []
    for row in result.get("list") or []:
        if not isinstance(row, dict):
            continue
        numbers = [
            decimal(row.get(key))
            for key in (
                "balance",
                "pnlRatio",
                "insurancePnlRatio",
                "adlTriggerThreshold",
                "adlStopRatio",
            )
        ]
        symbol = str(row.get("symbol", "")).upper()
        if not symbol or any(n is None for n in numbers):
            continue
        balance, pnl, trigger, threshold, stop = (n for n in numbers if n is not None)
        coin = str(row.get("coin", "")).upper()
        found.append(
            AlertReading(
                "bybit", symbol, coin, balance, pnl, trigger, threshold, stop, when, source
            )
        )
    return found


def _millis(value: Any) -> dt.datetime | None:
    """A millisecond time, or None where it is missing or out of any calendar's range."""
    try:
        return from_millis(value)
    except (OverflowError, OSError, ValueError):
        return None


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
OKX_BALANCE = Source(
    # the perpetual swaps' fund for BTC-USDT; the recording is the docs' own example (an ETH
    # option family's fund), read by the same code
    Endpoint(
        "okx_insurance_fund",
        "https://www.okx.com/api/v5/public/insurance-fund",
        {"instType": "SWAP", "instFamily": "BTC-USDT", "type": "regular_update", "limit": "1"},
    ),
    "okx_insurance_fund.json",
    "https://www.okx.com/docs-v5/en/#public-data-rest-api-get-insurance-fund",
)
BYBIT_ALERT = Source(
    Endpoint("bybit_adl_alert", "https://api.bybit.com/v5/market/adlAlert"),
    "bybit_adl_alert.json",
    "https://bybit-exchange.github.io/docs/v5/market/adl-alert",
)
BALANCE_READERS = (
    (BINANCE_BALANCE, _binance_balances),
    (BYBIT_BALANCE, _bybit_balances),
    (OKX_BALANCE, _okx_balances),
)
RISK_READERS = ((BINANCE_RISK, _binance_risks),)


def _recorded(source: Source) -> Any:
    return json.loads((RECORDINGS_DIR / source.recording).read_text(encoding="utf-8"))


def alerts_from_recordings() -> list[AlertReading]:
    """Bybit's published ADL alert example, read as a live answer would be."""
    label = f"published example of {BYBIT_ALERT.endpoint} ({BYBIT_ALERT.docs_url})"
    return _bybit_alerts(_recorded(BYBIT_ALERT), label)


def alerts_from_platforms(client: httpx.Client | None = None) -> list[AlertReading]:
    """Bybit's live ADL alerts (every symbol); only when WHOPAYS_IMPORT_ENABLED is set."""
    if not settings.WHOPAYS_IMPORT_ENABLED:
        raise ImportUnavailable("Live import is switched off (WHOPAYS_IMPORT_ENABLED is not set).")
    if client is not None:
        return _bybit_alerts(get_json(client, BYBIT_ALERT.endpoint), str(BYBIT_ALERT.endpoint))
    with live_client() as own:
        return _bybit_alerts(get_json(own, BYBIT_ALERT.endpoint), str(BYBIT_ALERT.endpoint))


def from_recordings() -> tuple[list[BalanceReading], list[RiskReading]]:
    def label(source: Source) -> str:
        return f"published example of {source.endpoint} ({source.docs_url})"

    balances = [r for s, read in BALANCE_READERS for r in read(_recorded(s), label(s), s.docs_url)]
    risks = [r for s, read in RISK_READERS for r in read(_recorded(s), label(s), s.docs_url)]
    return balances, risks


def live_client() -> httpx.Client:
    """The client a live import reads with: timeouts, retries on busy answers, named."""
    return httpx.Client(
        timeout=httpx.Timeout(settings.WHOPAYS_IMPORT_TIMEOUT_SECONDS),
        transport=httpx.HTTPTransport(retries=2),
        headers={"User-Agent": "underwater-whopays-import"},
    )


def from_platforms(
    client: httpx.Client | None = None,
) -> tuple[list[BalanceReading], list[RiskReading]]:
    if not settings.WHOPAYS_IMPORT_ENABLED:
        raise ImportUnavailable(
            "Live import is switched off (WHOPAYS_IMPORT_ENABLED is not set): nothing was read "
            "and nothing changed. Use --from-recording to replay the published examples."
        )
    own = client is None
    client = client or live_client()
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
