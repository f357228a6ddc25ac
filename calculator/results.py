"""Everything the calculator page shows for one query string: the answer, numbers and charts.

Shared by the full page, the htmx results partial and the embed widget, so they cannot disagree.
"""

from __future__ import annotations

import time
from functools import lru_cache
from html import escape  # what django.utils.html.escape calls, without its lazy-text wrapper
from typing import Any

import orjson
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe

from calculator.answer import build_answer, key_numbers, outcome_words, who_would_pay
from calculator.charts import CrashLine, coverage_figure, crash_figure, equity_figure
from calculator.compare import compare, crash_results, label_for, unassigned_deficit
from calculator.forms import Calculation
from calculator.maths import Step, worked_steps
from calculator.page_form import CalculatorForm, initial_query
from engine import EngineInputError, Evaluation, evaluate
from platforms.choices import Party
from platforms.profiles import ResolvedProfile, derived, platform_list
from platforms.verdicts import ScopeVerdict, owe_for_scope

PARTY_LABELS = dict(Party.choices)


class _ErrorSlots:
    """Every field's error slot, refreshed out of band when a redraw finds bad input (an empty
    message clears one; a good redraw empties them all with one swap). Written in one join: as
    template nodes, these ~35 little elements cost a quarter of a partial's rendering time."""

    def __init__(self, form: CalculatorForm) -> None:
        self.form = form

    def __html__(self) -> SafeString:
        errors = self.form.errors
        # Field names are the form's own identifiers; only messages need escaping.
        return mark_safe(
            "".join(
                f'<p class="error" id="err-{name}" hx-swap-oob="true">'
                f"{escape(' '.join(errors[name])) if name in errors else ''}</p>"
                for name in self.form.fields
            )
        )

    __str__ = __html__


# str.translate leaves its fast path at the first character it maps, and figures' hover
# templates hold "<extra>" early on: three replaces are ten times faster.
_JSON_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def figures_json(figures: dict[str, Any]) -> str:
    """The figures as JSON that is safe inside <script type="application/json">.

    What json_script does, with orjson: this runs on every redraw, and the standard encoder
    took a tenth of a redraw to write the figures. orjson writes a NaN or an infinity as
    null (a gap in a line), so neither can reach the page; the engine's property tests and the
    fuzz tests (which refuse a null in any figure) keep them from arising at all.
    """
    text = orjson.dumps(figures).decode()
    for char, escaped in _JSON_SCRIPT_ESCAPES:
        text = text.replace(char, escaped)
    return mark_safe(text)


@lru_cache(maxsize=32)
def _path(name: str, _script_prefix: str) -> str:
    # reverse() on every keystroke cost as much as the rest of the maths box; the answer only
    # changes with the prefix the site is served under
    return reverse(name)


def maths_url(query_string: str) -> str:
    """Where a redraw's "Show the maths" fetches its steps: the same scenario's query."""
    return f"{_path('calculator:maths', get_script_prefix())}?{query_string}"


def profile_line(profile: ResolvedProfile) -> SafeString:
    """The line naming the rules behind the answer. It depends on the profile and, for its
    "stale" badge, on the date, so each is rendered once per day and profiles snapshot rather
    than on every keystroke (its model lookups and URL cost a fifth of the results partial)."""
    return derived(
        # by UTC day: cheaper than the local date, and a badge for data months old can
        # appear a few hours early or late
        ("profile_line", profile.scope.pk, int(time.time() // 86400)),
        lambda: render_to_string(
            "calculator/_profile_line.html",
            {
                "profile": profile,
                "verdict": ScopeVerdict(profile.scope, owe_for_scope(profile.scope)),
            },
        ),
    )


def _evaluated(query: QueryDict) -> tuple[CalculatorForm, Calculation | None, Evaluation | None]:
    """The form for a query and, when it is valid, the engine's inputs and evaluation."""
    form = CalculatorForm(initial_query(query), platforms=platform_list())
    if not form.is_valid():
        return form, None, None
    calculation = form.calculation()
    try:
        evaluation = evaluate(
            position=calculation.position, rules=calculation.rules, scenario=calculation.scenario
        )
    except EngineInputError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return form, None, None
    return form, calculation, evaluation


def maths_for(query: QueryDict) -> list[Step] | None:
    """The "Show the maths" steps alone, for a box opened after a redraw; None for bad input."""
    _form, _calculation, evaluation = _evaluated(query)
    return None if evaluation is None else worked_steps(evaluation)


def calculator_context(query: QueryDict, *, with_maths: bool = True) -> dict[str, Any]:
    """Everything the page shows for a query. `with_maths=False` leaves "Show the maths" out:
    a redraw sends it closed and empty (see `maths_for`), and the embed never shows it."""
    form, calculation, evaluation = _evaluated(query)
    context: dict[str, Any] = {
        "form": form,
        "valid": False,
        "error_slots": _ErrorSlots(form),
    }
    if calculation is None or evaluation is None:
        return context
    compared = compare(calculation, form.cleaned_data.get("compare", []))
    answer = build_answer(evaluation, calculation.profile, compared)
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
    context.update(
        valid=True,
        evaluation=evaluation,
        outcome=evaluation.outcome,
        profile=profile,
        profile_line=profile_line(profile) if profile else "",
        answer=answer,
        numbers=key_numbers(evaluation),
        outcome_words=outcome_words(evaluation.outcome) if evaluation.outcome else "",
        compared=compared,
        # a lookup's message names the platform already; the engine's does not
        problems=[
            other.problem if other.label in other.problem else f"{other.label}: {other.problem}"
            for other in compared
            if other.problem
        ],
        figures=figures,
        figures_json=figures_json({f.key: f.figure for f in figures}),
        maths=worked_steps(evaluation) if with_maths else [],
        api_docs_url=_path("api:docs", get_script_prefix()),
        party_labels=PARTY_LABELS,
        who_pays=who_pays,
    )
    return context
