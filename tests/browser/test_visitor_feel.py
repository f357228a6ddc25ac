"""What a visitor feels on the calculator page: a phone's first visit, a copied link, the compare
limit, an answer gone out of date, and the page without JavaScript.

Every wait is on something visible, never a fixed sleep.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from calculator.forms import MAX_COMPARED

from .conftest import TIMEOUT_MS, assert_plotly_waits_for_the_chart

pytestmark = pytest.mark.browser

CHARTS_DRAWN = """() => {
  const nodes = [...document.querySelectorAll('[data-figure]')];
  return nodes.length > 0 && nodes.every(n => n.querySelector('.main-svg'));
}"""
SCENARIO = "/?platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"


def test_a_phone_gets_the_answer_without_plotly_until_it_scrolls_to_a_chart(site, browser):
    assert_plotly_waits_for_the_chart(browser, site + "/", "#chart-equity", CHARTS_DRAWN)


def test_copy_link_on_a_first_visit_copies_the_whole_scenario_and_says_so(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    page.goto(site + "/")
    assert urlsplit(page.url).query == ""

    page.get_by_role("button", name="Copy link to this scenario").click()
    status = page.locator(".copy-status")
    status.filter(has_text="Link copied").wait_for()
    assert status.get_attribute("aria-live") == "polite"
    copied = page.evaluate("navigator.clipboard.readText()")
    query = parse_qs(urlsplit(copied).query)
    assert copied.startswith(site + "/?")
    assert query["platform"] and query["entry_price"] and query["margin"]
    assert all(value != [""] for value in query.values())
    context.close()


def test_at_most_max_compared_boxes_can_be_ticked(site, page):
    page.goto(site + "/?platform=binance")
    page.wait_for_load_state("load")
    compare_list = page.locator(".compare-list")
    assert compare_list.get_attribute("data-max-compared") == str(MAX_COMPARED)
    boxes = page.locator('.compare-list input[name="compare"]:not(:disabled)')
    assert boxes.count() > MAX_COMPARED  # enough platforms to try one too many
    for _ in range(MAX_COMPARED):
        page.locator(
            '.compare-list input[name="compare"]:not(:disabled):not(:checked)'
        ).first.check()
    ticked = page.locator('.compare-list input[name="compare"]:checked:not(:disabled)')
    assert ticked.count() == MAX_COMPARED
    # every box left unticked now waits
    assert (
        page.locator('.compare-list input[name="compare"]:not(:checked):not(:disabled)').count()
        == 0
    )
    page.wait_for_function(
        "() => new URLSearchParams(location.search).getAll('compare').length === 6"
    )

    ticked.first.uncheck()
    assert (
        page.locator('.compare-list input[name="compare"]:not(:checked):not(:disabled)').count() > 0
    )
    assert page.errors == []


def test_an_answer_for_an_earlier_input_says_it_is_out_of_date(site, page):
    page.goto(site + SCENARIO)
    page.locator("#answer").wait_for()
    page.fill("#id_margin", "-5")
    page.wait_for_function("() => document.getElementById('err-margin').textContent.trim()")
    note = page.locator("#results .stale-note")
    note.wait_for()
    assert note.inner_text() == "Out of date: fix the highlighted field."
    assert "is-stale" in page.locator("#results").get_attribute("class")
    assert bar_prefix(page) == "Out of date: fix the highlighted field. "

    page.fill("#id_margin", "2000")
    note.wait_for(state="detached")
    assert "is-stale" not in page.locator("#results").get_attribute("class")
    # the valid answer empties the field's message (calculator.js, not a swap into each slot)
    assert page.locator("#err-margin").inner_text().strip() == ""
    assert page.errors == []


def test_without_javascript_the_tables_stand_in_for_the_charts(site, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(site + SCENARIO)
    assert page.locator("#table-equity table").is_visible()
    assert not page.locator("#chart-equity").is_visible()
    # the crash chart is SVG in the page, so it shows without JavaScript, its table one click away
    assert page.locator("#chart-crash polyline").first.is_visible()
    assert not page.locator("#table-crash table").is_visible()
    page.click("#table-crash summary")
    assert page.locator("#table-crash table").is_visible()
    assert not page.get_by_role("button", name="Copy link to this scenario").is_visible()
    context.close()


def bar_prefix(page) -> str:
    """What the answer bar says before the (old) answer while it is out of date."""
    return page.evaluate(
        "JSON.parse(getComputedStyle(document.getElementById('answer-bar'), '::before').content)"
    )


def test_the_out_of_date_mark_is_in_the_page_language(site, page):
    page.goto(site + "/ru/" + SCENARIO.removeprefix("/"))
    page.locator("#answer").wait_for()
    page.fill("#id_margin", "-5")
    page.locator("#results .stale-note").wait_for()
    note = page.locator("#results .stale-note").inner_text()
    assert note == "Устарело: исправьте выделенное поле."
    assert "Out of date" not in bar_prefix(page)
    assert bar_prefix(page).strip() == note
    assert page.errors == []


def test_copy_link_and_a_failed_box_speak_the_page_language(site, browser):
    """The words calculator.js writes come from the page, so they are in its language."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    page.goto(site + "/ru/" + SCENARIO.removeprefix("/"))
    page.get_by_role("button", name="Скопировать ссылку на этот сценарий").click()
    page.locator(".copy-status").filter(has_text="Ссылка скопирована").wait_for()

    # a redraw sends the data tables empty; one that cannot be fetched says so, in Russian
    page.fill("#id_margin", "1500")
    page.wait_for_function("() => document.querySelector('#table-equity[data-lazy-url]')")
    page.route("**/calculator/table*", lambda route: route.abort())
    page.locator("#table-equity > summary").click()
    body = page.locator("#table-equity [data-lazy-body]")
    body.filter(has_text="Не удалось загрузить").wait_for()
    assert "could not be loaded" not in body.inner_text()
    context.close()
