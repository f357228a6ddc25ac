"""API v1: `/api/v1/stress` (replay an incident on a position) and `/api/v1/simulate` (the
chance of owing money). Same field names and error rules as `/api/v1/evaluate`: bad input is a
400 with {"errors": {field: [messages]}}, never a 500, never NaN or Infinity."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from api.forms import POSITION_FIELDS, StressForm
from api.requests import errors_response, form_errors, position_form, request_fields
from api.serializers import incident_dict, path_dict, simulation_dict, stress_dict
from calculator.engine_errors import engine_error_text
from calculator.forms import Calculation, ScenarioForm
from config.ratelimit import rate_limited
from engine import EngineInputError
from engine.path import PathPoint
from incidents.forms import SimulationForm
from incidents.models import Incident
from incidents.replay import path_only_rows, replay, simulate, stalls_by_platform, walk_path
from incidents.simulate import SimulationInputError

EndpointForm = TypeVar("EndpointForm", bound=forms.Form)


def _position_and(
    request: HttpRequest, form_class: type[EndpointForm]
) -> tuple[ScenarioForm, EndpointForm] | JsonResponse:
    """The position and the endpoint's own fields, both valid; else the 400 that lists every
    field's messages (unreadable and unknown fields too)."""
    fields = request_fields(request, [*POSITION_FIELDS, *form_class.base_fields])
    if isinstance(fields, JsonResponse):
        return fields
    form = position_form(fields.data)
    endpoint_form = form_class(fields.data)
    errors = form_errors(fields, form, endpoint_form)
    if errors:
        return errors_response(errors)
    return form, endpoint_form


@csrf_exempt  # stateless JSON API, no cookies read
@require_http_methods(["GET", "POST"])
@rate_limited("api", json=True)
def stress_view(request: HttpRequest) -> JsonResponse:
    read = _position_and(request, StressForm)
    if isinstance(read, JsonResponse):
        return read
    form, stress_form = read
    incident = stress_form.cleaned_data["incident"]
    typed = stress_form.cleaned_data.get("move")
    move = typed or incident.move_size
    calculation = form.calculation()
    slugs = form.cleaned_data.get("compare", [])
    # An incident whose price did not move in one instant (the sources give no single move)
    # is answered by its published path alone: `move` and the instant replay are null.
    path = _walked(incident, calculation, slugs)
    if move is None and path is None:
        return errors_response(
            {"move": [_("The sources give no price move for this incident: give one (e.g. -0.2).")]}
        )
    rows = (
        replay(calculation, slugs, move) if move is not None else path_only_rows(calculation, slugs)
    )
    if rows[0].problem:
        return errors_response({"__all__": [rows[0].problem]})
    source = None if move is None else "request" if typed else "incident"
    body = stress_dict(incident, move, source, rows, calculation.profile)
    body["path"] = path
    return JsonResponse(body)


def _walked(
    incident: Incident, calculation: Calculation, slugs: list[str]
) -> dict[str, Any] | None:
    """The position along the incident's published path, as its page walks it; None where it
    has none (or one the admin left inconsistent, which the page cannot walk either)."""
    published = list(incident.path.prefetch_related("citations"))
    if len(published) < 2:
        return None
    stalls = list(incident.engine_stalls.select_related("platform").prefetch_related("citations"))
    try:
        walked = walk_path(
            calculation,
            slugs,
            [PathPoint(p.minute, p.price, p.gap) for p in published],
            stalls_by_platform(stalls),
        )
    except EngineInputError:
        return None
    return path_dict(incident, published, walked, stalls)


@require_http_methods(["GET"])
@rate_limited("api", json=True)
def incidents_view(request: HttpRequest) -> JsonResponse:
    """`/api/v1/incidents`: the incidents `/api/v1/stress` replays, each with its move where
    the sources give one (null where its price path is not one instant gap) and what a stress
    request without a `move` replays."""
    incidents = Incident.objects.prefetch_related("path", "engine_stalls")
    return JsonResponse({"incidents": [incident_dict(incident) for incident in incidents]})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@rate_limited("simulate", json=True)
def simulate_view(request: HttpRequest) -> JsonResponse:
    read = _position_and(request, SimulationForm)
    if isinstance(read, JsonResponse):
        return read
    form, simulation_form = read
    try:
        market = simulation_form.market()
        results = simulate(form.calculation(), form.cleaned_data.get("compare", []), market)
    except SimulationInputError as error:
        return errors_response({error.field: [_(error.message)]})
    except EngineInputError as error:
        # the engine may refuse a position only when the paths ask it for outcomes
        return errors_response({error.field: [engine_error_text(error)]})
    if results[0].stress is None:
        return errors_response(
            {"__all__": [results[0].problem or _("This position cannot be simulated.")]}
        )
    return JsonResponse(simulation_dict(market, results))
