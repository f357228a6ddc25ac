"""A real crash on the visitor's position, and the chance of owing money, on each platform.

Glue between the calculator's validated inputs, the engine and the simulation. The replay
is the engine's own answer for `Scenario(crash=...)`, the same the evaluate API gives.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from calculator.compare import compare, label_for
from calculator.forms import Calculation
from engine import EngineInputError, Evaluation, Rules, Scenario, Side, evaluate
from incidents.exposure import exposure_for
from incidents.simulate import Exposure, Market, PlatformStress, run
from platforms.profiles import rules_for

MAX_RISE = Decimal(1000)  # the engine's largest move against a short (+100,000%)


@dataclass(frozen=True)
class Venue:
    label: str
    slug: str
    rules: Rules | None
    problem: str = ""


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
    main_slug = calculation.profile.platform.slug if calculation.profile else ""
    found = [Venue(label_for(calculation.profile), main_slug, calculation.rules)]
    for other in compare(calculation, slugs):
        if other.profile is None:
            found.append(Venue(other.label, other.slug, None, other.problem))
        else:
            found.append(Venue(other.label, other.slug, rules_for(other.profile)))
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
            rows.append(ReplayRow(venue.label, venue.slug, crash, None, error.message))
            continue
        rows.append(ReplayRow(venue.label, venue.slug, crash, evaluation))
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
            prepared.append((venue, None, error.message))
    exposures = [exposure for _, exposure, _ in prepared if exposure is not None]
    results = iter(run(market, exposures)) if exposures else iter(())
    return [
        Simulated(venue, exposure, next(results) if exposure is not None else None, problem)
        for venue, exposure, problem in prepared
    ]
