"""The calculator's chart cards on a 360 px phone, in languages whose words run long or wide:
each chart's legend and axis labels stay inside the chart, above the "Show the data as a table"
line under it (#23: the equity chart's legend was reported over that line)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import SCREENSHOTS, TIMEOUT_MS

pytestmark = pytest.mark.browser

SCENARIO = "?platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05&compare=bitmex"

# For each drawn chart: its box, its legend's, its table line's, and the axis labels and titles
# that reach outside the chart's box (cut off by its edge).
BOXES = """() => [...document.querySelectorAll('.chart-card')].map(card => {
  const chart = card.querySelector('.chart');
  const box = chart.getBoundingClientRect();
  const legend = chart.querySelector('.legend');
  const labels = [...chart.querySelectorAll(
    '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext')];
  const outside = labels.filter(node => {
    const r = node.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5
      || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5);
  }).map(node => node.textContent);
  return {
    key: chart.dataset.figure,
    drawn: !!chart.querySelector('.main-svg'),
    chartBottom: box.bottom,
    legendBottom: legend ? legend.getBoundingClientRect().bottom : null,
    tableTop: card.querySelector('.chart-table > summary').getBoundingClientRect().top,
    outside,
  };
})"""


@pytest.fixture
def phone(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 360, "height": 780})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["", "ru/", "uk/", "zh-hans/"])
def test_chart_legends_and_labels_stay_inside_their_chart_at_360_px(site, phone, language):
    phone.goto(f"{site}/{language}{SCENARIO}")
    keys = phone.eval_on_selector_all(".chart", "nodes => nodes.map(n => n.dataset.figure)")
    assert {"equity", "crash"} <= set(keys)
    for key in keys:  # charts below the form are drawn when scrolled near
        phone.locator(f"#chart-{key}").scroll_into_view_if_needed()
        phone.wait_for_selector(f"#chart-{key} .main-svg")
    phone.screenshot(path=str(SCREENSHOTS / f"chart-cards-360-{language[:-1] or 'en'}.png"))
    for chart in phone.evaluate(BOXES):
        assert chart["drawn"], chart
        assert chart["outside"] == [], chart
        assert chart["chartBottom"] <= chart["tableTop"] + 0.5, chart
        if chart["legendBottom"] is not None:
            assert chart["legendBottom"] <= chart["chartBottom"] + 0.5, chart
            assert chart["legendBottom"] <= chart["tableTop"], chart
