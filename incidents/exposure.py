"""From the engine to the simulation: one platform's prices and outcome table, as floats.

The liquidation and bankruptcy prices are solved once with Decimal; the outcome table asks the
engine what the trader keeps or owes, and the deficit, at a grid of closing prices, so the
simulation applies the calculator's own fees, settlement, protection and waterfall.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from engine import (
    EngineInputError,
    Position,
    Rules,
    Scenario,
    Side,
    evaluate,
)
from incidents.simulate import Exposure

TABLE_POINTS = 96  # uniform points; the prices where the outcome bends are added exactly
NUDGE = 1e-9  # a hair to the safe side of the liquidation price: marked, not liquidated


def exposure_for(label: str, position: Position, rules: Rules) -> Exposure:
    """Raises EngineInputError when the engine cannot evaluate the position."""
    evaluation = evaluate(position=position, rules=rules)
    sign = 1 if position.side == Side.LONG else -1
    liquidation = _float(evaluation.liquidation_price)
    bankruptcy = _float(evaluation.bankruptcy_price)

    def table(low: float, high: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        low = max(low, 1e-12 * float(position.entry_price))
        high = max(high, low * (1 + 1e-9))
        grid = set(np.linspace(low, high, TABLE_POINTS).tolist())
        for price in (liquidation, bankruptcy):
            if price is not None and low < price < high:
                grid.add(price)
        if liquidation is not None:
            safe = liquidation * (1 + sign * NUDGE)
            if low < safe < high:
                grid.add(safe)
        prices, results, deficits = [], [], []
        for price in sorted(grid):
            try:
                outcome = evaluate(
                    position=position,
                    rules=rules,
                    scenario=Scenario(fill_price=Decimal(repr(price))),
                ).outcome
            except EngineInputError:
                continue  # e.g. an inverse contract at a price of almost 0
            if outcome is None:
                continue
            prices.append(price)
            results.append(float(outcome.trader_result))
            deficits.append(float(outcome.deficit))
        if not prices:
            raise EngineInputError("entry_price", "No closing price could be evaluated.")
        return np.array(prices), np.array(results), np.array(deficits)

    return Exposure(
        label=label,
        sign=sign,
        entry=float(position.entry_price),
        liquidation_price=liquidation,
        bankruptcy_price=bankruptcy,
        table=table,
    )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
