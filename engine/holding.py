"""What holding a position costs over a period at the current rates: funding and taker fees.

The calculator's answer states it for a month at a market's recent funding rate, so that
holding costs are not silently zero. Amounts are in the notional's currency (quote; USD for
inverse), signed as costs: negative funding means the position is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .opening import funding_paid
from .types import Rules, Side

HOURS_IN_A_MONTH = Decimal(24 * 30)


@dataclass(frozen=True)
class HoldingCost:
    hours: Decimal
    funding: Decimal  # paid over `hours` at rules.funding_rate; negative = received
    fees: Decimal  # the taker fee on opening and on closing at the same notional

    @property
    def total(self) -> Decimal:
        return self.funding + self.fees


def holding_cost(
    *, rules: Rules, side: Side, notional: Decimal, hours: Decimal = HOURS_IN_A_MONTH
) -> HoldingCost:
    """Funding over `hours` (longs pay a positive rate) and a round trip's taker fees."""
    sign = 1 if side == Side.LONG else -1
    funding = funding_paid(rules=rules, sign=sign, notional=notional, hours=hours)
    return HoldingCost(hours=hours, funding=funding, fees=2 * rules.taker_fee * notional)
