"""The calculator page as a visitor sees it, in Debian's Chromium through Playwright.

Every wait is on something visible (text, a drawn chart, the address bar), never a fixed sleep.
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from calculator.charts import EQUITY_POINTS
from tests.browser.morph import nodes_kept, note_nodes

pytestmark = pytest.mark.browser

NO_JS_QUERY = "/?platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
PLOTLY = "/static/vendor/plotly/plotly-basic.min.js"
HTMX = "/static/django_htmx/htmx-2.min.js"

# Every plotly.js chart drawn: Plotly puts an <svg class="main-svg"> inside each figure's node.
CHARTS_DRAWN = """() => {
  const nodes = [...document.querySelectorAll('[data-figure]')];
  return nodes.length > 0 && nodes.every(n => n.querySelector('.main-svg'));
}"""

# Where the equity chart draws its liquidation line: the shape whose label says "Liquidation"
# (calculator/charts.py).
LIQUIDATION_LINE_X = """() => {
  const node = document.getElementById('chart-equity');
  const layout = node && node.layout;  // none between a swap and the redraw after it settles
  if (!layout || !layout.shapes) return null;
  const shape = layout.shapes.find(s => s.label && s.label.text === 'Liquidation');
  return shape && shape.x0 === shape.x1 ? shape.x0 : null;
}"""

# The equity line as plotly.js read it from the packed (base64 float64) arrays.
EQUITY_LINE_POINTS = """() => {
  const trace = document.getElementById('chart-equity')._fullData
    .find(t => t.name === 'Equity if never liquidated');
  if (!trace) return null;
  const x = Array.from(trace.x), y = Array.from(trace.y);
  return {count: x.length, finite: x.concat(y).every(Number.isFinite), first: x[0], last: x[x.length - 1]};
}"""


def text_of(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def dollars(text: str) -> Decimal:
    """'$45,454.55' → Decimal('45454.55') (the page writes minus as U+2212)."""
    return Decimal(text.replace("$", "").replace(",", "").replace("−", "-"))


def open_calculator(page, url: str) -> None:
    page.goto(url)
    page.locator("#answer").wait_for()
    page.wait_for_function(CHARTS_DRAWN)


def wait_until_text_changes(page, selector: str, old: str) -> None:
    page.wait_for_function(
        "([selector, old]) => {"
        "  const node = document.querySelector(selector);"
        "  return node !== null && node.textContent.trim() !== old; }",
        arg=[selector, old],
    )


def test_first_visit_answers_and_draws_its_charts_from_this_server(site, page):
    requests, static_status = [], {}
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "response",
        lambda response: static_status.update({urlsplit(response.url).path: response.status}),
    )

    open_calculator(page, site + "/")

    assert text_of(page, "#answer")
    assert page.locator("[data-figure]").count() == 1  # equity, drawn by plotly.js
    assert page.locator("[data-figure] .main-svg").first.is_visible()
    # what you end with after each move: SVG in the page's HTML, one line per platform
    assert page.locator("#chart-crash polyline").count() >= 1
    assert page.locator("#chart-crash .lines-svg").is_visible()
    assert page.locator("#chart-crash[data-figure], #chart-crash .main-svg").count() == 0
    # who pays the deficit: bars in the page's HTML, which no script draws
    assert page.locator("#chart-coverage .bars-row").count() >= 1
    assert page.locator("#chart-coverage[data-figure], #chart-coverage .main-svg").count() == 0
    assert static_status.get(PLOTLY) == 200
    assert static_status.get(HTMX) == 200
    assert page.evaluate("typeof window.Plotly.react === 'function' && !!window.htmx")
    line = page.evaluate(EQUITY_LINE_POINTS)
    # the evenly spaced points plus the liquidation and bankruptcy prices
    assert EQUITY_POINTS <= line["count"] <= EQUITY_POINTS + 2 and line["finite"]
    assert line["first"] < 50000 < line["last"]  # the window runs through the entry price
    assert page.errors == []
    elsewhere = [url for url in requests if urlsplit(url).hostname != "127.0.0.1"]
    assert elsewhere == [], f"the page reached outside this server: {elsewhere}"


def test_changing_leverage_redraws_in_place_and_updates_the_address(site, page):
    open_calculator(page, site + "/")
    page.evaluate("window.__marker = 'still the same page'")
    old_answer = text_of(page, "#answer")
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")
    assert page.evaluate(LIQUIDATION_LINE_X) == pytest.approx(float(dollars(old_liquidation)))

    page.fill("#id_leverage", "20")
    page.wait_for_url(re.compile(r"[?&]leverage=20(&|$)"))
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)

    assert page.evaluate("window.__marker") == "still the same page"
    assert text_of(page, "#answer") != old_answer
    # the tab (and this scenario's entry in the history list) is titled with the new answer
    page.wait_for_function(
        "answer => document.title.startsWith(answer.slice(0, 60))", arg=text_of(page, "#answer")
    )
    assert page.locator("#results title").count() == 0
    new_liquidation = dollars(text_of(page, "[data-testid=liquidation-price]"))
    # 20x leaves half the room of 10x: a long is liquidated nearer to (below) the entry price.
    assert dollars(old_liquidation) < new_liquidation < Decimal(50000)
    params = parse_qsl(urlsplit(page.url).query, keep_blank_values=True)
    assert [name for name, value in params if value == ""] == []
    # The chart is redrawn after the swap settles; its liquidation line must follow the number.
    page.wait_for_function(
        f"x => ({LIQUIDATION_LINE_X})() !== null && Math.abs(({LIQUIDATION_LINE_X})() - x) < 0.01",
        arg=float(new_liquidation),
    )
    assert page.errors == []


# Counts plotly.js drawing calls from here on, per chart node.
COUNT_DRAWS = """() => {
  window.__draws = {};
  const react = window.Plotly.react;
  window.Plotly.react = function (node) {
    window.__draws[node.id] = (window.__draws[node.id] || 0) + 1;
    return react.apply(this, arguments);
  };
}"""


def assert_each_chart_drawn_once(page) -> None:
    """After a redraw (COUNT_DRAWS installed): the plotly.js chart drawn exactly once."""
    page.wait_for_function("() => Object.keys(window.__draws).length === 1")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__draws") == {"chart-equity": 1}


def test_a_redraw_draws_each_chart_once_and_keeps_no_copy_of_the_page(site, page):
    # htmx sends afterSettle to every element a response swapped (the results, the answer bar,
    # the error slots): listening for the request's target drew every chart three times.
    open_calculator(page, site + "/")
    page.evaluate(COUNT_DRAWS)
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")
    page.fill("#id_leverage", "20")
    page.wait_for_url(re.compile(r"leverage=20"))
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    # the earlier drawings stay on show until each chart is drawn again: count the draws
    assert_each_chart_drawn_once(page)
    # htmx keeps no copy of the page for the back button (copying and storing it was three
    # frames of every redraw on a phone): the back button asks the server instead.
    cache = page.evaluate("JSON.parse(sessionStorage.getItem('htmx-history-cache') || '[]')")
    assert cache == []
    assert page.errors == []


def test_a_redraw_morphs_the_results_in_place_and_keeps_the_drawings(site, page):
    """#23: the results are morphed into the new answer (idiomorph, htmx's morph extension),
    not replaced: the nodes that did not change stay, and each chart's drawing stays in its
    node until plotly.js draws the new one there. Replacing them made htmx fire two events on
    each removed node (the drawings alone are some 400) and the browser style and lay out the
    whole results and the re-inserted drawings again: most of a phone's redraw."""
    open_calculator(page, site + "/")
    page.evaluate("document.getElementById('chart-equity').scrollIntoView()")
    note_nodes(
        page,
        "#results",
        same={
            "charts": "[data-figure]",
            "heading": "#results h2",
            "bars": "#chart-coverage",
            "lines": "#chart-crash polyline",
        },
        shown={"svgShown": "#chart-equity .main-svg"},
    )
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")
    page.fill("#id_leverage", "20")
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    assert nodes_kept(page) == {
        "charts": True,
        "heading": True,
        "bars": True,
        "lines": True,
        "svgShown": True,
        "cleaned": 0,
    }
    # and the drawing in view is the new answer's, in its place
    page.wait_for_function(
        f"x => Math.abs(({LIQUIDATION_LINE_X})() - x) < 0.01",
        arg=float(dollars(text_of(page, "[data-testid=liquidation-price]"))),
    )
    page.wait_for_function(CHARTS_DRAWN)
    assert page.errors == []


# At the moment the results settle (a listener added after calculator.js's): for each chart,
# whether it is in view, whether it has been drawn for the new answer yet, and whether its box
# shows a drawing. Then the order the charts are drawn in, and whether a frame (the one showing
# the new answer) came before each.
NOTE_AT_SETTLE = """() => {
  window.__order = [];
  const react = window.Plotly.react;
  window.Plotly.react = function (node) {
    window.__order.push([node.id, !!window.__painted]);
    return react.apply(this, arguments);
  };
  document.addEventListener('htmx:afterSettle', e => {
    if (e.target.id !== 'results') return;
    window.__painted = false;
    requestAnimationFrame(() => { window.__painted = true; });
    window.__atSettle = Object.fromEntries([...document.querySelectorAll('[data-figure]')].map(node => {
      const box = node.getBoundingClientRect();
      return [node.id, {inView: box.bottom > 0 && box.top < innerHeight,
                        drawn: !!window.__draws[node.id], shows: !!node.querySelector('.main-svg')}];
    }));
  });
}"""


@pytest.mark.parametrize("scroll_to", ["", "chart-equity"])
def test_the_answer_is_painted_first_then_the_chart_in_view_then_the_others(site, page, scroll_to):
    """#23: the new answer is painted before any chart is drawn (a chart costs a phone 50-90 ms),
    with the earlier answer's charts kept in their places rather than empty boxes; the
    chart in view is drawn first, in the task after that frame, and each chart once."""
    open_calculator(page, site + "/")
    page.evaluate(COUNT_DRAWS)
    page.evaluate(NOTE_AT_SETTLE)
    if scroll_to:
        page.evaluate(f"document.getElementById('{scroll_to}').scrollIntoView()")
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")
    page.evaluate(
        "() => { const f = document.getElementById('id_leverage'); f.value = '20';"
        " f.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    page.wait_for_function("() => Object.keys(window.__draws).length === 1")
    at_settle = page.evaluate("window.__atSettle")
    assert not any(state["drawn"] for state in at_settle.values())
    # every earlier drawing stays on show in its node (the results are morphed, not replaced)
    assert all(state["shows"] for state in at_settle.values())
    assert any(state["inView"] for state in at_settle.values()) == bool(scroll_to)
    order = page.evaluate("window.__order")
    assert all(after_frame for _, after_frame in order)
    if scroll_to:
        assert order[0][0] == scroll_to
    assert set(page.evaluate("window.__draws").values()) == {1}
    # and the drawings are the new answer's: the liquidation line where the number says
    page.wait_for_function(
        f"x => Math.abs(({LIQUIDATION_LINE_X})() - x) < 0.01",
        arg=float(dollars(text_of(page, "[data-testid=liquidation-price]"))),
    )
    assert page.locator("#chart-equity .main-svg").count() >= 1
    assert page.errors == []


# Resolves after the next frame and the tasks queued from it (where charts near the screen,
# and the reports of which charts are near, arrive).
AFTER_NEXT_FRAME = """() => new Promise(resolve =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 100))))"""


def test_on_a_phone_charts_out_of_reach_wait_until_the_visitor_scrolls_to_them(site, browser):
    """On a phone the charts are below the form: a redraw while the visitor types up there
    draws none of them (each costs a phone's CPU tens of milliseconds); scrolling down draws
    the new scenario's."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    try:
        page = context.new_page()
        page.goto(site + "/")
        page.locator("#chart-equity").scroll_into_view_if_needed()  # plotly.js is fetched
        page.wait_for_function(CHARTS_DRAWN)
        page.evaluate("window.scrollTo(0, 0)")
        page.evaluate(COUNT_DRAWS)
        old_liquidation = text_of(page, "[data-testid=liquidation-price]")

        page.fill("#id_leverage", "20")
        wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
        page.evaluate(AFTER_NEXT_FRAME)
        page.wait_for_load_state("networkidle")

        assert page.evaluate("window.__draws") == {}
        page.locator("#chart-equity").scroll_into_view_if_needed()
        new_liquidation = dollars(text_of(page, "[data-testid=liquidation-price]"))
        page.wait_for_function(
            f"x => Math.abs(({LIQUIDATION_LINE_X})() - x) < 0.01", arg=float(new_liquidation)
        )
        page.wait_for_function("() => Object.keys(window.__draws).length === 1")
        assert set(page.evaluate("window.__draws").values()) == {1}
    finally:
        context.close()


def test_an_opened_data_table_stays_open_while_the_visitor_types(site, page):
    open_calculator(page, site + "/")
    page.click("#table-crash summary")
    page.click("#maths summary")
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")

    page.fill("#id_leverage", "20")
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)

    assert page.evaluate("document.getElementById('table-crash').open")
    assert page.evaluate("document.getElementById('maths').open")
    assert not page.evaluate("document.getElementById('table-equity').open")
    # The redraw sends the maths box empty; being open, it fetches the new scenario's steps.
    page.wait_for_function("() => document.getElementById('maths').innerText.includes('20×')")
    assert "10×" not in text_of(page, "#maths")
    # The redraw sends the closed tables empty too; opening one fetches its numbers.
    page.click("#table-equity summary")
    page.wait_for_function("() => document.querySelectorAll('#table-equity tbody tr').length > 1")
    assert page.errors == []


def test_the_maths_opened_after_a_redraw_shows_the_new_scenarios_steps(site, page):
    open_calculator(page, site + "/")
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")
    page.fill("#id_leverage", "25")
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    assert not page.locator("#maths ol").count()  # not sent with the redraw

    page.click("#maths summary")

    page.wait_for_selector("#maths ol li")
    assert "25×" in text_of(page, "#maths")
    liquidation = text_of(page, "[data-testid=liquidation-price]")
    assert liquidation in text_of(page, "#maths")  # the steps end where the key number says
    assert page.errors == []


def test_leaving_a_field_after_typing_does_not_ask_for_the_same_scenario_again(site, page):
    open_calculator(page, site + "/")
    redraws = []
    page.on(
        "request",
        lambda request: (
            redraws.append(request.url)
            if request.headers.get("hx-request") and urlsplit(request.url).path == "/"
            else None
        ),
    )
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")

    page.fill("#id_leverage", "20")  # "input" and "change" both fire
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    page.click("#id_entry_price")  # leaving the field: another "change"
    page.keyboard.press("Tab")
    page.wait_for_timeout(600)  # longer than the form's delays: any further request has left

    assert len(redraws) == 1, redraws
    assert "leverage=20" in redraws[0]

    page.fill("#id_leverage", "25")  # a new scenario is asked for at once
    page.wait_for_url(re.compile(r"leverage=25"))
    assert len(redraws) == 2
    assert page.errors == []


def test_back_button_restores_the_previous_scenario(site, page):
    open_calculator(page, site + "/")
    old_answer = text_of(page, "#answer")
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")
    page.fill("#id_leverage", "20")
    page.wait_for_url(re.compile(r"leverage=20"))
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)

    page.go_back()

    page.wait_for_function("() => document.getElementById('id_leverage').value === '10'")
    assert text_of(page, "#answer") == old_answer
    assert text_of(page, "[data-testid=liquidation-price]") == old_liquidation
    assert "leverage=20" not in page.url
    page.wait_for_function(CHARTS_DRAWN)
    # asking again for the scenario the back button left is a new request, not a repeat
    page.fill("#id_leverage", "20")
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    assert page.errors == []


def test_the_back_button_asks_the_server_and_draws_the_restored_charts_once(
    site, page, history_restores
):
    """htmx keeps no copy of the page: going back asks the server for the address's scenario
    and swaps in the form and the results only, with their charts. The scripts after them are
    not run again: when the whole body came back, a second htmx and calculator.js started, and
    every later redraw drew each chart twice."""
    open_calculator(page, site + "/")
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")
    page.evaluate("window.__firstHtmx = window.htmx")
    page.fill("#id_leverage", "20")
    page.wait_for_url(re.compile(r"leverage=20"))
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    page.wait_for_function(
        f"x => Math.abs(({LIQUIDATION_LINE_X})() - x) > 1", arg=float(dollars(old_liquidation))
    )
    page.evaluate(COUNT_DRAWS)

    page.go_back()

    page.wait_for_function("() => document.getElementById('id_leverage').value === '10'")
    assert [urlsplit(url).path for url in history_restores] == ["/"]
    assert page.locator("#calc-form").count() == 1  # the form, not the results alone
    assert page.locator(".site-header").count() == 1  # not a page inside the page
    assert text_of(page, "[data-testid=liquidation-price]") == old_liquidation
    # the restored scenario's charts: the liquidation line is back where the number says
    page.wait_for_function(
        f"x => Math.abs(({LIQUIDATION_LINE_X})() - x) < 0.01", arg=float(dollars(old_liquidation))
    )
    page.wait_for_function("() => Object.keys(window.__draws).length === 1")
    assert page.evaluate("window.__firstHtmx === window.htmx")
    # the next redraw draws each chart once, as before the back button
    page.evaluate("window.__draws = {}")
    page.fill("#id_leverage", "30")
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    assert_each_chart_drawn_once(page)
    assert page.errors == []


# The form's values as the page would send them (the chosen platform's compare box is
# disabled, so not sent), sorted, for comparing with an address's query.
FORM_VALUES = """() => [...new FormData(document.getElementById('calc-form'))]
  .filter(([name, value]) => value !== '').map(pair => pair.join('=')).sort()"""


def test_the_back_button_walks_back_through_each_scenario_with_its_own_fields(site, page):
    # htmx's copies of the page hold the fields as the server first wrote them: back on an
    # earlier scenario, the form showed the first page's leverage beside that scenario's
    # results. And the account list's request pushed its own address (/calculator/scopes…)
    # into the history. htmx keeps no copy of the page: each step back is asked for again.
    # Bybit is ticked to compare, then chosen: back before that, its box is ticked again.
    open_calculator(page, site + "/")
    entries = page.evaluate("history.length")
    steps = [
        lambda: page.fill("#id_leverage", "11"),
        lambda: page.check('input[name="compare"][value="bybit"]'),
        lambda: page.select_option("#id_platform", "bybit"),
        lambda: page.fill("#id_leverage", "13"),
        lambda: page.fill("#id_leverage", "14"),
    ]
    addresses = [page.url]
    for step in steps:
        old_results = text_of(page, "#results")  # ticking a box to compare adds a line
        step()
        page.wait_for_function("old => location.href !== old", arg=addresses[-1])
        wait_until_text_changes(page, "#results", old_results)
        addresses.append(page.url)
    assert page.evaluate("history.length") == entries + len(steps)  # one entry per answer
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None

    for address in reversed(addresses[:-1]):
        page.go_back()
        page.wait_for_function("address => location.href === address", arg=address)
        query = urlsplit(address).query
        if not query:  # the first page: the server's defaults
            page.wait_for_function("() => document.getElementById('id_leverage').value === '10'")
            continue
        expected = sorted(f"{name}={value}" for name, value in parse_qsl(query))
        page.wait_for_function(
            f"expected => JSON.stringify(({FORM_VALUES})()) === JSON.stringify(expected)",
            arg=expected,
        )
        platform = dict(parse_qsl(query))["platform"]
        assert text_of(page, "#answer").startswith(f"On {platform.capitalize()}")
    page.wait_for_function(CHARTS_DRAWN)
    assert page.errors == []


def test_a_bad_value_is_explained_beside_its_field_and_the_last_answer_stays(site, page):
    open_calculator(page, site + "/")
    answer = text_of(page, "#answer")
    address = page.url

    page.fill("#id_entry_price", "")
    page.wait_for_function("() => document.getElementById('err-entry_price').textContent.trim()")

    assert text_of(page, "#answer") == answer
    assert page.locator("#answer").is_visible()
    assert page.url == address  # the last good scenario stays in the address bar
    assert page.evaluate(CHARTS_DRAWN)  # nothing swapped: the drawings stay on show

    page.fill("#id_entry_price", "50000")
    page.wait_for_function("() => !document.getElementById('err-entry_price').textContent.trim()")
    assert text_of(page, "#answer") == answer
    assert page.errors == []


# What a screen reader would announce: the text of every live region (role=status/alert or
# aria-live), except those hidden from it entirely (display: none).
LIVE_REGIONS = """() => [...document.querySelectorAll(
    '[aria-live]:not([aria-live=off]), [role=status], [role=alert]')]
  .filter(n => getComputedStyle(n).display !== 'none')
  .map(n => ({id: n.id, text: n.textContent.trim()}))"""


def test_a_screen_reader_hears_the_new_answer_not_the_whole_results(site, page):
    open_calculator(page, site + "/")
    old_answer = text_of(page, "#answer")

    page.fill("#id_leverage", "20")
    wait_until_text_changes(page, "#answer", old_answer)

    spoken = {region["id"]: region["text"] for region in page.evaluate(LIVE_REGIONS)}
    assert spoken["answer-status"] == text_of(page, "#answer") != old_answer
    assert page.evaluate("document.getElementById('results').getAttribute('aria-live')") is None
    # nothing else that changed with the redraw is announced
    assert not any(old_answer in text or "Show the data" in text for text in spoken.values())

    page.fill("#id_entry_price", "-5")
    page.wait_for_function(
        "() => document.getElementById('answer-status').textContent.startsWith('Not updated')"
    )
    assert "Entry price must be more than 0" in text_of(page, "#answer-status")
    assert page.errors == []


def test_without_javascript_the_page_answers_and_the_form_submits(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + NO_JS_QUERY)
        assert text_of(page, "#answer")
        old_liquidation = text_of(page, "[data-testid=liquidation-price]")
        # Every chart's numbers are in the HTML as a table, for screen readers and no-JS; the
        # bars of who pays the deficit are HTML already, with their amounts as text.
        assert page.locator("figure details.chart-table table").count() == 2
        assert page.locator("#chart-coverage .bars-row").first.is_visible()
        assert page.locator("details.chart-table tbody tr").count() > 3

        page.fill("#id_leverage", "20")
        with page.expect_navigation():
            page.get_by_role("button", name="Calculate").click()

        assert "leverage=20" in page.url
        assert text_of(page, "#answer")
        assert text_of(page, "[data-testid=liquidation-price]") != old_liquidation
    finally:
        context.close()


def test_keyboard_alone_reaches_the_main_controls_and_enter_submits(site, page):
    open_calculator(page, site + "/")
    old_liquidation = text_of(page, "[data-testid=liquidation-price]")
    page.locator("body").focus()
    wanted = {"id_platform", "id_leverage", "calculate"}
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " return el.type === 'submit' && el.textContent.trim() === 'Calculate'"
            " ? 'calculate' : el.id; }"
        )
        reached.append(focused)
        if focused == "calculate":
            break
    assert wanted <= set(reached), f"Tab order reached only: {reached}"
    order = [reached.index(name) for name in ("id_platform", "id_leverage", "calculate")]
    assert order == sorted(order)

    # Back to the leverage box by keyboard, type a new value and press Enter.
    for _ in range(80):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.id") == "id_leverage":
            break
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"[?&]leverage=5(&|$)"))
    wait_until_text_changes(page, "[data-testid=liquidation-price]", old_liquidation)
    page.locator("#answer").wait_for()
    assert page.locator("#id_leverage").input_value() == "5"


@pytest.mark.parametrize("width", [1280, 360])
def test_screenshots_for_review_and_no_sideways_scroll_on_a_phone(
    site, browser, screenshots_dir, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(site + "/")
        # plotly.js is fetched once a chart comes near the screen (on a phone, below the form)
        page.locator("#chart-equity").scroll_into_view_if_needed()
        page.wait_for_function(CHARTS_DRAWN)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=screenshots_dir / f"calculator-{width}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"page is {scroll_width}px wide in a {width}px window"
    finally:
        context.close()


def test_copy_link_button_copies_or_shows_the_address(site, context, page):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    open_calculator(page, site + "/")

    page.get_by_role("button", name="Copy link to this scenario").click()

    status = page.locator(".copy-status")
    page.wait_for_function("() => document.querySelector('.copy-status').textContent.trim() !== ''")
    message = status.inner_text().strip()
    # the scenario on show, not the bare "/" of a first visit
    assert message == "Link copied" or message.startswith(f"Copy this address: {site}/?")
    if message == "Link copied":
        assert page.evaluate("navigator.clipboard.readText()").startswith(site + "/?platform=")


GUARANTEED = (
    "/?platform=esma-fca-retail-cfd&margin_mode=cross&wallet_balance=1000&entry_price=50000"
    "&leverage=2&gap=0.05&stop_price=45000&guaranteed_stop=true"
)


def test_switching_to_a_platform_without_guaranteed_stops_unticks_and_explains(site, page):
    open_calculator(page, site + GUARANTEED)
    assert "guaranteed stop closed the position at $45,000.00" in text_of(page, "#results")
    assert page.is_checked("#id_guaranteed_stop")

    answer = text_of(page, "#answer")
    page.select_option("#id_platform", "binance")
    wait_until_text_changes(page, "#answer", answer)

    # The stop went as an ordinary one: no refusal beside the field, an answer on Binance.
    assert not page.is_checked("#id_guaranteed_stop")
    assert page.is_disabled("#id_guaranteed_stop")
    assert text_of(page, "#help-guaranteed_stop").startswith(
        "Our Binance profile has no guaranteed stop"
    )
    assert text_of(page, "#err-guaranteed_stop") == ""
    assert text_of(page, "#answer").startswith("On Binance")
    assert "guaranteed_stop" not in page.url

    page.select_option("#id_platform", "esma-fca-retail-cfd")
    page.wait_for_function("() => !document.getElementById('id_guaranteed_stop').disabled")
    assert "IG does" in text_of(page, "#help-guaranteed_stop")
    page.check("#id_guaranteed_stop")  # maybe while the platform's redraw is in flight
    page.wait_for_function(
        "() => document.getElementById('results').textContent.includes('guaranteed stop closed')"
    )
    assert page.errors == []


def test_a_message_in_the_closed_advanced_section_opens_it(site, page):
    open_calculator(page, site + "/")
    assert not page.locator("details.advanced").evaluate("node => node.open")
    page.select_option("#id_contract", "loan")
    page.wait_for_function("() => document.getElementById('err-collateral').textContent.trim()")
    page.wait_for_function("() => document.querySelector('details.advanced').open")
    assert page.locator("#err-collateral").is_visible()
    assert page.errors == []


def test_switching_to_an_inverse_contract_keeps_the_deposits_value(site, page):
    # $1,000 of margin at $50,000 is 0.02 coin, not 1,000 coin (a $50 million deposit).
    open_calculator(page, site + "/")
    answer = text_of(page, "#answer")
    page.select_option("#id_contract", "inverse")
    wait_until_text_changes(page, "#answer", answer)
    assert page.input_value("#id_margin") == "0.02"
    assert "your 0.02 coin deposit" in text_of(page, "#answer")
    answer = text_of(page, "#answer")
    page.select_option("#id_contract", "linear")
    wait_until_text_changes(page, "#answer", answer)
    assert page.input_value("#id_margin") == "1000"
    assert page.errors == []


def test_switching_to_a_loan_makes_a_short_position_long(site, page):
    # a short on Binance, then Aave, which only lends: choosing its loan sets the side, instead
    # of a message that a collateralised loan is long its collateral
    open_calculator(page, site + "/")
    answer = text_of(page, "#answer")
    page.check('input[name="side"][value="short"]')
    wait_until_text_changes(page, "#answer", answer)
    page.select_option("#id_platform", "aave")
    page.wait_for_function("() => document.getElementById('err-contract').textContent.trim()")
    page.select_option("#id_contract", "loan")
    assert page.is_checked('input[name="side"][value="long"]')
    page.wait_for_function("() => document.getElementById('err-collateral').textContent.trim()")
    assert text_of(page, "#err-side") == ""
    assert page.errors == []


def test_switching_to_cross_margin_carries_the_deposit_to_the_wallet(site, page):
    # The same $1,000 backs the same 10x position either way, so the answer may read the same:
    # wait for the address bar, which the redraw updates.
    open_calculator(page, site + "/")
    page.check("input[name=margin_mode][value=cross]")
    page.wait_for_url(re.compile(r"margin_mode=cross"))
    assert page.input_value("#id_wallet_balance") == "1000"
    assert page.input_value("#id_margin") == ""
    query = dict(parse_qsl(urlsplit(page.url).query))
    assert query["wallet_balance"] == "1000" and "margin" not in query
    assert text_of(page, "#err-margin") == "" and text_of(page, "#err-wallet_balance") == ""
    assert "1,000.00" in text_of(page, "#answer")
    page.check("input[name=margin_mode][value=isolated]")
    page.wait_for_url(re.compile(r"margin_mode=isolated"))
    assert page.input_value("#id_margin") == "1000"
    assert page.input_value("#id_wallet_balance") == ""
    assert page.errors == []


def test_the_chosen_platform_is_not_also_offered_to_compare_with(site, page):
    # The default compares BitMEX; choosing BitMEX above disables its box (not sent, so not
    # in the address), and choosing another platform brings the comparison back.
    open_calculator(page, site + "/")
    bitmex = 'input[name=compare][value="bitmex"]'
    assert page.is_disabled('input[name=compare][value="binance"]')  # the default platform
    answer = text_of(page, "#answer")
    page.select_option("#id_platform", "bitmex")
    wait_until_text_changes(page, "#answer", answer)
    assert page.is_disabled(bitmex) and page.is_checked(bitmex)
    assert "compare=bitmex" not in page.url
    assert "With BitMEX" not in text_of(page, "#results")
    answer = text_of(page, "#answer")
    page.select_option("#id_platform", "okx")
    wait_until_text_changes(page, "#answer", answer)
    assert not page.is_disabled(bitmex)
    assert "compare=bitmex" in page.url and "With BitMEX" in text_of(page, "#results")
    assert page.errors == []


def test_a_slow_account_list_still_arrives_after_a_platform_change(site, page):
    # The Account select fetches the new platform's accounts while the form asks for a redraw
    # 50 ms later. They used to share the form's request queue, where the redraw replaced
    # (aborted) a list still on its way: the select kept the old platform's accounts, and
    # htmx logged the abort as a console error. Each now queues on its own.
    def slow(route):
        time.sleep(0.4)
        route.continue_()

    open_calculator(page, site + "/")
    page.route("**/calculator/scopes*", slow)
    page.select_option("#id_platform", "bitmex")
    page.wait_for_url(re.compile(r"platform=bitmex"))
    page.wait_for_function(
        "() => [...document.querySelectorAll('#id_scope option')]"
        ".some(o => o.value.startsWith('usdt-linear/'))"
    )
    assert not page.locator("#id_scope option[value^='usds-m/']").count()  # Binance's are gone
    assert page.errors == []
