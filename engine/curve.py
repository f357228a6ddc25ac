"""Chart data: floats, because charts need speed and not cents.

2,000 points in well under a millisecond: the equity line is a closed form (affine in price,
or c0·P − s·N for inverse), evaluated with plain float arithmetic in list comprehensions.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import cast

from .book import InverseBook
from .coverage import owes_everything, owes_nothing, trader_owes_function
from .evaluate import evaluate, open_position
from .numbers import CONTEXT, LARGEST, positive, to_decimal
from .scenario import LARGEST_SHORT_MOVE
from .types import EngineInputError, Evaluation, Position, Rules, Side

_LARGEST_FLOAT = float(LARGEST)


def equity_curve(
    *,
    evaluation: Evaluation | None = None,
    position: Position | None = None,
    rules: Rules | None = None,
    price_from: Decimal | float,
    price_to: Decimal | float,
    points: int = 2000,
    extra_prices: Sequence[float] = (),
) -> dict[str, list[float]]:
    """Equity against price without liquidation, for the "equity against price" chart.

    Returns {"prices", "equity"} (quote currency); for inverse contracts also "equity_coin" and
    "equity_usd" ("equity" is the USD value). Give an evaluation, or a position and rules.
    `extra_prices` inside the range join the evenly spaced ones, so that a chart's line has a
    point exactly where it matters (the bankruptcy price, where equity crosses zero).
    """
    if evaluation is not None:
        position, rules = evaluation.position, evaluation.rules
    if position is None or rules is None:
        raise EngineInputError("position", "Give an evaluation, or a position and rules.")
    low, high = _price(price_from, "price_from"), _price(price_to, "price_to")
    if not (0 <= low < high):
        raise EngineInputError("price_to", "The price range must run upwards from 0 or more.")
    if not isinstance(points, int) or not 2 <= points <= 100_000:
        raise EngineInputError("points", "Between 2 and 100,000 points.")
    opened = evaluation.opened if evaluation is not None else None
    if opened is None:
        with localcontext(CONTEXT):
            opened, _entry, _sign = open_position(position, rules)
    book = opened.book
    step = (high - low) / (points - 1)
    prices = [low + step * i for i in range(points)]
    for extra in extra_prices:
        price = float(extra)
        if low < price < high:
            at = bisect_left(prices, price)
            if prices[at] != price:
                prices.insert(at, price)
    if isinstance(book, InverseBook):
        # the coin equity is undefined at a price of 0: start a hair above it
        if prices[0] <= 0.0:
            prices[0] = step * 1e-3
        c0 = float(book.c0)
        signed_face = float(book.sign * book.face)
        coin = [c0 - signed_face / p for p in prices]
        usd = [c0 * p - signed_face for p in prices]
        return {"prices": prices, "equity": usd, "equity_coin": coin, "equity_usd": usd}
    a = float(book.a)
    b = float(book.b)
    return {"prices": prices, "equity": [a + b * p for p in prices]}


def _price(value: Decimal | float, field: str) -> float:
    if type(value) is float and math.isfinite(value) and abs(value) <= _LARGEST_FLOAT:
        return value  # a chart's own range, already a float: no round trip through Decimal
    return float(to_decimal(value, field))


def outcome_by_crash(
    *,
    position: Position,
    rules: Rules,
    crashes: Sequence[Decimal | float],
    insurance_fund_depleted: bool = False,
    stop_price: Decimal | None = None,
    guaranteed_stop: bool = False,
    evaluation: Evaluation | None = None,
) -> list[tuple[float, float]]:
    """(crash, trader result) pairs for the "outcome against crash size" chart: what the trader
    ends with (≥ 0), or minus what they owe, after a crash of each size against the position.
    A stop closes the position at the crash price, or at the stop if it is guaranteed (the same
    rule as `scenario.outcome_at`, which ignores a stop outside entry and liquidation).

    The position is opened and its liquidation price solved once, exactly. Each crash then
    costs a few float operations instead of a full outcome (a chart redrawn on every keystroke
    plots 50 of them per platform): in quote currency every book's equity is affine in price,
    so is the closing fee, and what the trader owes of a deficit comes from `cover` through
    `trader_owes_function`. `scenario.outcome_at` is the exact rule; the property tests hold
    these points to it. Pass `evaluation` (of this position and rules, with any scenario) when
    there is one, to save evaluating again.
    """
    with localcontext(CONTEXT):
        base = evaluation or evaluate(position=position, rules=rules)
        if base.opened is not None:
            opened, entry, sign = base.opened, base.opened.book.entry_price, _sign(position)
        else:
            opened, entry, sign = open_position(position, rules)
        owes = trader_owes_function(
            waterfall=rules.waterfall,
            negative_balance_protection=rules.negative_balance_protection,
            insurance_fund_depleted=insurance_fund_depleted,
        )
    sizes = _crash_sizes(crashes, upper=1.0 if sign > 0 else float(LARGEST_SHORT_MOVE))
    intercept, slope = (float(value) for value in opened.book.quote_line())
    fee_rate = float(opened.liquidation_fee_rate)
    fee_fixed = float(opened.closing_fixed)
    fee_per_price = float(opened.closing_per_price)
    settles_at_bankruptcy = rules.settles_at_bankruptcy
    # the fee to close held in the margin pays the close on liquidation (Bybit, Phemex)
    held = float(opened.close_fee_held)
    held_per_price = opened.margin_currency == "coin"
    liquidated_on_entry = any(w.code == "liquidated_on_entry" for w in base.warnings)
    liquidation = None if base.liquidation_price is None else float(base.liquidation_price)
    stop = _working_stop(stop_price, entry, base.liquidation_price, sign)
    closing_rate = float(opened.closing_fee_rate)
    start = float(entry)
    results = []
    for size in sizes:
        price = start * (1.0 - sign * size)
        if stop is not None and sign * (price - stop) <= 0:
            # stopped out: at the stop if guaranteed, else at the crash price; a trading fee
            fill = stop if guaranteed_stop else price
            equity = intercept + slope * fill
            after = equity
            if equity > 0.0:
                after = equity - min(closing_rate * (fee_fixed + fee_per_price * fill), equity)
        elif liquidated_on_entry or (liquidation is not None and sign * (price - liquidation) <= 0):
            equity = intercept + slope * price - (held * price if held_per_price else held)
            # liquidated: the fee comes out of what is left, never beyond it
            if equity > 0.0:
                after = equity - min(fee_rate * (fee_fixed + fee_per_price * price), equity)
                if settles_at_bankruptcy:
                    after = 0.0
            else:
                after = equity
        else:
            equity = after = intercept + slope * price
        if after > 0.0:
            results.append((size, after))
        elif equity >= 0.0 or owes is owes_nothing:
            results.append((size, 0.0))
        elif owes is owes_everything:
            results.append((size, equity))
        else:
            owed = owes(-equity)
            results.append((size, -owed if owed else 0.0))
    return results


def _working_stop(
    stop_price: Decimal | None, entry: Decimal, liquidation: Decimal | None, sign: int
) -> float | None:
    """The stop as a float, or None when `outcome_at` would ignore it (not strictly between
    entry and liquidation: the stop would fire at once, or liquidation would come first)."""
    if stop_price is None:
        return None
    stop = positive(stop_price, "stop_price")
    if sign * (stop - entry) >= 0:
        return None
    if liquidation is not None and sign * (stop - liquidation) <= 0:
        return None
    return float(stop)


def _sign(position: Position) -> int:
    return 1 if position.side == Side.LONG else -1


_NUMBER_TYPES = (int, float, Decimal)  # exact types: True is not a crash size


class CrashSizes(tuple[float, ...]):
    """Crash sizes checked once, for a chart that asks for the same ones on every redraw.

    `CrashSizes(values)` refuses what `outcome_by_crash` would refuse for a short (the widest
    range); a long's curve then only needs the largest size compared with 100%.
    """

    largest: float

    def __new__(cls, crashes: Sequence[object]) -> CrashSizes:
        sizes = super().__new__(cls, _checked_sizes(crashes, float(LARGEST_SHORT_MOVE)))
        sizes.largest = max(sizes, default=0.0)
        return sizes


def _crash_sizes(crashes: Sequence[object], *, upper: float) -> Sequence[float]:
    """Each crash as a float fraction in [0, upper]; anything else is an input error."""
    if type(crashes) is CrashSizes and crashes.largest <= upper:
        return crashes
    return _checked_sizes(crashes, upper)


def _checked_sizes(crashes: Sequence[object], upper: float) -> list[float]:
    if not all(type(crash) in _NUMBER_TYPES for crash in crashes):
        raise EngineInputError("crashes", "Expected a number.")
    try:
        # the types were checked just above; mypy cannot narrow through `type(...) in`
        sizes = [float(cast(int | float | Decimal, crash)) for crash in crashes]
    except (ValueError, OverflowError):  # a signalling NaN, or an int too large for a float
        raise EngineInputError("crashes", "Expected a finite number.") from None
    # NaN fails both comparisons and an infinity the second, so both are refused here too.
    if not all(0.0 <= size <= upper for size in sizes):
        raise EngineInputError(
            "crashes", "Must be a fraction between 0 and %(upper)s.", upper=upper
        )
    return sizes
