"""Chart data: floats, because charts need speed and not cents.

2,000 points in well under a millisecond: the equity line is a closed form (affine in price,
or c0·P − s·N for inverse), evaluated with plain float arithmetic in list comprehensions.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext

from .book import InverseBook
from .evaluate import evaluate, open_position
from .numbers import CONTEXT, fraction, to_decimal
from .scenario import outcome_at
from .types import EngineInputError, Evaluation, Position, Rules, Scenario

_ONE = Decimal(1)


def equity_curve(
    *,
    evaluation: Evaluation | None = None,
    position: Position | None = None,
    rules: Rules | None = None,
    price_from: Decimal | float,
    price_to: Decimal | float,
    points: int = 2000,
) -> dict[str, list[float]]:
    """Equity against price without liquidation, for the "equity against price" chart.

    Returns {"prices", "equity"} (quote currency); for inverse contracts also "equity_coin" and
    "equity_usd" ("equity" is the USD value). Give an evaluation, or a position and rules.
    """
    if evaluation is not None:
        position, rules = evaluation.position, evaluation.rules
    if position is None or rules is None:
        raise EngineInputError("position", "Give an evaluation, or a position and rules.")
    low = float(to_decimal(price_from, "price_from"))
    high = float(to_decimal(price_to, "price_to"))
    if not (0 <= low < high):
        raise EngineInputError("price_to", "The price range must run upwards from 0 or more.")
    if not isinstance(points, int) or not 2 <= points <= 100_000:
        raise EngineInputError("points", "Between 2 and 100,000 points.")
    with localcontext(CONTEXT):
        opened, _entry, _sign = open_position(position, rules)
    book = opened.book
    step = (high - low) / (points - 1)
    prices = [low + step * i for i in range(points)]
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


def outcome_by_crash(
    *, position: Position, rules: Rules, crashes: Sequence[Decimal | float]
) -> list[tuple[float, float]]:
    """(crash, trader result) pairs for the "outcome against crash size" chart: what the trader
    ends with (≥ 0), or minus what they owe, after a crash of each size against the position.

    The position is opened and its liquidation price solved once; each crash then costs one
    outcome.
    """
    with localcontext(CONTEXT):
        base = evaluate(position=position, rules=rules)
        opened, entry, sign = open_position(position, rules)
        liquidated_on_entry = any(w.code == "liquidated_on_entry" for w in base.warnings)
        upper = _ONE if sign > 0 else Decimal(1000)
        results = []
        for crash in crashes:
            size = fraction(to_decimal(crash, "crashes"), "crashes", upper=upper)
            scenario = Scenario(crash=size)
            outcome = outcome_at(
                opened=opened,
                rules=rules,
                scenario=scenario,
                sign=sign,
                entry=entry,
                price=entry * (_ONE - sign * size),
                liquidation_price=base.liquidation_price,
                liquidated_on_entry=liquidated_on_entry,
                with_explanation=False,
            )
            results.append((float(size), float(outcome.trader_result)))
    return results
