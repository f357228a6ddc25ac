"""Numbers as a person reads them: "$1,234.56", "9.64%", "0.0213 coin". Display only."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from engine.scenario import coin
from engine.scenario import percent as engine_percent
from engine.scenario import times as engine_times

_CENT = Decimal("0.01")
_MICRO = Decimal("1e-6")
_ONE = Decimal(1)


def money(value: Decimal | float | None, currency: str = "quote") -> str:
    """Quote amounts as dollars with cents; coin amounts to 8 significant decimals."""
    if value is None:
        return "—"
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        return "—"
    if currency == "coin":
        return coin(amount)  # the engine's sentences write coin the same way
    sign = "−" if amount < 0 else ""
    magnitude = abs(amount)
    if _MICRO <= magnitude < _ONE:
        # prices of small coins need more than cents: up to 6 decimals, at least 2
        digits = f"{magnitude.quantize(_MICRO, rounding=ROUND_HALF_EVEN):f}"
        whole, decimals = digits.split(".")
        decimals = decimals.rstrip("0").ljust(2, "0")
        return f"{sign}${whole}.{decimals}"
    rounded = magnitude.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    if rounded == 0:
        return "$0.00"
    return f"{sign}${rounded:,.2f}"


def chart_money(value: float) -> str:
    """A chart's float as dollars and cents, rounded as round(value, 2) rounds it.

    What money(Decimal(str(round(value, 2)))) prints, without the Decimal: chart tables and
    summaries print dozens of these on every redraw.
    """
    if not math.isfinite(value):
        return "—"
    text = f"{abs(value):,.2f}"
    if text == "0.00":
        return "$0.00"
    return f"−${text}" if value < 0 else f"${text}"


def pct(value: Decimal | float | None, places: int = 2) -> str:
    """A fraction as a percentage: 0.0964 → "9.64%" (the engine's sentences write it alike)."""
    if value is None:
        return "—"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():  # before multiplying: a signalling NaN ("sNaN") raises there
        return "—"
    try:
        return engine_percent(number, places)
    except InvalidOperation:  # more digits than the context holds: no real rate
        return "—"


def times(value: Decimal | None) -> str:
    """Leverage: 10 → "10×", 2.5 → "2.5×", 50000 → "50,000×"."""
    return "—" if value is None else engine_times(value, "×")


def coin_and_usd(coin: Decimal | None, usd: Decimal) -> str:
    """An amount of an inverse contract as the exchange states it, in coin, with its dollar
    value beside it ("0.22404056 coin ($5,784.00)"); just dollars where there is no coin figure."""
    if coin is None:
        return money(usd)
    return f"{money(coin, 'coin')} ({money(usd)})"
