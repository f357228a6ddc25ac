"""Figure building: the packed number arrays that plotly.js reads."""

import json
import math
import re
from html import unescape
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator.charts import legend_name, packed, unpacked
from calculator.results import figures_json


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=300))
def test_packed_arrays_give_back_every_number_exactly(values):
    spec = packed(values)
    assert spec["dtype"] == "f8"
    assert unpacked(json.loads(json.dumps(spec))) == values


def test_packed_bytes_are_little_endian_float64():
    # 1.0 as IEEE 754 little-endian float64 is 00 00 00 00 00 00 F0 3F, base64 "AAAAAAAA8D8=".
    assert packed([1.0]) == {"dtype": "f8", "bdata": "AAAAAAAA8D8="}


def test_a_non_finite_number_is_not_hidden_in_bytes():
    for bad in (math.nan, math.inf, -math.inf):
        spec = packed([1.0, bad])
        assert isinstance(spec, list)  # left as numbers, where the JSON shows it as null
        text = str(figures_json({"f": {"data": [{"y": spec}]}}))
        assert json.loads(text) == {"f": {"data": [{"y": [1.0, None]}]}}
        assert "NaN" not in text and "Infinity" not in text


def test_figures_json_cannot_close_its_script_element():
    text = str(figures_json({"f": {"hovertemplate": "</script><b>&"}}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"f": {"hovertemplate": "</script><b>&"}}


def test_chart_card_escapes_what_it_shows():
    from django.template.loader import render_to_string

    from calculator.charts import Figure

    html = render_to_string(
        "calculator/_chart_card.html",
        {
            "figure": Figure(
                key="crash",
                title="Moves <b>",
                figure={},
                summary='On "A&B" you owe $1.00.',
                columns=["Move", "A&B"],
                rows=[["10%", "<script>"]],
            )
        },
    )
    assert 'data-figure="crash"' in html and 'id="chart-crash"' in html
    assert "Moves &lt;b&gt;" in html and "On &quot;A&amp;B&quot; you owe $1.00." in html
    assert '<th scope="col">A&amp;B</th>' in html
    assert '<tr><th scope="row">10%</th><td class="num">&lt;script&gt;</td></tr>' in html
    assert "<script>" not in html and "<b>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
        "&compare=bitmex&compare=offshore-broker-example",
        "platform=bitmex&contract=inverse&side=short&entry_price=30000&margin=0.1&leverage=20"
        "&crash=0.4",
        "entry_price=2&margin=5&leverage=50&side=short&gap=0.5&insurance_fund_depleted=true",
    ],
)
def test_real_figures_hold_no_none_so_the_fuzz_tests_can_read_null_as_non_finite(seeded, query):
    """figures_json writes NaN and infinity as null; the fuzz tests refuse a null in a figure,
    which only holds if the calculator's figures never hold a None of their own."""
    from django.http import QueryDict

    from calculator.results import calculator_context

    context = calculator_context(QueryDict(query))
    assert context["valid"], context["form"].errors

    def values(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from values(value)
        elif isinstance(node, list):
            for value in node:
                yield from values(value)
        else:
            yield node

    figures = {f.key: f.figure for f in context["figures"] if f.plotted}
    assert "equity" in figures
    assert None not in list(values(figures))
    # the crash chart, drawn as SVG: its read-out's null would stand for a non-finite number
    readout = json.loads(next(f for f in context["figures"] if f.key == "crash").lines.readout)
    assert readout["y"] and None not in list(values(readout))
    assert json.loads(str(context["figures_json"])) == json.loads(json.dumps(figures))


def test_the_deficit_area_lies_on_the_losing_side_or_nowhere():
    from calculator.charts import _deficit_area

    prices = [90.0, 100.0, 110.0]
    # a short: equity falls as the price rises, below zero past its bankruptcy price of 100
    short = _deficit_area(prices, [10.0, 0.0, -10.0], 100)
    assert short["path"] == "M 100.0,0 L 110.0,-10.0 L 110.0,0 Z"
    assert _deficit_area(prices, [5.0, 6.0, 7.0], 80) is None  # never below zero in view
    assert _deficit_area(prices, [-1.0, 0.0, 1.0], None) is None  # no bankruptcy price
    assert _deficit_area(prices, [math.nan, 0.0, 1.0], 100) is None


@pytest.mark.django_db
def test_an_inverse_chart_puts_zero_coin_and_zero_usd_at_the_same_height(seeded):
    from django.http import QueryDict

    from calculator.results import calculator_context

    context = calculator_context(
        QueryDict(
            "platform=bitmex&contract=inverse&side=long&entry_price=30000&margin=0.1"
            "&leverage=20&gap=0.1"
        )
    )
    figure = next(f for f in context["figures"] if f.key == "equity").figure
    usd, coin = figure["layout"]["yaxis"]["range"], figure["layout"]["yaxis2"]["range"]
    assert usd[0] < 0 < usd[1]
    assert usd[0] / usd[1] == pytest.approx(coin[0] / coin[1])
    # every coin point lies inside the coin axis
    line = next(t for t in figure["data"] if t["name"] == "Equity in coin")
    assert all(coin[0] <= value <= coin[1] for value in unpacked(line["y"]))


def test_long_platform_names_wrap_in_the_legend_and_short_ones_stay_whole():
    long = "Example: offshore crypto CFD broker (illustrative, not a real firm)"
    lines = legend_name(long).split("<br>")
    assert len(lines) > 1 and all(len(line) <= 34 for line in lines)
    assert " ".join(lines) == long  # nothing lost, only broken between words
    assert legend_name("Binance") == "Binance"


@pytest.mark.parametrize(("side", "away"), [("long", "right"), ("short", "left")])
def test_price_labels_reach_away_from_the_entry_so_close_prices_stay_readable(side, away):
    # At 150x the liquidation price is 0.2% from entry: both labels at the same height used to
    # print over each other ("LiEntrytion"). Each now reaches away from the other.
    from decimal import Decimal as D

    from calculator.charts import equity_figure
    from engine import Contract, Position, Rules, Side, evaluate

    position = Position(
        contract=Contract.LINEAR,
        side=Side(side),
        entry_price=D(50000),
        margin=D(1000),
        leverage=D(150),
    )
    evaluation = evaluate(position=position, rules=Rules(maintenance_margin_rate=D("0.004")))
    layout = equity_figure(evaluation).figure["layout"]
    assert "annotations" not in layout  # each price's line carries its own label (#23)
    labels = {s["label"]["text"]: s["label"] for s in layout["shapes"] if "label" in s}
    assert labels["Liquidation"]["xanchor"] == labels["Bankruptcy"]["xanchor"] == away
    assert labels["Entry"]["xanchor"] != away
    # same side, so at other heights: the bankruptcy label hangs below the plot's top edge
    # while the liquidation label stands above it
    assert all(label["textposition"] == "end" for label in labels.values())
    assert (labels["Liquidation"]["yanchor"], labels["Bankruptcy"]["yanchor"]) == ("bottom", "top")


def _scenario_figures(query: str) -> dict:
    from django.http import QueryDict

    from calculator.results import calculator_context

    return {f.key: f for f in calculator_context(QueryDict(query))["figures"]}


@pytest.mark.django_db
def test_the_legend_is_written_in_the_page_and_plotly_draws_none(seeded):
    # #23: plotly.js's legend was a fifth of a chart's drawing on a phone and pushed the
    # bottom margin (a second layout pass); below a fixed height it hung over the table line
    figures = _scenario_figures(
        "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
        "&compare=bitmex&compare=bybit"
    )
    equity, crash = figures["equity"], figures["crash"]
    assert equity.figure["layout"]["showlegend"] is False
    assert "legend" in equity.figure["layout"]  # the embed widget turns it back on
    assert [(e.name, e.kind) for e in equity.legend] == [
        ("Equity if never liquidated", "line"),
        ("Fill after the move", "marker"),
        ("Below zero: a deficit someone pays", "area"),
    ]
    line, fill, area = equity.legend
    assert (line.colour, line.dash, line.width) == ("#0a6fb0", "", "3")
    assert fill.glyph == "✕" and fill.colour == "#a1111f"  # a deficit: a red cross
    assert area.colour == "rgba(161,17,31,0.18)"
    # one entry per platform, each with its line's colour and plotly.js's own dash pattern
    names = [line.name for line in crash.lines.lines]
    assert [e.name for e in crash.legend] == names
    assert [(e.colour, e.dash) for e in crash.legend] == [
        ("#0a6fb0", ""),
        ("#a1111f", "9,9"),
        ("#1d6b3a", "3,3"),
    ]
    # drawn as bars with their labels, so no key
    assert figures["coverage"].legend == []


def test_a_long_legend_name_is_written_whole_for_the_page_to_wrap():
    from calculator.charts import CrashLine, crash_figure

    long = "Example: offshore crypto CFD broker (illustrative, not a real firm)"
    figure = crash_figure([CrashLine(long, [(0.0, 1.0), (1.0, -1.0)]), CrashLine("B", [])])
    assert figure.lines.lines[0].name == figure.legend[0].name == long


@pytest.mark.parametrize(
    ("dash", "width", "expected"),
    [("solid", 3, ""), ("dot", 2, "3,3"), ("dash", 3, "9,9"), ("dashdot", 4, "12,4,4,4")],
)
def test_legend_dashes_follow_plotlys_own_pattern(dash, width, expected):
    from calculator.charts import _dasharray

    assert _dasharray(dash, width) == expected


def test_the_chart_card_writes_the_legend_under_the_chart_and_escapes_it():
    from django.template.loader import render_to_string

    from calculator.charts import Figure, LegendEntry

    legend = [
        LegendEntry("A&B <i>", "#0a6fb0", "line", "9,9", "2.5"),
        LegendEntry("Fill", "#a1111f", "marker", glyph="✕"),
        LegendEntry("Below zero", "rgba(161,17,31,0.18)", "area"),
    ]
    html = render_to_string(
        "calculator/_chart_card.html",
        {"figure": Figure("crash", "T", {}, "S", ["Move"], [], legend)},
    )
    chart, key, table = (
        html.index('id="chart-crash"'),
        html.index('class="chart-legend"'),
        html.index('class="chart-table"'),
    )
    assert chart < key < table
    assert "A&amp;B &lt;i&gt;" in html
    assert 'stroke-width="2.5" stroke-dasharray="9,9"' in html
    assert ">✕</text>" in html and 'fill="rgba(161,17,31,0.18)"' in html
    bare = render_to_string(
        "calculator/_chart_card.html", {"figure": Figure("crash", "T", {}, "S", ["Move"])}
    )
    assert "chart-legend" not in bare


def test_a_long_x_title_is_set_on_two_lines_with_room_below():
    from calculator.charts import OutcomeShares, stress_histogram_figure

    # "You end with (+) or owe (−), USD" ran past a 360 px chart's right edge
    layout = stress_histogram_figure([0, 1, 2], [OutcomeShares("A", [0.5, 0.5], 0)]).figure[
        "layout"
    ]
    lines = layout["xaxis"]["title"]["text"].split("<br>")
    assert len(lines) == 2 and " ".join(lines) == "You end with (+) or owe (−), USD"
    assert layout["margin"]["b"] == 56 + 16


def _with_coverage(parts: list[tuple[str, str]]):
    """A real evaluation with its outcome's deficit split between these payers."""
    from dataclasses import replace
    from decimal import Decimal as D

    from engine import Contract, Coverage, Party, Position, Rules, Scenario, Side, evaluate

    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(50000),
        margin=D(1000),
        leverage=D(10),
    )
    evaluation = evaluate(
        position=position,
        rules=Rules(maintenance_margin_rate=D("0.004")),
        scenario=Scenario(gap=D("0.3")),
    )
    coverage = tuple(Coverage(Party(party), D(amount)) for party, amount in parts)
    outcome = replace(
        evaluation.outcome, deficit=sum(c.amount for c in coverage), coverage=coverage
    )
    return replace(evaluation, outcome=outcome)


def test_who_pays_is_bars_as_wide_as_each_payers_share_of_the_deficit():
    """#23: the coverage chart is HTML bars (plotly.js spent 35-45 ms on it on a phone): each
    payer's label and amount as text, and its bar's width (out of 100) its share."""
    from calculator.charts import coverage_figure
    from calculator.results import figures_json

    evaluation = _with_coverage([("insurance_fund", "300"), ("trader_debt", "115.66")])
    figure = coverage_figure(evaluation, {"insurance_fund": "Insurance fund"})
    assert not figure.plotted and figure.figure == {}
    assert figures_json({f.key: f.figure for f in [figure] if f.plotted}) == "{}"
    # 300 / 415.66 = 72.174...%, 115.66 / 415.66 = 27.825...%
    assert [(b.label, b.amount, b.share, b.share_text, b.kind) for b in figure.bars] == [
        ("Insurance fund", "$300.00", "72.17", "72.2%", "payer"),
        ("trader_debt", "$115.66", "27.83", "27.8%", "trader_debt"),
    ]
    assert figure.summary.startswith("The deficit of $415.66 is paid by: insurance fund")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["insurance_fund", "auto_deleveraging", "trader_debt", "uncovered"]),
            st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
        ),
        min_size=1,
        max_size=5,
    ).filter(lambda parts: sum(amount for _, amount in parts) > 0)
)
def test_every_payer_of_a_deficit_has_a_bar_no_wider_than_the_whole(parts):
    from decimal import Decimal as D

    from calculator.charts import coverage_figure

    figure = coverage_figure(_with_coverage([(p, str(a)) for p, a in parts]), {})
    paying = [(party, amount) for party, amount in parts if amount > 0]
    assert len(figure.bars) == len(paying)
    deficit = sum(amount for _, amount in paying)
    for bar, (_party, amount) in zip(figure.bars, paying, strict=True):
        width = D(bar.share)
        assert D("0.5") <= width <= 100  # even a cent shows a sliver
        assert abs(width - max(D("0.5"), amount / deficit * 100)) <= D("0.005")
        assert "NaN" not in bar.share_text and "Infinity" not in bar.share_text


def _crash_lines():
    from calculator.charts import CrashLine

    # 51 crash sizes, as the page draws: a platform that floors the loss at 0, and one that
    # bills the whole move (the textbook $1,000 at 10×: $10,000 of BTC, owed past a 10% fall)
    crashes = [i / 50 for i in range(51)]
    return [
        CrashLine("Floor", [(c, max(0.0, 1000 - 10000 * c)) for c in crashes]),
        CrashLine("A&B <i>", [(c, 1000 - 10000 * c) for c in crashes]),
    ]


def test_the_crash_chart_is_drawn_as_svg_with_nice_ticks_and_the_zero_line():
    from calculator.charts import crash_figure

    figure = crash_figure(_crash_lines())
    plot = figure.lines
    assert not figure.plotted and figure.figure == {}
    # the lines span −9,000 to 1,000 (and zero); a step of 2,000; a twentieth of room (500)
    # above and below: the box is 1,500 to −9,500
    assert [t.label for t in plot.y_ticks] == ["−8,000", "−6,000", "−4,000", "−2,000", "0"]
    assert [t.at for t in plot.y_ticks] == ["86.36", "68.18", "50.00", "31.82", "13.64"]
    assert plot.zero == "13.64"
    assert plot.grid.startswith("M0 86.36H100M0 68.18H100") and plot.grid.endswith("M100.00 0V100")
    assert [(t.at, t.label) for t in plot.x_ticks][::5] == [("0.00", "0%"), ("100.00", "100%")]
    assert len(plot.x_ticks) == 6 and plot.room == "m"  # "−8,000": 6 characters
    floor, owed = plot.lines
    points = owed.points.split()
    assert (points[0], points[5], points[-1]) == ("0.00,4.55", "10.00,13.64", "100.00,95.45")
    assert floor.points.split()[-1] == "100.00,13.64"  # at zero from a 10% move on
    assert (floor.dash, owed.dash) == ("", "9,9")
    readout = json.loads(plot.readout)
    assert readout["range"] == [0.0, 100.0] and readout["x"][25] == 50.0
    assert readout["y"][1][25] == -4000.0 and readout["y"][0][25] == 0.0
    assert (readout["prefix"], readout["group"], readout["decimal"], readout["after"]) == (
        "$",
        ",",
        ".",
        "",
    )


def test_the_crash_charts_ticks_and_read_out_follow_the_language():
    from django.utils import translation

    from calculator.charts import crash_figure
    from calculator.formatting import locale_numbers

    marks = locale_numbers("ru")
    with translation.override("ru"):
        plot = crash_figure(_crash_lines()).lines
    assert plot.y_ticks[0].label == f"−8{marks.group}000"
    readout = json.loads(plot.readout)
    assert (readout["group"], readout["decimal"], readout["after"]) == (
        marks.group,
        ",",
        marks.currency_suffix,
    )


def test_the_card_writes_the_svg_chart_its_read_out_rows_and_escapes_names():
    from django.template.loader import render_to_string

    from calculator.charts import crash_figure

    html = render_to_string("calculator/_chart_card.html", {"figure": crash_figure(_crash_lines())})
    assert html.count('<polyline class="lines-line') == 2
    assert html.count("<dd data-y>") == 2 and "<dd data-x>" in html
    assert "A&amp;B &lt;i&gt;" in html and "<i>" not in html
    assert 'data-figure="crash"' not in html  # nothing for plotly.js to draw
    readout = re.search(r'data-readout="([^"]*)"', html).group(1)
    assert json.loads(unescape(readout))["y"][1][0] == 1000.0
    assert 'id="table-crash"' in html  # the numbers as a table still


@given(
    st.lists(
        st.lists(
            st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), min_size=2, max_size=51
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_point_and_tick_of_an_svg_chart_lies_in_its_box(series):
    from calculator.charts import line_plot

    plot = line_plot(
        "x",
        "y",
        (0.0, 100.0),
        20.0,
        "%",
        [
            (f"L{i}", [(k * 100 / (len(ys) - 1), y) for k, y in enumerate(ys)])
            for i, ys in enumerate(series)
        ],
    )
    for line, ys in zip(plot.lines, series, strict=True):
        points = [tuple(map(float, p.split(","))) for p in line.points.split()]
        assert len(points) == len(ys)
        assert all(0 <= x <= 100 and 0 <= y <= 100 for x, y in points)
        # a higher value is drawn higher (y runs downwards)
        for ((_x1, y1), (_x2, y2)), (a, b) in zip(pairwise(points), pairwise(ys), strict=True):
            assert (y1 >= y2) if a <= b else (y1 <= y2)
    heights = [float(t.at) for t in plot.y_ticks]
    assert 2 <= len(heights) <= 13 and all(0 <= h <= 100 for h in heights)
    assert heights == sorted(heights, reverse=True)  # values rise up the axis
    assert len({t.label for t in plot.y_ticks}) == len(heights)  # no two ticks read the same
    assert 0 <= float(plot.zero) <= 100
    readout = json.loads(plot.readout)
    for values, ys in zip(readout["y"], series, strict=True):
        assert values == [round(y, 2) for y in ys]


def test_an_svg_chart_leaves_out_what_is_not_a_number():
    from calculator.charts import line_plot

    plot = line_plot(
        "x", "y", (0.0, 100.0), 20.0, "%", [("L", [(0.0, 1.0), (50.0, math.nan), (100.0, -1.0)])]
    )
    assert plot.lines[0].points == "0.00,4.55 100.00,95.45"
    assert json.loads(plot.readout)["y"] == [[1.0, None, -1.0]]
    assert "nan" not in plot.readout.lower() and "inf" not in plot.readout.lower()
    # nor a number past a quadrillion, whose coordinates would run to hundreds of digits
    huge = line_plot("x", "y", (0.0, 100.0), 20.0, "%", [("L", [(0.0, 1e308), (100.0, -1.0)])])
    assert huge.lines[0].points == "100.00,95.45"
    assert json.loads(huge.readout)["y"] == [[None, -1.0]]
