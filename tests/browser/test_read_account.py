"""Bringing an account in Chromium: read a Hyperliquid address and see the account, its
liquidation map and the answer; paste a table and open it.

respx patches httpx inside the test's thread only, and the live server answers from another
thread; so the reader's transport is injectable (`readers.service.TRANSPORT`), and here it
serves the recorded answers of readers/recordings/ (README there cites them) to every thread.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from readers import service

RECORDINGS = Path(__file__).resolve().parents[2] / "readers" / "recordings"
HL_ADDRESS = "0x5e9ee1089755c3435139848e47e6635505d5a13a"
MAP_DRAWN = """() => {
  const node = document.querySelector('[data-figure="map"]');
  return node !== null && node.querySelector('.main-svg') !== null; }"""


AAVE_RPC = "https://rpc.example.test/base"
AAVE_ADDRESS = "0xe9526c721d489464079acb7568c1304af8687298"


def replay(request: httpx.Request) -> httpx.Response:
    if request.url == "https://api.hyperliquid.xyz/info":
        body = json.loads((RECORDINGS / "hyperliquid_clearinghouse_state.json").read_text())
        return httpx.Response(200, json=body)
    if request.url == AAVE_RPC:
        body = json.loads((RECORDINGS / "aave_base_user_account_data.json").read_text())
        return httpx.Response(200, json=body)
    return httpx.Response(404, json={"error": "not recorded"})


@pytest.fixture
def recorded_platforms(settings, monkeypatch):
    settings.ACCOUNT_READING_ENABLED = True
    settings.HYPERLIQUID_INFO_URL = "https://api.hyperliquid.xyz/info"
    settings.AAVE_RPC_URL = AAVE_RPC
    settings.AAVE_POOL_ADDRESS = "0xA238Dd80C259a72e81d7e4664a9801593F98d1c5"
    monkeypatch.setattr(service, "TRANSPORT", httpx.MockTransport(replay))


def read_address(page, site: str) -> None:
    page.goto(site + "/account/")
    page.locator("#read-account summary").click()
    page.select_option("#id_read_platform", "hyperliquid")
    page.fill("#id_read_address", HL_ADDRESS)
    page.locator("#read-submit").click()
    page.locator("#read-note").wait_for()
    page.locator("#answer").wait_for()
    page.locator('[data-figure="map"]').scroll_into_view_if_needed()  # plotly.js comes near it
    page.wait_for_function(MAP_DRAWN)
    page.evaluate("window.scrollTo(0, 0)")


def test_an_address_opens_its_account_with_the_map_and_the_answer(
    site, page, recorded_platforms, screenshots_dir
):
    read_address(page, site)
    assert "read from Hyperliquid" in page.locator("#read-note").inner_text()
    assert page.locator("#positions-table tbody tr").count() == 12
    assert page.locator("#answer").inner_text().strip()
    assert page.locator("#id_positions-0-mark_price").input_value() == "26961.2"
    assert HL_ADDRESS not in page.url  # sent by POST: not in the address bar
    page.screenshot(path=str(screenshots_dir / "read-account-desktop.png"), full_page=False)
    page.locator("#read-note a").click()  # "See the answer"
    page.locator("#account-results").screenshot(
        path=str(screenshots_dir / "read-account-results.png")
    )
    # an edit redraws as on any account, and keeps the time it was read
    page.fill("#id_positions-0-mark_price", "27500")
    page.wait_for_url("**/account/?*read_at=*")
    assert HL_ADDRESS not in page.url
    assert page.errors == []


def test_the_read_account_at_a_phones_width(site, browser, recorded_platforms, screenshots_dir):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        read_address(page, site)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
        page.screenshot(path=str(screenshots_dir / "read-account-360.png"), full_page=False)
        page.locator("#read-note").screenshot(path=str(screenshots_dir / "read-note-360.png"))
        # a malformed address: the form opens again with the message on its field
        page.locator("#read-account summary").click()
        page.fill("#id_read_address", "0x123")
        page.locator("#read-submit").click()
        page.locator("#err-read-address").filter(has_text="40 hexadecimal").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator("#read-account").screenshot(path=str(screenshots_dir / "read-error-360.png"))
    finally:
        context.close()


def test_a_pasted_table_is_previewed_then_opened(site, page, screenshots_dir):
    page.goto(site + "/account/")
    page.locator("#paste-account summary").click()
    page.fill(
        "#id_paste_text",
        "Symbol\tSize\tEntry Price\tMark Price\nBTCUSDT\t0.5\t100000\t98000\n"
        "ETHUSDT\t-12\t3400\t3900\nXRPUSDT\tlots\t1\t1\n",
    )
    page.locator("#paste-account button[type=submit]").click()
    page.locator("#paste-table").wait_for()
    assert "Line 4" in page.locator("#paste-errors").inner_text()
    assert page.locator("#paste-table tbody tr").count() == 2
    page.screenshot(path=str(screenshots_dir / "paste-preview-desktop.png"), full_page=True)
    page.fill("#id_open_wallet", "10000")
    page.locator("#open-account").click()
    page.locator("#answer").wait_for()
    assert page.locator("#positions-table tbody tr").count() == 2
    assert page.errors == []


def test_the_paste_preview_at_a_phones_width(site, browser, screenshots_dir):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(site + "/account/paste/")
        page.fill(
            "#id_text",
            "Symbol,Size,Entry Price,Mark Price,Margin Mode,Leverage\n"
            "BTCUSDT,0.5,100000,98000,Isolated,10\nETHUSDT,-12,3400,3900,Cross,\n",
        )
        page.locator("#preview").click()
        page.locator("#paste-table").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(screenshots_dir / "paste-preview-360.png"), full_page=True)
    finally:
        context.close()


def test_an_aave_address_opens_the_calculator_on_its_loan(
    site, browser, recorded_platforms, screenshots_dir
):
    """The recorded Base-market account (health factor 0.998): one loan, read at a time."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(site + "/account/")
        page.locator("#read-account summary").click()
        page.select_option("#id_read_platform", "aave")
        page.fill("#id_read_address", AAVE_ADDRESS)
        page.locator("#read-submit").click()
        page.locator("#read-note").wait_for()
        assert "Aave account read on" in page.locator("#read-note").inner_text()
        assert AAVE_ADDRESS not in page.url
        assert page.locator("#id_debt").input_value() == "120.84228335"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
        page.screenshot(path=str(screenshots_dir / "read-aave-360.png"), full_page=False)
    finally:
        context.close()
