"""Calculator pages. Views read the form, call the engine, build charts and render; no maths here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from calculator.page_form import CalculatorForm
from calculator.profiles import platform_list
from calculator.results import calculator_context
from config.ratelimit import rate_limited


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
@rate_limited("calculator")
def home(request: HtmxHttpRequest) -> HttpResponse:
    context = calculator_context(request.GET)
    if request.htmx:
        template = (
            "calculator/home.html#results" if context["valid"] else "calculator/home.html#errors"
        )
        response = render(request, template, context)
        if not context["valid"]:
            # Keep the last good results on screen and the last good URL in the address bar;
            # the field messages arrive as out-of-band swaps.
            response["HX-Reswap"] = "none"
            response["HX-Push-Url"] = "false"
        return response
    return render(request, "calculator/home.html", context)


@require_GET
def scope_options(request: HtmxHttpRequest) -> HttpResponse:
    """The account options of the chosen platform, for the scope select after a platform change."""
    form = CalculatorForm(request.GET, platforms=platform_list())
    return render(request, "calculator/home.html#scope_options", {"form": form})
