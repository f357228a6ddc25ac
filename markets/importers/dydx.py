"""dYdX v4 perpetuals from the indexer: margin fractions, oracle price and the next funding rate.

Public: GET https://indexer.dydx.trade/v4/perpetualMarkets ({"markets": {"BTC-USD": {...}}}).
A market's maintenance is its maintenanceMarginFraction of the position's value, one rate for
the whole position (a one-row table); its maximum leverage is 1 / initialMarginFraction. dYdX
marks positions at the oracle price, which is read as the market's mark; funding is hourly
(the profile cites it) and nextFundingRate is the hour's rate. Markets whose initial margin
scales with open interest (openInterestLowerCap < openInterestUpperCap) get no table, because
their rates depend on the market's open interest at the time.

The shipped snapshot adds the perpetuals of dYdX Chain's mainnet genesis (26 October 2023), the
launch parameters the chain published: each perpetual's liquidity tier gives its initial margin
(so its max leverage) and its maintenance (initial margin x maintenance fraction), the first fee
tier its taker fee, and the oracle price it started with is read as its mark. At launch the
initial margin grew with a position beyond the tier's base position notional, so the one-row
table stops there rather than claim a rate it does not know.
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
    add_unseen,
    ccxt_market_infos,
    ccxt_static_markets,
    decimal,
    leverage_from_margin,
    one_tier,
)

API = "https://indexer.dydx.trade/v4/perpetualMarkets"
GENESIS = "https://raw.githubusercontent.com/dydxopsdao/networks/main/dydx-mainnet-1/genesis.json"
PPM = Decimal(1_000_000)
USDC_QUANTUMS = Decimal(1_000_000)  # quote quantums a USDC (6 decimals)


class DydxImporter(Importer):
    platform_slug = "dydx"
    endpoints = (Endpoint("markets", API),)
    recordings = {
        "markets": ccxt_static_markets(
            file="dydx_ccxt_markets.json",
            endpoint=f"GET {API}",
            commit="439b9da",
            exchange="dydx",
            note="ccxt's static test markets: BTC-USD's 'info' is the indexer's perpetualMarkets "
            "row; no time stated, and its small 24-hour volume suggests a test network.",
        ),
        "genesis": Recording(
            file="dydx_mainnet_genesis_perpetuals.json",
            endpoint=f"GET {GENESIS} (dYdX Chain's mainnet genesis)",
            package="dydxopsdao/networks (GitHub)",
            version="commit 9663b34",
            path="dydx-mainnet-1/genesis.json",
            licence="published chain parameters; excerpt with attribution",
            recorded_at=dt.datetime(2023, 10, 26, 17, 0, tzinfo=dt.UTC),
            note="The chain's launch parameters, dated by its genesis_time; only the "
            "perpetuals, their liquidity tiers and the first fee tier are kept.",
        ),
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
            max_leverage = leverage_from_margin(decimal(item.get("initialMarginFraction")))
            reading.values = _values(base, max_leverage)
            reading.read["instrument"] = reads["markets"]
            maintenance = decimal(item.get("maintenanceMarginFraction"))
            lower = decimal(item.get("openInterestLowerCap")) or Decimal(0)
            upper = decimal(item.get("openInterestUpperCap")) or Decimal(0)
            if maintenance is not None and max_leverage and upper <= lower:
                reading.tiers = one_tier(max_leverage, maintenance)
                reading.read["tiers"] = reads["markets"]
            elif maintenance is not None:
                reading.warnings.append(
                    "initial margin scales with open interest: the table is left unread."
                )
            reading.mark_price = decimal(item.get("oraclePrice"))
            reading.funding_rate = decimal(item.get("nextFundingRate"))
            reading.read["quote"] = reads["markets"]
            readings.append(reading)
        if "genesis" in answers:  # older than the indexer's rows
            add_unseen(readings, _genesis(answers["genesis"], reads["genesis"]))
        return readings


def _values(base: str, max_leverage: Decimal | None) -> dict[str, Any]:
    """A dYdX perpetual: USD-quoted, margined and settled in USDC, sized in coins, funded hourly."""
    return {
        "base": base,
        "quote": "USDC",
        "settle": "USDC",
        "kind": "linear",
        "contract_size": Decimal(1),
        "max_leverage": max_leverage,
        "funding_interval_hours": Decimal(1),
    }


def _genesis(answer: dict[str, Any], read: Read) -> list[MarketReading]:
    """The perpetuals of the chain's genesis, each with its liquidity tier's margin."""
    state = answer["app_state"]
    tiers = {t["id"]: t for t in state["perpetuals"]["liquidity_tiers"]}
    fees = state["feetiers"]["params"]["tiers"][0]  # the base tier: no volume required
    taker = Decimal(fees["taker_fee_ppm"]) / PPM
    # The oracle price each market started with (dYdX marks positions at the oracle price).
    prices = {
        p["id"]: Decimal(p["price"]).scaleb(p["exponent"])
        for p in state.get("prices", {}).get("market_prices", [])
    }
    readings = []
    for perpetual in state["perpetuals"]["perpetuals"]:
        params = perpetual["params"]
        base, _, quote = str(params["ticker"]).partition("-")
        tier = tiers[params["liquidity_tier"]]
        initial = Decimal(tier["initial_margin_ppm"]) / PPM
        if not base or quote != "USD" or not 0 < initial < 1:
            continue  # the "Safety" tier (100% initial margin) is not a leveraged market
        max_leverage = leverage_from_margin(initial)
        assert max_leverage is not None  # 0 < initial < 1
        reading = MarketReading(product_line="perpetuals", symbol=params["ticker"])
        reading.values = _values(base, max_leverage) | {"taker_fee": taker}
        if fees["maker_fee_ppm"] >= 0:
            reading.values["maker_fee"] = Decimal(fees["maker_fee_ppm"]) / PPM
        else:
            reading.warnings.append(
                f"maker fee {Decimal(fees['maker_fee_ppm']) / PPM:%} is a rebate: not stored."
            )
        reading.tiers = one_tier(
            max_leverage,
            initial * Decimal(tier["maintenance_fraction_ppm"]) / PPM,
            cap=Decimal(tier["base_position_notional"]) / USDC_QUANTUMS,
        )
        reading.read = {"instrument": read, "fees": read, "tiers": read}
        if params.get("market_id") in prices:
            reading.mark_price = prices[params["market_id"]]
            reading.read["quote"] = Read(f"{read.source}, its oracle price", read.read_at)
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
