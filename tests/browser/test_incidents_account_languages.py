"""The incident page in Russian and the account page in Ukrainian on a 360 px phone: the
longest translations fit (no sideways scrolling outside the scrolling tables), with screenshots
to look at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command

from .conftest import TIMEOUT_MS
from .test_small_screens import OVERFLOW, PHONE

pytestmark = pytest.mark.browser

# A legend entry wider than its chart is cut off (Plotly never wraps one; the site's charts
# write theirs in the page, under the chart, where it must wrap inside the card).
LEGEND_OVERFLOW = """() => {
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    const right = chart.getBoundingClientRect().right;
    const card = chart.closest('.chart-card');
    const entries = [...chart.querySelectorAll('.legend .traces'),
      ...(card ? card.querySelectorAll('.chart-legend li') : [])];
    for (const entry of entries) {
      if (entry.getBoundingClientRect().right > right + 0.5) return entry.textContent;
    }
  }
  return null;
}"""
CHARTS_DRAWN = "() => document.querySelectorAll('.js-plotly-plot').length > 0"


@pytest.fixture
def phone(browser) -> Iterator:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def incidents(seeded) -> None:
    call_command("seed_incidents", verbosity=0)


def test_the_incident_page_fits_a_phone_in_russian(site, incidents, phone, screenshots_dir):
    query = "platform=hyperliquid&side=short&entry_price=120000&margin=1000&leverage=10"
    phone.goto(f"{site}/ru/incidents/october-2025-crash/?{query}")
    phone.locator("#chart-path").scroll_into_view_if_needed()
    phone.wait_for_selector("#chart-path .main-svg")
    names = phone.evaluate("Array.from(document.getElementById('chart-path').data, t => t.name)")
    assert "Опубликованные цены" in names, names
    assert "Ваша позиция на пути обвала" in phone.locator("#path-title").inner_text()
    phone.screenshot(path=str(screenshots_dir / "incident-360-ru.png"), full_page=True)
    phone.locator(".adl-night").screenshot(path=str(screenshots_dir / "incident-360-ru-adl.png"))
    phone.locator(".path-replay").screenshot(path=str(screenshots_dir / "incident-360-ru-path.png"))
    legend = phone.evaluate(LEGEND_OVERFLOW)
    assert legend is None, legend
    assert phone.evaluate(OVERFLOW) is None, phone.evaluate(OVERFLOW)


def test_the_account_page_fits_a_phone_in_ukrainian(site, phone, screenshots_dir):
    phone.goto(f"{site}/uk/account/")
    phone.locator('[data-figure="map"]').scroll_into_view_if_needed()  # plotly.js comes near it
    phone.wait_for_function(CHARTS_DRAWN)
    answer = phone.locator("#answer").inner_text()
    assert answer.startswith("Позиція ETHUSDT шорт залишає позиції BTCUSDT лонг"), answer
    phone.screenshot(path=str(screenshots_dir / "account-360-uk.png"), full_page=True)
    phone.locator("#account-results").screenshot(
        path=str(screenshots_dir / "account-360-uk-results.png")
    )
    phone.locator(".account-numbers").screenshot(
        path=str(screenshots_dir / "account-360-uk-numbers.png")
    )
    legend = phone.evaluate(LEGEND_OVERFLOW)
    assert legend is None, legend
    assert phone.evaluate(OVERFLOW) is None, phone.evaluate(OVERFLOW)


def test_the_incident_list_and_the_chance_page_fit_a_phone_in_russian(
    site, incidents, phone, screenshots_dir
):
    phone.goto(f"{site}/ru/incidents/")
    assert "Реальные обвалы" in phone.locator("h1").inner_text()
    phone.screenshot(path=str(screenshots_dir / "incidents-360-ru.png"), full_page=True)
    assert phone.evaluate(OVERFLOW) is None, phone.evaluate(OVERFLOW)
    query = "platform=binance&entry_price=50000&margin=1000&leverage=10&paths=1000&steps=50"
    phone.goto(f"{site}/ru/incidents/chance/?{query}")
    phone.locator("#chart-stress").scroll_into_view_if_needed()
    phone.wait_for_selector("#chart-stress .main-svg")
    phone.screenshot(path=str(screenshots_dir / "chance-360-ru.png"), full_page=True)
    assert phone.evaluate(OVERFLOW) is None, phone.evaluate(OVERFLOW)
    legend = phone.evaluate(LEGEND_OVERFLOW)
    assert legend is None, legend
