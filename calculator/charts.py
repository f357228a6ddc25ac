"""The one place that builds charts: engine results in, Plotly figure dicts out (and, for the
one chart that is a handful of bars, the bars themselves, which the page draws as HTML).

Figures are plain dicts (no plotly.graph_objects validation per request: it costs milliseconds
and the calculator redraws on every keystroke). Every figure comes with a one-sentence summary
and the rows of a data table, so nothing a chart shows is only in the chart.
"""

from __future__ import annotations

import base64
import math
import sys
import textwrap
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Any

import orjson
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from calculator.formatting import (
    chart_money,
    coin_and_usd,
    current,
    localize,
    long_date,
    money,
    pct,
)
from engine import AccountEvaluation, Evaluation, MapSeries, Side, equity_curve

# The line is straight (curved only for inverse contracts' coin equity); the points are there
# for the hover read-out, plus the liquidation and bankruptcy prices exactly.
EQUITY_POINTS = 121

INK = "#0f1b2a"
GRID = "#e3e8ef"
SAFE = "#1d6b3a"
DANGER = "#a1111f"
ACCENT = "#0a6fb0"
# Distinct hues and dash styles, so lines differ without colour too.
SERIES = [
    ("#0a6fb0", "solid"),
    ("#a1111f", "dash"),
    ("#1d6b3a", "dot"),
    ("#8a5300", "dashdot"),
    ("#5b3b8c", "longdash"),
    ("#3d4b5c", "longdashdot"),
]


def packed(values: Sequence[float]) -> dict[str, str] | list[float]:
    """A number array as Plotly's typed-array spec: base64 of little-endian float64.

    A figure holds over a thousand numbers and is rebuilt on every redraw; plotly.js (≥ 2.28)
    reads packed bytes directly, which are smaller than the same numbers as JSON text. A NaN or infinity is left in a plain list, where the JSON shows it as
    null (which the fuzz tests refuse) instead of hiding it in bytes.
    """
    numbers = array("d", values)
    # Every number is finite when their sum is (one C loop); only a NaN, an infinity or an
    # overflow of huge numbers makes it otherwise, and then each number is checked.
    if not math.isfinite(sum(numbers)) and not all(map(math.isfinite, numbers)):
        return list(values)
    if sys.byteorder == "big":
        numbers.byteswap()
    return {"dtype": "f8", "bdata": base64.b64encode(numbers.tobytes()).decode("ascii")}


def unpacked(value: dict[str, str] | list[float]) -> list[float]:
    """The numbers of an array written by `packed` (for tests and anything reading a figure)."""
    if isinstance(value, list):
        return value
    numbers = array("d", base64.b64decode(value["bdata"]))
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tolist()


@lru_cache(maxsize=256)
def legend_name(label: str) -> str:
    """A legend entry that fits a phone: Plotly never wraps one, so a long platform name
    ("Example: offshore crypto CFD broker (illustrative, …)") ran off a 360 px chart; 30
    characters, as Cyrillic letters run wider (a Russian legend line of 34 was cut off)."""
    return "<br>".join(textwrap.wrap(label, 30)) or label


@dataclass(frozen=True)
class LegendEntry:
    """One line of a chart's legend, written in the page under the chart (not by plotly.js)."""

    name: str
    colour: str
    kind: str  # "line", "marker" (a glyph), "area" or "bar" (a filled swatch)
    dash: str = ""  # a line's SVG stroke-dasharray, as plotly.js draws that dash
    width: str = "2"  # a line's width in px, written for SVG (never localized: "2,5")
    glyph: str = ""  # a marker's symbol as a character; on a line, the line's own markers


@dataclass(frozen=True)
class Bar:
    """One bar of a chart the page draws as HTML: its label and amount as text, and its share
    of the whole as the width of an SVG bar out of 100."""

    label: str
    amount: str
    share: str  # "42.50", written for SVG (never localized)
    share_text: str  # "42.5%", localized
    kind: str  # a CSS class's suffix: "payer", "trader_debt" or "uncovered"


@dataclass(frozen=True)
class Tick:
    """An axis's tick on a chart the page draws as SVG: where, as a percentage of the plot's
    width or height ("37.50", written for SVG), and its label."""

    at: str
    label: str


@dataclass(frozen=True)
class PlotLine:
    """One series of a line chart the page draws as SVG."""

    name: str
    colour: str
    dash: str  # SVG stroke-dasharray, as plotly.js would dash it
    width: str
    points: str  # "x,y x,y …" on a 100 × 100 box, y downwards


@dataclass(frozen=True)
class LinePlot:
    """A line chart the page draws as SVG from the server's numbers, with no chart library.

    `readout` is JSON for the hover read-out (static/js/lines.js): the x values, each line's
    values (rounded to cents) and how the visitor's language writes a dollar amount."""

    x_title: str
    y_title: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    zero: str  # the zero line's height as a percentage from the top
    grid: str  # the grid lines at the ticks, as an SVG path on the 100 × 100 box
    lines: list[PlotLine]
    readout: str
    room: str  # the room left of the plot for the longest y tick label: "s", "m", "l" or "xl"


@dataclass
class Figure:
    """A figure for Plotly.react, a summary sentence, and the same data as a table; or, for a
    chart of a few bars, the bars, which the page draws as HTML with no script."""

    key: str
    title: str
    figure: dict[str, Any]
    summary: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    lines: LinePlot | None = None

    @property
    def plotted(self) -> bool:
        """Whether plotly.js draws it (and so whether the page's figure data carries it)."""
        return not self.bars and self.lines is None


# Plotly's marker symbols as the characters the page's legend shows for them.
GLYPHS = {
    "circle": "●",
    "circle-open": "○",
    "x": "✕",
    "diamond": "◆",
    "triangle-down": "▼",
    "square": "■",
    "star": "★",
    "cross": "✚",
}


def _dasharray(dash: str, width: float) -> str:
    """plotly.js's own dash pattern for a line of this width (drawing.dashStyle)."""
    unit = max(width, 3)
    steps = {
        "dot": (1, 1),
        "dash": (3, 3),
        "longdash": (5, 5),
        "dashdot": (3, 1, 1, 1),
        "longdashdot": (5, 2, 1, 2),
    }.get(dash, ())
    return ",".join(f"{unit * step:g}" for step in steps)


def in_page_legend(figure: dict[str, Any]) -> list[LegendEntry]:
    """Take the legend out of the figure, as entries for the page to write under the chart.

    plotly.js's own legend was a fifth of a chart's drawing on a phone-speed CPU, and below
    the plot it pushed the bottom margin, so plotly.js laid the figure out twice (#23); its
    rows, never wrapped, depended on the screen's width, and at 360 px it hung below the
    chart's fixed height over the line under it. In the page the legend wraps like text and
    costs the redraw nothing. The figure keeps its `legend` settings (the embed widget, which
    draws plotly.js's own, turns it back on). Like plotly.js, one entry alone is no legend.
    """
    layout = figure["layout"]
    layout["showlegend"] = False
    entries = []
    for item in [*figure["data"], *layout.get("shapes", [])]:
        if not item.get("showlegend", "type" in item and item["type"] in ("scatter", "bar")):
            continue
        name = str(item.get("name", "")).replace("<br>", " ")
        line, marker = item.get("line", {}), item.get("marker", {})
        symbol = marker.get("symbol", "circle")
        glyph = GLYPHS.get(symbol if isinstance(symbol, str) else "circle", "●")
        if item.get("type") == "path":
            entries.append(LegendEntry(name, item.get("fillcolor", INK), "area"))
        elif item.get("type") == "bar":
            entries.append(LegendEntry(name, marker.get("color", ACCENT), "bar"))
        elif "lines" in item.get("mode", "lines"):
            width = float(line.get("width", 2))
            entries.append(
                LegendEntry(
                    name,
                    line.get("color", ACCENT),
                    "line",
                    _dasharray(line.get("dash", "solid"), width),
                    f"{width:g}",
                    glyph if "markers" in item.get("mode", "") else "",
                )
            )
        else:
            entries.append(LegendEntry(name, marker.get("color", ACCENT), "marker", glyph=glyph))
    return entries if len(entries) > 1 else []


# A thin rule across the plot at y = 0: above it the trader keeps money, below it owes.
ZERO_LINE = {
    "type": "line",
    "xref": "paper",
    "yref": "y",
    "x0": 0,
    "x1": 1,
    "y0": 0,
    "y1": 0,
    "line": {"color": INK, "width": 1},
}


# Characters of a y-axis title on one line: a rotated title runs along the plot's height, some
# 230 px on a phone once the legend is below it; a Russian crash-chart title of 42 was cut off.
Y_TITLE_LINE = 28
# An x-axis title is centred under the plot, some 250 px wide on a phone: the chance page's
# "You end with (+) or owe (−), USD" (32) ran past the chart's right edge at 360 px.
X_TITLE_LINE = 28


def _layout(x_title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    numbers = current()  # the visitor's decimal and thousands marks on axes and hover text
    y_lines = textwrap.wrap(y_title, Y_TITLE_LINE) or [y_title]
    x_lines = textwrap.wrap(x_title, X_TITLE_LINE) or [x_title]
    return {
        **({"separators": numbers.plotly_separators} if numbers else {}),
        # Fixed margins that hold the tick labels and titles: with the x axis's `automargin`
        # plotly.js measured them and laid the whole figure out a second time (#23: a phone
        # redraw's CPU profile). A wrapped title gets the room of its second line.
        "margin": {
            "l": 64 + 16 * (len(y_lines) - 1),
            "r": 16,
            "t": 40,
            "b": 56 + 16 * (len(x_lines) - 1),
        },
        "height": 380,
        "font": {"family": "system-ui, sans-serif", "size": 13, "color": INK},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "#ffffff",
        # Tick labels fit the fixed margins (tests/browser/test_chart_cards.py checks them at
        # 360 px): "allow" spares plotly.js a check that measures every label again after each
        # one is placed (~3 ms of a chart on a phone-speed CPU, #23).
        "xaxis": {
            "title": {"text": "<br>".join(x_lines), "standoff": 6},
            "gridcolor": GRID,
            "zeroline": False,
            "automargin": False,
            "ticklabeloverflow": "allow",
        },
        "yaxis": {
            "title": {"text": "<br>".join(y_lines)},
            "gridcolor": GRID,
            "zerolinecolor": "#9aa8b8",
            "ticklabeloverflow": "allow",
        },
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        "hovermode": "x unified",
        **extra,
    }


def _price_window(evaluation: Evaluation) -> tuple[float, float]:
    """A range that shows entry, liquidation, bankruptcy and the fill with some room."""
    entry = float(evaluation.position.entry_price)
    marks = [entry]
    for value in (evaluation.liquidation_price, evaluation.bankruptcy_price):
        if value is not None:
            marks.append(float(value))
    if evaluation.outcome is not None:
        marks.append(float(evaluation.outcome.fill_price))
    low, high = min(marks), max(marks)
    span = max(high - low, entry * 0.1)
    return max(0.0, low - span * 0.35), high + span * 0.35


def _deficit_area(
    prices: list[float], equity: list[float], bankruptcy_price: Decimal | None
) -> dict[str, Any] | None:
    """The region where equity is below zero, as one shaded triangle with a legend entry.

    Equity in USD is affine in price for every contract here (linear and inverse alike), so
    below zero it runs straight from the bankruptcy price to the edge of the chart: three
    corners draw it exactly, where a filled trace needed a copy of every point.
    """
    if bankruptcy_price is None or not prices:
        return None
    edge = 0 if equity[0] < 0 else -1 if equity[-1] < 0 else None
    if edge is None:
        return None
    zero, x, y = float(bankruptcy_price), prices[edge], equity[edge]
    if not all(map(math.isfinite, (zero, x, y))):
        return None
    return {
        "type": "path",
        "path": f"M {zero!r},0 L {x!r},{y!r} L {x!r},0 Z",
        "xref": "x",
        "yref": "y",
        "fillcolor": "rgba(161,17,31,0.18)",
        "line": {"width": 0},
        "layer": "below",
        "name": legend_name(_("Below zero: a deficit someone pays")),
        "showlegend": True,
    }


def equity_figure(evaluation: Evaluation) -> Figure:
    low, high = _price_window(evaluation)
    marks = [
        float(value)
        for value in (evaluation.liquidation_price, evaluation.bankruptcy_price)
        if value is not None
    ]
    curve = equity_curve(
        evaluation=evaluation,
        price_from=low,
        price_to=high,
        points=EQUITY_POINTS,
        extra_prices=marks,
    )
    deficit_area = _deficit_area(curve["prices"], curve["equity"], evaluation.bankruptcy_price)
    prices = packed(curve["prices"])
    equity = packed(curve["equity"])
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": legend_name(_("Equity if never liquidated")),
            "x": prices,
            "y": equity,
            "line": {"color": ACCENT, "width": 3},
            "hovertemplate": _("price %{x:,.2f}<br>equity %{y:,.2f}") + "<extra></extra>",
        },
    ]
    layout = _layout(_("Price"), _("Equity (USD)"))
    if "equity_coin" in curve:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": legend_name(_("Equity in coin")),
                "x": prices,
                "y": packed(curve["equity_coin"]),
                "yaxis": "y2",
                "line": {"color": "#8a5300", "dash": "dot"},
            }
        )
        # Both axes put zero at the same height, so "below zero" reads the same on either:
        # equity in coin is equity in USD over the price, so scaling the USD range by the
        # lowest price shown keeps every coin point inside it.
        low_usd, high_usd = min(0.0, *curve["equity"]), max(0.0, *curve["equity"])
        pad = (high_usd - low_usd) * 0.05 or 1.0
        usd_range = [low_usd - pad, high_usd + pad]
        layout["yaxis"]["range"] = usd_range
        layout["yaxis2"] = {
            "title": {"text": _("Equity (coin)")},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "zeroline": False,
            "tickmode": "auto",
            "range": [bound / curve["prices"][0] for bound in usd_range],
        }
        layout["margin"]["r"] = 64
    shapes = []
    # Each price's line carries its label at its top end (a shape's own label: plotly.js drew
    # the three as annotations in a fifth of the chart's time on a phone, #23). Each label
    # reaches away from the entry (a long's liquidation label leftwards), and the bankruptcy
    # label hangs inside the plot while the others stand above it, so close prices do not
    # print over each other.
    away, toward = ("right", "left") if evaluation.position.side == Side.LONG else ("left", "right")
    for label, value, colour, dash, inside in (
        (_("Liquidation"), evaluation.liquidation_price, "#8a5300", "dash", False),
        (_("Bankruptcy"), evaluation.bankruptcy_price, DANGER, "dot", True),
        (_("Entry"), evaluation.position.entry_price, "#3d4b5c", "solid", False),
    ):
        entry = value is evaluation.position.entry_price
        if value is None:
            continue
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": float(value),
                "x1": float(value),
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "dash": dash, "width": 2},
                "label": {
                    "text": label,
                    "textposition": "end",
                    "textangle": 0,
                    "xanchor": toward if entry else away,
                    "yanchor": "top" if inside else "bottom",
                    "padding": 4,
                    "font": {"color": colour, "size": 12},
                },
            }
        )
    outcome = evaluation.outcome
    if outcome is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": legend_name(_("Fill after the move")),
                "x": [float(outcome.fill_price)],
                "y": [float(outcome.equity_after)],
                "marker": {
                    "size": 13,
                    "color": DANGER if outcome.deficit > 0 else SAFE,
                    "symbol": "x" if outcome.deficit > 0 else "circle",
                },
                "text": [pgettext("chart marker", "fill")],
                "textposition": "top center",
            }
        )
    if deficit_area is not None:
        shapes.append(deficit_area)
    layout["shapes"] = shapes
    liquidation, bankruptcy = evaluation.liquidation_price, evaluation.bankruptcy_price
    liquidation_text, bankruptcy_text = money(liquidation), money(bankruptcy)
    summary = (
        _(
            "Equity falls to zero at the bankruptcy price %(bankruptcy)s; "
            "liquidation starts at %(liquidation)s."
        )
        % {"bankruptcy": bankruptcy_text, "liquidation": liquidation_text}
        if bankruptcy is not None and liquidation is not None
        else _("This position has no bankruptcy price in the range shown.")
    )
    currency = evaluation.margin_currency  # margins of inverse contracts are in coin
    rows = [
        [_("Entry"), money(evaluation.position.entry_price), money(evaluation.margin, currency)],
        [
            _("Liquidation"),
            liquidation_text,
            _("%(amount)s (maintenance)")
            % {"amount": money(evaluation.maintenance_margin, currency)},
        ],
        [_("Bankruptcy"), bankruptcy_text, money(0, currency)],
    ]
    if outcome is not None:
        fill_text, equity_text = money(outcome.fill_price), money(outcome.equity_after)
        summary += " " + _("After the move it fills at %(fill)s with equity %(equity)s.") % {
            "fill": fill_text,
            "equity": equity_text,
        }
        rows.append(
            [
                _("Fill after the move"),
                fill_text,
                coin_and_usd(outcome.equity_after_in_coin, outcome.equity_after),
            ]
        )
    plot = {"data": traces, "layout": layout}
    return Figure(
        "equity",
        _("Equity against price"),
        plot,
        summary,
        [_("Point"), _("Price"), _("Equity")],
        rows,
        legend=in_page_legend(plot),
    )


@dataclass(frozen=True)
class CrashLine:
    """One compared platform's results across crash sizes."""

    label: str
    results: list[tuple[float, float]]  # (crash fraction, what the trader ends with or owes)
    # some deficit would go to nobody the platform names: drawn as 0 owed, but not "never owe"
    unassigned: bool = False


# The crash sizes the crash chart's table lists, with their labels.
_TABLE_MOVES = [(pick, f"{round(pick * 100)}%") for pick in (0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0)]


def _nice_step(span: float, count: int) -> float:
    """A tick step of 1, 2, 2.5 or 5 times a power of ten, giving about `count` ticks."""
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))


def _tick_label(value: float, places: int) -> str:
    """An axis number as the visitor's language writes it, with a true minus sign."""
    text = f"{abs(value):,.{places}f}"
    if float(text.replace(",", "")) == 0:
        return localize(f"{0:.{places}f}")
    return ("−" if value < 0 else "") + localize(text)


def _label_room(chars: int) -> str:
    """The stylesheet's room for y tick labels of this many characters (lines-room-*)."""
    for most, room in ((4, "s"), (7, "m"), (11, "l")):
        if chars <= most:
            return room
    return "xl"


def _drawable(value: float) -> bool:
    """A number the SVG charts draw: finite, and within a quadrillion (no position's dollars
    come near it; past it, coordinates would run to hundreds of digits)."""
    return math.isfinite(value) and abs(value) <= 1e15


def line_plot(
    x_title: str,
    y_title: str,
    x_range: tuple[float, float],
    x_step: float,
    x_suffix: str,
    series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
) -> LinePlot:
    """Lines of (x, y) points as an SVG drawing's coordinates, axes and ticks: the page draws
    it with no chart library, so it is on screen with the answer (#23: plotly.js spent 40-60 ms
    of a phone's CPU on each chart in every redraw). The y axis spans the lines and zero, with
    a twentieth of room above and below; numbers that are not `_drawable` are left out (never
    drawn, null in the read-out)."""
    x_low, x_high = x_range
    values = [y for _name, points in series for _x, y in points if _drawable(y)]
    low, high = min([0.0, *values]), max([0.0, *values])
    if high - low < 1e-9:  # a flat line: a unit box
        high = low + 1.0
    step = _nice_step(high - low, 6)
    pad = (high - low) / 20
    low, high = low - pad, high + pad
    places = next((p for p in range(12) if abs(round(step, p) - step) < step * 1e-6), 12)

    x_scale, y_scale = 100 / (x_high - x_low), 100 / (high - low)

    def x_at(x: float) -> float:
        return (x - x_low) * x_scale

    def y_at(y: float) -> float:
        return (high - y) * y_scale

    y_values = [
        k * step for k in range(math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9) + 1)
    ]
    y_ticks = [Tick(f"{y_at(y):.2f}", _tick_label(y, places)) for y in y_values]
    x_count = round((x_high - x_low) / x_step)
    x_ticks = [
        Tick(f"{x_at(x_low + k * x_step):.2f}", f"{x_low + k * x_step:g}{x_suffix}")
        for k in range(x_count + 1)
    ]
    grid = "".join(f"M0 {tick.at}H100" for tick in y_ticks) + "".join(
        f"M{tick.at} 0V100" for tick in x_ticks
    )
    # Lines that share their x values (the crash sizes) write those coordinates once.
    x_texts: dict[tuple[float, ...], list[str]] = {}
    lines = []
    for index, (name, points) in enumerate(series):
        colour, dash = SERIES[index % len(SERIES)]
        xs = tuple(x for x, _y in points)
        if xs not in x_texts:
            x_texts[xs] = [f"{x_at(x):.2f}," for x in xs]
        drawn = " ".join(
            x_text + f"{y_at(y):.2f}"
            for x_text, (x, y) in zip(x_texts[xs], points, strict=True)
            if math.isfinite(x) and _drawable(y)
        )
        lines.append(PlotLine(name, colour, _dasharray(dash, 3), "3", drawn))
    numbers = current()
    readout = {
        "x": [x for x, _y in max((p for _n, p in series), key=len, default=[])],
        "range": [x_low, x_high],
        "suffix": x_suffix,
        "y": [[round(y, 2) if _drawable(y) else None for _x, y in points] for _n, points in series],
        "decimal": numbers.decimal if numbers else ".",
        "group": numbers.group if numbers else ",",
        "prefix": numbers.currency_prefix if numbers else "$",
        "after": numbers.currency_suffix if numbers else "",
    }
    return LinePlot(
        x_title,
        y_title,
        x_ticks,
        y_ticks,
        f"{y_at(0):.2f}",
        grid,
        lines,
        orjson.dumps(readout).decode(),
        _label_room(max((len(tick.label) for tick in y_ticks), default=1)),
    )


def crash_figure(lines: list[CrashLine], stop: tuple[Decimal, bool] | None = None) -> Figure:
    """What each platform leaves you with (or bills you) after a move of each size; `stop` is
    the visitor's stop price and whether they asked for it guaranteed, for the summary.

    Drawn as SVG by the page (`line_plot`), not by plotly.js: two to six straight lines."""
    worst = [
        (line.label, min(y for _x, y in line.results), line.unassigned)
        for line in lines
        if line.results
    ]
    plot = line_plot(
        _("Move against you"),
        _("You keep (+) or owe (−), USD"),
        (0.0, 100.0),
        20.0,
        "%",
        [(line.label, [(crash * 100, result) for crash, result in line.results]) for line in lines],
    )
    parts = [
        _("on %(platform)s you owe up to %(amount)s")
        % {"platform": label, "amount": chart_money(-low)}
        if low < 0
        else _(
            "on %(platform)s nobody is named to pay a deficit (drawn as 0 owed: it may be "
            "claimed from you)"
        )
        % {"platform": label}
        if unassigned
        else _("on %(platform)s you never owe anything") % {"platform": label}
        for label, low, unassigned in worst
    ]
    summary = (
        _("At a 100%% move against you, %(results)s.")
        % {"results": pgettext("between platforms' results", "; ").join(parts)}
        if parts
        else _("No platform to compare.")
    )
    if stop is not None and parts:
        price, guaranteed = stop
        words = {"price": money(price)}
        summary += " " + (
            _("Each line counts your stop at %(price)s, guaranteed where the platform offers it.")
            % words
            if guaranteed
            else _(
                "Each line counts your stop at %(price)s, an ordinary order that fills at the "
                "price the move reaches."
            )
            % words
        )
    by_crash = [dict(line.results) for line in lines]
    rows = [
        [label] + [chart_money(results[pick]) for results in by_crash]
        for pick, label in _TABLE_MOVES
        if all(pick in results for results in by_crash)
    ]
    legend = [
        LegendEntry(line.name, line.colour, "line", line.dash, line.width) for line in plot.lines
    ]
    return Figure(
        "crash",
        _("What you end with after a move of each size"),
        {},
        summary,
        [_("Move")] + [line.label for line in lines],
        rows,
        legend=legend if len(legend) > 1 else [],
        lines=plot,
    )


def coverage_figure(evaluation: Evaluation, party_labels: Mapping[str, object]) -> Figure | None:
    """Who pays the deficit, one bar per payer as a share of it. Drawn as HTML, not by plotly.js:
    a label, an amount and a bar each need no chart library, and on a phone plotly.js spent
    35–45 ms on this chart in every redraw (#23)."""
    outcome = evaluation.outcome
    if outcome is None or outcome.deficit <= 0:
        return None
    parts = [p for p in outcome.coverage if p.amount > 0] or list(outcome.coverage)
    labels = [str(party_labels.get(p.party.value, p.party.value)) for p in parts]
    amount_texts = [money(p.amount) for p in parts]
    bars = []
    for part, label, text in zip(parts, labels, amount_texts, strict=True):
        share = part.amount / outcome.deficit
        # a payer of a cent still shows a sliver
        width = max(Decimal("0.5"), share * 100) if part.amount > 0 else Decimal(0)
        party = part.party.value
        bars.append(
            Bar(
                label,
                text,
                f"{min(width, Decimal(100)):.2f}",
                pct(share, 1),
                party if party in ("trader_debt", "uncovered") else "payer",
            )
        )
    # Labels read as table headings ("Insurance fund"); in a sentence they start lower-case,
    # except the trader's own ("You (a debt you owe)"), a pronoun in every language.
    payers = pgettext("between payers", ", ").join(
        _("%(payer)s (%(amount)s)")
        % {
            "payer": label if part.party.value == "trader_debt" else label[0].lower() + label[1:],
            "amount": text,
        }
        for part, label, text in zip(parts, labels, amount_texts, strict=True)
    )
    summary = _("The deficit of %(deficit)s is paid by: %(payers)s.") % {
        "deficit": money(outcome.deficit),
        "payers": payers,
    }
    rows = [[label, text] for label, text in zip(labels, amount_texts, strict=True)]
    return Figure(
        "coverage",
        _("Who pays the deficit"),
        {},
        summary,
        [_("Who"), _("Amount")],
        rows,
        bars=bars,
    )


@dataclass(frozen=True)
class ReplayBar:
    """One platform's result after a replayed crash."""

    label: str
    result: float  # what the trader ends with (≥ 0) or minus what they owe
    deficit: float
    liquidated: bool


def replay_figure(bars: list[ReplayBar], move_text: str) -> Figure:
    """What each platform leaves you with after a replayed crash: one bar per platform.
    `move_text` opens the summary, in the visitor's language: "After a 20% fall"."""
    colours = [DANGER if bar.result < 0 else SAFE for bar in bars]
    trace = {
        "type": "bar",
        "x": [bar.label for bar in bars],
        "y": [bar.result for bar in bars],
        "marker": {
            "color": colours,
            "pattern": {"shape": ["/" if bar.result < 0 else "" for bar in bars]},
        },
        "text": [chart_money(bar.result) for bar in bars],
        "textposition": "auto",
        "hovertemplate": "%{x}: %{y:,.2f}<extra></extra>",
    }
    layout = _layout("", _("You keep (+) or owe (−), USD"))
    layout["hovermode"] = "closest"
    layout["xaxis"]["automargin"] = True  # platform names, tilted on a phone, need the room
    owing = [bar for bar in bars if bar.result < 0]
    if owing:
        results = pgettext("between platforms' results", "; ").join(
            _("on %(platform)s you owe %(amount)s")
            % {"platform": bar.label, "amount": chart_money(-bar.result)}
            for bar in owing
        )
        words = {"after": move_text, "results": results}
        summary = (
            _("%(after)s, %(results)s; elsewhere you owe nothing.") % words
            if len(owing) < len(bars)
            else _("%(after)s, %(results)s.") % words
        )
    else:
        summary = _("%(after)s, you owe nothing on any platform shown.") % {"after": move_text}
    rows = [
        [
            bar.label,
            _("yes") if bar.liquidated else _("no"),
            chart_money(bar.deficit),
            chart_money(bar.result),
        ]
        for bar in bars
    ]
    return Figure(
        "replay",
        _("What you end with after the replayed move"),
        {"data": [trace], "layout": layout},
        summary,
        [_("Platform"), _("Liquidated"), _("Deficit"), _("You keep (+) or owe (−)")],
        rows,
    )


@dataclass(frozen=True)
class OutcomeShares:
    """One platform's share of simulated paths in each bin of outcomes."""

    label: str
    shares: list[float]  # fraction of paths per bin
    owing: float  # fraction of all paths that end owing money


def stress_histogram_figure(edges: list[float], series: list[OutcomeShares]) -> Figure:
    """How often each outcome happened across the simulated paths, one series per platform."""
    centres = [(low + high) / 2 for low, high in pairwise(edges)]
    traces = []
    for index, item in enumerate(series):
        colour, _dash = SERIES[index % len(SERIES)]
        traces.append(
            {
                "type": "bar",
                "name": item.label,
                "x": centres,
                "y": [share * 100 for share in item.shares],
                "marker": {"color": colour},
                "hovertemplate": _("%{x:,.0f}: %{y:.2f}% of paths")
                + "<extra>"
                + item.label
                + "</extra>",
            }
        )
    layout = _layout(_("You end with (+) or owe (−), USD"), _("Share of paths (%)"))
    # side by side: overlaid, a platform whose outcomes match another's hid behind it
    layout["barmode"] = "group"
    layout["bargap"] = 0.15
    layout["yaxis"]["ticksuffix"] = "%"
    layout["shapes"] = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": 0,
            "x1": 0,
            "y0": 0,
            "y1": 1,
            "line": {"color": DANGER, "width": 1, "dash": "dot"},
        }
    ]
    owing = [(item.label, item.owing) for item in series]
    summary = (
        _("Share of paths that end owing money: %(shares)s")
        % {
            "shares": pgettext("between platforms' results", "; ").join(
                _("%(platform)s %(share)s") % {"platform": label, "share": pct(share)}
                for label, share in owing
            )
        }
        if owing
        else _("No platform to show.")
    )
    rows = [
        [_("%(low)s to %(high)s") % {"low": chart_money(low), "high": chart_money(high)}]
        + [pct(item.shares[i]) for item in series]
        for i, (low, high) in enumerate(pairwise(edges))
        if any(item.shares[i] > 0 for item in series)
    ]
    plot = {"data": traces, "layout": layout}
    return Figure(
        "stress",
        _("How often each outcome happened"),
        plot,
        summary,
        [_("You end with or owe")] + [item.label for item in series],
        rows,
        legend=in_page_legend(plot),
    )


# The account's liquidation map: the moves its table lists.
_MAP_TABLE_MOVES = (-90, -50, -30, -20, -10, -5, 0, 5, 10, 20, 30, 50, 90)


def account_map_figure(evaluation: AccountEvaluation) -> Figure:
    """The account's equity as every mark, or one symbol's, moves by the same fraction, with
    its maintenance margin (liquidation where equity meets it) and zero (bankruptcy)."""
    currency = evaluation.currency
    unit = _("coin") if currency == "coin" else _("USD")
    series = list(evaluation.liquidation_map)
    # one symbol alone moves as every mark does: its line would repeat the first
    shown = series[:1] + (series[1:] if len(series) > 2 else [])
    moves = packed([float(point.move) * 100 for point in series[0].points]) if series else []
    traces: list[dict[str, Any]] = []
    for index, line in enumerate(shown):
        colour, dash = SERIES[index % len(SERIES)]
        name = (
            _("Every mark moves")
            if line.key == "all"
            else _("Only %(symbol)s moves") % {"symbol": line.label}
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": legend_name(name),
                "x": moves,
                "y": packed([float(point.equity) for point in line.points]),
                "line": {"color": colour, "dash": dash, "width": 3},
                "hovertemplate": _("%{x:.0f}%: equity %{y:,.2f}")
                + "<extra>"
                + line.label
                + "</extra>",
            }
        )
    if series:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": legend_name(_("Maintenance margin (every mark)")),
                "x": moves,
                "y": packed([float(point.maintenance) for point in series[0].points]),
                "line": {"color": "#8a5300", "dash": "dot", "width": 2},
                "hovertemplate": _("%{x:.0f}%: maintenance %{y:,.2f}") + "<extra></extra>",
            }
        )
    layout = _layout(_("Move of the marks"), _("Account equity (%(unit)s)") % {"unit": unit})
    layout["xaxis"].update(ticksuffix="%", dtick=45, tickangle=0, range=[-90, 90])
    layout["shapes"] = [ZERO_LINE]
    everything = series[0] if series else None
    if everything is not None and everything.liquidation_move is not None:
        at = float(everything.liquidation_move) * 100
        if -90 <= at <= 90:
            layout["shapes"].append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": at,
                    "x1": at,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#8a5300", "dash": "dash", "width": 2},
                }
            )
    summary = _map_summary(series, currency)
    rows = []
    by_move = (
        {int(point.move * 100): index for index, point in enumerate(series[0].points)}
        if series
        else {}
    )
    for move in _MAP_TABLE_MOVES:
        found = by_move.get(move)
        if found is None:
            continue
        index = found
        rows.append(
            [f"{move:+d}%" if move else "0%"]
            + [money(line.points[index].equity, currency) for line in shown]
        )
    plot = {"data": traces, "layout": layout}
    return Figure(
        "map",
        _("Liquidation map"),
        plot,
        summary,
        [_("Move")]
        + [
            (
                _("Every mark")
                if line.key == "all"
                else _("Only %(symbol)s") % {"symbol": line.label}
            )
            for line in shown
        ],
        rows,
        legend=in_page_legend(plot),
    )


def _map_summary(series: list[MapSeries], currency: str) -> str:
    if not series:
        return _("No cross position shares the wallet: there is no account to map.")
    parts = []
    for line in series:
        move = line.liquidation_move
        size = {"size": pct(abs(move), 1) if move is not None else "", "symbol": line.label}
        if line.key == "all":
            if move is None or move <= -1:
                parts.append(_("no move of all the marks together liquidates the account"))
            elif move > 0:
                parts.append(_("a %(size)s rise of every mark liquidates it") % size)
            else:
                parts.append(_("a %(size)s fall of every mark liquidates it") % size)
        elif move is None or move <= -1:
            parts.append(_("no move of %(symbol)s alone liquidates the account") % size)
        elif move > 0:
            parts.append(_("a %(size)s rise of %(symbol)s alone liquidates it") % size)
        else:
            parts.append(_("a %(size)s fall of %(symbol)s alone liquidates it") % size)
        if line.key == "all" and len(series) == 2:
            break  # one symbol: its line is the first
    return _("Moving the marks, %(results)s.") % {
        "results": pgettext("between platforms' results", "; ").join(parts)
    }


@dataclass(frozen=True)
class PathStop:
    """One published point of an incident's price path, as the chart and its table show it."""

    minute: float
    price: float  # the incident's own price
    clock: str
    gap: bool
    your_price: str  # the same move from the visitor's entry, formatted
    your_equity: str  # their equity there if closed (formatted), or why not


@dataclass(frozen=True)
class PathMark:
    """Where one platform liquidates on the path (in the incident's prices)."""

    label: str
    minute: float
    price: float
    fill: str  # what the table says of the fill, e.g. "$54,210.00 (after the gap)"
    # a platform that liquidates in steps: its later closes on the path, (minute, price)
    more: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class PathLevel:
    """Where what is left open after a close in steps is liquidated next, from one close to
    the next (in the incident's prices)."""

    start: float
    end: float
    price: float


def _after(minute: float) -> str:
    if minute < 1:
        return _("%(seconds)s s in") % {"seconds": f"{minute * 60:,.0f}"}
    return _("%(minutes)s min in") % {"minutes": localize(f"{minute:,.0f}")}


def _path_price(value: float) -> str:
    """A price of the incident's own asset: MNGO in cents and EUR/CHF need more places."""
    if abs(value) < 1:
        return localize(f"{value:,.6g}")
    return localize(f"{value:,.4f}" if abs(value) < 100 else f"{value:,.2f}")


def path_figure(
    *,
    stops: list[PathStop],
    asset: str,
    marks: list[PathMark],
    liquidation: float | None,
    bankruptcy: float | None,
    main_label: str,
    remainder_levels: tuple[PathLevel, ...] = (),
    outcome: str = "",
    outcome_point: tuple[float, float] | None = None,
) -> Figure:
    """The crash as published, point by point, with where each platform closes the position
    and the visitor's own liquidation and bankruptcy prices as levels of the incident's price.

    Straight stretches are drawn solid, jumps without trading dotted: the line between two
    published points is an assumption, and the chart's summary and table say so."""
    minutes = [stop.minute for stop in stops]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Published prices"),
            "x": minutes,
            "y": [stop.price for stop in stops],
            "text": [stop.clock for stop in stops],
            "line": {"color": INK, "width": 2},
            "marker": {"size": 7, "color": INK},
            "hovertemplate": "%{text}<br>%{y:,.6g}<extra></extra>",
        }
    ]
    for before, after in pairwise(stops):
        if after.gap:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": "a jump with no trading",
                    "x": [before.minute, after.minute],
                    "y": [before.price, after.price],
                    "line": {"color": "#ffffff", "width": 3, "dash": "dot"},
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
    for index, mark in enumerate(marks):
        colour, _dash = SERIES[index % len(SERIES)]
        name = (
            _("Closed in steps on %(platform)s") % {"platform": mark.label}
            if mark.more
            else _("Closed on %(platform)s") % {"platform": mark.label}
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": legend_name(name),
                "x": [mark.minute, *(minute for minute, _price in mark.more)],
                "y": [mark.price, *(price for _minute, price in mark.more)],
                "marker": {
                    "size": 13,
                    "color": colour,
                    "symbol": ["x", "diamond", "triangle-down", "square", "star", "cross"][
                        index % 6
                    ],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                "hovertemplate": _("%(platform)s: closed at %%{y:,.6g}") % {"platform": mark.label}
                + "<extra></extra>",
            }
        )
    # the visitor's levels as dashed lines in the legend, not as labels on the plot: the two
    # often lie a hair apart, and labels overprinted each other on a phone
    for value, name, colour, dash in (
        (liquidation, _("Your liquidation price on this path"), ACCENT, "dash"),
        (bankruptcy, _("Your bankruptcy price on this path"), DANGER, "dot"),
    ):
        if value is None or not math.isfinite(value):
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": legend_name(
                    _("%(name)s (%(platform)s): %(price)s")
                    % {"name": name, "platform": main_label, "price": _path_price(value)}
                ),
                "x": [minutes[0], minutes[-1]],
                "y": [value, value],
                "line": {"color": colour, "width": 1.5, "dash": dash},
                "hoverinfo": "skip",
            }
        )
    if remainder_levels:
        # one broken line: a segment per close, a gap (None) between them
        xs: list[float | None] = []
        ys: list[float | None] = []
        for level in remainder_levels:
            xs += [level.start, level.end, None]
            ys += [level.price, level.price, None]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": legend_name(
                    _("Liquidation price of what is left open (%(platform)s)")
                    % {"platform": main_label}
                ),
                "x": xs,
                "y": ys,
                "line": {"color": ACCENT, "width": 1.5, "dash": "dashdot"},
                "hoverinfo": "skip",
            }
        )
    if outcome and outcome_point is not None:
        # the steps' end on the visitor's platform (who pays, ADL included), at its last close
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": legend_name(outcome),
                "x": [outcome_point[0]],
                "y": [outcome_point[1]],
                "marker": {"size": 15, "color": DANGER, "symbol": "circle-open"},
                "hoverinfo": "name",
            }
        )
    layout = _layout(_("Minutes from the first price"), _("Price"))
    layout["hovermode"] = "closest"
    layout["legend"] = {"orientation": "h", "yanchor": "top", "y": -0.28, "x": 0}
    if marks:
        summary = pgettext("between platforms' results", "; ").join(
            _(
                "on %(platform)s the position is closed %(when)s, where %(asset)s was at "
                "%(price)s (the same move from your entry fills at %(fill)s)"
            )
            % {
                "platform": mark.label,
                "when": _after(mark.minute),
                "asset": asset,
                "price": _path_price(mark.price),
                "fill": mark.fill,
            }
            for mark in marks
        )
        summary = summary[0].upper() + summary[1:] + "."
    else:
        summary = _(
            "The path never reaches a liquidation price of the position on any platform shown."
        )
    if outcome:
        summary += " " + outcome
    if outcome_point is not None:
        summary += " " + _(
            "After a close in steps, the table's equity is what is left open, marked at that price."
        )
    summary += " " + ngettext(
        "The path has %(count)s published price; the lines between them are drawn straight "
        "(an assumption, not data).",
        "The path has %(count)s published prices; the lines between them are drawn straight "
        "(an assumption, not data).",
        len(stops),
    ) % {"count": len(stops)}
    rows = [
        [
            stop.clock or "—",
            localize(f"{stop.minute:,.0f}"),
            _path_price(stop.price),
            stop.your_price,
            stop.your_equity,
        ]
        for stop in stops
    ]
    plot = {"data": traces, "layout": layout}
    return Figure(
        "path",
        _("The crash as published, and where your position is closed"),
        plot,
        summary,
        [
            _("Time (as the source gives it)"),
            _("Minute"),
            _("%(asset)s price") % {"asset": asset},
            _("Same move from your entry"),
            _("Your equity if closed there (%(platform)s)") % {"platform": main_label},
        ],
        rows,
        legend=in_page_legend(plot),
    )


def fund_history_figure(
    *, key: str, name: str, currency: str, dates: list[str], amounts: list[float]
) -> Figure:
    """An insurance fund's published balances over time, oldest first: a small chart of points
    (never joined: nothing is known between them), with the same balances as a table."""
    trace = {
        "type": "scatter",
        # points only: published balances are sparse (two in May 2020, one in 2025), and a
        # line between them would draw a history nobody published
        "mode": "markers",
        "name": name,
        "x": dates,
        "y": amounts,
        "marker": {"size": 9, "color": ACCENT},
        "hovertemplate": f"%{{x}}: %{{y:,.2f}} {currency}<extra></extra>",
    }
    layout = _layout("", currency, height=240)
    layout["margin"] = {"l": 72, "r": 16, "t": 16, "b": 40}
    layout["hovermode"] = "closest"
    layout["xaxis"].update(type="date", automargin=True)  # a date's tick may take two lines
    layout["showlegend"] = False
    words = {
        "name": name,
        "currency": currency,
        "first": localize(f"{amounts[0]:,.2f}"),
        "first_date": long_date(date.fromisoformat(dates[0])),
        "last": localize(f"{amounts[-1]:,.2f}"),
        "last_date": long_date(date.fromisoformat(dates[-1])),
        "count": len(amounts),
    }
    if len(amounts) == 1:
        summary = (
            _("%(name)s: %(first)s %(currency)s on %(first_date)s, the one balance we have.")
            % words
        )
    else:
        summary = (
            ngettext(
                "%(name)s: %(first)s %(currency)s on %(first_date)s, %(last)s %(currency)s on "
                "%(last_date)s (%(count)s published balance).",
                "%(name)s: %(first)s %(currency)s on %(first_date)s, %(last)s %(currency)s on "
                "%(last_date)s (%(count)s published balances).",
                len(amounts),
            )
            % words
        )
    return Figure(
        key,
        _("%(name)s: balance over time") % words,
        {"data": [trace], "layout": layout},
        summary,
        [_("Date"), _("Balance (%(currency)s)") % words],
        [
            [long_date(date.fromisoformat(day)), localize(f"{amount:,.2f}")]
            for day, amount in zip(dates, amounts, strict=True)
        ],
    )
