"""The calculator's chart cards on a 360 px phone, in languages whose words run long or wide:
each chart's axis labels stay inside the chart, and its legend (written in the page, under the
chart) sits between the chart and the "Show the data as a table" line, overlapping neither
(#23: plotly.js's own legend hung below the chart's fixed height, over that line)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import SCREENSHOTS, TIMEOUT_MS

pytestmark = pytest.mark.browser

SCENARIO = "?platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05&compare=bitmex"

# For each drawn chart: its box, its legend's (in the page), its table line's, whether plotly.js
# drew a legend of its own, and the axis labels and titles that reach outside the chart's box
# (cut off by its edge).
BOXES = """() => [...document.querySelectorAll('.chart-card:has(.chart)')].map(card => {
  const chart = card.querySelector('.chart');
  const box = chart.getBoundingClientRect();
  const legend = card.querySelector('.chart-legend');
  const labels = [...chart.querySelectorAll(
    '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext, .shape-label-text')];
  const outside = labels.filter(node => {
    const r = node.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5
      || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5);
  }).map(node => node.textContent);
  const keys = legend ? [...legend.querySelectorAll('li')].map(item => {
    const r = item.getBoundingClientRect();
    return {text: item.textContent.trim(), left: r.left, right: r.right};
  }) : [];
  return {
    key: chart.dataset.figure,
    drawn: !!chart.querySelector('.main-svg'),
    plotlyLegend: !!chart.querySelector('.legend'),
    chartBottom: box.bottom,
    card: [card.getBoundingClientRect().left, card.getBoundingClientRect().right],
    legendTop: legend ? legend.getBoundingClientRect().top : null,
    legendBottom: legend ? legend.getBoundingClientRect().bottom : null,
    keys,
    xticks: [...chart.querySelectorAll('.xtick text')].filter(node => node.getBoundingClientRect().width > 0)
      .map(node => node.textContent),
    xtickGap: Math.min(...[...chart.querySelectorAll('.xtick text')]
      .map(node => node.getBoundingClientRect()).filter(r => r.width > 0)
      .sort((a, b) => a.left - b.left)
      .map((r, i, all) => i ? r.left - all[i - 1].right : Infinity)),
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
    assert "equity" in keys
    for key in keys:  # charts below the form are drawn when scrolled near
        phone.locator(f"#chart-{key}").scroll_into_view_if_needed()
        phone.wait_for_selector(f"#chart-{key} .main-svg")
    phone.screenshot(path=str(SCREENSHOTS / f"chart-cards-360-{language[:-1] or 'en'}.png"))
    charts = phone.evaluate(BOXES)
    for chart in charts:
        assert chart["drawn"], chart
        assert not chart["plotlyLegend"], chart
        assert chart["outside"] == [], chart
        assert chart["chartBottom"] <= chart["tableTop"] + 0.5, chart
        assert chart["xtickGap"] >= 3, chart  # tick labels apart, not run together
        if chart["legendTop"] is not None:
            assert chart["chartBottom"] <= chart["legendTop"] + 0.5, chart
            assert chart["legendBottom"] <= chart["tableTop"] + 0.5, chart
            for key in chart["keys"]:  # each entry wraps inside the card
                assert chart["card"][0] <= key["left"] and key["right"] <= chart["card"][1], key
    legends = {chart["key"]: len(chart["keys"]) for chart in charts}
    assert legends["equity"] == 3, legends  # line, fill, deficit


def test_after_a_redraw_at_360_px_the_legend_is_the_new_answers_and_clear_of_the_table(site, phone):
    phone.goto(f"{site}/{SCENARIO}")
    phone.locator("#chart-equity").scroll_into_view_if_needed()
    phone.wait_for_selector("#chart-equity .main-svg")
    phone.evaluate(
        "() => { const f = document.getElementById('id_gap'); f.value = '0';"
        " f.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    # with no gap past the liquidation price, no deficit: the fill's key turns from a red cross to a green dot
    phone.wait_for_function(
        "() => [...document.querySelectorAll('#results .chart-card:has(#chart-equity) .chart-legend text')]"
        ".map(node => node.textContent).join() === '●'"
    )
    phone.wait_for_function(
        "() => { const data = document.querySelector('#chart-equity').data;"
        " return data && data.some(trace => trace.marker && trace.marker.symbol === 'circle'); }"
    )
    phone.locator("#chart-equity").screenshot(
        path=str(SCREENSHOTS / "chart-equity-redrawn-360.png")
    )
    chart = next(chart for chart in phone.evaluate(BOXES) if chart["key"] == "equity")
    assert not chart["plotlyLegend"], chart
    assert chart["chartBottom"] <= chart["legendTop"] + 0.5 <= chart["tableTop"], chart
    assert chart["legendBottom"] <= chart["tableTop"] + 0.5, chart


# For each bar of "who pays the deficit": its row's box and the card's, the label's and the
# amount's, and the drawn widths of the bar's track and fill.
BARS = """() => [...document.querySelectorAll('#chart-coverage .bars-row')].map(row => {
  const box = node => node.getBoundingClientRect();
  const card = box(row.closest('.chart-card'));
  return {
    card: [card.left, card.right],
    label: [box(row.querySelector('.bars-label')).left, box(row.querySelector('.bars-label')).right],
    amount: [box(row.querySelector('.bars-amount')).left, box(row.querySelector('.bars-amount')).right],
    track: box(row.querySelector('.bars-track')).width,
    fill: box(row.querySelector('.bars-fill')).width,
    share: parseFloat(row.querySelector('.bars-fill').getAttribute('width')),
    text: row.innerText,
  };
})"""


@pytest.mark.parametrize("language", ["", "ru/", "zh-hans/"])
def test_who_pays_is_bars_that_fit_a_phone_with_the_answer(site, phone, language):
    """#23: the coverage chart is HTML bars (plotly.js spent 35-45 ms of a phone's redraw on
    it): shown with the answer, nothing drawn by a script, each label and amount inside the
    card, and each bar as wide as its payer's share of the track."""
    scenario = "?platform=bybit&entry_price=1825.87&margin=500&leverage=20&gap=0.1"
    phone.goto(f"{site}/{language}{scenario}")
    phone.locator("#chart-coverage").scroll_into_view_if_needed()
    phone.screenshot(path=str(SCREENSHOTS / f"coverage-bars-360-{language[:-1] or 'en'}.png"))
    bars = phone.evaluate(BARS)
    assert bars, "no bars"
    assert phone.locator("#chart-coverage .main-svg, #chart-coverage[data-figure]").count() == 0
    for bar in bars:
        left, right = bar["card"]
        assert left <= bar["label"][0] and bar["label"][1] <= right, bar
        assert left <= bar["amount"][0] and bar["amount"][1] <= right, bar
        assert bar["track"] > 200, bar  # the bar runs the card's width, under its words
        assert abs(bar["fill"] - bar["track"] * bar["share"] / 100) < 1, bar
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


# The crash chart, drawn as SVG by the page: the card's box, every tick label's, the plot's,
# the legend's and the table line's, and the gaps between the x tick labels.
LINES = """() => {
  const card = document.getElementById('chart-crash').closest('.chart-card');
  const plot = card.querySelector('.lines-plot').getBoundingClientRect();
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const x = [...card.querySelectorAll('.lines-x')].map(n => n.getBoundingClientRect())
    .sort((a, b) => a.left - b.left);
  return {
    card: box(card.getBoundingClientRect()),
    plot: box(plot),
    labels: [...card.querySelectorAll('.lines-ticks text, .lines-y-title, .lines-x-title')]
      .map(n => ({text: n.textContent, ...box(n.getBoundingClientRect())})),
    yRight: Math.max(...[...card.querySelectorAll('.lines-y')].map(n => n.getBoundingClientRect().right)),
    xGap: Math.min(...x.map((r, i) => i ? r.left - x[i - 1].right : Infinity)),
    xTitleTop: card.querySelector('.lines-x-title').getBoundingClientRect().top,
    xBottom: Math.max(...x.map(r => r.bottom)),
    legend: box(card.querySelector('.chart-legend').getBoundingClientRect()),
    linesBottom: card.querySelector('.lines').getBoundingClientRect().bottom,
    tableTop: card.querySelector('.chart-table > summary').getBoundingClientRect().top,
  };
}"""


@pytest.mark.parametrize("language", ["", "ru/", "zh-hans/"])
def test_the_svg_crash_chart_fits_a_phone_and_reads_out_the_tables_numbers(site, phone, language):
    """#23: the crash chart is SVG in the page (plotly.js spent 40-60 ms of a phone's CPU on it
    in every redraw). Its tick labels stay inside the card and clear of the plot and of each
    other; a tap reads out each platform's result at that move, the numbers the table lists."""
    # with a platform that bills the whole move: at 20% it bills $1,000.00, written with the
    # language's thousands mark
    phone.goto(f"{site}/{language}{SCENARIO}&compare=offshore-broker-example")
    chart = phone.locator("#chart-crash")
    chart.scroll_into_view_if_needed()
    boxes = phone.evaluate(LINES)
    card = boxes["card"]
    for label in boxes["labels"]:
        assert card["left"] <= label["left"] and label["right"] <= card["right"], label
    assert boxes["yRight"] <= boxes["plot"]["left"], boxes  # the y labels left of the plot
    assert boxes["xGap"] >= 3, boxes  # x tick labels apart
    assert boxes["xBottom"] <= boxes["xTitleTop"] + 0.5, boxes  # and above the axis title
    assert boxes["linesBottom"] <= boxes["legend"]["top"] + 0.5, boxes
    assert boxes["legend"]["bottom"] <= boxes["tableTop"] + 0.5, boxes
    assert card["left"] <= boxes["legend"]["left"] and boxes["legend"]["right"] <= card["right"]
    phone.screenshot(path=str(SCREENSHOTS / f"crash-svg-360-{language[:-1] or 'en'}.png"))

    # a tap at a 20% move reads out what the table lists at 20%
    plot = boxes["plot"]
    phone.mouse.click(plot["left"] + (plot["right"] - plot["left"]) * 0.2, plot["top"] + 40)
    readout = phone.locator("#chart-crash .lines-readout")
    readout.wait_for()
    box = readout.bounding_box()
    assert card["left"] <= box["x"] and box["x"] + box["width"] <= card["right"], box
    shown = phone.evaluate(
        "() => [...document.querySelectorAll('#chart-crash .lines-readout dd')]"
        ".map(n => n.textContent)"
    )
    phone.click("#table-crash summary")
    phone.wait_for_function("() => document.querySelectorAll('#table-crash tbody tr').length > 1")
    table = phone.eval_on_selector_all(
        "#table-crash tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )
    assert shown == next(row for row in table if row[0] == "20%"), (shown, table)
    assert any("1" in value and "000" in value and value[0] == "−" for value in shown), shown
    # from the keyboard: the plot takes the focus, End goes to a 100% move, the arrows step
    readout_dd = "() => [...document.querySelectorAll('#chart-crash .lines-readout dd')].map(n => n.textContent)"
    phone.focus("#chart-crash .lines-plot")
    phone.keyboard.press("End")
    assert phone.evaluate(readout_dd) == next(row for row in table if row[0] == "100%")
    phone.keyboard.press("ArrowLeft")
    assert phone.evaluate(readout_dd)[0] == "98%"
    phone.keyboard.press("Escape")
    readout.wait_for(state="hidden")
    phone.mouse.click(plot["left"] + 5, plot["top"] + 40)
    readout.wait_for()
    # a tap elsewhere puts it away
    phone.mouse.click(card["left"] + 5, card["top"] + 5)
    readout.wait_for(state="hidden")
