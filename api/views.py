"""JSON API v1: `GET|POST /api/v1/evaluate`. Same field names as the calculator form.

Bad input is a 400 with {"errors": {field: [messages]}}; the API never answers 500 for input.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from api.openapi import DESCRIPTIONS, openapi_document
from api.serializers import compared_dict, evaluation_dict, safety_dict
from api.who_pays import who_pays_dict
from calculator.compare import compare
from calculator.example import query_string
from calculator.forms import ComparingForm
from calculator.results import evaluate_form
from calculator.safety import safety_for
from calculator.who_pays import who_pays_for
from config.ratelimit import rate_limited
from platforms.profiles import platform_list

MAX_BODY_BYTES = 16 * 1024


def errors_response(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def request_data(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    """The fields as a flat dict, from the query string (GET) or a JSON object (POST)."""
    if request.method == "GET":
        # `compare` may repeat, as the page's checkboxes send it; any other field is one value
        return {
            key: request.GET.getlist(key) if key == "compare" else request.GET.get(key)
            for key in request.GET
        }
    if len(request.body) > MAX_BODY_BYTES:
        return errors_response({"__all__": ["The request body is larger than 16 KB."]}, 413)
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return errors_response({"__all__": ["The body is not valid JSON."]})
    if not isinstance(payload, dict):
        return errors_response({"__all__": ["Send a JSON object of fields."]})
    data: dict[str, Any] = {}
    for key, value in payload.items():
        if key == "compare" and isinstance(value, list):
            if not all(isinstance(slug, str) for slug in value):
                return errors_response({key: ["Expected a list of platform slugs."]})
            data[key] = value
            continue
        if isinstance(value, (dict, list)):
            return errors_response({key: ["Expected a single value, not a list or object."]})
        # JSON numbers arrive as float: keep the digits the client wrote (0.1 stays 0.1).
        data[key] = (
            "" if value is None else (value if isinstance(value, (bool, str)) else repr(value))
        )
    return data


@csrf_exempt  # a stateless JSON API: no cookies are read, so there is nothing to forge
@require_http_methods(["GET", "POST"])
@rate_limited("api", json=True)
def evaluate_view(request: HttpRequest) -> JsonResponse:
    data = request_data(request)
    if isinstance(data, JsonResponse):
        return data
    unknown = sorted(set(data) - set(ComparingForm.base_fields))
    if unknown:
        return errors_response({name: ["Unknown field."] for name in unknown})
    evaluated = evaluate_form(ComparingForm(data, platforms=platform_list()))
    calculation, result = evaluated.calculation, evaluated.evaluation
    if calculation is None or result is None:
        return errors_response(
            {
                field: [e["message"] for e in errors]
                for field, errors in evaluated.form.errors.get_json_data().items()
            }
        )
    body = evaluation_dict(result, calculation.profile)
    body["safety"] = safety_dict(safety_for(calculation, result))
    others = compare(calculation, evaluated.form.cleaned_data["compare"], crash_lines=False)
    body["compared"] = [compared_dict(other) for other in others]
    body.update(who_pays_dict(who_pays_for(calculation, result, evaluated.form.cleaned_data)))
    return JsonResponse(body)


@require_GET
def openapi_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"indent": 2})


@require_GET
def docs_view(request: HttpRequest) -> HttpResponse:
    fields = [
        {"name": name, "description": DESCRIPTIONS.get(name, ""), "schema": schema}
        for name, schema in openapi_document()["components"]["schemas"]["Request"][
            "properties"
        ].items()
    ]
    return render(
        request,
        "api/docs.html",
        {
            "fields": fields,
            "example_query": query_string(),
            "base_url": request.build_absolute_uri("/")[:-1],
        },
    )
