"""The calculator in nine languages: switching keeps the scenario and redraws in the new
language; every language fits a 360 px phone (Russian and Ukrainian run longest)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from .conftest import TIMEOUT_MS
from .test_calculator_page import CHARTS_DRAWN, open_calculator, text_of
from .test_markets import markets  # noqa: F401
from .test_small_screens import OVERFLOW, PHONE

pytestmark = pytest.mark.browser

EQUITY_TRACE = """() => {
  const node = document.getElementById('chart-equity');
  return node && node._fullData ? node._fullData[0].name.replace('<br>', ' ') : null;  // a legend name may wrap
}"""


def test_switching_language_keeps_the_scenario_and_redraws_in_it(site, page):
    open_calculator(page, site + "/")
    page.fill("#id_leverage", "20")
    page.wait_for_url(re.compile(r"[?&]leverage=20(&|$)"))
    page.wait_for_function(CHARTS_DRAWN)

    page.locator(".language-switch summary").click()
    note = text_of(page, ".language-note")
    assert "not by native speakers" in note
    page.locator('a[data-language-switch][hreflang="ru"]').click()

    page.wait_for_url(re.compile(r"/ru/\?.*leverage=20"))
    page.locator("#answer").wait_for()
    # the charts near the screen are drawn; one further down (Russian runs longer) waits for
    # the visitor to scroll to it
    page.locator("#chart-equity .main-svg").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert text_of(page, "#answer").startswith("На ")
    assert page.input_value("#id_leverage") == "20"
    assert page.evaluate(EQUITY_TRACE) == "Капитал, если бы не было ликвидации"
    # the locale's separators reach the chart: a decimal comma on its axes and hover text
    assert page.evaluate("document.getElementById('chart-equity')._fullLayout.separators") == (
        ",\u00a0"
    )
    assert "20×" in text_of(page, "#answer") or "20×" in page.content()
    assert page.errors == []

    # and back to English, which our own link does not redirect to the browser's language
    page.locator(".language-switch summary").click()
    page.locator('a[data-language-switch][hreflang="en"]').click()
    page.wait_for_url(re.compile(r"^" + re.escape(site) + r"/\?.*leverage=20"))
    page.locator("#answer").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.fixture
def russian_phone(browser):
    context = browser.new_context(viewport=PHONE, locale="ru-RU")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_a_browser_asking_for_russian_gets_russian(site, russian_phone):
    russian_phone.goto(site + "/?platform=bybit&leverage=25")
    russian_phone.wait_for_url(re.compile(r"/ru/\?platform=bybit&leverage=25"))
    assert russian_phone.locator("html").get_attribute("lang") == "ru"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_every_language_fits_a_phone(site, phone, screenshots_dir):
    wide = {}
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        phone.goto(
            f"{site}{prefix}/?platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
        )
        phone.locator("#answer").wait_for()
        phone.wait_for_load_state("load")
        phone.screenshot(path=str(screenshots_dir / f"calculator-360-{code}.png"), full_page=False)
        phone.locator(".language-switch summary").click()
        phone.screenshot(path=str(screenshots_dir / f"language-menu-360-{code}.png"))
        overflow = phone.evaluate(OVERFLOW)
        if overflow:
            wide[code] = overflow
    assert wide == {}, wide


def test_the_market_line_fits_a_phone_in_russian(site, markets, phone, screenshots_dir):  # noqa: F811
    phone.goto(f"{site}/ru/?platform=hyperliquid&symbol=SOL&gap=0.05")
    phone.locator("#market-answer").wait_for()
    phone.wait_for_load_state("load")
    phone.locator("#maths summary").click()
    phone.locator("#maths li").first.wait_for()
    phone.screenshot(path=str(screenshots_dir / "calculator-360-ru-market.png"), full_page=True)
    for part in ("market-field", "market-answer", "maths"):
        phone.locator(f"#{part}").screenshot(path=str(screenshots_dir / f"ru-360-{part}.png"))
    line = phone.locator("#market-answer").inner_text()
    assert "Рынок" in line and "цена маркировки 150,25" in line, line
    assert "При удержании 30 дней" in line, line
    assert "Маржа под риском" in phone.locator("#maths").inner_text()
    overflow = phone.evaluate(OVERFLOW)
    assert overflow is None, overflow
