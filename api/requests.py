"""Reading an API request and answering its errors: the same rules for every endpoint.

Fields come from the query string (GET) or a JSON object (POST); bad input is a 400 with
{"errors": {field: [messages]}}, and every field's errors are reported together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from calculator.forms import ComparingForm, ScenarioForm
from platforms.profiles import platform_list

MAX_BODY_BYTES = 16 * 1024
# Fields that may hold several values: repeated in a query, a list in JSON.
LIST_FIELDS = frozenset({"compare"})
# Fields whose JSON value may be a list of objects: the form reads their JSON text.
OBJECT_LIST_FIELDS = frozenset({"collateral_assets"})

Errors = dict[str, list[str]]


def errors_response(errors: Errors, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


@dataclass(frozen=True)
class Fields:
    """A request's fields, and the messages for the fields that are unknown or could not be
    read. Such a field keeps its JSON text in `data`: a form counts it as given and refuses
    it, and these messages replace the form's for it."""

    data: dict[str, Any]
    errors: Errors


def json_object(
    request: HttpRequest, max_bytes: int = MAX_BODY_BYTES
) -> dict[str, Any] | JsonResponse:
    """The body as a JSON object, or the response that says why it is not one."""
    if len(request.body) > max_bytes:
        message = _("The request body is larger than %(size)s KB.") % {"size": max_bytes // 1024}
        return errors_response({"__all__": [message]}, 413)
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return errors_response({"__all__": [_("The body is not valid JSON.")]})
    if not isinstance(payload, dict):
        return errors_response({"__all__": [_("Send a JSON object of fields.")]})
    return payload


def scalar(value: Any) -> str | bool:
    """A JSON value as a form field's: JSON numbers arrive as float, so keep the digits the
    client wrote (0.1 stays 0.1); null is a field left empty."""
    if value is None:
        return ""
    return value if isinstance(value, bool | str) else repr(value)


def request_fields(request: HttpRequest, known: Iterable[str]) -> Fields | JsonResponse:
    """The fields as a flat dict, from the query string (GET) or a JSON object (POST), with
    "Unknown field." for each name not in `known`; a response instead where the body itself
    cannot be read (too large, not JSON, not an object)."""
    known = set(known)
    if request.method == "GET":
        # `compare` may repeat, as the page's checkboxes send it; any other field is one value
        query: dict[str, Any] = {
            key: request.GET.getlist(key) if key in LIST_FIELDS else request.GET.get(key)
            for key in request.GET
        }
        return Fields(query, unknown_fields(query, known))
    payload = json_object(request)
    if isinstance(payload, JsonResponse):
        return payload
    data: dict[str, Any] = {}
    errors = unknown_fields(payload, known)
    for key, value in payload.items():
        if key not in errors:
            if key in LIST_FIELDS and isinstance(value, list):
                if all(isinstance(slug, str) for slug in value):
                    data[key] = value
                    continue
                errors[key] = [_("Expected a list of platform slugs.")]
            elif key in OBJECT_LIST_FIELDS and isinstance(value, list):
                data[key] = json.dumps(value)
                continue
            elif isinstance(value, (dict, list)):
                errors[key] = [_("Expected a single value, not a list or object.")]
            else:
                data[key] = scalar(value)
                continue
        data[key] = json.dumps(value)
    return Fields(data, errors)


def unknown_fields(data: dict[str, Any], known: Iterable[str]) -> Errors:
    """An error for each field no endpoint form declares (a typo would otherwise go unseen)."""
    return {name: [_("Unknown field.")] for name in sorted(set(data) - set(known))}


def form_errors(fields: Fields, *forms_: forms.Form) -> Errors:
    """Every message for the request: the fields that could not be read or are unknown, and
    the forms' messages for the others (a field two forms share lists both)."""
    errors: Errors = dict(fields.errors)
    for form in forms_:
        for field, items in form.errors.get_json_data().items():
            if field not in fields.errors:
                errors.setdefault(field, []).extend(item["message"] for item in items)
    return errors


def position_form(data: dict[str, Any]) -> ScenarioForm:
    """The position and its scenario; with `compare`, the platforms to run it on as well
    (only then are the platforms' choices needed)."""
    if "compare" in data:
        return ComparingForm(data, platforms=platform_list())
    return ScenarioForm(data)
