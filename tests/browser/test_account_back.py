"""The account page's back button in Chromium: it asks the server for the address's account,
swaps in the form and results only, and leaves htmx and account.js running once.

When htmx restored its copy of the whole body, the scripts in it ran again (htmx 2 runs
swapped-in scripts): a second htmx and a second account.js, and from then on every redraw drew
the map twice. The copy also held the form as the server first wrote it, so the fields showed
the first account beside a later account's results.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.test_account_page import (
    MAP_DRAWN,
    MAP_REDRAWN,
    MARK_MAP,
    open_account,
    text_of,
    wait_until_text_changes,
)

# Counts plotly.js drawing calls from the first script on, per chart node, on every document
# the tab loads (so a reload would start the count again, and show as a missing draw).
COUNT_DRAWS = """(() => {
  window.__draws = {};
  window.__scripts = {};
  let plotly;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get() { return plotly; },
    set(value) {
      plotly = value;
      for (const name of ['newPlot', 'react']) {
        const original = value[name];
        value[name] = function (node) {
          window.__draws[node.id] = (window.__draws[node.id] || 0) + 1;
          return original.apply(this, arguments);
        };
      }
    },
  });
  // every script the document runs, by its file name
  new MutationObserver(records => records.forEach(record => record.addedNodes.forEach(node => {
    if (node.tagName === 'SCRIPT' && node.src) {
      const name = new URL(node.src).pathname.split('/').pop();
      window.__scripts[name] = (window.__scripts[name] || 0) + 1;
    }
  }))).observe(document, { childList: true, subtree: true });
})();"""

SCENARIO = """() => ({
  mark: document.getElementById('id_positions-1-mark_price').value,
  answer: document.getElementById('answer').textContent.trim(),
  ratio: document.getElementById('margin-ratio').textContent.trim(),
})"""


def redraw(page, mark: str) -> None:
    """Types a new mark for the second position and waits for its answer and its map."""
    before = text_of(page, "#answer")
    page.evaluate(MARK_MAP)
    page.fill("#id_positions-1-mark_price", mark)
    page.wait_for_url(f"**positions-1-mark_price={mark}**")
    wait_until_text_changes(page, "#answer", before)
    page.wait_for_function(MAP_REDRAWN)
    page.wait_for_load_state("networkidle")


def assert_each_script_ran_once(page) -> None:
    scripts = page.evaluate("window.__scripts")
    assert "account.js" in scripts and any(name.startswith("htmx") for name in scripts)
    assert set(scripts.values()) == {1}, scripts


def go_back_to(page, scenario: dict) -> None:
    """Goes back, and waits for the server's form and results (new nodes) showing `scenario`."""
    page.evaluate("document.getElementById('account-form').dataset.old = '1'")
    page.go_back()
    page.wait_for_function("() => !document.getElementById('account-form').dataset.old")
    page.wait_for_function(
        f"expected => JSON.stringify(({SCENARIO})()) === JSON.stringify(expected)", arg=scenario
    )
    page.wait_for_function(MAP_DRAWN)
    page.wait_for_load_state("networkidle")


def test_back_restores_the_account_from_the_server_and_draws_the_map_once(
    site, page, history_restores
):
    page.add_init_script(COUNT_DRAWS)
    open_account(page, site + "/account/")
    page.evaluate("window.__firstHtmx = window.htmx")
    redraw(page, "4000")
    earlier = page.evaluate(SCENARIO)
    earlier_url = page.url
    redraw(page, "4100")
    later = page.evaluate(SCENARIO)
    assert later["answer"] != earlier["answer"]
    # htmx keeps no copy of the page: each redraw would otherwise serialise and store it
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None

    page.evaluate("window.__draws = {}")
    go_back_to(page, earlier)

    assert page.url == earlier_url
    assert [urlsplit(url).query for url in history_restores] == [urlsplit(earlier_url).query]
    assert page.locator("#account-form").count() == 1  # the form and results, not a page
    assert page.locator(".site-header").count() == 1  # inside the page
    assert page.evaluate("window.__firstHtmx === window.htmx")  # the same document
    assert_each_script_ran_once(page)
    assert page.evaluate("window.__draws") == {"chart-map": 1}

    # the next redraw draws the map once, as before the back button
    page.evaluate("window.__draws = {}")
    redraw(page, "4200")
    assert page.evaluate("window.__draws") == {"chart-map": 1}
    assert_each_script_ran_once(page)
    assert page.errors == []


def test_back_twice_and_forward_walk_through_each_account_with_its_fields(site, page):
    open_account(page, site + "/account/")
    first = page.evaluate(SCENARIO)
    redraw(page, "4000")
    second = page.evaluate(SCENARIO)
    redraw(page, "4100")
    third = page.evaluate(SCENARIO)

    go_back_to(page, second)
    go_back_to(page, first)
    assert "?" not in page.url  # the first page's own address
    page.go_forward()
    page.wait_for_function(
        f"expected => JSON.stringify(({SCENARIO})()) === JSON.stringify(expected)", arg=second
    )
    page.go_forward()
    page.wait_for_function(
        f"expected => JSON.stringify(({SCENARIO})()) === JSON.stringify(expected)", arg=third
    )
    page.wait_for_function(MAP_DRAWN)
    assert page.errors == []


def test_back_after_adding_a_position_brings_back_the_rows_before_it(site, page):
    open_account(page, site + "/account/")
    redraw(page, "4000")
    before = page.evaluate(SCENARIO)
    page.click("#add-position")
    page.locator("#position-2").wait_for()
    page.wait_for_url("**positions-TOTAL_FORMS=3**")

    go_back_to(page, before)
    assert page.locator(".position-row").count() == 2
    assert page.locator("#positions-table tbody tr").count() == 2
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 360])
def test_screenshot_after_going_back(site, browser, screenshots_dir, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        open_account(page, site + "/account/")
        redraw(page, "4000")
        earlier = page.evaluate(SCENARIO)
        redraw(page, "4100")
        go_back_to(page, earlier)
        page.screenshot(path=screenshots_dir / f"account-back-{width}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"page is {scroll_width}px wide in a {width}px window"
        assert page.errors == []
    finally:
        context.close()


def test_a_page_a_reading_posted_takes_its_accounts_address_so_back_can_ask_for_it(
    site, page, settings
):
    # A reading is posted (the address stays out of links): the server cannot answer that
    # address again with a GET, so the page takes the address its form would push. Here the
    # reading fails (no such address) before any network, and renders the account page all
    # the same.
    settings.ACCOUNT_READING_ENABLED = True
    open_account(page, site + "/account/")
    page.click("#read-account summary")
    page.fill("#id_read_address", "not an address")
    with page.expect_navigation():
        page.click("#read-submit")
    page.locator("#answer").wait_for()
    page.locator("#err-read-address").filter(has_text="address").wait_for()
    assert urlsplit(page.url).path == "/account/"
    assert "positions-1-mark_price=3900" in page.url
    page.locator('[data-figure="map"]').scroll_into_view_if_needed()  # plotly.js comes near it
    page.wait_for_function(MAP_DRAWN)
    posted = page.evaluate(SCENARIO)
    redraw(page, "4000")

    go_back_to(page, posted)
    assert urlsplit(page.url).path == "/account/"
    # the posted page's own answer: 400, the reading having failed
    assert [error for error in page.errors if "400 (Bad Request)" not in error] == []
