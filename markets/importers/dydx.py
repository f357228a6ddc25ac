"""dYdX v4 perpetuals from the indexer: margin fractions, oracle price and the next funding rate.

Public: GET https://indexer.dydx.trade/v4/perpetualMarkets ({"markets": {"BTC-USD": {...}}}).
A market's maintenance is its maintenanceMarginFraction of the position's value, one rate for
the whole position (a one-row table); its maximum leverage is 1 / initialMarginFraction. dYdX
marks positions at the oracle price, which is read as the market's mark; funding is hourly
(the profile cites it) and nextFundingRate is the hour's rate. Markets whose initial margin
scales with open interest (openInterestLowerCap < openInterestUpperCap) get no table, because
their rates depend on the market's open interest at the time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from markets.importers.base import (
    Endpoint,
    Importer,
    MarketReading,
    Read,
    Recording,
    TierRow,
    ccxt_market_infos,
    decimal,
)

API = "https://indexer.dydx.trade/v4/perpetualMarkets"


class DydxImporter(Importer):
    platform_slug = "dydx"
    endpoints = (Endpoint("markets", API),)
    recordings = {
        "markets": Recording(
            file="dydx_ccxt_markets.json",
            endpoint=f"GET {API}",
            package="ccxt (GitHub)",
            version="commit 439b9da",
            path="ts/src/test/static/markets/dydx.json",
            licence="MIT (ccxt); data excerpt with attribution",
            recorded_at=None,
            note="ccxt's static test markets: BTC-USD's 'info' is the indexer's perpetualMarkets "
            "row; no time stated, and its small 24-hour volume suggests a test network.",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        rows = _rows(answers["markets"])
        readings = []
        for item in rows:
            if item.get("status") != "ACTIVE":
                continue
            base, _, quote = str(item.get("ticker", "")).partition("-")
            if not base or quote != "USD":
                continue
            reading = MarketReading(product_line="perpetuals", symbol=item["ticker"])
            initial = decimal(item.get("initialMarginFraction"))
            max_leverage = (Decimal(1) / initial).quantize(Decimal("0.01")) if initial else None
            reading.values = {
                "base": base,
                "quote": "USDC",  # USD-quoted markets, margined and settled in USDC
                "settle": "USDC",
                "kind": "linear",
                "contract_size": Decimal(1),
                "max_leverage": max_leverage,
                "funding_interval_hours": Decimal(1),
            }
            reading.read["instrument"] = reads["markets"]
            maintenance = decimal(item.get("maintenanceMarginFraction"))
            lower = decimal(item.get("openInterestLowerCap")) or Decimal(0)
            upper = decimal(item.get("openInterestUpperCap")) or Decimal(0)
            if maintenance is not None and max_leverage and upper <= lower:
                reading.tiers = (
                    TierRow(
                        notional_floor=Decimal(0),
                        notional_cap=None,
                        max_leverage=max_leverage,
                        maintenance_margin_rate=maintenance,
                    ),
                )
                reading.read["tiers"] = reads["markets"]
            elif maintenance is not None:
                reading.warnings.append(
                    "initial margin scales with open interest: the table is left unread."
                )
            reading.mark_price = decimal(item.get("oraclePrice"))
            reading.funding_rate = decimal(item.get("nextFundingRate"))
            reading.read["quote"] = reads["markets"]
            readings.append(reading)
        return readings


def _rows(answer: Any) -> list[dict[str, Any]]:
    """The live answer ({"markets": {ticker: row}}) or ccxt's recorded markets ({symbol: {"info"}})."""
    if isinstance(answer, dict) and isinstance(answer.get("markets"), dict):
        return list(answer["markets"].values())
    infos = ccxt_market_infos(answer)
    if infos is not None:
        return infos
    raise ValueError(f"dYdX's indexer answered no markets: {answer!r:.200}")
