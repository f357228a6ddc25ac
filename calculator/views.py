"""Calculator pages. Views read the form, call the engine, build charts and render; no maths here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from calculator import recent
from calculator.page_form import CalculatorForm
from calculator.profiles import platform_list
from calculator.results import calculator_context
from config.ratelimit import rate_limited
from incidents.presets import presets


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
@vary_on_headers("HX-Request")  # one address, two answers: a cache must keep them apart
@rate_limited("calculator")
def home(request: HtmxHttpRequest) -> HttpResponse:
    # htmx asks for the whole page again when the back button finds no snapshot of it
    if request.htmx and not request.htmx.history_restore_request:
        return results_partial(request)
    context = calculator_context(request.GET)
    context["presets"] = [(label, urlencode(query)) for label, query in presets()]
    return render(request, "calculator/home.html", context)


def results_partial(request: HtmxHttpRequest) -> HttpResponse:
    """The htmx redraw. The same query on the same policy data always renders the same HTML,
    so this process keeps the partials it rendered lately (calculator/recent.py)."""
    key = recent.key_for(request.GET)
    body = recent.get(key)
    if body is not None:
        return HttpResponse(body)
    context = calculator_context(request.GET)
    if not context["valid"]:
        response = render(request, "calculator/home.html#errors", context)
        # Keep the last good results on screen and the last good URL in the address bar;
        # the field messages arrive as out-of-band swaps.
        response["HX-Reswap"] = "none"
        response["HX-Push-Url"] = "false"
        return response
    context["redraw"] = True  # out-of-band swaps: the answer bar, and clearing every error slot
    # Rendered without the request: the partial shows nothing from it (no CSRF token, no nonce,
    # no user), and the context processors cost a tenth of a redraw. Kept and sent as UTF-8:
    # a response given text encodes it again each time it is served.
    body = render_to_string("calculator/home.html#results", context).encode()
    recent.put(key, body)
    return HttpResponse(body)


@require_GET
def scope_options(request: HtmxHttpRequest) -> HttpResponse:
    """The account options of the chosen platform, for the scope select after a platform change."""
    form = CalculatorForm(request.GET, platforms=platform_list())
    return render(request, "calculator/home.html#scope_options", {"form": form})
