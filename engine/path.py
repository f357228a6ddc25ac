"""A position walked along a crash's published price path: when the path first reaches a price
level (a liquidation price), and at what price it can fill there.

A path is the few prices a source publishes for a crash, in time order. Between two points we
draw a straight line, which is an assumption, not data (the caller says so on the page): a
liquidation that triggers on the way fills at its own level, where the path was then, not at
the bottom. A point marked `gap` was reached with no trading in between (a floor removed, a
market halted), so a level inside the gap fills at the first price after it.

Pure: Decimal in, small frozen dataclasses out, no Django.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext

from .book import AffineBook
from .coverage import cover
from .liquidation import liquidation_steps
from .numbers import CONTEXT
from .opening import Opened
from .types import ZERO, Coverage, CoverageStep, EngineInputError, Party, Side


@dataclass(frozen=True, slots=True)
class PathPoint:
    minute: Decimal  # since the path's first point
    price: Decimal
    gap: bool = False  # reached from the point before without trading in between


@dataclass(frozen=True, slots=True)
class Crossing:
    """Where a path first reaches a level against the position."""

    minute: Decimal  # on a straight segment, interpolated; after a gap, the gap's end
    fill_price: Decimal  # the level itself, or the first price after a gap
    segment: int  # index of the point that ends the segment where it happens
    in_gap: bool
    interpolated: bool  # the minute lies between two published points
    # the liquidation engine was stalled when the path reached the level: it acted later, at
    # the path's price when it resumed (`engine_crossing`)
    delayed: bool = False


@dataclass(frozen=True, slots=True)
class Stall:
    """A stretch of the path when a source says the platform's liquidation engine could not
    act (minutes from the path's first point; it may start or end beyond the path)."""

    start: Decimal
    end: Decimal


def check_path(points: Sequence[PathPoint]) -> None:
    """A path has at least two points, positive prices and minutes that never go back."""
    if len(points) < 2:
        raise EngineInputError("path", "needs at least two prices")
    previous = None
    for point in points:
        if not point.price.is_finite() or point.price <= ZERO:
            raise EngineInputError("path", "every price must be positive")
        if not point.minute.is_finite() or point.minute < ZERO:
            raise EngineInputError("path", "minutes start at 0")
        if previous is not None and point.minute < previous:
            raise EngineInputError("path", "minutes must not go back")
        previous = point.minute


def scaled(points: Sequence[PathPoint], entry: Decimal) -> tuple[PathPoint, ...]:
    """The path's relative moves applied to a position entered at `entry` at its first point."""
    check_path(points)
    if not entry.is_finite() or entry <= ZERO:
        raise EngineInputError("entry_price", "must be a positive price")
    with localcontext(CONTEXT):
        # entry × price / first (not × a rounded ratio): the first point is the entry exactly
        first = points[0].price
        return tuple(PathPoint(p.minute, entry * p.price / first, p.gap) for p in points)


def _beyond(side: Side, price: Decimal, level: Decimal) -> bool:
    return price <= level if side == Side.LONG else price >= level


def first_crossing(*, points: Sequence[PathPoint], side: Side, level: Decimal) -> Crossing | None:
    """The first time the path reaches `level` against a `side` position; None if it never
    does. A long is hurt by falls (level below), a short by rises (level above)."""
    check_path(points)
    if not level.is_finite() or level <= ZERO:
        raise EngineInputError("level", "must be a positive price")
    if _beyond(side, points[0].price, level):
        return Crossing(points[0].minute, points[0].price, 0, False, False)
    with localcontext(CONTEXT):
        for index in range(1, len(points)):
            start, end = points[index - 1], points[index]
            if not _beyond(side, end.price, level):
                continue
            if end.gap:
                return Crossing(end.minute, end.price, index, True, False)
            # straight line from start (not beyond) to end (beyond): it meets the level once
            share = (start.price - level) / (start.price - end.price)
            minute = start.minute + share * (end.minute - start.minute)
            return Crossing(minute, level, index, False, minute not in (start.minute, end.minute))
    return None


def engine_crossing(
    *, points: Sequence[PathPoint], side: Side, level: Decimal, stalls: Sequence[Stall] = ()
) -> Crossing | None:
    """Where the platform's liquidation engine first acts on `level`: where the path reaches
    it, unless the engine is stalled then; a stalled engine acts when it resumes, at the path's
    price then if that is still beyond the level (a `delayed` crossing), or at the path's next
    crossing after it. A stall still running when the path ends leaves no known fill: None,
    as a path that never reaches the level (the caller says so)."""
    check_path(points)
    for stall in stalls:
        if not (stall.start.is_finite() and stall.end.is_finite()) or stall.end <= stall.start:
            raise EngineInputError("stall", "a stall ends after it starts")
    crossing = first_crossing(points=points, side=side, level=level)
    for _ in range(len(stalls) + 1):
        if crossing is None:
            return None
        at = crossing.minute
        stalled = next((s for s in stalls if s.start <= at < s.end), None)
        if stalled is None:
            return crossing
        resume = stalled.end
        for _other in stalls:  # stalls that overlap: the engine returns when the last ends
            later = next((s for s in stalls if s.start <= resume < s.end), None)
            if later is None:
                break
            resume = later.end
        if resume > points[-1].minute:
            return None
        price = price_at(points, resume)
        # the index of the first published point at or after the engine's return
        segment = next(i for i, p in enumerate(points) if p.minute >= resume)
        if _beyond(side, price, level):
            exact = points[segment].minute == resume
            return Crossing(resume, price, max(segment, 1), False, not exact, True)
        # back on the safe side when the engine returns: the next crossing after it
        offset = segment - 1 if points[segment].minute > resume else segment
        rest = (
            (PathPoint(resume, price), *points[segment:]) if offset != segment else points[segment:]
        )
        if len(rest) < 2:
            return None
        found = first_crossing(points=rest, side=side, level=level)
        if found is None:
            return None
        crossing = replace(found, segment=max(found.segment + offset, 1))
    return crossing


def worst_price(points: Sequence[PathPoint], side: Side) -> Decimal:
    """The path's price furthest against the position: the lowest for a long."""
    check_path(points)
    prices = [p.price for p in points]
    return min(prices) if side == Side.LONG else max(prices)


def price_at(points: Sequence[PathPoint], minute: Decimal) -> Decimal:
    """The path's price at `minute` on the straight line between published points (an
    assumption the caller states); after a gap, the price jumped at the gap's end."""
    check_path(points)
    if minute <= points[0].minute:
        return points[0].price
    with localcontext(CONTEXT):
        for start, end in itertools.pairwise(points):
            if minute > end.minute:
                continue
            if end.gap:
                return end.price if minute == end.minute else start.price
            if end.minute == start.minute:
                return end.price
            share = (minute - start.minute) / (end.minute - start.minute)
            return start.price + share * (end.price - start.price)
    return points[-1].price


@dataclass(frozen=True, slots=True)
class Close:
    """One close on the path: a cut down the tier table, or the rest of the position."""

    minute: Decimal
    price: Decimal  # where it fills on the path (in the prices the path was given in)
    quantity: Decimal  # closed here, base units
    fee: Decimal  # liquidation fee on the part closed, margin currency
    partial: bool  # False: what was left was closed
    quantity_after: Decimal = ZERO  # base units still open after it
    equity_after: Decimal = ZERO  # equity after it (and its fee) at `price`, margin currency
    # where what is left is liquidated next, when it survives the close; None otherwise
    next_liquidation: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SteppedWalk:
    """A partial liquidation followed along the path: each close, what stays open at the end,
    and the position's equity after its last close (or marked at the path's last price)."""

    closes: tuple[Close, ...]
    remainder: Decimal  # base units open at the path's end; 0 once closed
    equity: Decimal  # margin currency, after the liquidation fees
    price: Decimal  # where `equity` is read: the last close, or the path's end


def _after(points: Sequence[PathPoint], crossing: Crossing) -> tuple[PathPoint, ...]:
    """The rest of a path from a crossing on a straight stretch, starting where it happened."""
    rest = points[max(crossing.segment, 1) :]
    return (PathPoint(crossing.minute, crossing.fill_price), *rest)


def _full_close(book: AffineBook, rate: Decimal, price: Decimal) -> tuple[Decimal, Decimal]:
    """(fee, equity after it) when the whole of `book` is closed at `price`; the fee takes no
    more than the equity there is."""
    equity = book.equity(price)
    fee = min(rate * book.size * price, equity) if equity > ZERO else ZERO
    return fee, equity - fee


def stepped_walk(
    *,
    opened: Opened,
    side: Side,
    points: Sequence[PathPoint],
    level: Decimal,
    stalls: Sequence[Stall] = (),
) -> SteppedWalk | None:
    """A position that the platform liquidates in steps, walked along `points` (in its own
    prices): at the first crossing of `level` the engine's steps (`liquidation_steps`) cut it
    down the tiers; a remainder that survives walks on with its next liquidation price, closed
    again where the path reaches it, until nothing is left or the path ends.

    None where no steps apply at the first crossing: the engine gives none (the position sits
    in the first tier), the path jumps over the level (no trading to step in), the engine was
    stalled when the path reached it (it acts later, beyond the level, in one close), or the
    book is not a plain linear one (inverse and collateral books are not stepped here).
    """
    book = opened.book
    if not isinstance(book, AffineBook) or book.size != abs(book.b):
        return None
    sign = 1 if side == Side.LONG else -1
    crossing = engine_crossing(points=points, side=side, level=level, stalls=stalls)
    if crossing is None or crossing.in_gap or crossing.delayed:
        return None
    steps = liquidation_steps(opened=opened, sign=sign, price=level)
    if not steps:
        return None
    rate = opened.liquidation_fee_rate
    closes: list[Close] = []
    path = tuple(points)
    with localcontext(CONTEXT):
        for _ in range(_MAX_CLOSES):
            for step in steps:
                closes.append(
                    Close(
                        crossing.minute,
                        crossing.fill_price,
                        step.quantity_before - step.quantity_after,
                        step.fee,
                        step.quantity_after > ZERO,
                        step.quantity_after,
                        step.equity_after,
                        step.next_liquidation_price if step.survives else None,
                    )
                )
            last = steps[-1]
            if not last.survives or last.quantity_after <= ZERO:
                return SteppedWalk(tuple(closes), ZERO, last.equity_after, level)
            quantity = last.quantity_after
            book = AffineBook(
                a=last.equity_after - sign * quantity * level,
                b=sign * quantity,
                entry_price=level,
                bands=book.bands,
                constant_maintenance=(
                    last.maintenance_after if book.constant_maintenance is not None else None
                ),
            )
            opened = replace(opened, book=book)
            path = _after(path, crossing)
            following = last.next_liquidation_price
            found = (
                engine_crossing(points=path, side=side, level=following, stalls=stalls)
                if following is not None and following > ZERO
                else None
            )
            if following is None or found is None:
                end = path[-1].price
                return SteppedWalk(tuple(closes), quantity, book.equity(end), end)
            crossing, level = found, following
            jumped = found.in_gap or found.delayed
            steps = () if jumped else liquidation_steps(opened=opened, sign=sign, price=level)
            if not steps:
                # the path jumps past it, the engine acts late, or the rest sits in the first
                # tier: it is all closed
                fee, equity = _full_close(book, rate, found.fill_price)
                closes.append(
                    Close(found.minute, found.fill_price, quantity, fee, False, ZERO, equity)
                )
                return SteppedWalk(tuple(closes), ZERO, equity, found.fill_price)
    raise EngineInputError("path", "too many liquidation steps")


# A bound on the walk: each close goes down the tier table, which has a few dozen tiers at most.
_MAX_CLOSES = 100


@dataclass(frozen=True, slots=True)
class Remainder:
    """What a stepped walk has left open at a moment of the path."""

    quantity: Decimal  # base units open; 0 once everything is closed
    equity: Decimal  # what is open marked at the path's price then, or what the closes left


def remainder_at(
    walk: SteppedWalk, side: Side, minute: Decimal, price: Decimal
) -> Remainder | None:
    """The position after the walk's closes up to `minute`, marked at `price` (the path's
    price then); None before its first close, when the whole position is still open."""
    last = None
    for close in walk.closes:
        if close.minute > minute:
            break
        last = close
    if last is None:
        return None
    if last.quantity_after <= ZERO:
        return Remainder(ZERO, last.equity_after)
    sign = 1 if side == Side.LONG else -1
    with localcontext(CONTEXT):
        return Remainder(
            last.quantity_after,
            last.equity_after + sign * last.quantity_after * (price - last.price),
        )


@dataclass(frozen=True, slots=True)
class SteppedOutcome:
    """The end of a stepped walk, settled as the platform settles a liquidation: a surplus kept
    where it settles at the bankruptcy price, a deficit split over its waterfall (ADL among
    its steps where it has one)."""

    deficit: Decimal
    coverage: tuple[Coverage, ...]  # sums exactly to `deficit`
    trader_owes: Decimal
    trader_result: Decimal  # what the trader keeps (≥ 0) or minus what they owe
    to_insurance_fund: Decimal  # the surplus kept on a bankruptcy-price settlement
    still_open: bool  # the path ended with part of the position open (marked, not settled)


def settle_walk(
    walk: SteppedWalk,
    *,
    waterfall: tuple[CoverageStep, ...],
    negative_balance_protection: bool,
    settles_at_bankruptcy: bool,
    insurance_fund_depleted: bool = False,
) -> SteppedOutcome:
    """Who pays at the end of a stepped walk, as `engine.scenario.outcome_at` settles one
    close: the waterfall's parts add up to the deficit exactly (`engine.coverage.cover`)."""
    if walk.remainder > ZERO:
        return SteppedOutcome(ZERO, (), ZERO, walk.equity, ZERO, True)
    equity, surplus = walk.equity, ZERO
    if settles_at_bankruptcy and equity > ZERO:
        surplus, equity = equity, ZERO
    deficit = -equity if equity < ZERO else ZERO
    coverage = cover(
        deficit=deficit,
        waterfall=waterfall,
        negative_balance_protection=negative_balance_protection,
        insurance_fund_depleted=insurance_fund_depleted,
    )
    with localcontext(CONTEXT):
        owes = sum((part.amount for part in coverage if part.party == Party.TRADER_DEBT), ZERO)
    result = equity if equity > ZERO else -owes
    return SteppedOutcome(deficit, coverage, owes, result, surplus, False)
