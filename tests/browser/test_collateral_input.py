"""The collateral-assets input follows the platform select, as a visitor switches platforms."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


def test_collateral_input_shows_only_where_the_platform_counts_several_assets(site, page):
    call_command("seed_collateral", verbosity=0)
    page.goto(f"{site}/?platform=binance&margin_mode=cross&entry_price=60000&quantity=1")
    block = page.locator("#collateral-assets")
    assert block.is_visible()
    page.select_option("#id_platform", "bitmex")
    page.wait_for_function("() => document.getElementById('collateral-assets').hidden")
    page.select_option("#id_platform", "okx")
    page.wait_for_function("() => !document.getElementById('collateral-assets').hidden")
    # a typed value keeps the input in view wherever the visitor goes
    page.fill("#id_collateral_assets", "BTC:0.5")
    page.select_option("#id_platform", "bitmex")
    assert block.is_visible()
    assert page.errors == []
