"""The account page in Chromium: the map drawn, htmx redraws, adding and removing positions by
keyboard (focus moved, change announced), without JavaScript, and a phone's width."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests.browser.conftest import assert_plotly_waits_for_the_chart
from tests.browser.morph import nodes_kept, note_nodes

MAP_DRAWN = """() => {
  const node = document.querySelector('[data-figure="map"]');
  return node !== null && node.querySelector('.main-svg') !== null; }"""
# Before a redraw: notes the map's node and listens for plotly.js drawing it again. A redraw
# morphs the results and keeps the node (with its earlier drawing); the back button brings a
# new one. MAP_REDRAWN is true once the map on show was drawn after MARK_MAP.
MARK_MAP = """() => {
  const node = document.querySelector('[data-figure="map"]');
  window.__markedMap = node;
  window.__mapRedrawn = false;
  if (node && node.once) node.once('plotly_react', () => { window.__mapRedrawn = true; }); }"""
MAP_REDRAWN = """() => {
  const node = document.querySelector('[data-figure="map"]');
  return node !== null && node.querySelector('.main-svg') !== null
    && (node !== window.__markedMap || window.__mapRedrawn); }"""


def open_account(page, url: str) -> None:
    """The page with its map drawn, scrolled back to its top. plotly.js is fetched once the
    map is near the screen: on a phone, below the form, that takes a scroll to it."""
    page.goto(url)
    page.locator("#answer").wait_for()
    page.locator('[data-figure="map"]').scroll_into_view_if_needed()
    page.wait_for_function(MAP_DRAWN)
    page.evaluate("window.scrollTo(0, 0)")


def test_a_phone_gets_the_answer_without_plotly_until_it_scrolls_to_the_map(site, browser):
    assert_plotly_waits_for_the_chart(browser, site + "/account/", '[data-figure="map"]', MAP_DRAWN)


def text_of(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def wait_until_text_changes(page, selector: str, old: str) -> None:
    page.wait_for_function(
        "([selector, old]) => {"
        "  const node = document.querySelector(selector);"
        "  return node !== null && node.textContent.trim() !== old; }",
        arg=[selector, old],
    )


def account_query(count: int) -> str:
    query = {
        "wallet_balance": "20000",
        "positions-TOTAL_FORMS": str(count),
        "positions-INITIAL_FORMS": "0",
    }
    for index in range(count):
        query.update(
            {
                f"positions-{index}-symbol": f"COIN{index}USDT",
                f"positions-{index}-side": "long" if index % 2 == 0 else "short",
                f"positions-{index}-quantity": str(index + 1),
                f"positions-{index}-entry_price": str(1000 * (index + 1)),
            }
        )
    return urlencode(query)


def test_first_visit_answers_and_draws_the_map(site, page):
    open_account(page, site + "/account/")
    assert "from liquidation" in text_of(page, "#answer")
    assert page.locator("#positions-table tbody tr").count() == 2
    assert "below zero" in text_of(page, "#who-pays")
    assert page.locator("#coverage-table tbody tr").count() >= 1
    # the map's data table is there for anyone who cannot see the chart
    assert page.locator("#table-map tbody tr").count() == 13
    assert page.errors == []


def test_a_field_change_redraws_with_htmx_and_updates_the_address(site, page):
    open_account(page, site + "/account/")
    before = text_of(page, "#answer")
    page.fill("#id_positions-1-mark_price", "4100")
    wait_until_text_changes(page, "#answer", before)
    assert "positions-1-mark_price=4100" in page.url
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    # a bad value: the message on its field, the last good results kept
    answer = text_of(page, "#answer")
    page.fill("#id_positions-0-entry_price", "-5")
    page.locator("#err-positions-0-entry_price").filter(has_text="more than 0").wait_for()
    assert text_of(page, "#answer") == answer
    assert page.errors == []


def test_adding_and_removing_positions_by_keyboard_moves_focus_and_announces(site, page):
    open_account(page, site + "/account/")
    page.focus("#add-position")
    page.keyboard.press("Enter")
    page.locator("#position-2").wait_for()
    assert text_of(page, "#account-status") == "Position 3 added."
    page.wait_for_function("() => document.activeElement.id === 'id_positions-2-symbol'")
    page.keyboard.type("SOLUSDT")
    page.fill("#id_positions-2-quantity", "100")
    before = text_of(page, "#answer")
    page.fill("#id_positions-2-entry_price", "150")
    wait_until_text_changes(page, "#answer", before)
    assert page.locator("#positions-table tbody tr").count() == 3
    assert "positions-2-symbol=SOLUSDT" in page.url

    page.focus("#position-0 .remove-position")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.position-row').length === 2")
    assert text_of(page, "#account-status") == "Position 1 removed; 2 left."
    page.wait_for_function("() => document.activeElement.id === 'id_positions-0-symbol'")
    assert page.input_value("#id_positions-0-symbol") == "ETHUSDT"
    page.wait_for_function(MAP_DRAWN)
    query = dict(parse_qsl(urlsplit(page.url).query))
    assert query["positions-TOTAL_FORMS"] == "2" and "remove" not in query
    assert page.errors == []


def test_removing_right_after_typing_is_not_undone_by_the_typing_redraw(site, page):
    open_account(page, site + "/account/?" + account_query(3))

    def slowly(route):  # a slow network: the removal outlasts the typing pause
        time.sleep(0.8)
        route.continue_()

    page.route(lambda url: "remove=" in url, slowly)
    page.fill("#id_positions-2-quantity", "7")  # its redraw waits 100 ms for more typing
    page.click("#position-0 .remove-position")
    page.wait_for_function("() => document.querySelectorAll('.position-row').length === 2")
    page.wait_for_timeout(500)  # a late redraw must not undo the removal
    assert page.locator(".position-row").count() == 2
    assert page.input_value("#id_positions-1-quantity") == "7"
    assert page.locator("#positions-table tbody tr").count() == 2
    assert "positions-TOTAL_FORMS=2" in page.url
    assert page.errors == []


def test_without_javascript_the_buttons_and_the_form_still_work(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + "/account/")
        assert "from liquidation" in text_of(page, "#answer")
        page.click("#add-position")
        page.locator("#position-2").wait_for()
        assert "add=" not in page.url
        page.fill("#id_positions-2-symbol", "SOLUSDT")
        page.fill("#id_positions-2-quantity", "100")
        page.fill("#id_positions-2-entry_price", "150")
        page.click("#show-account")
        page.locator("#positions-table tbody tr").nth(2).wait_for()
        assert "SOLUSDT long" in text_of(page, "#positions-table")
        page.click("#position-1 .remove-position")
        assert "ETHUSDT" not in text_of(page, "#positions-table")
    finally:
        context.close()


def test_editing_a_five_position_account_redraws_the_answer_and_the_map_each_time(site, page):
    """Each value typed into a five-position account sends its own redraw (once the visitor
    pauses typing), whose answer replaces the one before and whose map is drawn in the kept
    node. How long that takes is measured in BENCHMARKS.md (scripts/bench_account.py), not here:
    no timed assertions in tests."""
    open_account(page, site + "/account/?" + account_query(5))
    answers = [text_of(page, "#answer")]
    for value in ("4100", "4200", "4300"):
        page.evaluate(MARK_MAP)
        with page.expect_request(lambda r, v=value: "/account/" in r.url and f"={v}" in r.url):
            page.fill("#id_positions-3-mark_price", value)
        wait_until_text_changes(page, "#answer", answers[-1])
        page.wait_for_function(MAP_REDRAWN)
        answers.append(text_of(page, "#answer"))
    assert len(set(answers)) == len(answers), answers


@pytest.mark.parametrize("width", [1280, 360])
def test_screenshots_and_no_sideways_scroll_on_a_phone(site, browser, screenshots_dir, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.errors = []
        open_account(page, site + "/account/")
        page.screenshot(path=screenshots_dir / f"account-{width}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"page is {scroll_width}px wide in a {width}px window"
    finally:
        context.close()


def test_a_good_value_after_a_bad_one_clears_the_message(site, page):
    """A redraw for valid input carries no error slots: the page empties them itself."""
    open_account(page, site + "/account/")
    page.fill("#id_positions-0-entry_price", "-5")
    page.locator("#err-positions-0-entry_price").filter(has_text="more than 0").wait_for()
    before = text_of(page, "#answer")
    page.fill("#id_positions-0-entry_price", "99000")
    wait_until_text_changes(page, "#answer", before)
    assert text_of(page, "#err-positions-0-entry_price") == ""
    assert page.locator("#account-form .error:not(:empty)").count() == 0
    assert page.errors == []


def test_the_answer_kept_after_bad_input_says_it_is_out_of_date(site, page):
    open_account(page, site + "/account/")
    answer = text_of(page, "#answer")
    page.fill("#id_positions-0-entry_price", "-5")
    page.locator("#account-results.is-stale .stale-note").wait_for()
    assert text_of(page, ".stale-note") == "Not updated: fix the highlighted fields."
    assert text_of(page, "#answer") == answer  # still there, dimmed
    page.fill("#id_positions-0-entry_price", "99000")
    wait_until_text_changes(page, "#answer", answer)
    assert page.locator(".stale-note").count() == 0
    assert "is-stale" not in (page.locator("#account-results").get_attribute("class") or "")
    assert page.errors == []


def test_the_map_on_screen_keeps_its_drawing_until_it_is_redrawn(site, page):
    """At the map, a redraw shows the new answer beside the earlier drawing (never an empty
    box), then redraws the map in the same node, its label the new answer's."""
    open_account(page, site + "/account/?" + account_query(3))
    page.evaluate("document.getElementById('chart-map').scrollIntoView()")
    page.evaluate(
        "window.__map = document.getElementById('chart-map');"
        "window.__label = window.__map.getAttribute('aria-label');"
        "window.__empty = false;"
        "new MutationObserver(() => {"
        "  const n = document.getElementById('chart-map');"
        "  if (n && !n.querySelector('.main-svg')) window.__empty = true;"
        "}).observe(document.getElementById('account-results'), {childList: true, subtree: true})"
    )
    before = text_of(page, "#answer")
    # typed without scrolling the field into view: the visitor is looking at the map
    page.evaluate(
        "const field = document.getElementById('id_positions-2-mark_price');"
        "field.value = '2400'; field.dispatchEvent(new Event('input', {bubbles: true}))"
    )
    wait_until_text_changes(page, "#answer", before)
    page.wait_for_function(
        "() => document.getElementById('chart-map').getAttribute('aria-label') !== window.__label"
    )
    assert page.evaluate("document.getElementById('chart-map') === window.__map")
    assert page.evaluate("window.__empty") is False
    page.wait_for_function(MAP_DRAWN)
    assert page.locator("[data-figure=map] .main-svg").count() >= 1
    assert page.errors == []


# The points the drawing on a chart's node shows (plotly.js's reading of its data), and those
# of the answer's data on the page (packed base64 arrays, unpacked here).
DRAWN_MARKS = """(id) => {
  const types = {f8: Float64Array, f4: Float32Array, i4: Int32Array, i2: Int16Array,
                 i1: Int8Array, u4: Uint32Array, u2: Uint16Array, u1: Uint8Array};
  const unpack = v => v && v.bdata ? Array.from(new types[v.dtype](
    Uint8Array.from(atob(v.bdata), c => c.charCodeAt(0)).buffer)) : Array.from(v || []);
  const points = traces => JSON.stringify(traces.map(t => [unpack(t.x), unpack(t.y)]));
  const node = document.getElementById(id);
  const figures = JSON.parse(document.getElementById('figures-data').textContent);
  return {drawn: node._fullData ? points(node._fullData) : null,
          answer: points(figures[node.dataset.figure].data)}; }"""


def test_a_redraw_morphs_the_results_in_place_and_keeps_the_drawing(site, page):
    """#23: the results are morphed into the new answer (idiomorph, htmx's morph extension),
    not replaced: the nodes that did not change stay, htmx cleans up none of the old results
    (it fired two events on each removed node, the map's drawing alone some 240), and the map's
    node keeps its drawing until plotly.js draws the new answer in it."""
    open_account(page, site + "/account/?" + account_query(3))
    page.evaluate("document.getElementById('chart-map').scrollIntoView()")
    note_nodes(
        page,
        "#account-results",
        same={"map": "#chart-map", "heading": "#positions-title"},
        shown={"svgShown": "#chart-map .main-svg"},
    )
    earlier = page.evaluate(DRAWN_MARKS, "chart-map")["drawn"]
    before = text_of(page, "#answer")
    page.evaluate(
        "const field = document.getElementById('id_positions-2-mark_price');"
        "field.value = '2400'; field.dispatchEvent(new Event('input', {bubbles: true}))"
    )
    wait_until_text_changes(page, "#answer", before)
    assert nodes_kept(page) == {"map": True, "heading": True, "svgShown": True, "cleaned": 0}
    # and the drawing is then the new answer's
    page.wait_for_function(
        f"([id, earlier]) => {{ const m = ({DRAWN_MARKS})(id);"
        " return m.drawn === m.answer && m.drawn !== earlier; }",
        arg=["chart-map", earlier],
    )
    assert nodes_kept(page)["cleaned"] == 0
    assert page.errors == []


def test_the_data_table_a_redraw_leaves_out_arrives_when_opened_and_stays_open(site, page):
    open_account(page, site + "/account/")
    before = text_of(page, "#answer")
    page.fill("#id_positions-1-mark_price", "4000")
    wait_until_text_changes(page, "#answer", before)
    assert page.locator("#table-map tbody tr").count() == 0  # left out of the redraw
    page.locator("#table-map summary").click()
    page.locator("#table-map tbody tr").nth(12).wait_for()
    first = text_of(page, "#table-map tbody")
    before = text_of(page, "#answer")
    page.fill("#id_positions-1-mark_price", "4200")
    wait_until_text_changes(page, "#answer", before)
    # the new scenario's table in full (not a moment between the redraw and its table)
    page.wait_for_function(
        "(old) => { const body = document.querySelector('#table-map tbody');"
        " return body && body.rows.length === 13 && body.innerText.trim() !== old.trim(); }",
        arg=first,
    )
    assert page.locator("#table-map").get_attribute("open") is not None
    assert page.errors == []
