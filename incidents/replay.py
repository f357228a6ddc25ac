"""A real crash on the visitor's position, and the chance of owing money, on each platform.

Glue between the calculator's validated inputs, the engine and the simulation. The replay
is the engine's own answer for `Scenario(crash=...)`, the same the evaluate API gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from calculator.compare import compare, label_for
from calculator.engine_errors import engine_error_text
from calculator.formatting import localize
from calculator.forms import Calculation
from engine import Coverage, EngineInputError, Evaluation, Rules, Scenario, Side, evaluate
from engine.path import (
    Close,
    Crossing,
    PathPoint,
    Stall,
    SteppedOutcome,
    SteppedWalk,
    engine_crossing,
    first_crossing,
    remainder_at,
    scaled,
    settle_walk,
    stepped_walk,
    worst_price,
)
from incidents.exposure import exposure_for
from incidents.models import EngineStall
from incidents.simulate import Exposure, Market, PlatformStress, run
from platforms.profiles import rules_for

MAX_RISE = Decimal(1000)  # the engine's largest move against a short (+100,000%)
# What a walk along a published path assumes: said under the page's walk and in the API's.
PATH_ASSUMPTIONS = gettext_noop(
    "A platform liquidates where the path first reaches its own liquidation price. On a "
    "straight stretch that is the liquidation price itself, where the path was then, not the "
    "crash's bottom; after a jump with no trading, the first price after it. The engine then "
    "settles the fill by the platform's rules (some settle at the bankruptcy price and keep the "
    "rest for their insurance fund). We have no order-book depth or liquidation-engine timing "
    "for these crashes, so a real fill may have been worse."
)


@dataclass(frozen=True)
class Venue:
    label: str
    slug: str
    rules: Rules | None
    problem: str = ""
    partial_liquidation: bool = False  # the product line liquidates in steps (its profile says)


@dataclass(frozen=True)
class ReplayRow:
    label: str
    slug: str
    crash: Decimal | None  # fraction of entry against the position; None: the move helps
    evaluation: Evaluation | None
    problem: str = ""

    @property
    def hurts(self) -> bool:
        return self.crash is not None


def venues(calculation: Calculation, slugs: list[str]) -> list[Venue]:
    """The visitor's platform (or custom rules) first, then each compared platform."""
    main = calculation.profile
    main_slug = main.platform.slug if main else ""
    partial = bool(main and main.product_line.partial_liquidation)
    found = [Venue(label_for(main), main_slug, calculation.rules, "", partial)]
    for other in compare(calculation, slugs):
        if other.profile is None:
            found.append(Venue(other.label, other.slug, None, other.problem))
        else:
            found.append(
                Venue(
                    other.label,
                    other.slug,
                    rules_for(other.profile),
                    "",
                    other.profile.product_line.partial_liquidation,
                )
            )
    return found


def crash_for(side: Side, move: Decimal) -> Decimal | None:
    """A signed price move as the engine's crash (against the position), or None if it helps."""
    against = -move if side == Side.LONG else move
    if against <= 0:
        return None
    return min(against, Decimal(1) if side == Side.LONG else MAX_RISE)


def replay(calculation: Calculation, slugs: list[str], move: Decimal) -> list[ReplayRow]:
    position = calculation.position
    crash = crash_for(position.side, move)
    base = calculation.scenario or Scenario()
    scenario = replace(base, fill_price=None, gap=None, crash=crash)
    rows = []
    for venue in venues(calculation, slugs):
        if venue.rules is None:
            rows.append(ReplayRow(venue.label, venue.slug, crash, None, venue.problem))
            continue
        if crash is None:
            rows.append(ReplayRow(venue.label, venue.slug, None, None))
            continue
        try:
            evaluation = evaluate(position=position, rules=venue.rules, scenario=scenario)
        except EngineInputError as error:
            rows.append(ReplayRow(venue.label, venue.slug, crash, None, engine_error_text(error)))
            continue
        rows.append(ReplayRow(venue.label, venue.slug, crash, evaluation))
    return rows


def path_only_rows(calculation: Calculation, slugs: list[str]) -> list[ReplayRow]:
    """The rows of an incident with no instant move (its path is the replay): no crash and no
    evaluation, only each platform's problem where the engine refuses the position."""
    rows = []
    for venue in venues(calculation, slugs):
        problem = venue.problem
        if venue.rules is not None:
            try:
                evaluate(position=calculation.position, rules=venue.rules)
            except EngineInputError as error:
                problem = engine_error_text(error)
        rows.append(ReplayRow(venue.label, venue.slug, None, None, problem))
    return rows


@dataclass(frozen=True)
class Simulated:
    venue: Venue
    exposure: Exposure | None
    stress: PlatformStress | None
    problem: str = ""


def simulate(calculation: Calculation, slugs: list[str], market: Market) -> list[Simulated]:
    """The same simulated paths read for each platform's liquidation price and rules."""
    prepared: list[tuple[Venue, Exposure | None, str]] = []
    for venue in venues(calculation, slugs):
        if venue.rules is None:
            prepared.append((venue, None, venue.problem))
            continue
        try:
            prepared.append(
                (venue, exposure_for(venue.label, calculation.position, venue.rules), "")
            )
        except EngineInputError as error:
            prepared.append((venue, None, engine_error_text(error)))
    exposures = [exposure for _, exposure, _ in prepared if exposure is not None]
    results = iter(run(market, exposures)) if exposures else iter(())
    return [
        Simulated(venue, exposure, next(results) if exposure is not None else None, problem)
        for venue, exposure, problem in prepared
    ]


@dataclass(frozen=True)
class PathStep:
    """One published point, in the visitor's prices, with their equity there on their own
    platform (None once the position is closed)."""

    point: PathPoint
    incident_price: Decimal
    equity: Decimal | None


@dataclass(frozen=True)
class PathClose:
    """One close of a stepped liquidation, with the price the incident's path was at."""

    close: Close
    incident_price: Decimal

    @property
    def when(self) -> str:
        return _when(self.close.minute)


def _when(minute: Decimal) -> str:
    """A minute on the path in words a phone can hold."""
    if minute < 1:
        return _("%(seconds)s s in") % {"seconds": round(minute * 60)}
    shown = f"{minute.quantize(Decimal('0.1'))}".replace(".0", "")
    return _("min %(minute)s") % {"minute": localize(shown)}


@dataclass(frozen=True)
class PathRow:
    """One platform's walk along the path: where it liquidates, fills and who pays."""

    label: str
    slug: str
    evaluation: Evaluation | None  # at the fill (liquidated) or at the path's end (still open)
    crossing: Crossing | None  # None: never liquidated on this path
    liquidation_on_path: Decimal | None  # the liquidation price as a price of the incident's asset
    problem: str = ""
    partial_liquidation: bool = False
    stepped: SteppedWalk | None = None  # the engine's partial liquidation along the path
    stepped_result: Decimal | None = None  # what the trader keeps (+) or owes (−) with it
    ratio: Decimal = Decimal(1)  # incident price / visitor's price
    stepped_outcome: SteppedOutcome | None = None  # the steps' end, settled (who pays)
    stalled_at_end: bool = False  # reached while its engine was stalled past the path's end

    @property
    def liquidated(self) -> bool:
        return self.crossing is not None

    @property
    def when(self) -> str:
        """When the path reaches the liquidation price, in words a phone can hold."""
        if self.crossing is None:
            return ""
        return _when(self.crossing.minute)

    @property
    def partial_note(self) -> str:
        """Where the platform liquidates in steps, why this close is an upper bound on the loss
        (empty where it does not, or the path never reaches its price)."""
        if not (self.partial_liquidation and self.crossing) or self.stepped is not None:
            return ""
        return _(
            "%(platform)s liquidates in steps (partial liquidation): here the whole position "
            "is closed at the first touch, so a real close may have kept more of it."
        ) % {"platform": self.label}

    @property
    def closes(self) -> list[PathClose]:
        """Each close of a stepped liquidation, with its price on the incident's path."""
        if self.stepped is None:
            return []
        return [PathClose(close, close.price * self.ratio) for close in self.stepped.closes]

    @property
    def stepped_payers(self) -> list[Coverage]:
        """Who pays the deficit the steps end with (ADL among them where the platform's
        waterfall reaches it); empty without steps or a deficit."""
        outcome = self.stepped_outcome
        return [part for part in outcome.coverage if part.amount > 0] if outcome else []

    @property
    def payers(self) -> list[Coverage]:
        """The parts of the deficit someone actually pays (a step with nothing left out)."""
        outcome = self.evaluation.outcome if self.evaluation else None
        return [part for part in outcome.coverage if part.amount > 0] if outcome else []


@dataclass(frozen=True)
class PathReplay:
    points: tuple[PathPoint, ...]  # in the visitor's prices (scaled to their entry)
    incident_points: tuple[PathPoint, ...]  # as published
    rows: list[PathRow]
    steps: list[PathStep]
    hurts: bool  # the path goes against the position at some point

    @property
    def assumptions(self) -> str:
        return _(PATH_ASSUMPTIONS)

    def to_incident_price(self, price: Decimal) -> Decimal:
        return price * self.incident_points[0].price / self.points[0].price


def _close_at(calculation: Calculation, rules: Rules, price: Decimal) -> Evaluation:
    base = calculation.scenario or Scenario()
    scenario = replace(base, fill_price=price, gap=None, crash=None)
    return evaluate(position=calculation.position, rules=rules, scenario=scenario)


def stalls_by_platform(stalls: Iterable[EngineStall]) -> dict[str, list[Stall]]:
    """An incident's sourced engine stalls, as `walk_path` takes them."""
    found: dict[str, list[Stall]] = {}
    for stall in stalls:
        found.setdefault(stall.platform.slug, []).append(
            Stall(stall.start_minute, stall.end_minute)
        )
    return found


def walk_path(
    calculation: Calculation,
    slugs: list[str],
    published: list[PathPoint],
    stalls: dict[str, list[Stall]] | None = None,
) -> PathReplay:
    """The visitor's position walked along an incident's published path on each platform.

    The path's moves are applied to the visitor's entry price (its first point is their entry).
    Each platform liquidates where the path first reaches its own liquidation price: on a
    straight stretch it fills there, where the path was then; after a gap at the first price
    beyond. The engine then settles the fill by the platform's rules (bankruptcy-price
    settlement, fees, the waterfall). A platform whose price is never reached is marked at the
    path's last price. Where a source says a platform's liquidation engine was stalled
    (`stalls`, by platform slug, in the path's minutes), a liquidation reached meanwhile fills
    when the engine acts again, at the path's price then.
    """
    position = calculation.position
    points = scaled(published, position.entry_price)
    ratio = published[0].price / points[0].price
    worst = worst_price(points, position.side)
    hurts = worst < points[0].price if position.side == Side.LONG else worst > points[0].price
    rows = []
    for venue in venues(calculation, slugs):
        if venue.rules is None:
            rows.append(PathRow(venue.label, venue.slug, None, None, None, venue.problem))
            continue
        try:
            opened = evaluate(position=position, rules=venue.rules)
            level = opened.liquidation_price
            stalled = (stalls or {}).get(venue.slug, [])
            crossing = (
                engine_crossing(points=points, side=position.side, level=level, stalls=stalled)
                if level is not None and level > 0
                else None
            )
            # reached, but the engine is still stalled when the path ends: no fill is known
            stalled_at_end = (
                crossing is None
                and bool(stalled)
                and level is not None
                and level > 0
                and first_crossing(points=points, side=position.side, level=level) is not None
            )
            price = crossing.fill_price if crossing else points[-1].price
            evaluation = _close_at(calculation, venue.rules, price)
            stepped = (
                stepped_walk(
                    opened=opened.opened,
                    side=position.side,
                    points=points,
                    level=level,
                    stalls=stalled,
                )
                if crossing is not None
                and level is not None
                and venue.rules.partial_liquidation
                and opened.opened is not None
                else None
            )
        except EngineInputError as error:
            rows.append(
                PathRow(venue.label, venue.slug, None, None, None, engine_error_text(error))
            )
            continue
        on_path = level * ratio if level is not None and level > 0 else None
        settled = (
            settle_walk(
                stepped,
                waterfall=venue.rules.waterfall,
                negative_balance_protection=venue.rules.negative_balance_protection,
                settles_at_bankruptcy=venue.rules.settles_at_bankruptcy,
                insurance_fund_depleted=bool(
                    calculation.scenario and calculation.scenario.insurance_fund_depleted
                ),
            )
            if stepped
            else None
        )
        rows.append(
            PathRow(
                venue.label,
                venue.slug,
                evaluation,
                crossing,
                on_path,
                partial_liquidation=venue.partial_liquidation,
                stepped=stepped,
                stepped_result=settled.trader_result if settled else None,
                ratio=ratio,
                stepped_outcome=settled,
                stalled_at_end=stalled_at_end,
            )
        )
    steps = _steps(calculation, rows[0] if rows else None, points, published)
    return PathReplay(tuple(points), tuple(published), rows, steps, hurts)


def _steps(
    calculation: Calculation,
    first: PathRow | None,
    points: tuple[PathPoint, ...],
    published: list[PathPoint],
) -> list[PathStep]:
    """The visitor's equity (closed at that price, after fees) at each published point, on
    their own platform, until it liquidates; where it liquidates in steps, what is left open
    after each close, marked at the point's price, until the last close."""
    rules = calculation.rules
    steps = []
    walk = first.stepped if first is not None else None
    side = calculation.position.side
    for index, (point, original) in enumerate(zip(points, published, strict=True)):
        equity = None
        left = remainder_at(walk, side, point.minute, point.price) if walk else None
        if left is not None:
            # after a close of the steps: what is still open, marked here (None once all is)
            steps.append(PathStep(point, original.price, left.equity if left.quantity else None))
            continue
        closed = (
            first is not None and first.crossing is not None and index >= first.crossing.segment
        )
        if first is not None and first.evaluation is not None and rules is not None and not closed:
            try:
                outcome = _close_at(calculation, rules, point.price).outcome
                equity = outcome.equity_after if outcome is not None else None
            except EngineInputError:
                equity = None
        steps.append(PathStep(point, original.price, equity))
    return steps
