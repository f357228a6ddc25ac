"""Everything the calculator page shows for one query string: the answer, numbers and charts.

Shared by the full page, the htmx results partial and the embed widget, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import orjson
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from calculator.answer import (
    build_answer,
    collateral_number,
    key_numbers,
    loan_liquidation_number,
    outcome_words,
    who_would_pay,
)
from calculator.charts import CrashLine, coverage_figure, crash_figure, equity_figure
from calculator.compare import compare, crash_results, label_for, unassigned_deficit
from calculator.engine_errors import engine_error_text
from calculator.example import initial_query
from calculator.forms import Calculation, CalculatorForm, ScenarioForm
from calculator.market import market_answer, page_query
from calculator.maths import Step, worked_steps
from calculator.safety import safety_for
from calculator.who_pays import who_pays_for
from collateral.valuation import loan_liquidation_for
from engine import EngineInputError, Evaluation, evaluate
from platforms.choices import Party
from platforms.profiles import platform_list, profiles_version
from platforms.verdicts import ScopeVerdict, owe_for_scope

PARTY_LABELS = dict(Party.choices)


def figures_json(figures: dict[str, Any]) -> SafeString:
    """The figures as JSON that is safe inside <script type="application/json">, as
    json_script writes it. orjson writes a NaN or an infinity as null (a gap in a line), so
    neither can reach the page; the engine's property tests and the fuzz tests keep them from
    arising at all."""
    text = orjson.dumps(figures).decode()
    for char, escaped in (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(text)


def maths_url(query_string: str) -> str:
    """Where a redraw's "Show the maths" fetches its steps: the same scenario's query."""
    return f"{reverse('calculator:maths')}?{query_string}"


def table_url(query_string: str) -> str:
    """Where a redraw's closed data tables fetch themselves: the scenario's query, and the
    figure's key appended by the template."""
    return f"{reverse('calculator:table')}?{query_string}&figure="


@dataclass(frozen=True)
class Evaluated:
    """A form, and when it is valid, the engine's inputs and their evaluation."""

    form: ScenarioForm
    calculation: Calculation | None = None
    evaluation: Evaluation | None = None


def evaluate_form(form: ScenarioForm) -> Evaluated:
    """The one path from submitted fields to the engine's answer: the page, its redraw, the
    widget, the API and the Learn pages all come through here. The platform's profile is
    resolved once, by the form's `clean()`; an input the engine refuses becomes the form's
    error, on its field where the form has one."""
    if not form.is_valid():
        return Evaluated(form)
    calculation = form.calculation()
    try:
        evaluation = evaluate(
            position=calculation.position, rules=calculation.rules, scenario=calculation.scenario
        )
    except EngineInputError as error:
        form.add_error(
            error.field if error.field in form.fields else None, engine_error_text(error)
        )
        return Evaluated(form)
    return Evaluated(form, calculation, evaluation)


def calculator_form(query: QueryDict) -> CalculatorForm:
    """The page's form for a query, with the first visit's scenario where it names none."""
    return CalculatorForm(page_query(query, initial_query(query)), platforms=platform_list())


def maths_for(query: QueryDict) -> list[Step] | None:
    """The "Show the maths" steps alone, for a box opened after a redraw; None for bad input."""
    evaluated = evaluate_form(calculator_form(query))
    if evaluated.calculation is None or evaluated.evaluation is None:
        return None
    safety = safety_for(evaluated.calculation, evaluated.evaluation)
    return worked_steps(evaluated.evaluation) + safety.steps


def calculator_context(query: QueryDict, *, with_maths: bool = True) -> dict[str, Any]:
    """Everything the page shows for a query. `with_maths=False` leaves "Show the maths" out:
    a redraw sends it closed and empty (see `maths_for`), and the embed never shows it."""
    # Read before the profiles are: a fragment cached under it (the profile line's
    # `{% cache %}`) is never older than its key says.
    policy_version = profiles_version()
    evaluated = evaluate_form(calculator_form(query))
    form, calculation, evaluation = evaluated.form, evaluated.calculation, evaluated.evaluation
    context: dict[str, Any] = {"form": form, "valid": False}
    if calculation is None or evaluation is None:
        return context
    compared = compare(calculation, form.cleaned_data.get("compare", []))
    answer = build_answer(evaluation, calculation.profile, compared, calculation.scenario)
    scenario = calculation.scenario
    lines = [
        CrashLine(
            label_for(calculation.profile),
            crash_results(calculation, None, evaluation),
            unassigned_deficit(evaluation, scenario),
        )
    ]
    lines += [
        CrashLine(c.label, c.crash_results, unassigned_deficit(c.evaluation, scenario))
        for c in compared
        if c.crash_results and c.evaluation is not None
    ]
    stop = (
        (scenario.stop_price, scenario.guaranteed_stop)
        if scenario is not None and scenario.stop_price is not None
        else None
    )
    figures = [equity_figure(evaluation), crash_figure(lines, stop)]
    coverage = coverage_figure(evaluation, PARTY_LABELS)
    if coverage is not None:
        figures.append(coverage)
        who_pays = ""
    else:
        who_pays = who_would_pay(
            evaluation,
            calculation.profile,
            scenario is not None and scenario.insurance_fund_depleted,
        )
    profile = calculation.profile
    safety = safety_for(calculation, evaluation)
    in_full = who_pays_for(calculation, evaluation, form.cleaned_data)
    if in_full.jurisdiction is not None:  # the answer names the protection where you live
        answer = replace(answer, details=[*answer.details, in_full.jurisdiction.summary])
    numbers = key_numbers(evaluation)
    valued = form.cleaned_data.get("collateral_valued")
    if valued is not None:  # the wallet given as assets: what they count for here
        numbers.append(collateral_number(valued))
    calls = loan_liquidation_for(evaluation, form.cleaned_data.get("loan_collateral"))
    if calls is not None and calls.calls:  # a loan past its threshold: the lender's calls
        numbers.append(loan_liquidation_number(calls))
    context.update(
        valid=True,
        evaluation=evaluation,
        outcome=evaluation.outcome,
        profile=profile,
        verdict=ScopeVerdict(profile.scope, owe_for_scope(profile.scope)) if profile else None,
        answer=answer,
        numbers=numbers,
        outcome_words=outcome_words(evaluation.outcome) if evaluation.outcome else "",
        compared=compared,
        # a lookup's message names the platform already; the engine's does not
        problems=[
            other.problem if other.label in other.problem else f"{other.label}: {other.problem}"
            for other in compared
            if other.problem
        ],
        figures=figures,
        figures_json=figures_json({f.key: f.figure for f in figures if f.plotted}),
        maths=worked_steps(evaluation) + safety.steps if with_maths else [],
        safety=safety,
        api_docs_url=reverse("api:docs"),
        policy_version=policy_version,
        party_labels=PARTY_LABELS,
        who_pays=who_pays,
        who_pays_in_full=in_full,
        market=market_answer(
            calculation, evaluation, form.data if isinstance(form.data, QueryDict) else QueryDict()
        ),
    )
    return context
