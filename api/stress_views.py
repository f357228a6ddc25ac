"""API v1: `/api/v1/stress` (replay an incident on a position) and `/api/v1/simulate` (the
chance of owing money). Same field names and error rules as `/api/v1/evaluate`: bad input is a
400 with {"errors": {field: [messages]}}, never a 500, never NaN or Infinity."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from api.serializers import evaluation_dict
from api.views import errors_response, request_data
from calculator.forms import ScenarioForm
from config.ratelimit import rate_limited
from incidents.forms import MoveForm, SimulationForm
from incidents.models import Incident
from incidents.replay import replay, simulate
from incidents.simulate import SimulationInputError

REPLACED = ("gap", "crash", "fill_price")


def _form_errors(*forms) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for form in forms:
        for field, items in form.errors.get_json_data().items():
            errors.setdefault(field, []).extend(item["message"] for item in items)
    return errors


def _check_fields(data: dict[str, Any], allowed: set[str]) -> JsonResponse | None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        return errors_response({name: ["Unknown field."] for name in unknown})
    return None


@csrf_exempt  # stateless JSON API, no cookies read
@require_http_methods(["GET", "POST"])
@rate_limited("api", json=True)
def stress_view(request: HttpRequest) -> JsonResponse:
    data = request_data(request)
    if isinstance(data, JsonResponse):
        return data
    allowed = (set(ScenarioForm.base_fields) - set(REPLACED)) | {"incident", "move"}
    problem = _check_fields(data, allowed)
    if problem:
        return problem
    slug = data.pop("incident", None)
    incident = Incident.objects.filter(slug=slug).first() if slug else None
    form = ScenarioForm(data)
    move_form = MoveForm({"move": data.pop("move", None) or ""})
    errors = _form_errors(form, move_form)
    if not slug:
        errors["incident"] = ["Give an incident slug, e.g. binance-may-2020."]
    elif incident is None:
        errors["incident"] = ["No incident with this slug."]
    if errors:
        return errors_response(errors)
    move = move_form.cleaned_data.get("move") or incident.move_size
    if move is None:
        return errors_response(
            {"move": ["The sources give no price move for this incident: give one (e.g. -0.2)."]}
        )
    rows = replay(form.calculation(), [], move)
    row = rows[0]
    if row.problem:
        return errors_response({"__all__": [row.problem]})
    profile = form.calculation().profile
    return JsonResponse(
        {
            "incident": incident.slug,
            "move": str(move),
            "move_source": "request" if move_form.cleaned_data.get("move") else "incident",
            "move_minutes": None if incident.move_minutes is None else str(incident.move_minutes),
            "crash": None if row.crash is None else str(row.crash),
            "hurts_position": row.hurts,
            "evaluation": None
            if row.evaluation is None
            else evaluation_dict(row.evaluation, profile),
        }
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@rate_limited("simulate", json=True)
def simulate_view(request: HttpRequest) -> JsonResponse:
    data = request_data(request)
    if isinstance(data, JsonResponse):
        return data
    scenario_names = set(ScenarioForm.base_fields) - set(REPLACED)
    problem = _check_fields(data, scenario_names | set(SimulationForm.base_fields))
    if problem:
        return problem
    form = ScenarioForm({k: v for k, v in data.items() if k in scenario_names})
    simulation_form = SimulationForm({k: v for k, v in data.items() if k not in scenario_names})
    errors = _form_errors(form, simulation_form)
    if errors:
        return errors_response(errors)
    try:
        market = simulation_form.market()
        results = simulate(form.calculation(), [], market)
    except SimulationInputError as error:
        return errors_response({error.field: [error.message]})
    result = results[0]
    if result.stress is None:
        return errors_response(
            {"__all__": [result.problem or "This position cannot be simulated."]}
        )
    stress = result.stress
    body = {
        "assumptions": {name: getattr(market, name) for name in SimulationForm.base_fields},
        "platform": result.venue.slug or None,
        "label": result.venue.label,
        "liquidation_price": _number(result.exposure.liquidation_price),
        "bankruptcy_price": _number(result.exposure.bankruptcy_price),
        "paths": stress.paths,
        "chance_liquidation": _number(stress.chance_liquidation),
        "chance_liquidation_stderr": _number(stress.liquidation_error),
        "chance_deficit": _number(stress.chance_deficit),
        "chance_deficit_stderr": _number(stress.deficit_error),
        "expected_deficit": _number(stress.expected_deficit),
        "deficit_p99": _number(stress.deficit_p99),
        "chance_owed": _number(stress.chance_owed),
        "expected_owed": _number(stress.expected_owed),
        "owed_p99": _number(stress.owed_p99),
    }
    return JsonResponse(body)


def _number(value: float | Decimal | None) -> str | None:
    """A finite number as a decimal string (like the evaluate API), None otherwise."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return format(Decimal(repr(value)).quantize(Decimal("0.000001")).normalize(), "f")
