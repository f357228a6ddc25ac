"""Numbers that back the usual advice (lower leverage, more margin, a stop) for one position.

Each answer is found by asking `evaluate` itself, so it follows the platform's tiers, fees and
conventions exactly as the rest of the page does: the leverage at which a gap leaves no
deficit, the margin that moves the liquidation price past a price the trader names, and the
stop that caps a loss at an amount (and what that stop fills at when the price gaps through it).
Only futures are answered (the stop, only linear ones); borrowing and loans are sized
differently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .evaluate import evaluate
from .types import (
    ZERO,
    Contract,
    EngineInputError,
    Evaluation,
    MarginMode,
    Position,
    Scenario,
    Side,
)

# Bisection steps: each halves the interval, so 48 reach far below a cent on any real position.
STEPS = 48
LOWEST_LEVERAGE = Decimal(1)
HIGHEST_LEVERAGE = Decimal(1000)  # the form's own limit
LEVERAGE_STEP = Decimal("0.01")
FUTURES = (Contract.LINEAR, Contract.INVERSE)


@dataclass(frozen=True, slots=True)
class SafeLeverage:
    """The highest leverage at which a fall (or a rise, for a short) to `fill_price` leaves no
    deficit: nothing for the trader or anyone else to pay.

    `leverage` is None when even 1× leaves one (costs alone exceed the margin);
    `at_maximum` says the platform's own maximum (or the form's limit) was reached without a
    deficit.
    """

    fill_price: Decimal
    leverage: Decimal | None
    at_maximum: bool


@dataclass(frozen=True, slots=True)
class MarginToAdd:
    """Margin to add so that the liquidation price lies at or beyond `target` (margin currency).

    `amount` is 0 when it already does; None when no amount can (the target is on the wrong
    side of the entry price)."""

    target: Decimal
    amount: Decimal | None
    liquidation_price: Decimal | None  # with the margin added


@dataclass(frozen=True, slots=True)
class StopForLoss:
    """The stop price at which closing loses `max_loss` (quote currency, fees included), and
    what the same stop loses when the price gaps through it by `gap`."""

    max_loss: Decimal
    stop_price: Decimal | None  # None: no stop can cap the loss there (see `reason`)
    gap: Decimal | None
    gap_fill_price: Decimal | None
    gap_loss: Decimal | None
    # "" with a stop; "beyond_liquidation" when liquidation would lose less than the cap;
    # "below_costs" when closing at once (the fees) already loses more
    reason: str = ""


def _sized(evaluation: Evaluation) -> Position:
    """The position with its size fixed, so that margin alone can change."""
    position = evaluation.position
    if position.contract == Contract.LINEAR:
        quantity = evaluation.notional / position.entry_price
    else:
        quantity = evaluation.notional  # inverse: the USD face value
    return replace(position, quantity=quantity, leverage=None)


def _safe(margin: Decimal | None) -> bool:
    return margin is not None and margin >= ZERO


def _edge(
    margin_of: Callable[[Decimal], Decimal | None],
    safe: Decimal,
    unsafe: Decimal,
    unit: Decimal,
    known: dict[Decimal, Decimal | None] | None = None,
) -> Decimal:
    """The point nearest `unsafe`, within `unit`, where `margin_of` is still ≥ 0 (safe).

    `margin_of(x)` is how far x is from the edge (≥ 0 safe, < 0 or None not): equity at the
    fill, room past a target price, loss left under a cap. On a position whose rules stay the
    same across the edge it is a straight line, so a secant step (regula falsi, with the
    Illinois fix so that neither end stalls) lands on the edge in one or two evaluations
    where a bisection takes dozens; a step that lands within half a unit of the last point
    is pushed half a unit on, so the bracket always narrows.
    """
    values = dict(known or {})

    def value(x: Decimal) -> Decimal | None:
        if x not in values:
            values[x] = margin_of(x)
        return values[x]

    first_safe, g_unsafe = value(safe), value(unsafe)
    assert first_safe is not None and _safe(first_safe) and not _safe(g_unsafe)
    g_safe: Decimal = first_safe
    direction = 1 if unsafe > safe else -1
    last = 0
    for _ in range(STEPS):
        width = abs(unsafe - safe)
        if width <= unit:
            break
        if g_unsafe is None or g_safe == g_unsafe:
            x = (safe + unsafe) / 2
        else:
            x = unsafe - g_unsafe * (unsafe - safe) / (g_unsafe - g_safe)
        half = unit / 2
        if direction * (x - safe) < half:
            x = safe + direction * half
        elif direction * (unsafe - x) < half:
            x = unsafe - direction * half
        g = value(x)
        if g is not None and g >= ZERO:
            safe, g_safe = x, g
            if last == 1 and g_unsafe is not None:
                g_unsafe /= 2
            last = 1
        else:
            unsafe, g_unsafe = x, g
            if last == -1:
                g_safe /= 2
            last = -1
    return safe


def safe_leverage(*, evaluation: Evaluation) -> SafeLeverage | None:
    """The highest leverage at which the scenario's price move leaves no deficit, keeping the
    trader's margin (isolated) or wallet (cross) and the fill price as they are. A gap is
    measured from the liquidation price, which moves with leverage, so the move is held at
    the price it reaches instead: the same fall from the same entry, at another leverage."""
    position, rules, outcome = evaluation.position, evaluation.rules, evaluation.outcome
    if position.contract not in FUTURES or outcome is None:
        return None
    if position.margin_mode == MarginMode.CROSS:
        base = replace(position, quantity=None)
    else:
        base = replace(position, quantity=None, margin=evaluation.initial_margin)
    scenario = Scenario(fill_price=outcome.fill_price)

    def equity_at_fill(leverage: Decimal) -> Decimal | None:
        try:
            tried = evaluate(
                position=replace(base, leverage=leverage), rules=rules, scenario=scenario
            )
        except EngineInputError:
            return None
        if tried.outcome is None:
            return None
        return -tried.outcome.deficit if tried.outcome.deficit else tried.outcome.equity_after

    highest = min(rules.max_leverage or HIGHEST_LEVERAGE, HIGHEST_LEVERAGE)
    # The bracket: the position's own leverage (already evaluated) on whichever side of the
    # edge it lies, and 1× or the highest leverage on the other.
    known: dict[Decimal, Decimal | None] = {}
    now = evaluation.leverage
    if now is not None and LOWEST_LEVERAGE < now < highest:
        known[now] = -outcome.deficit if outcome.deficit else outcome.equity_after
    if now in known and _safe(known[now]):
        safe_end, unsafe_end = now, highest
    else:
        safe_end, unsafe_end = LOWEST_LEVERAGE, now if now in known else highest
    for end in (unsafe_end, safe_end):
        if end not in known:
            known[end] = equity_at_fill(end)
    if _safe(known[unsafe_end]):  # only where the end is the highest leverage
        return SafeLeverage(outcome.fill_price, highest, at_maximum=True)
    if not _safe(known[safe_end]):
        return SafeLeverage(outcome.fill_price, None, at_maximum=False)
    edge = _edge(equity_at_fill, safe_end, unsafe_end, LEVERAGE_STEP, known)
    leverage = edge.quantize(LEVERAGE_STEP, rounding=ROUND_FLOOR)
    return SafeLeverage(outcome.fill_price, max(leverage, LOWEST_LEVERAGE), at_maximum=False)


def margin_to_add(*, evaluation: Evaluation, target: Decimal) -> MarginToAdd | None:
    """The least margin to add (rounded up to a cent, or a satoshi for coin) that puts the
    liquidation price at or beyond `target`, the position's size unchanged."""
    position, rules = evaluation.position, evaluation.rules
    if position.contract not in FUTURES:
        return None
    sign = 1 if position.side == Side.LONG else -1
    if sign * (position.entry_price - target) <= 0:
        return MarginToAdd(target, None, evaluation.liquidation_price)
    sized = _sized(evaluation)
    cross = position.margin_mode == MarginMode.CROSS
    start = (position.wallet_balance if cross else evaluation.initial_margin) or ZERO

    def with_added(amount: Decimal) -> Evaluation:
        added = start + amount
        changed = replace(sized, wallet_balance=added) if cross else replace(sized, margin=added)
        return evaluate(position=changed, rules=rules)

    def room(amount: Decimal) -> Decimal | None:
        """How far the liquidation price lies past the target (< 0: short of it)."""
        try:
            liquidation = with_added(amount).liquidation_price
        except EngineInputError:
            return None
        return target if liquidation is None else sign * (target - liquidation)

    known = {ZERO: room(ZERO)}
    if _safe(known[ZERO]):
        return MarginToAdd(target, ZERO, evaluation.liquidation_price)
    enough = max(start, evaluation.notional / position.entry_price, Decimal("0.01"))
    for _ in range(STEPS):
        known[enough] = room(enough)
        if _safe(known[enough]):
            break
        enough *= 2
    else:
        return MarginToAdd(target, None, evaluation.liquidation_price)
    unit = Decimal("0.00000001") if position.contract == Contract.INVERSE else Decimal("0.01")
    edge = _edge(room, enough, ZERO, unit, known)
    amount = edge.quantize(unit, rounding=ROUND_CEILING)
    if amount >= unit and _safe(room(amount - unit)):  # the edge sat on a unit
        amount -= unit
    return MarginToAdd(target, amount, with_added(amount).liquidation_price)


def _loss(evaluation: Evaluation) -> Decimal:
    """What closing at the scenario's price loses, in quote currency: the deposit (and an
    opening fee taken from the balance) less what the trader ends with."""
    outcome = evaluation.outcome
    assert outcome is not None  # a scenario was given
    return evaluation.initial_margin - outcome.trader_result


def stop_for_loss(
    *, evaluation: Evaluation, max_loss: Decimal, gap: Decimal | None
) -> StopForLoss | None:
    """The stop that caps the loss at `max_loss` when it fills at the stop, and, where a gap is
    given, what the same stop fills at and loses when the price gaps through it by that much."""
    position, rules = evaluation.position, evaluation.rules
    liquidation = evaluation.liquidation_price
    # a coin-margined position's loss in dollars moves with the coin too: not answered here
    if position.contract != Contract.LINEAR or liquidation is None or max_loss <= ZERO:
        return None
    sign = 1 if position.side == Side.LONG else -1
    entry = position.entry_price

    def stopped_at(stop: Decimal, fill: Decimal | None = None) -> Decimal:
        """The loss when a stop at `stop` fills at `fill` (at the stop itself by default)."""
        scenario = Scenario(fill_price=stop if fill is None else fill, stop_price=stop)
        return _loss(evaluate(position=position, rules=rules, scenario=scenario))

    # just inside the entry and the liquidation prices: the least and the most a stop can lose
    step = (entry - liquidation) / 10_000
    near, far = entry - step, liquidation + step
    left_near, left_far = max_loss - stopped_at(near), max_loss - stopped_at(far)
    if left_far >= ZERO:
        return StopForLoss(max_loss, None, gap, None, None, "beyond_liquidation")
    if left_near < ZERO:
        return StopForLoss(max_loss, None, gap, None, None, "below_costs")
    known: dict[Decimal, Decimal | None] = {near: left_near, far: left_far}
    near = _edge(lambda stop: max_loss - stopped_at(stop), near, far, Decimal("0.005"), known)
    # a long's stop rounds up and a short's down to a cent, so the loss stays within the cap
    cent = Decimal("0.01")
    stop = near.quantize(cent, rounding=ROUND_CEILING if sign > 0 else ROUND_FLOOR)
    if sign * (stop - entry) >= 0:
        stop = near
    elif stopped_at(stop - sign * cent) <= max_loss:  # the edge sat within a cent
        stop -= sign * cent
    if gap is None or gap <= ZERO:
        return StopForLoss(max_loss, stop, None, None, None)
    gapped = stop * (1 - sign * gap)
    return StopForLoss(max_loss, stop, gap, gapped, stopped_at(stop, gapped))
