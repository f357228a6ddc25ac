"""JSON API v1: `GET|POST /api/v1/evaluate`, and the API's documentation. Same field names as
the calculator form.

Bad input is a 400 with {"errors": {field: [messages]}}; the API never answers 500 for input.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from api.openapi import field_schema, openapi_document
from api.requests import errors_response, form_errors, position_form, request_fields
from api.serializers import compared_dict, evaluation_dict
from calculator.compare import compare
from calculator.page_form import ComparingForm
from config.ratelimit import rate_limited
from engine import EngineInputError, evaluate


@csrf_exempt  # a stateless JSON API: no cookies are read, so there is nothing to forge
@require_http_methods(["GET", "POST"])
@rate_limited("api", json=True)
def evaluate_view(request: HttpRequest) -> JsonResponse:
    fields = request_fields(request, ComparingForm.base_fields)
    if isinstance(fields, JsonResponse):
        return fields
    form = position_form(fields.data)
    errors = form_errors(fields, form)
    if errors:
        return errors_response(errors)
    calculation = form.calculation()
    try:
        result = evaluate(
            position=calculation.position, rules=calculation.rules, scenario=calculation.scenario
        )
    except EngineInputError as error:
        return errors_response({error.field: [error.message]})
    body = evaluation_dict(result, calculation.profile)
    others = compare(calculation, form.cleaned_data.get("compare", []), crash_lines=False)
    body["compared"] = [compared_dict(other) for other in others]
    return JsonResponse(body)


@require_GET
def openapi_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"indent": 2})


EXAMPLE_QUERY = "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"


@require_GET
def docs_view(request: HttpRequest) -> HttpResponse:
    fields = [
        {"name": name, "description": field.help_text, "schema": field_schema(field, query=True)}
        for name, field in ComparingForm.base_fields.items()
    ]
    return render(
        request,
        "api/docs.html",
        {
            "fields": fields,
            "example_query": EXAMPLE_QUERY,
            "base_url": request.build_absolute_uri("/")[:-1],
        },
    )
