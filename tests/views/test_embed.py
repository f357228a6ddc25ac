"""The embed widget and its docs: options, errors, no cookies, who may frame what, and its weight."""

import gzip
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

pytestmark = pytest.mark.django_db

WEIGHT_LIMIT = 50 * 1024  # bytes, gzip: the widget's first load without plotly.js


def text_of(html: str, test_id: str) -> str:
    match = re.search(rf'data-testid="{test_id}"[^>]*>([^<]*)<', html)
    assert match, f"{test_id} not found"
    return match.group(1).strip()


def dollars(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", "").replace("−", "-"))


def directives(response) -> dict[str, str]:
    policy = response.get("Content-Security-Policy", "")
    parts = [part.strip().split(None, 1) for part in policy.split(";") if part.strip()]
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def figures_of(html: str) -> dict:
    match = re.search(r'<script id="figures-data" type="application/json">(.*?)</script>', html)
    assert match, "figures-data not found"
    return json.loads(match.group(1))


def test_widget_answers_with_the_main_pages_numbers(client, seeded):
    query = {"platform": "bybit", "entry_price": "50000", "margin": "1000", "leverage": "10"}
    widget = client.get("/embed/", {**query, "gap": "0.05"})
    page = client.get("/", {**query, "gap": "0.05"})
    assert widget.status_code == 200
    assert widget.context["answer"].headline == page.context["answer"].headline
    html = widget.content.decode()
    assert text_of(html, "liquidation-price") == text_of(page.content.decode(), "liquidation-price")
    assert 'id="answer"' in html
    assert list(figures_of(html)) == ["equity"]  # only the chosen chart travels


def test_first_load_answers_with_defaults_and_links_to_the_full_scenario(client, seeded):
    html = client.get("/embed/").content.decode()
    assert "On Binance" in re.search(r'id="answer">([^<]*)<', html).group(1)
    link = re.search(r'<a href="([^"]+)"[^>]*data-testid="full-scenario"', html)
    assert link and link.group(1).startswith("http://testserver/?")
    assert "entry_price=50000" in link.group(1) and "platform=binance" in link.group(1)


def test_every_link_opens_in_a_new_tab_with_noopener(client, seeded):
    html = client.get("/embed/").content.decode()
    links = re.findall(r"<a\s[^>]*>", html)
    assert links
    for link in links:
        assert 'target="_blank"' in link and 'rel="noopener"' in link, link


def test_platform_in_the_path_and_options_in_the_query(client, seeded):
    response = client.get(
        "/embed/bybit/",
        {
            "side": "short",
            "leverage": "20",
            "entry_price": "3000",
            "theme": "dark",
            "chart": "crash",
            "id": "w1",
        },
    )
    html = response.content.decode()
    context = response.context
    assert context["profile"].platform.slug == "bybit"
    evaluation = context["evaluation"]
    assert evaluation.position.side.value == "short"
    assert evaluation.leverage == Decimal(20)
    assert evaluation.position.entry_price == Decimal(3000)
    assert dollars(text_of(html, "liquidation-price")) > Decimal(3000)  # a short liquidates above
    assert 'class="uw-body theme-dark"' in html
    assert 'data-widget-id="w1"' in html
    # the crash chart is SVG in the page: no figure data, so no chart library is fetched
    assert 'id="figures-data"' not in html
    assert 'class="lines-plot"' in html and html.count("<polyline") == 1


def test_query_platform_wins_over_the_path(client, seeded):
    response = client.get("/embed/bybit/", {"platform": "bitmex"})
    assert response.context["profile"].platform.slug == "bitmex"


def test_scope_picks_its_own_product(client, seeded):
    response = client.get("/embed/", {"platform": "binance", "scope": "coin-m/isolated"})
    assert response.context["valid"]
    assert response.context["evaluation"].position.contract.value == "inverse"
    assert 'name="scope" value="coin-m/isolated"' in response.content.decode()


def test_coverage_chart_or_a_note_when_nobody_pays(client, seeded):
    with_deficit = client.get("/embed/", {"chart": "coverage", "gap": "0.2"}).content.decode()
    # who pays: HTML bars, so no figure for plotly.js (the widget then never fetches it)
    assert '<ol class="bars" id="chart-coverage">' in with_deficit
    assert 'id="figures-data"' not in with_deficit
    assert "Insurance fund" in with_deficit
    without = client.get("/embed/", {"chart": "coverage", "gap": "0"}).content.decode()
    assert "No deficit in this scenario" in without
    assert 'id="figures-data"' not in without


@pytest.mark.parametrize(
    ("query", "theme", "chart", "widget_id"),
    [
        ({"theme": "neon", "chart": "pie", "id": "a b<script>"}, "light", "equity", ""),
        ({"theme": "dark", "chart": "crash", "id": "x" * 41}, "dark", "crash", ""),
    ],
)
def test_unknown_options_fall_back_to_defaults(client, seeded, query, theme, chart, widget_id):
    response = client.get("/embed/", query)
    assert response.status_code == 200
    options = response.context["options"]
    assert (options.theme, options.chart, options.widget_id) == (theme, chart, widget_id)
    assert "<script>" not in response.content.decode().split("</head>")[1].split("{")[0]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"leverage": "-3"}, "Leverage cannot be below"),
        ({"entry_price": "abc"}, "Enter entry price as a number"),
        ({"entry_price": ""}, "Enter entry price"),
        ({"platform": "no-such-exchange"}, "no published profile"),
        ({"leverage": "1e400"}, "Leverage"),
        ({"margin": "0"}, "Margin must be more than 0"),
    ],
)
def test_bad_input_shows_a_message_not_a_500(client, seeded, query, message):
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/embed/", query, headers=headers)
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html.replace("&#x27;", "'").replace("&ldquo;", "“")
        assert 'role="alert"' in html
        assert "NaN" not in html and "Infinity" not in html


def test_unknown_platform_in_the_path_is_a_message(client, seeded):
    response = client.get("/embed/nowhere/")
    assert response.status_code == 200
    assert "no published profile" in response.content.decode()


def test_htmx_request_gets_only_the_results(client, seeded):
    response = client.get("/embed/", {"leverage": "5"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="answer"' in html
    assert 'id="figures-data"' in html
    assert "At 5×" in html
    # the answer goes to the widget's live status; the results themselves are not read out
    headline = re.search(r'<p class="uw-headline" id="answer">(.*?)</p>', html).group(1)
    assert f'<p id="uw-status" hx-swap-oob="innerHTML">{headline}</p>' in html


def test_the_widget_announces_its_answer_once(client, seeded):
    html = client.get("/embed/").content.decode()
    headline = re.search(r'<p class="uw-headline" id="answer">(.*?)</p>', html).group(1)
    assert re.search(rf'<p id="uw-status" [^>]*role="status">{re.escape(headline)}</p>', html)
    assert "aria-live" not in html and html.count('role="status"') == 1
    assert "hx-swap-oob" not in html


def test_the_widget_sets_no_cookies_and_reads_no_session(client, seeded):
    for path in ("/embed/", "/embed/bybit/?theme=dark", "/embed/?leverage=-1"):
        response = client.get(path)
        assert response.cookies == {} or len(response.cookies) == 0, path
        assert "Cookie" not in response.get("Vary", ""), path  # the session was not touched
        assert "csrfmiddlewaretoken" not in response.content.decode()
    htmx = client.get("/embed/", headers={"HX-Request": "true"})
    assert len(htmx.cookies) == 0


def test_the_form_is_a_plain_get_form(client, seeded):
    html = client.get("/embed/").content.decode()
    form = re.search(r"<form[^>]*>", html).group(0)
    assert 'method="get"' in form and 'hx-get="/embed/"' in form


# --- Who may frame what -------------------------------------------------------------------------


def test_embed_pages_may_be_framed_by_anyone_by_default(client, seeded):
    for path in ("/embed/", "/embed/bybit/", "/embed/?leverage=-1"):
        response = client.get(path)
        assert "X-Frame-Options" not in response, path
        assert directives(response)["frame-ancestors"] == "*", path
    htmx = client.get("/embed/", headers={"HX-Request": "true"})
    assert directives(htmx)["frame-ancestors"] == "*"


@override_settings(EMBED_ALLOWED_ORIGINS=["https://blog.example", "https://news.example:8443"])
def test_embed_frame_ancestors_follow_the_setting(client, seeded):
    response = client.get("/embed/")
    assert "X-Frame-Options" not in response
    assert (
        directives(response)["frame-ancestors"]
        == "'self' https://blog.example https://news.example:8443"
    )


@override_settings(
    EMBED_ALLOWED_ORIGINS=["https://ok.example", "https://bad.example; script-src *", "*.x"]
)
def test_origins_that_could_inject_a_directive_are_dropped(client, seeded):
    response = client.get("/embed/")
    assert directives(response)["frame-ancestors"] == "'self' https://ok.example"
    assert "script-src *" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/platforms/", "/admin/login/", "/embed/docs/", "/api/"])
def test_other_pages_refuse_to_be_framed(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == "'none'"


def test_frame_ancestors_middleware_fills_only_a_gap():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from embed.security import FrameAncestorsMiddleware, allow_framing

    request = RequestFactory().get("/")
    bare = FrameAncestorsMiddleware(lambda r: HttpResponse())(request)
    assert bare["Content-Security-Policy"] == "frame-ancestors 'none'"

    def with_policy(r):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'self'"
        return response

    added = FrameAncestorsMiddleware(with_policy)(request)
    assert added["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'"
    framed = FrameAncestorsMiddleware(lambda r: allow_framing(HttpResponse()))(request)
    assert framed["Content-Security-Policy"] == "frame-ancestors *"


# --- Docs and loader ----------------------------------------------------------------------------


def test_docs_page_has_the_snippet_builder_and_no_inline_script(client, seeded):
    response = client.get("/embed/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "http://testserver/static/embed.js" in html
    assert (
        'id="embed-builder"' in html and 'id="embed-preview"' in html and 'id="embed-copy"' in html
    )
    assert "/static/js/embed-docs.js" in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
    assert '<a href="/embed/docs/" aria-current="page">Embed</a>' in html


def test_loader_is_an_iife_that_checks_its_messages():
    source = Path(finders.find("embed.js")).read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", source, flags=re.S).strip()
    assert code.startswith("(function () {") and code.endswith("})();")
    assert "document.currentScript" in code
    assert 'loading = "lazy"' in code
    assert "event.origin !== origin" in code
    assert "event.source !== iframe.contentWindow" in code
    assert "underwater:resize" in code


def test_widget_weighs_under_50_kb_compressed_before_plotly(client, seeded):
    html = client.get("/embed/").content
    assets = ["css/embed.css", "js/embed-widget.js", "django_htmx/htmx-2.min.js", "embed.js"]
    sizes = {"html": len(gzip.compress(html, 9))}
    for path in assets:
        with open(finders.find(path), "rb") as handle:
            sizes[path] = len(gzip.compress(handle.read(), 9))
    assert sum(sizes.values()) <= WEIGHT_LIMIT, sizes
    page = html.decode()
    # plotly.js is named for the widget's script to fetch after load, never loaded by the page
    plotly = page.index("vendor/plotly/plotly-basic.min.js")
    assert page.index('id="answer"') < plotly
    assert re.search(r'<script src="[^"]*embed-widget\.js" data-plotly-src="[^"]*" defer>', page)
    assert not re.search(r'<script src="[^"]*plotly[^"]*"', page)


@override_settings(RATE_LIMITS={"api": (100, 60), "calculator": (1, 60)})
def test_rate_limited_widget_still_says_so_inside_the_frame(client, seeded):
    assert client.get("/embed/").status_code == 200
    limited = client.get("/embed/")
    assert limited.status_code == 429
    assert directives(limited)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in limited


def test_widget_page_and_partial_are_told_apart_by_caches(client, seeded):
    assert "HX-Request" in client.get("/embed/")["Vary"]
    assert "HX-Request" in client.get("/embed/", headers={"HX-Request": "true"})["Vary"]


def test_the_deposit_is_labelled_in_the_currency_it_is_counted_in(client, seeded):
    linear = client.get("/embed/").content.decode()
    inverse = client.get(
        "/embed/bitmex/", {"contract": "inverse", "entry_price": "30000", "margin": "0.1"}
    ).content.decode()
    assert '<label for="uw-margin">Deposit ($)</label>' in linear
    assert '<label for="uw-margin">Deposit (coin)</label>' in inverse
    assert "0.1 coin deposit" in inverse  # the answer counts it the same way
