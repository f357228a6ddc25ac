"""The embeddable widget, and the page that explains how to embed it.

The widget is the calculator page in small: the same form, engine, results context
(calculator.results) and charts, with fewer inputs on show. It keeps no state of any kind: a GET
form and htmx, no cookies, no session, no CSRF token, so it works inside a third-party iframe
with cookies blocked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from calculator.charts import Figure
from calculator.example import FIRST_POSITION
from calculator.results import calculator_context, figures_json
from config.ratelimit import rate_limited
from embed.security import embeddable
from platforms.profiles import ProfileLookupError, find_scope, load_platform, platform_list

# What a widget may be told by its snippet or its own form; everything else is the main page's.
WIDGET_FIELDS = (
    "platform",
    "scope",
    "contract",
    "side",
    "leverage",
    "entry_price",
    "margin",
    "gap",
    "symbol",
)
# The main page's first-visit scenario, without the comparison (a widget shows one platform).
WIDGET_DEFAULTS = {name: value for name, value in FIRST_POSITION.items() if name in WIDGET_FIELDS}
THEMES = ("light", "dark")
CHARTS = ("equity", "crash", "coverage")
# The loader names each iframe so that its resize messages can be told apart from its siblings'.
WIDGET_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@dataclass(frozen=True)
class WidgetOptions:
    """How the widget looks; unknown values fall back to the defaults rather than fail."""

    theme: str = "light"
    chart: str = "equity"
    widget_id: str = ""
    lang: str = ""  # one of settings.LANGUAGES; empty: English

    @property
    def language(self) -> str:
        return self.lang or settings.LANGUAGE_CODE

    @classmethod
    def from_query(cls, query: QueryDict) -> WidgetOptions:
        theme = query.get("theme", "")
        chart = query.get("chart", "")
        widget_id = query.get("id", "")
        return cls(
            theme=theme if theme in THEMES else cls.theme,
            chart=chart if chart in CHARTS else cls.chart,
            widget_id=widget_id if WIDGET_ID.match(widget_id) else "",
            lang=_language(query.get("lang", "")),
        )


def _language(code: str) -> str:
    """The widget's language from its `lang` option ("ru", "pt-BR"…); unknown ones: English."""
    if not code or len(code) > 16:
        return ""
    try:
        return translation.get_supported_language_variant(code.lower())
    except LookupError:
        return ""


def widget_query(query: QueryDict, platform_slug: str | None = None) -> QueryDict:
    """The calculator query for a widget: defaults, then the URL's platform, then what was sent.

    A value that was sent, even an empty one, is kept as sent, so that the form says what is
    wrong with it instead of quietly using a default.
    """
    data = QueryDict(mutable=True)
    data.update(WIDGET_DEFAULTS)
    if platform_slug:
        data["platform"] = platform_slug
    for name in WIDGET_FIELDS:
        if name in query:
            data[name] = query.get(name, "")
    if query.get("symbol") and "entry_price" not in query:
        data["entry_price"] = ""  # the market's mark price, not the example's BTC price
    if data.get("scope") and "contract" not in query:
        # A scope belongs to one product (inverse, spot margin…): the snippet need not say which.
        contract = _contract_of_scope(data.get("platform", ""), data.get("scope", ""))
        if contract:
            data["contract"] = contract
    return data


def _contract_of_scope(platform_slug: str, scope: str) -> str | None:
    try:
        platform = load_platform(platform_slug)
    except ProfileLookupError:
        return None
    found = find_scope(platform, scope)
    return None if found is None else found.product_line.contract


def _platforms_offering(platforms, contract: str) -> list[tuple[str, str]]:
    """The widget's platform choices: those with a product for the contract (a lender has no
    perpetuals), so that switching platform inside the widget never leads to a dead end."""
    return [
        (platform.slug, platform.name)
        for platform in platforms
        if any(line.contract == contract for line in platform.product_lines.all())
    ]


def _error_lines(form) -> list[str]:
    """Each message once, named by its field unless the message already names it."""
    lines = []
    for name, messages in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        for message in messages:
            named = not label or label.lower() in message.lower()
            lines.append(message if named else f"{label}: {message}")
    return lines


def _chart(context: dict[str, Any], key: str) -> Figure | None:
    return next((fig for fig in context.get("figures", []) if fig.key == key), None)


@require_GET
@xframe_options_exempt
@embeddable
@vary_on_headers("HX-Request")  # the page or its results partial, at one address
@rate_limited("calculator")
def widget(request: HtmxHttpRequest, platform_slug: str | None = None) -> HttpResponse:
    """The widget in the language its snippet asked for (`data-lang`): its address has no
    language prefix, so that one iframe address serves every host page."""
    options = WidgetOptions.from_query(request.GET)
    with translation.override(options.language):
        return _widget(request, options, platform_slug)


def _widget(
    request: HtmxHttpRequest, options: WidgetOptions, platform_slug: str | None
) -> HttpResponse:
    query = widget_query(request.GET, platform_slug)
    context = calculator_context(query, with_maths=False)  # the widget has no maths box
    form = context["form"]
    query = form.data  # with the entry price at a market's mark where the snippet named one
    figure = _chart(context, options.chart)
    choices = _platforms_offering(form.platforms, query.get("contract", ""))
    context.update(
        options=options,
        widget_fields=query,
        platform_choices=choices,
        platform_listed=any(slug == query.get("platform") for slug, _ in choices),
        figure=figure,
        widget_figures=figures_json(
            {figure.key: figure.figure} if figure and figure.plotted else {}
        ),
        errors=_error_lines(form),
        full_url=request.build_absolute_uri(reverse("calculator:home")) + "?" + query.urlencode(),
    )
    template = "embed/widget.html#results" if request.htmx else "embed/widget.html"
    return render(request, template, context)


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """How to embed: the snippet, its options, and a builder with a live preview."""
    origin = request.build_absolute_uri("/")[:-1]
    return render(
        request,
        "embed/docs.html",
        {
            "origin": origin,
            "loader_url": origin + settings.STATIC_URL.rstrip("/") + "/embed.js",
            "platforms": platform_list(),
            "defaults": WIDGET_DEFAULTS,
            "themes": THEMES,
            "charts": CHARTS,
            "languages": settings.LANGUAGES,
        },
    )
