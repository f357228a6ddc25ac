"""Incident pages: the story with its sources, a replay on the visitor's position, and the
chance of owing money over a holding period."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from calculator.charts import (
    OutcomeShares,
    PathLevel,
    PathMark,
    PathStop,
    ReplayBar,
    path_figure,
    replay_figure,
    stress_histogram_figure,
)
from calculator.engine_errors import engine_error_text
from calculator.example import initial_query
from calculator.formatting import money, pct
from calculator.forms import CalculatorForm
from calculator.results import figures_json
from config.ratelimit import rate_limited
from engine import Contract, EngineInputError, Side
from engine.path import PathPoint
from incidents import adl_october
from incidents.forms import MoveForm, SimulationForm
from incidents.models import EngineStall, Impact, Incident, PricePoint
from incidents.replay import (
    PathReplay,
    PathRow,
    replay,
    simulate,
    stalls_by_platform,
    walk_path,
)
from incidents.simulate import SimulationInputError, histogram
from platforms.choices import Party
from platforms.profiles import platform_list

PARTY_LABELS = dict(Party.choices)
# shown as editable fields on these pages; every other calculator field rides along hidden
VISIBLE = ("platform", "side", "entry_price", "margin", "leverage")
REPLACED = ("gap", "crash", "fill_price")  # the replay and the simulation set the price
# The simulation's own refusal that the form cannot foresee, translated when shown.
gettext_noop("Jumps this large cannot be simulated.")


def move_text(move: Decimal) -> str:
    """The move as a caption names it: "a 20% fall"."""
    size = {"size": pct(abs(move))}
    return _("a %(size)s fall") % size if move < 0 else _("a %(size)s rise") % size


def after_move_text(move: Decimal) -> str:
    """The start of the replay chart's summary: "After a 20% fall"."""
    size = {"size": pct(abs(move))}
    return _("After a %(size)s fall") % size if move < 0 else _("After a %(size)s rise") % size


def _position(request: HttpRequest, extra: tuple[str, ...], first_side: str = "") -> dict[str, Any]:
    """The visitor's calculator query (first-visit defaults if none, on `first_side` where
    given) and its validated form."""
    query = initial_query(request.GET)
    if first_side and query is not request.GET and "side" not in request.GET:
        query = query.copy()
        query["side"] = first_side
    form = CalculatorForm(query, platforms=platform_list())
    skip = set(VISIBLE) | set(REPLACED) | set(extra) | {"compare"}
    hidden = [(key, value) for key in query for value in query.getlist(key) if key not in skip]
    calculator_query = QueryDict(mutable=True)
    for key in query:
        if key not in extra:
            calculator_query.setlist(key, query.getlist(key))
    return {
        "form": form,
        "hidden": hidden,
        "calculator_query": calculator_query.urlencode(),
        "compare_slugs": query.getlist("compare"),
    }


@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = Incident.objects.prefetch_related("impacts", "platforms", "path")
    return render(request, "incidents/list.html", {"incidents": incidents})


@require_GET
def incident_detail(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(
        Incident.objects.prefetch_related(
            "citations",
            "platforms",
            Prefetch("impacts", queryset=Impact.objects.prefetch_related("citations", "platform")),
            Prefetch("path", queryset=PricePoint.objects.prefetch_related("citations")),
            Prefetch(
                "engine_stalls",
                queryset=EngineStall.objects.select_related("platform").prefetch_related(
                    "citations"
                ),
            ),
        ),
        slug=slug,
    )
    published = list(incident.path.all())
    stalls = list(incident.engine_stalls.all())
    context = _position(request, ("move",), _hurt_side(published))
    move_form = MoveForm(request.GET or None)
    move = incident.move_size
    if move_form.is_bound and move_form.is_valid() and move_form.cleaned_data["move"] is not None:
        move = move_form.cleaned_data["move"]
    context.update(
        incident=incident,
        move_form=move_form,
        move=move,
        party_labels=PARTY_LABELS,
        published=published,
        engine_stalls=[
            (stall, bool(published) and stall.start_minute >= published[-1].minute)
            for stall in stalls
        ],
    )
    form = context["form"]
    figures = []
    if len(published) >= 2 and form.is_valid():
        calculation = form.calculation()
        try:
            walked = walk_path(
                calculation,
                context["compare_slugs"],
                [PathPoint(p.minute, p.price, p.gap) for p in published],
                stalls_by_platform(stalls),
            )
        except EngineInputError:
            walked = None  # a path the admin left inconsistent: the page says it cannot walk it
        if walked is not None:
            figures.append(_path_chart(walked, incident, published))
            context.update(
                walked=walked,
                side_word="long" if calculation.position.side == Side.LONG else "short",
            )
    if incident.slug == adl_october.INCIDENT:
        context.update(_adl_context(incident, published, context.get("walked")))
    if move is not None and form.is_valid() and not move_form.errors:
        calculation = form.calculation()
        rows = replay(calculation, context["compare_slugs"], move)
        helps = rows and all(row.crash is None and not row.problem for row in rows)
        side = calculation.position.side
        bars = [
            ReplayBar(
                row.label,
                float(row.evaluation.outcome.trader_result),
                float(row.evaluation.outcome.deficit),
                row.evaluation.outcome.liquidated,
            )
            for row in rows
            if row.evaluation is not None and row.evaluation.outcome is not None
        ]
        figures += [replay_figure(bars, after_move_text(move))] if bars else []
        context.update(
            rows=rows,
            helps=helps,
            side_word="long" if side == Side.LONG else "short",
            move_words=move_text(move),
        )
    context.update(figures=figures, figures_json=figures_json({f.key: f.figure for f in figures}))
    return render(request, "incidents/detail.html", context)


def _hurt_side(published: list[PricePoint]) -> str:
    """The side the published path hurts most, so a first visit sees the crash bite: long
    for a fall, short for a rise (as the calculator's presets pick)."""
    if len(published) < 2:
        return ""
    first = published[0].price
    fall = first / min(p.price for p in published)
    rise = max(p.price for p in published) / first
    return "long" if fall >= rise else "short"


def _adl_context(
    incident: Incident, published: list[PricePoint], walked: PathReplay | None
) -> dict[str, Any]:
    """The night's ADL from the public extract, and what the first ADL would have done to a
    position like the visitor's (walked along the same path)."""
    positions, deleveraged, realised = adl_october.totals()
    found: dict[str, Any] = {
        "adl_sides": list(adl_october.adl_sides().values()),
        "adl_positions": positions,
        "adl_deleveraged": deleveraged,
        "adl_realised": realised,
        "adl_citations": [c for c in incident.citations.all() if c.field_name == "adl"],
        "adl_source_url": adl_october.SOURCE_URL,
    }
    main = walked.rows[0] if walked and walked.rows else None
    if main is None or main.evaluation is None:
        return found
    evaluation = main.evaluation
    position = evaluation.position
    quantity = (
        evaluation.notional
        if position.contract == Contract.INVERSE
        else evaluation.notional / position.entry_price
    )
    with contextlib.suppress(EngineInputError):
        found["your_adl"] = adl_october.your_adl(
            contract=position.contract,
            side=position.side,
            entry=position.entry_price,
            quantity=quantity,
            path=[PathPoint(p.minute, p.price, p.gap) for p in published],
        )
    return found


def _path_chart(walked: PathReplay, incident: Incident, published: list[PricePoint]) -> Any:
    """The path figure: the published prices, each platform's close, the visitor's levels."""
    stops = []
    for step, point in zip(walked.steps, published, strict=True):
        if step.equity is not None:
            equity = money(step.equity)
        else:
            equity = _("closed") if walked.rows and walked.rows[0].liquidated else "—"
        stops.append(
            PathStop(
                float(point.minute),
                float(point.price),
                point.clock,
                point.gap,
                money(step.point.price),
                equity,
            )
        )
    marks = []
    for row in walked.rows:
        if row.crossing is None:
            continue
        fill = money(row.crossing.fill_price)
        if row.crossing.in_gap:
            fill = _("%(fill)s (the first price after the jump)") % {"fill": fill}
        if row.crossing.delayed:
            fill = _("%(fill)s (when the liquidation engine acted again)") % {"fill": fill}
        later = tuple(
            (float(step.close.minute), float(step.incident_price)) for step in row.closes[1:]
        )
        marks.append(
            PathMark(
                row.label,
                float(row.crossing.minute),
                float(walked.to_incident_price(row.crossing.fill_price)),
                fill,
                later,
            )
        )
    main = walked.rows[0] if walked.rows else None
    levels: list[float | None] = [None, None]
    if main is not None and main.evaluation is not None:
        for index, price in enumerate(
            (main.evaluation.liquidation_price, main.evaluation.bankruptcy_price)
        ):
            if price is not None and price > 0:
                levels[index] = float(walked.to_incident_price(price))
    remainder: list[PathLevel] = []
    outcome, outcome_point = "", None
    if main is not None and main.closes:
        end = float(published[-1].minute)
        closes = main.closes
        for done, following in zip(closes, [*closes[1:], None], strict=True):
            level = done.close.next_liquidation
            if level is not None and level > 0:
                until = float(following.close.minute) if following else end
                remainder.append(
                    PathLevel(
                        float(done.close.minute), until, float(walked.to_incident_price(level))
                    )
                )
        outcome = _stepped_outcome(main)
        outcome_point = (float(closes[-1].close.minute), float(closes[-1].incident_price))
    return path_figure(
        stops=stops,
        asset=incident.path_asset or incident.asset,
        marks=marks,
        liquidation=levels[0],
        bankruptcy=levels[1],
        main_label=main.label if main else "",
        remainder_levels=tuple(remainder),
        outcome=outcome,
        outcome_point=outcome_point,
    )


def _stepped_outcome(row: PathRow) -> str:
    """The end of the visitor's steps in a sentence: still open, kept, or the deficit and who
    pays it (the platform's waterfall, ADL included)."""
    settled = row.stepped_outcome
    if settled is None or row.stepped is None:
        return ""
    if settled.still_open:
        return _(
            "On %(platform)s, after its closes in steps, %(quantity)s is still open when the "
            "path ends, worth %(equity)s there."
        ) % {
            "platform": row.label,
            "quantity": f"{float(row.stepped.remainder):,.6g}",
            "equity": money(settled.trader_result),
        }
    if settled.deficit <= 0:
        return _("On %(platform)s, after its closes in steps, you keep %(amount)s.") % {
            "platform": row.label,
            "amount": money(settled.trader_result),
        }
    payers = "; ".join(
        f"{PARTY_LABELS.get(part.party, part.party)} {money(part.amount)}"
        for part in row.stepped_payers
    )
    return _(
        "On %(platform)s, the closes in steps end with a deficit of %(deficit)s, paid by: "
        "%(payers)s."
    ) % {"platform": row.label, "deficit": money(settled.deficit), "payers": payers}


@require_GET
@rate_limited("simulate")
def chance(request: HttpRequest) -> HttpResponse:
    context = _position(request, tuple(SimulationForm.base_fields))
    simulation_form = SimulationForm(request.GET)
    context["simulation_form"] = simulation_form
    form = context["form"]
    if form.is_valid() and simulation_form.is_valid():
        try:
            market = simulation_form.market()
            results = simulate(form.calculation(), context["compare_slugs"], market)
        except SimulationInputError as error:
            simulation_form.add_error(error.field, _(error.message))
            return render(request, "incidents/chance.html", context)
        except EngineInputError as error:
            # the engine may refuse the position only at the paths' prices: said above the
            # simulation's fields, as the field it names may be a hidden one
            simulation_form.add_error(
                None,
                _("%(field)s: %(message)s")
                % {"field": form.fields[error.field].label, "message": engine_error_text(error)}
                if error.field in form.fields
                else engine_error_text(error),
            )
            return render(request, "incidents/chance.html", context)
        done = [(r.venue.label, r.stress) for r in results if r.stress is not None]
        edges, shares = histogram([stress for _, stress in done])
        figure = stress_histogram_figure(
            [float(e) for e in edges],
            [
                OutcomeShares(label, [float(s) for s in share], stress.chance_owed)
                for (label, stress), share in zip(done, shares, strict=True)
            ],
        )
        context.update(
            market=market,
            results=results,
            figures=[figure],
            figures_json=figures_json({figure.key: figure.figure}),
            step_hours=market.horizon_days * 24 / market.steps,
        )
    return render(request, "incidents/chance.html", context)
