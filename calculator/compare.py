"""Runs one scenario on several platforms: the same position, each platform's own rules."""

from __future__ import annotations

from dataclasses import dataclass

from calculator.engine import (
    CrashSizes,
    EngineInputError,
    Evaluation,
    Rules,
    evaluate,
    outcome_by_crash,
)
from calculator.forms import Calculation
from calculator.profiles import (
    ProfileLookupError,
    ResolvedProfile,
    resolve,
    rules_for,
    snapshot,
)

# Every 2%: smooth enough for a line chart at half the work of every 1%.
CRASHES = CrashSizes([i / 50 for i in range(0, 51)])


@dataclass(frozen=True)
class Compared:
    """One platform's answer for the visitor's scenario, or why it has none."""

    label: str
    slug: str
    profile: ResolvedProfile | None
    evaluation: Evaluation | None
    crash_results: list[tuple[float, float]]
    problem: str = ""


def label_for(profile: ResolvedProfile | None) -> str:
    if profile is None:
        return "Your custom rules (no protection assumed)"
    return profile.platform.name


def crash_results(
    calculation: Calculation, rules: Rules | None = None, evaluation: Evaluation | None = None
) -> list[tuple[float, float]]:
    """The crash chart's line; a visitor who says the insurance fund is empty sees it so.
    `evaluation`, if given, is the scenario's evaluation on these rules (saves evaluating)."""
    scenario = calculation.scenario
    try:
        return outcome_by_crash(
            position=calculation.position,
            rules=rules or calculation.rules,
            crashes=CRASHES,
            insurance_fund_depleted=scenario is not None and scenario.insurance_fund_depleted,
            evaluation=evaluation,
        )
    except EngineInputError:
        return []


def compare(calculation: Calculation, slugs: list[str]) -> list[Compared]:
    """The scenario on each platform in `slugs`, in that order, skipping the main platform."""
    main_slug = calculation.profile.platform.slug if calculation.profile else None
    wanted = [slug for slug in dict.fromkeys(slugs) if slug != main_slug]
    if not wanted:
        return []
    platforms = snapshot().platforms
    results = []
    for slug in wanted:
        platform = platforms.get(slug)
        if platform is None:
            continue
        try:
            profile = resolve(
                platform,
                contract=calculation.position.contract.value,
                margin_mode=calculation.position.margin_mode.value,
            )
        except ProfileLookupError as error:
            results.append(Compared(platform.name, slug, None, None, [], error.message))
            continue
        # Each platform brings its own tiers, fees, conventions and coverage.
        rules = rules_for(profile)
        try:
            evaluation = evaluate(
                position=calculation.position, rules=rules, scenario=calculation.scenario
            )
        except EngineInputError as error:
            results.append(Compared(platform.name, slug, profile, None, [], error.message))
            continue
        results.append(
            Compared(
                platform.name,
                slug,
                profile,
                evaluation,
                crash_results(calculation, rules, evaluation),
            )
        )
    return results
