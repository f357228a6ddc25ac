"""Calculator pages. Views read the form, call the engine, build charts and render; no maths here."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap
from django_htmx.middleware import HtmxDetails

from calculator import recent
from calculator.charts import Figure
from calculator.forms import CalculatorForm
from calculator.market import symbol_options
from calculator.results import calculator_context, maths_for, maths_url, table_url
from config.ratelimit import rate_limited
from platforms.profiles import platform_list


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")  # the redraw, the back button
@rate_limited("calculator")
def home(request: HtmxHttpRequest) -> HttpResponse:
    # htmx asks for the whole page again when the back button finds no snapshot of it
    if request.htmx and not request.htmx.history_restore_request:
        return results_partial(request)
    return render(request, "calculator/home.html", calculator_context(request.GET))


def results_partial(request: HtmxHttpRequest) -> HttpResponse:
    """The htmx redraw. The same query on the same policy data always renders the same HTML,
    so this process keeps the partials it rendered lately (calculator/recent.py)."""
    key = recent.key_for(request.GET)
    body = recent.get(key)
    if body is not None:
        return HttpResponse(body)
    # "Show the maths" is left out: it is closed on most screens, and is fetched when opened
    context = calculator_context(request.GET, with_maths=False)
    if not context["valid"]:
        # Keep the last good results on screen and the last good URL in the address bar;
        # the field messages arrive as out-of-band swaps.
        response = render(request, "calculator/home.html#errors", context)
        return push_url(reswap(response, "none"), False)
    context["redraw"] = True  # out-of-band swaps: the answer bar, and clearing every error slot
    query_string = request.META.get("QUERY_STRING", "")
    context["maths_url"] = maths_url(query_string)
    # The charts' data tables are left out too (most of the template's work, and closed unless
    # opened); each is fetched from `table` when its box is opened.
    context["table_url"] = table_url(query_string)
    # Rendered without the request: the partial shows nothing from it (no CSRF token, no nonce,
    # no user), so the same query renders the same bytes for everyone and can be kept.
    body = render_to_string("calculator/home.html#results", context).encode()
    recent.put(key, body)
    return HttpResponse(body)


@require_GET
def scope_options(request: HtmxHttpRequest) -> HttpResponse:
    """The account options of the chosen platform, for the scope select after a platform change."""
    form = CalculatorForm(request.GET, platforms=platform_list())
    return render(request, "calculator/home.html#scope_options", {"form": form})


@require_GET
@rate_limited("calculator")
def market_options(request: HttpRequest) -> HttpResponse:
    """The symbol field's options for a platform, for the datalist after a platform change."""
    options = symbol_options(request.GET.get("platform", "")[:50])
    return render(request, "calculator/_market_options.html", {"options": options})


@require_GET
@vary_on_headers("HX-Request")
@rate_limited("calculator")
def maths(request: HtmxHttpRequest) -> HttpResponse:
    """The worked steps of one scenario, for the "Show the maths" box of a redraw, which
    arrives without them. Outside htmx, the scenario's page (where they are written out)."""
    if not request.htmx:
        return redirect(f"{reverse('calculator:home')}?{request.GET.urlencode()}#maths")
    steps = maths_for(request.GET)
    if steps is None:
        return render(request, "calculator/home.html#maths_unavailable", status=400)
    return render(request, "calculator/home.html#maths_steps", {"maths": steps})


@require_GET
@vary_on_headers("HX-Request")
@rate_limited("calculator")
def table(request: HtmxHttpRequest) -> HttpResponse:
    """One chart's numbers as a table, for the closed "Show the data as a table" box of a
    redraw, which arrives without them. Outside htmx, the scenario's page (which has them)."""
    return chart_table(
        request,
        page="calculator:home",
        cache_key=recent.key_for(request.GET, part="table"),
        figures_for=lambda query: calculator_context(query, with_maths=False).get("figures", []),
        unavailable="calculator/home.html#maths_unavailable",
    )


def chart_table(
    request: HtmxHttpRequest,
    *,
    page: str,
    cache_key: recent.Key,
    figures_for: Callable[[QueryDict], list[Figure]],
    unavailable: str,
) -> HttpResponse:
    """The table of the chart named by `figure` among those `figures_for` the rest of the query
    builds, kept in calculator/recent.py: the calculator's and the account page's lazy boxes.
    Outside htmx, the page named `page` at that chart's table (it writes the tables out)."""
    query = request.GET.copy()
    key = query.pop("figure", [""])[-1]
    if not request.htmx:
        anchor = f"#table-{key}" if key.isidentifier() else ""
        return redirect(f"{reverse(page)}?{query.urlencode()}{anchor}")
    body = recent.get(cache_key)
    if body is not None:
        return HttpResponse(body)
    figure = next((f for f in figures_for(query) if f.key == key), None)
    if figure is None:
        return render(request, unavailable, status=400)
    body = render_to_string("calculator/_chart_table.html", {"figure": figure}).encode()
    recent.put(cache_key, body)
    return HttpResponse(body)
