"""An incident page in a real browser: the path chart draws with a close marked on it, at
desktop width and on a 360 px phone, with nothing wider than the screen."""

import pytest
from django.core.management import call_command

QUERY = (
    "?platform=binance&side=long&entry_price=50000&margin=1000&leverage=10"
    "&compare=bybit&compare=offshore-broker-example"
)


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_path_chart_draws_and_fits(site, incidents, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/incidents/eur-chf-2015/{QUERY}")
    chart = page.locator("#chart-path")
    chart.scroll_into_view_if_needed()
    page.wait_for_selector("#chart-path .main-svg", timeout=30_000)
    names = page.evaluate("Array.from(document.getElementById('chart-path').data, t => t.name)")
    assert "Closed on Binance" in names
    assert any(name.startswith("Your liquidation price") for name in names)
    cards = page.locator(".path-platform")
    assert cards.count() == 3
    assert "in the jump, min 5" in cards.first.inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert not errors
    context.close()
