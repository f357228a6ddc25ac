"""Markets as a visitor meets them: choosing a symbol on the calculator, and a profile's market
table on a phone. Every wait is on something visible, never a fixed sleep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from markets.importers import IMPORTERS
from markets.models import ImportRun, Market, MarketQuote
from markets.services import apply_readings
from platforms.profiles import bump_profiles_version

from .conftest import SCREENSHOTS, TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
# A few screens: the Binance profile ran to ~50,000 px on a phone before its products folded.
SCREENS = 8


@pytest.fixture
def markets(seeded):
    for slug in ("binance", "hyperliquid", "okx"):
        readings, sources = IMPORTERS[slug]().from_recordings()
        apply_readings(slug, readings, sources=sources, mode=ImportRun.Mode.RECORDING)
    sol = Market.objects.get(product_line__platform__slug="hyperliquid", symbol="SOL")
    MarketQuote.objects.update_or_create(
        market=sol,
        defaults={
            "mark_price": Decimal("150.25"),
            "funding_rate": Decimal("0.0001"),
            "source": "test quote",
            "read_at": dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC),
        },
    )
    Market.objects.filter(pk=sol.pk).update(from_snapshot=False)
    bump_profiles_version()


def test_choosing_a_symbol_starts_at_its_mark_and_redraws_the_answer(site, markets, page):
    page.goto(f"{site}/?platform=hyperliquid")
    page.wait_for_selector("#answer")
    assert page.locator("#market-answer").count() == 0
    symbol = page.locator("#id_symbol")
    symbol.fill("SOL")
    symbol.dispatch_event("change")
    answer = page.locator("#market-answer")
    answer.wait_for(state="visible")
    assert "SOL mark $150.25, read 6 Dec 2026" in answer.inner_text()
    assert (
        "Held for 30 days at the recent funding rate" in page.locator("#holding-cost").inner_text()
    )
    assert page.locator("#id_entry_price").input_value() == "150.25"
    assert page.locator("#market-mark").inner_text() == "SOL mark $150.25, read 6 Dec 2026"
    page.wait_for_function("() => location.search.includes('symbol=SOL')", timeout=TIMEOUT_MS)
    query = dict(parse_qsl(urlsplit(page.url).query))
    assert query["entry_price"] == "150.25" and query["symbol"] == "SOL"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "calculator-symbol-desktop.png"))
    assert page.errors == []


def test_a_new_platform_clears_the_symbol_and_lists_its_own_markets(site, markets, page):
    page.goto(f"{site}/?platform=hyperliquid&symbol=SOL")
    page.wait_for_selector("#market-answer")
    page.select_option("#id_platform", "okx")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#symbol-options option')]"
        ".some(o => o.value === 'BTC-USDT-SWAP')",
        timeout=TIMEOUT_MS,
    )
    assert page.locator("#id_symbol").input_value() == ""
    page.wait_for_function("() => !location.search.includes('symbol=SOL')", timeout=TIMEOUT_MS)
    assert page.errors == []


def test_the_binance_profile_is_a_few_screens_on_a_phone_and_never_scrolls_sideways(
    site, markets, browser
):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{site}/platforms/binance/")
        page.wait_for_selector("#markets")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= SCREENS * PHONE["height"], f"{height} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "profile-binance-360.png"), full_page=True)
        # opened, a product and a market's tiers still fit the width
        page.locator(".line-fold > summary").first.click()
        page.locator(".market-tiers > summary").first.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # the filter works without JavaScript: a plain GET form
        page.fill("#market-search", "ETH")
        page.click(".market-filter button")
        page.wait_for_url("**market=ETH**")
        symbols = page.locator(".market-row th a").all_inner_texts()
        assert symbols and all("ETH" in s for s in symbols)
        page.goto(f"{site}/platforms/binance/markets/")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= SCREENS * PHONE["height"], f"markets page: {height} px"
        page.goto(f"{site}/?platform=hyperliquid&symbol=SOL")
        page.wait_for_selector("#market-answer")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(SCREENSHOTS / "calculator-symbol-360.png"), full_page=True)
    finally:
        context.close()


def test_a_market_card_on_a_phone_keeps_its_mark_funding_and_date_apart_and_inside(
    site, markets, browser
):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{site}/platforms/hyperliquid/markets/?market=SOL")
        cell = page.locator(".market-row", has=page.locator("th a", has_text="SOL")).locator(
            "td[data-label='Mark price']"
        )
        text = " ".join(cell.inner_text().split())
        assert text.startswith("150.25 funding 0.01%"), text
        # every cell of every card wraps inside its card (a badge cut off at the edge before)
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('.market-row > td')]
                .filter(td => td.scrollWidth > td.clientWidth + 1).length"""
        )
        assert overflowing == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
