"""Runs one scenario on several platforms: the same position, each platform's own rules."""

from __future__ import annotations

from dataclasses import dataclass, replace

from calculator.engine_errors import engine_error_text
from calculator.forms import Calculation
from engine import (
    CrashSizes,
    EngineInputError,
    Evaluation,
    Rules,
    Scenario,
    Side,
    evaluate,
    may_leave_uncovered,
    outcome_by_crash,
)
from platforms.profiles import (
    ProfileLookupError,
    ResolvedProfile,
    offers_guaranteed_stop,
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
    # the visitor asked for a guaranteed stop, and this platform offers none: its stop is an
    # ordinary order here
    stop_not_guaranteed: bool = False


def label_for(profile: ResolvedProfile | None) -> str:
    if profile is None:
        return "Your custom rules (no protection assumed)"
    return profile.platform.name


def crash_results(
    calculation: Calculation,
    rules: Rules | None = None,
    evaluation: Evaluation | None = None,
    scenario: Scenario | None = None,
) -> list[tuple[float, float]]:
    """The crash chart's line, counting the visitor's stop; a visitor who says the insurance
    fund is empty sees it so. `evaluation`, if given, is the scenario's evaluation on these
    rules (saves evaluating); `scenario` replaces the calculation's (see `compare`)."""
    scenario = scenario or calculation.scenario
    try:
        return outcome_by_crash(
            position=calculation.position,
            rules=rules or calculation.rules,
            crashes=CRASHES,
            insurance_fund_depleted=scenario is not None and scenario.insurance_fund_depleted,
            stop_price=None if scenario is None else scenario.stop_price,
            guaranteed_stop=scenario is not None and scenario.guaranteed_stop,
            evaluation=evaluation,
        )
    except EngineInputError:
        return []


def unassigned_deficit(evaluation: Evaluation, scenario: Scenario | None) -> bool:
    """Whether a move on the crash chart can leave a deficit that nobody the platform names
    pays: the chart draws it as 0 owed, and its summary must not call that "never owe"."""
    bankruptcy = evaluation.bankruptcy_price
    entry = evaluation.position.entry_price
    reachable = bankruptcy is not None and (
        bankruptcy > 0
        if evaluation.position.side == Side.LONG
        else float(bankruptcy) < float(entry) * (1 + CRASHES.largest)
    )
    rules = evaluation.rules
    return reachable and may_leave_uncovered(
        waterfall=rules.waterfall,
        negative_balance_protection=rules.negative_balance_protection,
        insurance_fund_depleted=scenario is not None and scenario.insurance_fund_depleted,
    )


def compare(
    calculation: Calculation, slugs: list[str], *, crash_lines: bool = True
) -> list[Compared]:
    """The scenario on each platform in `slugs`, in that order, skipping the main platform;
    `crash_lines=False` leaves out the crash chart's lines (the API draws no chart)."""
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
        # Each platform brings its own tiers, fees, conventions, coverage and kind of stop.
        rules = rules_for(profile)
        scenario = calculation.scenario
        unguaranteed = (
            scenario is not None
            and scenario.guaranteed_stop
            and not offers_guaranteed_stop(profile)
        )
        if unguaranteed and scenario is not None:
            scenario = replace(scenario, guaranteed_stop=False)
        try:
            evaluation = evaluate(position=calculation.position, rules=rules, scenario=scenario)
        except EngineInputError as error:
            results.append(
                Compared(platform.name, slug, profile, None, [], engine_error_text(error))
            )
            continue
        results.append(
            Compared(
                platform.name,
                slug,
                profile,
                evaluation,
                crash_results(calculation, rules, evaluation, scenario) if crash_lines else [],
                stop_not_guaranteed=unguaranteed,
            )
        )
    return results
