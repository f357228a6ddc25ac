"""JSON API v1: `GET|POST /api/v1/evaluate`, and the API's documentation. Same field names as
the calculator form.

Bad input is a 400 with {"errors": {field: [messages]}}; the API never answers 500 for input.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from api.openapi import field_schema, openapi_document
from api.requests import errors_response, form_errors, position_form, request_fields
from api.serializers import (
    collateral_dict,
    compared_dict,
    evaluation_dict,
    loan_liquidation_dict,
    market_dict,
    safety_dict,
)
from api.who_pays import who_pays_dict
from calculator.compare import compare
from calculator.example import query_string
from calculator.forms import ComparingForm
from calculator.market import market_answer
from calculator.results import evaluate_form
from calculator.safety import safety_for
from calculator.who_pays import who_pays_for
from collateral.valuation import loan_liquidation_for
from config.ratelimit import rate_limited


@csrf_exempt  # a stateless JSON API: no cookies are read, so there is nothing to forge
@require_http_methods(["GET", "POST"])
@rate_limited("api", json=True)
def evaluate_view(request: HttpRequest) -> JsonResponse:
    fields = request_fields(request, ComparingForm.base_fields)
    if isinstance(fields, JsonResponse):
        return fields
    evaluated = evaluate_form(position_form(fields.data))
    errors = form_errors(fields, evaluated.form)
    calculation, result = evaluated.calculation, evaluated.evaluation
    if errors or calculation is None or result is None:
        return errors_response(errors)
    body = evaluation_dict(result, calculation.profile)
    body["safety"] = safety_dict(safety_for(calculation, result))
    others = compare(calculation, evaluated.form.cleaned_data.get("compare", []), crash_lines=False)
    body["compared"] = [compared_dict(other) for other in others]
    body.update(who_pays_dict(who_pays_for(calculation, result, evaluated.form.cleaned_data)))
    market = market_answer(calculation, result, QueryDict())  # None: no symbol named
    entry_from_mark = bool(evaluated.form.cleaned_data.get("entry_from_mark"))
    body["market"] = market and market_dict(market, entry_from_mark=entry_from_mark)
    valued = evaluated.form.cleaned_data.get("collateral_valued")
    if valued is not None:
        body["collateral"] = collateral_dict(valued)
    loan = loan_liquidation_for(result, evaluated.form.cleaned_data.get("loan_collateral"))
    if loan is not None:
        body["loan_liquidation"] = loan_liquidation_dict(loan)
    return JsonResponse(body)


@require_GET
def openapi_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"indent": 2})


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
            "example_query": query_string(),
            "base_url": request.build_absolute_uri("/")[:-1],
        },
    )
