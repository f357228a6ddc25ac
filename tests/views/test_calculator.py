"""The calculator page through Django's test client: full page, htmx partial, errors, no-JS path."""

import json
import re
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from calculator.charts import unpacked
from tests.scenarios import BINANCE_TEXTBOOK, BITMEX_INVERSE_GAP

pytestmark = pytest.mark.django_db

SCENARIO = {**BINANCE_TEXTBOOK, "compare": "offshore-broker-example"}


def text_of(html: str, test_id: str) -> str:
    match = re.search(rf'data-testid="{test_id}">([^<]*)<', html)
    assert match, f"{test_id} not found"
    return match.group(1).strip()


def test_first_visit_already_shows_an_answer(client, seeded):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="answer"' in page
    context = response.context
    assert context["valid"]
    assert context["profile"].platform.slug == "binance"
    assert [f.key for f in context["figures"]] == ["equity", "crash", "coverage"]


@pytest.mark.parametrize(
    ("query", "platform", "contract", "field", "amount"),
    [
        ({"platform": "bitget"}, "bitget", "linear", "margin", "1000"),
        ({"platform": "bybit", "contract": "inverse"}, "bybit", "inverse", "margin", "0.02"),
        (
            {"platform": "bitmex", "margin_mode": "cross"},
            "bitmex",
            "linear",
            "wallet_balance",
            "1000",
        ),
        ({"platform": "aave"}, "aave", "loan", "collateral", "1"),  # a lender: loans only
        # an account names its product; an unknown one is dropped, as the form drops it
        (
            {"platform": "bybit", "scope": "derivatives-inverse/isolated"},
            "bybit",
            "inverse",
            "margin",
            "0.02",
        ),
        ({"platform": "aave", "scope": "nosuch"}, "aave", "loan", "collateral", "1"),
        ({"gap": "0.2"}, "binance", "linear", "margin", "1000"),
    ],
)
def test_a_link_naming_an_account_but_no_position_opens_on_its_example(
    client, seeded, query, platform, contract, field, amount
):
    # "/?platform=bitget" in a post or a chat: the example position its profile page links to,
    # not "Enter entry price" beside four fields
    response = client.get("/", query)
    context = response.context
    assert context["valid"], dict(context["form"].errors)
    assert context["profile"].platform.slug == platform
    assert context["profile"].product_line.contract == contract
    data = context["form"].data
    assert data["entry_price"] == "50000" and data[field] == amount
    for name, value in query.items():
        assert data[name] == value  # what the link says is kept (the form drops a bad scope)
    assert 'id="answer"' in response.content.decode()


def test_a_link_to_an_unknown_platform_is_told_only_that(client, seeded):
    form = client.get("/", {"platform": "nosuch"}).context["form"]
    assert list(form.errors) == ["platform"]
    assert "no published profile called “nosuch”" in form.errors["platform"][0]


def test_a_position_field_given_empty_is_not_filled_in(client, seeded):
    # the form sends every field; an emptied entry price is the visitor's, not a link's gap
    form = client.get("/", {"platform": "bitget", "entry_price": ""}).context["form"]
    assert form.errors["entry_price"] == ["Enter entry price."]


def test_answer_numbers_match_the_api(client, seeded):
    page = client.get("/", SCENARIO).content.decode()
    api = client.get(
        "/api/v1/evaluate", {k: v for k, v in SCENARIO.items() if k != "compare"}
    ).json()
    shown = text_of(page, "liquidation-price").replace("$", "").replace(",", "")
    assert Decimal(shown) == Decimal(api["liquidation_price"]).quantize(Decimal("0.01"))
    assert api["outcome"]["explanation"] in page.replace("&#x27;", "'")


def test_htmx_request_gets_only_the_results_partial(client, seeded):
    response = client.get("/", SCENARIO, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="answer"' in page
    assert 'id="figures-data"' in page
    # a valid answer swaps nothing into the form's error slots: calculator.js empties the
    # non-empty ones (tests/browser/test_visitor_feel.py), instead of 30-odd swaps per redraw
    assert "#calc-form .error" not in page
    assert 'id="answer-bar" class="answer-bar" hx-swap-oob="true"' in page
    # a screen reader hears the new answer (its live region keeps its node: innerHTML)
    headline = re.search(r'<p class="answer-headline" id="answer">(.*?)</p>', page).group(1)
    assert f'<p id="answer-status" hx-swap-oob="innerHTML">{headline}</p>' in page
    # htmx makes a top-level <title> the page's title
    assert re.search(rf"<title>{re.escape(headline[:60])}.*· Underwater</title>", page)


def test_the_full_page_has_each_id_once(client, seeded):
    page = client.get("/", SCENARIO).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    assert "hx-swap-oob" not in page


def test_htmx_form_error_keeps_the_last_results_and_url(client, seeded):
    response = client.get("/", {**SCENARIO, "entry_price": "-3"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert response["HX-Push-Url"] == "false"
    assert 'id="answer"' not in page
    assert re.search(
        r'id="err-entry_price" hx-swap-oob="true">Entry price must be more than 0', page
    )
    # and a screen reader hears why the answer did not change
    assert re.search(
        r'id="answer-status" hx-swap-oob="innerHTML">Not updated: Entry price must', page
    )


def test_form_pushes_its_url_and_uses_api_field_names(client, seeded):
    page = client.get("/").content.decode()
    form = re.search(r"<form id=\"calc-form\"[^>]*>", page).group(0)
    assert 'hx-push-url="true"' in form
    assert 'method="get"' in form
    for name in (
        "entry_price",
        "leverage",
        "margin",
        "gap",
        "platform",
        "scope",
        "side",
        "stop_price",
        "guaranteed_stop",
        "insurance_fund_depleted",
        "holding_hours",
    ):
        assert f'name="{name}"' in page


def test_no_js_full_page_shows_errors_beside_fields(client, seeded):
    response = client.get("/", {**SCENARIO, "leverage": "lots", "margin_mode": "sideways"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter leverage as a number" in page
    assert "Select a valid choice" in page
    assert 'aria-invalid="true"' in page


@pytest.mark.parametrize(
    "change",
    [
        {"entry_price": ""},
        {"entry_price": "NaN"},
        {"entry_price": "Infinity"},
        {"entry_price": "1e999"},
        {"leverage": "0"},
        {"margin": "-1"},
        {"gap": "abc"},
        {"platform": "does-not-exist"},
        {"contract": "inverse", "platform": "gmx"},
        {"stop_price": "0"},
        {"compare": ["binance", "bybit", "okx", "bitmex", "deribit", "kraken", "gate"]},
    ],
)
def test_bad_input_is_a_message_never_a_500(client, seeded, change):
    response = client.get("/", {**SCENARIO, **change})
    assert response.status_code == 200
    assert not response.context["valid"]
    assert response.context["form"].errors
    assert 'id="figures-data"' not in response.content.decode()


def test_no_nan_or_infinity_in_figures(client, seeded):
    for query in (
        SCENARIO,
        {**SCENARIO, "side": "short"},
        {**SCENARIO, "contract": "inverse", "quantity": "10000", "margin": "", "leverage": "5"},
        {**SCENARIO, "leverage": "1"},
        {**SCENARIO, "leverage": "125", "gap": "0.5"},
    ):
        response = client.get("/", {k: v for k, v in query.items() if v != ""})
        assert response.context["valid"], response.context["form"].errors
        data = re.search(
            r'<script id="figures-data" type="application/json">(.*?)</script>',
            response.content.decode(),
            re.S,
        ).group(1)
        assert "NaN" not in data and "Infinity" not in data


def test_comparison_shows_the_floor_of_protection(client, seeded):
    context = client.get("/", SCENARIO).context
    crash = next(f for f in context["figures"] if f.key == "crash")
    names = [line.name for line in crash.lines.lines]
    assert names[0] == "Binance"
    assert "offshore" in names[1].lower()
    binance, offshore = json.loads(crash.lines.readout)["y"][:2]
    assert min(binance) >= 0  # the insurance fund is the floor
    assert min(offshore) < 0  # no protection: you owe
    assert any("you would owe" in line for line in context["answer"].details)


@pytest.mark.parametrize("platform", ["binance", "offshore-broker-example", "bybit"])
def test_crash_chart_agrees_with_the_answer_at_the_same_crash(client, seeded, platform):
    query = {**SCENARIO, "platform": platform, "gap": "", "crash": "0.5", "compare": ""}
    context = client.get("/", {k: v for k, v in query.items() if v}).context
    readout = json.loads(next(f for f in context["figures"] if f.key == "crash").lines.readout)
    at_half = dict(zip(readout["x"], readout["y"][0], strict=True))[50.0]
    assert at_half == round(float(context["outcome"].trader_result), 2)  # in cents


def test_liquidation_marker_is_at_the_liquidation_price(client, seeded):
    context = client.get("/", SCENARIO).context
    equity = next(f for f in context["figures"] if f.key == "equity").figure
    labels = {s["label"]["text"]: s["x0"] for s in equity["layout"]["shapes"] if "label" in s}
    assert labels["Liquidation"] == pytest.approx(float(context["evaluation"].liquidation_price))
    assert labels["Bankruptcy"] == pytest.approx(float(context["evaluation"].bankruptcy_price))


def test_scope_options_follow_the_platform(client, seeded):
    html = client.get(reverse("calculator:scope_options"), {"platform": "bybit"}).content.decode()
    assert 'value="derivatives-linear/' in html or "Bybit" in html
    assert "<html" not in html


def test_page_states_the_answer_in_meta_tags(client, seeded):
    page = client.get("/", SCENARIO).content.decode()
    assert '<meta property="og:title" content="On Binance' in page


def test_partial_is_cached_per_query_and_data_version(client, seeded, monkeypatch):
    from calculator import views
    from platforms.models import Platform

    computed = []
    real = views.calculator_context
    monkeypatch.setattr(
        views, "calculator_context", lambda q, **kw: computed.append(q) or real(q, **kw)
    )
    headers = {"HX-Request": "true"}
    first = client.get("/", SCENARIO, headers=headers)
    reordered = dict(reversed(list(SCENARIO.items())))
    second = client.get("/", reordered, headers=headers)
    assert len(computed) == 1  # the second, same scenario in another order, came from the cache
    assert second.content == first.content
    binance = Platform.objects.get(slug="binance")
    binance.name = "Binance (renamed by an admin)"
    binance.save()  # a write to policy data: every cached partial is stale
    third = client.get("/", SCENARIO, headers=headers)
    assert len(computed) == 2
    assert "Binance (renamed by an admin)" in third.content.decode()
    client.get("/", {**SCENARIO, "entry_price": "-1"}, headers=headers)
    client.get("/", {**SCENARIO, "entry_price": "-1"}, headers=headers)
    assert len(computed) == 4  # form errors are not cached


def test_incident_presets_replay_on_the_calculator(client, seeded):
    from django.core.management import call_command

    call_command("seed_incidents", verbosity=0)
    page = client.get("/").content.decode()
    listed = re.search(r'<details class="presets">.*?</details>', page, re.S).group(0)
    presets = re.findall(r'<li><a href="\?([^"]+)">([^<]+)</a></li>', listed)
    assert presets, "incidents with a sourced move become presets"
    assert "Replay a real crash" in page
    for query, label in presets:
        query = query.replace("&amp;", "&")
        response = client.get("/?" + query)
        assert response.context["valid"], (label, response.context["form"].errors)
        assert response.context["outcome"] is not None


def test_a_redraw_reads_the_policy_data_version_once(client, seeded, monkeypatch, settings):
    """Platform list, platform, rules, compared platforms and the partial's key all need the
    version; on Redis each read is a round trip, so one request reads it at most once."""
    from platforms import profiles

    settings.PROFILES_VERSION_SECONDS = 0  # no trust between requests: count per request
    reads = []
    real_get = profiles.cache.get
    monkeypatch.setattr(
        profiles.cache,
        "get",
        lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k),
    )
    for price in ("50001", "50002"):
        query = {**SCENARIO, "entry_price": price}
        assert client.get("/", query, headers={"HX-Request": "true"}).status_code == 200
    assert reads.count(profiles.VERSION_KEY) == 2  # once in each request


def test_another_processs_edit_is_seen_within_the_version_interval(client, seeded, settings):
    """A process trusts the version it read for PROFILES_VERSION_SECONDS; an edit made by
    another process (here: the shared cache changed behind this one's back) shows after that."""
    from platforms import profiles
    from platforms.models import Platform

    headers = {"HX-Request": "true"}
    settings.PROFILES_VERSION_SECONDS = 3600
    before = client.get("/", SCENARIO, headers=headers).content.decode()
    assert "Binance (renamed elsewhere)" not in before
    Platform.objects.filter(slug="binance").update(name="Binance (renamed elsewhere)")  # no signal
    profiles.cache.set(profiles.VERSION_KEY, "bumped-by-another-process", timeout=None)
    query = {**SCENARIO, "entry_price": "50003"}
    still = client.get("/", query, headers=headers).content.decode()
    assert "Binance (renamed elsewhere)" not in still  # within the interval: the version it had
    settings.PROFILES_VERSION_SECONDS = 0
    after = client.get("/", query, headers=headers).content.decode()
    assert "Binance (renamed elsewhere)" in after


def test_error_slots_escape_their_messages(seeded):
    from django.http import QueryDict
    from django.template.loader import render_to_string

    from calculator.results import calculator_form

    form = calculator_form(QueryDict("entry_price=50000&margin=1000&leverage=10"))
    form.is_valid()
    form.add_error("margin", "<script>alert(1)</script>")
    html = render_to_string("calculator/home.html#errors", {"form": form})
    assert '<p class="error" id="err-entry_price" hx-swap-oob="true"></p>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_equity_line_has_points_at_liquidation_and_bankruptcy(client, seeded):
    context = client.get("/", SCENARIO).context
    evaluation = context["evaluation"]
    figure = next(f for f in context["figures"] if f.key == "equity").figure
    line = next(t for t in figure["data"] if t["name"] == "Equity if never liquidated")
    prices, equity = unpacked(line["x"]), unpacked(line["y"])
    assert prices == sorted(prices)
    at = dict(zip(prices, equity, strict=True))
    # the line crosses zero exactly at the bankruptcy price, so the red "deficit" area starts there
    bankruptcy = float(evaluation.bankruptcy_price)
    assert at[bankruptcy] == pytest.approx(0, abs=1e-6)
    assert at[float(evaluation.liquidation_price)] > 0
    # the area: from the bankruptcy price on zero, down the line to the chart's left edge (a long)
    area = next(s for s in figure["layout"]["shapes"] if s.get("name", "").startswith("Below zero"))
    assert area["path"] == f"M {bankruptcy!r},0 L {prices[0]!r},{equity[0]!r} L {prices[0]!r},0 Z"
    assert equity[0] < 0 and area["showlegend"]


def test_page_and_partial_share_an_address_so_caches_are_told_they_differ(client, seeded):
    page = client.get("/", SCENARIO)
    partial = client.get("/", SCENARIO, headers={"HX-Request": "true"})
    restore = client.get(
        "/", SCENARIO, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    for response in (page, partial, restore):
        assert "HX-Request" in response["Vary"]
        # the back button's request has HX-Request too, and gets the whole page
        assert "HX-History-Restore-Request" in response["Vary"]
    assert "<html" in restore.content.decode() and "<html" not in partial.content.decode()


def test_a_history_restore_after_a_snapshot_miss_gets_the_whole_page(client, seeded):
    """htmx asks again with HX-History-Restore-Request when the back button finds no snapshot;
    it then swaps the answer into <body>, which must be a whole page, not the results alone."""
    response = client.get(
        "/", SCENARIO, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    html = response.content.decode()
    assert '<form id="calc-form"' in html and 'id="answer"' in html


def test_a_compared_platform_without_the_product_is_named_once_in_its_notice(client, seeded):
    query = {
        "platform": "bitmex",
        "contract": "inverse",
        "entry_price": "30000",
        "margin": "0.1",
        "leverage": "20",
        "compare": "offshore-broker-example",
    }
    page = client.get("/", query, headers={"HX-Request": "true"}).content.decode()
    notice = re.search(r'<p class="notice">(.*?)</p>', page).group(1)
    assert "has no inverse product" in notice
    assert notice.count("offshore crypto CFD broker") == 1


MATHS_BOX = re.compile(r'<details class="maths card" id="maths"([^>]*)>(.*?)</details>', re.S)


def test_a_redraw_sends_the_maths_box_empty_with_where_to_fetch_it(client, seeded):
    """The worked steps are left out of every keystroke's redraw; opening the box fetches the
    same steps the full page writes out, for the same scenario."""
    page_box = MATHS_BOX.search(client.get("/", SCENARIO).content.decode())
    redraw = client.get("/", SCENARIO, headers={"HX-Request": "true"}).content.decode()
    redraw_box = MATHS_BOX.search(redraw)
    assert "data-lazy-url" not in page_box.group(1)
    steps = re.search(r"<ol>.*?</ol>", page_box.group(2), re.S).group(0)
    assert "Liquidation price" in steps and "10×" in steps

    assert "<ol>" not in redraw_box.group(2)
    url = re.search(r'data-lazy-url="([^"]+)"', redraw_box.group(1)).group(1).replace("&amp;", "&")
    path, query = url.split("?", 1)
    assert path == reverse("calculator:maths")
    assert dict(parse_qsl(query)) == SCENARIO
    fetched = client.get(url, headers={"HX-Request": "true"})
    assert fetched.status_code == 200
    assert fetched.content.decode().strip() == steps


def test_the_maths_outside_htmx_is_the_scenarios_page(client, seeded):
    response = client.get(reverse("calculator:maths"), SCENARIO)
    assert response.status_code == 302
    path, rest = response["Location"].split("?", 1)
    query, anchor = rest.split("#")
    assert path == "/" and anchor == "maths" and dict(parse_qsl(query)) == SCENARIO


def test_the_maths_of_bad_input_is_a_400_with_a_message(client, seeded):
    response = client.get(
        reverse("calculator:maths"), {**SCENARIO, "leverage": "abc"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "fix the highlighted fields" in response.content.decode()


TABLE_BOX = re.compile(
    r'<details class="chart-table" id="table-(\w+)"([^>]*)>(.*?)</details>', re.S
)


def test_a_redraw_sends_the_data_tables_empty_with_where_to_fetch_them(client, seeded):
    """Each chart's numbers as a table are in the full page (for screen readers and visitors
    without JavaScript); a redraw leaves them out, and opening a box fetches the same table."""
    page = client.get("/", SCENARIO).content.decode()
    redraw = client.get("/", SCENARIO, headers={"HX-Request": "true"}).content.decode()
    page_tables = {key: body for key, attrs, body in TABLE_BOX.findall(page)}
    redraw_boxes = TABLE_BOX.findall(redraw)
    # who pays the deficit is bars whose labels and amounts are text already: no table
    assert set(page_tables) == {"equity", "crash"}
    assert [key for key, _attrs, _body in redraw_boxes] == ["equity", "crash"]
    assert '<ol class="bars" id="chart-coverage">' in page
    assert '<ol class="bars" id="chart-coverage">' in redraw
    for key, attrs, body in redraw_boxes:
        assert "<table>" not in body and "<table>" in page_tables[key]
        url = re.search(r'data-lazy-url="([^"]+)"', attrs).group(1).replace("&amp;", "&")
        path, query = url.split("?", 1)
        assert path == reverse("calculator:table")
        assert dict(parse_qsl(query)) == {**SCENARIO, "figure": key}
        for _ in range(2):  # computed, then kept
            fetched = client.get(url, headers={"HX-Request": "true"})
            assert fetched.status_code == 200
            table = fetched.content.decode().strip()
            assert table == re.search(r"<table>.*?</table>", page_tables[key], re.S).group(0)


def test_a_table_outside_htmx_is_the_scenarios_page_and_bad_input_a_400(client, seeded):
    url = reverse("calculator:table")
    response = client.get(url, {**SCENARIO, "figure": "crash"})
    assert response.status_code == 302
    path, rest = response["Location"].split("?", 1)
    query, anchor = rest.split("#")
    assert path == "/" and anchor == "table-crash" and dict(parse_qsl(query)) == SCENARIO
    htmx = {"HX-Request": "true"}
    for query in ({**SCENARIO, "figure": "crash", "leverage": "abc"}, {**SCENARIO, "figure": "x"}):
        response = client.get(url, query, headers=htmx)
        assert response.status_code == 400
        assert "fix the highlighted fields" in response.content.decode()


def test_an_inverse_deficit_is_stated_in_coin_as_the_exchange_settles_it(client, seeded):
    """BitMEX, XBTUSD perpetual guide (https://www.bitmex.com/app/inversePerpetualsGuide):
    "Margin and PNL are denominated in Bitcoin"; PnL = contracts × multiplier (1 USD) ×
    (1/entry − 1/exit). 0.1 XBT at 20× is 60,000 contracts; at the gap's fill the equity is
    0.1 + PnL, below zero: that shortfall in XBT is the deficit BitMEX's books would show."""
    api = client.get("/api/v1/evaluate", BITMEX_INVERSE_GAP).json()["outcome"]
    fill = Decimal(api["fill_price"])
    in_coin = -(Decimal("0.1") + 60000 * (1 / Decimal(30000) - 1 / fill))
    assert Decimal(api["deficit_in_coin"]) == in_coin.quantize(Decimal("1e-8"))
    assert Decimal(api["equity_after_in_coin"]) == (-in_coin).quantize(Decimal("1e-8"))

    page = client.get("/", BITMEX_INVERSE_GAP).content.decode()
    coin_text = f"{in_coin.quantize(Decimal('1e-8'))}".rstrip("0")
    dollars = f"${Decimal(api['deficit']).quantize(Decimal('0.01')):,}"
    assert f"<dt>Deficit</dt><dd>{coin_text} coin ({dollars})</dd>" in page
    # the equity table gives the margins in coin, never as dollars
    table = re.search(r'id="table-equity".*?</table>', page, re.S).group(0)
    assert '<td class="num">0.1 coin</td>' in table
    assert "$0.10" not in table and "$0.008" not in table
    assert f"−{coin_text} coin (−{dollars})" in table


def test_a_linear_deficit_stays_in_dollars(client, seeded):
    api = client.get(
        "/api/v1/evaluate", {k: v for k, v in SCENARIO.items() if k != "compare"}
    ).json()["outcome"]
    assert api["deficit_in_coin"] is None and api["equity_after_in_coin"] is None
    page = client.get("/", SCENARIO).content.decode()
    dollars = f"${Decimal(api['deficit']).quantize(Decimal('0.01')):,}"
    assert f"<dt>Deficit</dt><dd>{dollars}</dd>" in page


def test_without_protection_an_inverse_debt_is_owed_in_coin(client, seeded):
    """Custom rules assume no protection: the whole deficit is the trader's debt, in XBT."""
    custom = {k: v for k, v in BITMEX_INVERSE_GAP.items() if k != "platform"}
    api = client.get("/api/v1/evaluate", custom).json()
    outcome = api["outcome"]
    fill = Decimal(outcome["fill_price"])
    assert Decimal(outcome["trader_owes"]) == Decimal(outcome["deficit"]) > 0
    owed_coin = Decimal(outcome["trader_owes_in_coin"])
    assert owed_coin == Decimal(outcome["deficit_in_coin"])
    # BitMEX's inverse PnL, as above: the shortfall of 0.1 XBT + PnL at the fill
    expected = -(Decimal(api["initial_margin"]) + 60000 * (1 / Decimal(30000) - 1 / fill))
    assert abs(owed_coin - expected) <= Decimal("1e-8")

    page = client.get("/", custom).content.decode()
    owed = f"{owed_coin} coin (${Decimal(outcome['trader_owes']).quantize(Decimal('0.01')):,})"
    assert f'<dd data-testid="result">you owe {owed}</dd>' in page
    assert f"leaves you owing {owed} on top of losing your 0.1 coin deposit" in page


def test_a_deficit_nobody_is_named_to_pay_is_not_called_covered(client, seeded):
    # Binance spot margin: "Binance publishes no rule on who bears a shortfall" (its seeded
    # scope, waterfall "uncovered"). $1,000 at 3x long from $50,000 is 0.06 BTC against a
    # $2,000 loan; a 40% fall to $30,000 leaves $1,800 of BTC: $200 short of the loan.
    response = client.get(
        "/",
        {
            "platform": "binance",
            "contract": "spot_margin",
            "entry_price": "50000",
            "margin": "1000",
            "leverage": "3",
            "crash": "0.4",
            "compare": "kraken",
        },
    )
    answer = response.context["answer"]
    assert answer.headline == (
        "On Binance you lose your $1,000.00 deposit, and nobody the platform names pays the "
        "$200.00 deficit: it may be claimed from you."
    )
    assert answer.tone == "danger"
    assert "covered by others" not in response.content.decode()
    assert response.context["outcome_words"] == "deposit lost; who pays the rest is unknown"
    crash = next(f for f in response.context["figures"] if f.key == "crash")
    assert "on Binance nobody is named to pay a deficit" in crash.summary
    assert "on Binance you never owe anything" not in crash.summary


def test_the_advanced_section_opens_when_one_of_its_fields_has_a_message(client, seeded):
    # A loan's collateral is asked for inside "Custom rates, funding, cross-margin and loan
    # details", which starts closed: a message there must not stay hidden.
    closed = client.get("/", SCENARIO).content.decode()
    assert re.search(r'<details class="advanced">', closed)
    page = client.get("/", {**SCENARIO, "contract": "loan"}).content.decode()
    assert re.search(r'<details class="advanced" open>', page)
    assert 'id="err-collateral">A loan needs the collateral amount.' in page


def test_without_a_deficit_the_page_still_says_who_would_pay_one(client, seeded):
    # Binance's seeded waterfall: its insurance fund, then auto-deleveraging. No gap, no
    # deficit, so no coverage chart, but the page's question still gets an answer.
    response = client.get("/", {**SCENARIO, "gap": "0"})
    assert [f.key for f in response.context["figures"]] == ["equity", "crash"]
    page = response.content.decode()
    assert (
        "on Binance it would be paid by the insurance fund, then auto-deleveraging of "
        "profitable traders."
    ) in page
    with_deficit = client.get("/", SCENARIO)
    assert with_deficit.context["who_pays"] == ""
    assert 'id="who-pays"' not in with_deficit.content.decode()


def test_the_advanced_sections_field_list_matches_the_page(client, seeded):
    # forms.ADVANCED_FIELDS decides when the section opens; it must name what is in it.
    from calculator.forms import ADVANCED_FIELDS

    page = client.get("/").content.decode()
    section = re.search(r'<details class="advanced".*?</details>', page, re.S).group(0)
    assert set(re.findall(r'name="([a-z_]+)"', section)) == set(ADVANCED_FIELDS)


def test_the_rules_line_says_which_maintenance_rule_the_answer_used(client, seeded):
    # A tier table names its market; a flat rate says so and links to where it comes from
    # (OKX's 2% is tier 1 of altcoin USDT perpetuals, not BTC's: the platform page says so).
    binance = client.get("/", SCENARIO).content.decode()
    assert "· tiers of BTCUSDT" in binance and "flat" not in _rules_line(binance)
    okx = _rules_line(client.get("/", {**SCENARIO, "platform": "okx"}).content.decode())
    assert "a flat 2% maintenance rate" in okx
    assert 'href="/platforms/okx/#line-derivatives-linear">which market it is from' in okx


def _rules_line(page: str) -> str:
    return page[page.index('<p class="profile-line">') :].split("</p>")[0]


def test_an_empty_compare_value_means_no_comparison_not_an_error(client, seeded):
    # An address ending "compare=" (all boxes cleared by hand) used to answer "Select a valid
    # choice.  is not one of the available choices." and no result.
    response = client.get("/", {**SCENARIO, "compare": ""})
    assert response.context["valid"]
    assert response.context["compared"] == []
    both = client.get("/", {**SCENARIO, "compare": "bitmex,offshore-broker-example"})
    assert [c.slug for c in both.context["compared"]] == ["bitmex", "offshore-broker-example"]
    page = both.content.decode()
    assert re.search(r'value="bitmex"[^>]*checked', page)  # ticked, so a redraw keeps them


def test_a_platform_without_the_product_names_what_it_has_as_written(client, seeded):
    query = {"platform": "binance", "contract": "loan", "entry_price": "50000", "collateral": "1"}
    page = client.get("/", {**query, "debt": "100"}).content.decode()
    assert (
        "Our Binance profile has no loan product; its products: inverse (coin-margined) futures, "
        "linear (USDT/USDC-margined) futures, spot margin (borrowing)."
    ) in page.replace("&#x27;", "'")


def test_a_link_that_contradicts_itself_is_told_what_each_account_is(client, seeded):
    lender = client.get("/", {"platform": "aave", "contract": "linear"}).context["form"]
    assert lender.errors["contract"] == [
        "Our Aave (v3) profile has no linear product; its product: collateralised loan."
    ]
    query = {"platform": "bybit", "scope": "derivatives-inverse/isolated", "contract": "linear"}
    bybit = client.get("/", query).context["form"]
    assert bybit.errors["scope"] == [
        "“derivatives-inverse/isolated” is an inverse (coin-margined) futures account, not linear."
    ]


def test_the_chosen_platforms_compare_box_is_disabled_without_javascript_too(client, seeded):
    page = client.get("/", {**SCENARIO, "platform": "bitmex"}).content.decode()
    assert re.search(r'value="bitmex"[^>]*disabled', page)
    assert not re.search(r'value="binance"[^>]*disabled', page)
