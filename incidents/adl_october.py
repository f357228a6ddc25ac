"""Hyperliquid's auto-deleveraging on 10 October 2025, from the public extract beside this module
(incidents/data/hyperliquid-adl-2025-10-10/README.md: source, licence, how it was trimmed).

How many BTC and SOL positions were auto-deleveraged, what they had realised, and how often a
position in profit on the visitor's side was among them. Read once per process: the files ship with
the code and never change at run time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from statistics import median

from engine import Contract, Side
from engine.adl import AdlClose, adl_close
from engine.path import PathPoint, price_at, scaled, worst_price

DATA = Path(__file__).resolve().parent / "data" / "hyperliquid-adl-2025-10-10"
INCIDENT = "october-2025-crash"  # the incident whose page shows this dataset
SOURCE_URL = "https://github.com/ConejoCapital/HyperAnalyzeADL"
ASSETS = ("BTC", "SOL")


@dataclass(frozen=True)
class AdlSide:
    """One asset and side: positions, those in profit, and those auto-deleveraged."""

    asset: str
    side: str  # "LONG" or "SHORT", as the source writes it
    positions: int
    in_profit: int
    deleveraged: int
    deleveraged_in_profit: int
    realised: Decimal  # realised PnL of the auto-deleveraged positions, USD
    median_realised: Decimal | None

    @property
    def share_in_profit_deleveraged(self) -> Decimal | None:
        """Of the positions in profit on this side, the share that ADL closed."""
        if not self.in_profit:
            return None
        return Decimal(self.deleveraged_in_profit) / Decimal(self.in_profit)


@cache
def adl_sides() -> dict[tuple[str, str], AdlSide]:
    counts: dict[tuple[str, str], dict[str, int]] = {}
    with (DATA / "position_counts.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["asset"], row["side"])
            tally = counts.setdefault(
                key, {"positions": 0, "in_profit": 0, "adl": 0, "adl_in_profit": 0}
            )
            number = int(row["positions"])
            tally["positions"] += number
            profit, adl = row["in_profit"] == "1", row["was_adl"] == "1"
            tally["in_profit"] += number if profit else 0
            tally["adl"] += number if adl else 0
            tally["adl_in_profit"] += number if profit and adl else 0
    realised: dict[tuple[str, str], list[Decimal]] = {}
    with (DATA / "adl_positions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            realised.setdefault((row["asset"], row["side"]), []).append(
                Decimal(row["realized_pnl"])
            )
    return {
        key: AdlSide(
            asset=key[0],
            side=key[1],
            positions=tally["positions"],
            in_profit=tally["in_profit"],
            deleveraged=tally["adl"],
            deleveraged_in_profit=tally["adl_in_profit"],
            realised=sum(realised.get(key, []), Decimal(0)),
            median_realised=median(realised[key]) if realised.get(key) else None,
        )
        for key, tally in sorted(counts.items())
    }


def totals() -> tuple[int, int, Decimal]:
    """(positions, auto-deleveraged positions, their realised PnL) over both assets."""
    sides = adl_sides().values()
    return (
        sum(s.positions for s in sides),
        sum(s.deleveraged for s in sides),
        sum((s.realised for s in sides), Decimal(0)),
    )


# HyperMultiAssetedADL's cascade timing (scripts/analysis/outputs/cascade_timing_results.json,
# commit 79bad0f): the first ADL at 21:16:04.83 UTC, 61.7 s after the first liquidation; our path
# starts at 21:15:00, so the first ADL falls at minute 1.08.
FIRST_ADL_MINUTE = Decimal("1.08")
TIMING_URL = (
    "https://github.com/ConejoCapital/HyperMultiAssetedADL/blob/main/"
    "scripts/analysis/outputs/cascade_timing_results.json"
)


@dataclass(frozen=True)
class YourAdl:
    """What the first ADL of the night would have done to a position like the visitor's."""

    side: AdlSide | None  # the dataset's BTC row for the visitor's side
    close: AdlClose | None  # None: the position is not in profit at the low (not an ADL target)
    adl_price: Decimal  # the visitor's price at the first ADL (interpolated on the path)
    low_price: Decimal  # the visitor's price at the path's low


def your_adl(
    *, contract: Contract, side: Side, entry: Decimal, quantity: Decimal, path: list[PathPoint]
) -> YourAdl:
    """An ADL at the first ADL's minute against a position in profit at the path's low: what it
    keeps of that profit and what it costs (engine.adl.adl_close), in the visitor's prices."""
    points = scaled(path, entry)
    adl_price = price_at(points, FIRST_ADL_MINUTE)
    low = worst_price(points, Side.LONG)  # the fall's low: where a short's profit peaks
    close = None
    if side == Side.SHORT and adl_price < entry:
        close = adl_close(
            contract=contract,
            side=side,
            entry_price=entry,
            quantity=quantity,
            market_price=low,
            close_price=adl_price,
        )
    stats = adl_sides().get(("BTC", "SHORT" if side == Side.SHORT else "LONG"))
    return YourAdl(stats, close, adl_price, low)
