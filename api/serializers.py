"""Engine results as JSON: prices and money as decimal strings, as exchange APIs return them.

Values are rounded here, for display, never inside the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from django.utils.translation import gettext

from calculator.compare import Compared
from calculator.market import MarketAnswer
from calculator.safety import Safety
from collateral.valuation import ValuedCollateral
from engine import Coverage, Evaluation, Outcome, fees_reduce_margin
from engine.loan import LoanLiquidation
from incidents.forms import SimulationForm
from incidents.models import EngineStall, Incident, PricePoint
from incidents.replay import PathReplay, PathRow, ReplayRow, Simulated
from incidents.simulate import Market
from platforms.models import Citation
from platforms.profiles import ResolvedProfile

MONEY_PLACES = Decimal("1e-8")  # satoshi precision covers coin margins and USD alike
FRACTION_PLACES = Decimal("1e-6")
INPUT_PLACES = Decimal("1e-18")  # a number as typed: the forms accept 18 decimal places


def decimal_str(value: Decimal | float | None, places: Decimal = MONEY_PLACES) -> str | None:
    """Fixed-point text, rounded to `places`, without exponent or trailing zeros. None for a
    missing or non-finite value (a float that overflowed): the API never writes NaN or
    Infinity. Floats are read as their shortest text (0.1 stays 0.1)."""
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if not number.is_finite():
        return None
    # Enough digits for the whole part, the places and a carry (9.999… rounds up to 10): a
    # position's notional can reach 1e28, which quantize would refuse in the default context.
    exponent = places.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite quantum
    digits = max(number.adjusted(), 0) + 2 - exponent
    rounded = number.quantize(places, rounding=ROUND_HALF_EVEN, context=Context(prec=digits))
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def payers_list(coverage: Iterable[Coverage]) -> list[dict[str, Any]]:
    """Who pays a deficit, in the waterfall's order: each party and its amount."""
    return [{"party": part.party.value, "amount": decimal_str(part.amount)} for part in coverage]


def source_dict(citation: Citation) -> dict[str, Any]:
    """A cited source beside a published price or an engine stall."""
    return {
        "url": citation.url,
        "title": citation.title,
        "quote": citation.quote,
        "source_date": citation.source_date.isoformat() if citation.source_date else None,
        "confidence": citation.confidence,
    }


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    return {
        "fill_price": decimal_str(outcome.fill_price),
        "liquidated": outcome.liquidated,
        "closed_by": outcome.closed_by,
        "equity_after": decimal_str(outcome.equity_after),
        "deficit": decimal_str(outcome.deficit),
        "coverage": payers_list(outcome.coverage),
        "trader_owes": decimal_str(outcome.trader_owes),
        "trader_result": decimal_str(outcome.trader_result),
        "deficit_in_coin": decimal_str(outcome.deficit_in_coin),
        "equity_after_in_coin": decimal_str(outcome.equity_after_in_coin),
        "trader_owes_in_coin": decimal_str(outcome.trader_owes_in_coin),
        "explanation": outcome.explanation,
    }


def evaluation_dict(evaluation: Evaluation, profile: ResolvedProfile | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "notional": decimal_str(evaluation.notional),
        "leverage": decimal_str(evaluation.leverage, FRACTION_PLACES),
        "initial_margin": decimal_str(evaluation.initial_margin),
        "maintenance_margin": decimal_str(evaluation.maintenance_margin),
        "maintenance_margin_rate": decimal_str(evaluation.maintenance_margin_rate, FRACTION_PLACES),
        "margin_currency": evaluation.margin_currency,
        "liquidation_price": decimal_str(evaluation.liquidation_price),
        "bankruptcy_price": decimal_str(evaluation.bankruptcy_price),
        "distance_to_liquidation": decimal_str(evaluation.distance_to_liquidation, FRACTION_PLACES),
        "health_factor": decimal_str(evaluation.health_factor, FRACTION_PLACES),
        "loan_to_value": decimal_str(evaluation.loan_to_value, FRACTION_PLACES),
        "margin_level": decimal_str(evaluation.margin_level, FRACTION_PLACES),
        "margin": decimal_str(evaluation.margin),
        "open_fee": decimal_str(evaluation.open_fee),
        "fees_from_margin": fees_reduce_margin(
            position=evaluation.position, rules=evaluation.rules
        ),
        "funding_paid": decimal_str(evaluation.funding_paid),
        "interest_paid": decimal_str(evaluation.interest_paid),
        "close_fee_reserve": decimal_str(evaluation.close_fee_reserve),
        "liquidation_steps": [
            {
                "price": decimal_str(step.price),
                "tier_before": step.tier_before,
                "tier_after": step.tier_after,
                "quantity_before": decimal_str(step.quantity_before),
                "quantity_after": decimal_str(step.quantity_after),
                "fee": decimal_str(step.fee),
                "equity_after": decimal_str(step.equity_after),
                "maintenance_after": decimal_str(step.maintenance_after),
                "survives": step.survives,
                "next_liquidation_price": decimal_str(step.next_liquidation_price),
            }
            for step in evaluation.liquidation_steps
        ],
        "conventions_without_published_example": [c.value for c in evaluation.unchecked],
        "warnings": [{"code": w.code, "message": w.message} for w in evaluation.warnings],
        "outcome": outcome_dict(evaluation.outcome) if evaluation.outcome else None,
    }
    if profile is not None:
        body["profile"] = {
            "platform": profile.platform.slug,
            "scope": profile.scope_key,
            "product": profile.product_line.name,
            "negative_balance_protection": profile.scope.protection,
            "tier_symbol": profile.tier_symbol,
            "last_verified": profile.platform.last_verified.isoformat()
            if profile.platform.last_verified
            else None,
        }
    return body


def safety_dict(safety: Safety) -> dict[str, Any]:
    """The safety answers (calculator/safety.py): each number with the sentence it backs;
    a question the request did not ask (no scenario, no `liquidation_target`, no `max_loss`)
    is null."""
    leverage, margin, stop = safety.leverage, safety.margin, safety.stop
    return {
        "safe_leverage": None
        if leverage is None
        else {
            "fill_price": decimal_str(leverage.fill_price),
            "leverage": decimal_str(leverage.leverage, FRACTION_PLACES),
            "at_maximum": leverage.at_maximum,
        },
        "margin_to_add": None
        if margin is None
        else {
            "target": decimal_str(margin.target),
            "amount": decimal_str(margin.amount),
            "liquidation_price": decimal_str(margin.liquidation_price),
        },
        "stop_for_loss": None
        if stop is None
        else {
            "max_loss": decimal_str(stop.max_loss),
            "stop_price": decimal_str(stop.stop_price),
            "gap": decimal_str(stop.gap, FRACTION_PLACES),
            "gap_fill_price": decimal_str(stop.gap_fill_price),
            "gap_loss": decimal_str(stop.gap_loss),
            "reason": stop.reason or None,
        },
        "sentences": safety.sentences,
    }


def compared_dict(other: Compared) -> dict[str, Any]:
    """One compared platform: its evaluation as above, or why it has none (no account for
    this contract and margin mode, or its rules refuse the position)."""
    head: dict[str, Any] = {"platform": other.slug, "name": other.label}
    if other.evaluation is None:
        return {**head, "error": other.problem}
    return {
        **head,
        "stop_not_guaranteed": other.stop_not_guaranteed,
        **evaluation_dict(other.evaluation, other.profile),
    }


def replay_dict(row: ReplayRow, profile: ResolvedProfile | None = None) -> dict[str, Any]:
    """One platform's replay of an incident's move: the move as a crash against the position
    (None where it helps) and the evaluation at it."""
    return {
        "crash": decimal_str(row.crash, INPUT_PLACES),
        "hurts_position": row.hurts,
        "evaluation": None if row.evaluation is None else evaluation_dict(row.evaluation, profile),
    }


def stress_dict(
    incident: Incident,
    move: Decimal | None,
    move_source: str | None,
    rows: list[ReplayRow],
    profile: ResolvedProfile | None,
) -> dict[str, Any]:
    """`/api/v1/stress`: the main position's replay at the top level, as before `compare`;
    each compared platform's in `compared`, or `error` where it has no answer. Without a move
    (the incident's price path is not one instant gap) `move` and the instant replay are null
    and `replayed` says the path is the answer."""
    main, *others = rows
    body = {
        "incident": incident.slug,
        "move": decimal_str(move, INPUT_PLACES),
        "move_source": move_source,
        "move_minutes": decimal_str(incident.move_minutes, INPUT_PLACES),
        "move_note": incident.move_note,
        "replayed": "move" if move is not None else "path",
        **replay_dict(main, profile),
    }
    body["compared"] = [
        {"platform": row.slug, "name": row.label, "error": row.problem}
        if row.problem
        else {"platform": row.slug, "name": row.label, **replay_dict(row)}
        for row in others
    ]
    return body


def incident_dict(incident: Incident) -> dict[str, Any]:
    """One incident as `/api/v1/incidents` lists it; `replayed` is what `/api/v1/stress`
    answers without a `move`: the instant move, the published path, or neither (a 400 asking
    for a move)."""
    points = len(incident.path.all())
    has_path = points >= 2
    return {
        "slug": incident.slug,
        "name": incident.name,
        "started_on": incident.started_on.isoformat(),
        "ended_on": incident.ended_on.isoformat() if incident.ended_on else None,
        "asset": incident.asset,
        "move": decimal_str(incident.move_size, INPUT_PLACES),
        "move_minutes": decimal_str(incident.move_minutes, INPUT_PLACES),
        "move_note": incident.move_note,
        "path_points": points,
        "granularity": incident.path_note,
        "engine_stalls": len(incident.engine_stalls.all()),
        "replayed": ("move" if incident.move_size is not None else "path" if has_path else None),
    }


def path_point_dict(point: PricePoint, equity: Decimal | None, price: Decimal) -> dict[str, Any]:
    """One published price, as the source gives it, with its sources and the visitor's price
    and equity there (null once their own platform has closed the position)."""
    return {
        "minute": decimal_str(point.minute, INPUT_PLACES),
        "clock": point.clock or None,
        "time_is_approximate": point.time_is_approximate,
        "price": decimal_str(point.price, INPUT_PLACES),
        "gap": point.gap,
        "note": point.note,
        "position_price": decimal_str(price),
        "equity": decimal_str(equity),
        "sources": [source_dict(citation) for citation in point.citations.all()],
    }


def path_row_dict(row: PathRow) -> dict[str, Any]:
    """One platform's walk: where the path first reaches its liquidation price (minute from
    the path's start; null if never), the fill and who pays, as the incident page shows it."""
    head: dict[str, Any] = {"platform": row.slug or None, "name": row.label}
    if row.evaluation is None:
        return {**head, "error": row.problem}
    evaluation, crossing = row.evaluation, row.crossing
    outcome = evaluation.outcome
    assert outcome is not None  # a walk always closes or marks at a price
    return {
        **head,
        "liquidated": crossing is not None,
        "liquidation_minute": decimal_str(crossing.minute, FRACTION_PLACES) if crossing else None,
        "between_published_points": bool(crossing and crossing.interpolated),
        "in_gap": bool(crossing and crossing.in_gap),
        "engine_delayed": bool(crossing and crossing.delayed),
        "stalled_at_end": row.stalled_at_end,
        "liquidation_price": decimal_str(evaluation.liquidation_price),
        "liquidation_price_on_path": decimal_str(row.liquidation_on_path),
        "fill_price": decimal_str(outcome.fill_price),
        "bankruptcy_price": decimal_str(evaluation.bankruptcy_price),
        "deficit": decimal_str(outcome.deficit),
        "who_pays": payers_list(row.payers),
        "trader_result": decimal_str(outcome.trader_result),
        "trader_owes": decimal_str(outcome.trader_owes),
        "partial_liquidation": row.partial_liquidation,
        "partial_liquidation_note": row.partial_note or None,
        "closes": [
            {
                "minute": decimal_str(step.close.minute, FRACTION_PLACES),
                "price_on_path": decimal_str(step.incident_price),
                "fill_price": decimal_str(step.close.price),
                "quantity": decimal_str(step.close.quantity),
                "fee": decimal_str(step.close.fee),
                "partial": step.close.partial,
                "open_after": decimal_str(step.close.quantity_after),
                "equity_after": decimal_str(step.close.equity_after),
                "next_liquidation_price": decimal_str(step.close.next_liquidation),
            }
            for step in row.closes
        ],
        "open_at_end": decimal_str(row.stepped.remainder) if row.stepped else None,
        "trader_result_with_steps": decimal_str(row.stepped_result),
        **_stepped_settlement(row),
    }


def _stepped_settlement(row: PathRow) -> dict[str, Any]:
    """The steps' end settled: the deficit and who pays it (null where no steps were
    modelled or part of the position is still open at the path's end)."""
    settled = row.stepped_outcome
    if settled is None or settled.still_open:
        return {"deficit_with_steps": None, "who_pays_with_steps": None}
    return {
        "deficit_with_steps": decimal_str(settled.deficit),
        "who_pays_with_steps": payers_list(row.stepped_payers),
    }


def stall_dict(stall: EngineStall, published: list[PricePoint]) -> dict[str, Any]:
    """A sourced stall of a platform's liquidation engine, in the path's minutes."""
    return {
        "platform": stall.platform.slug,
        "start_minute": decimal_str(stall.start_minute, INPUT_PLACES),
        "minutes": decimal_str(stall.minutes, INPUT_PLACES),
        "clock": stall.clock or None,
        "what": stall.what,
        "after_path": bool(published) and stall.start_minute >= published[-1].minute,
        "sources": [source_dict(citation) for citation in stall.citations.all()],
    }


def path_dict(
    incident: Incident,
    published: list[PricePoint],
    walked: PathReplay,
    stalls: list[EngineStall] | None = None,
) -> dict[str, Any]:
    """`/api/v1/stress`'s `path`: the incident's published prices and the position walked
    along them on each platform (`incidents.replay.walk_path`, the incident page's walk)."""
    return {
        "engine_stalls": [stall_dict(stall, published) for stall in stalls or []],
        "asset": incident.path_asset or incident.asset,
        "started_on": incident.started_on.isoformat(),
        "granularity": incident.path_note,
        "assumptions": walked.assumptions,
        "hurts_position": walked.hurts,
        "points": [
            path_point_dict(point, step.equity, step.point.price)
            for point, step in zip(published, walked.steps, strict=True)
        ],
        "platforms": [path_row_dict(row) for row in walked.rows],
    }


def chances_dict(result: Simulated) -> dict[str, Any]:
    """One platform's simulated chances and amounts (fractions and money to 6 places)."""
    stress, exposure = result.stress, result.exposure
    assert stress is not None and exposure is not None  # callers pass simulated platforms only
    return {
        "liquidation_price": decimal_str(exposure.liquidation_price, FRACTION_PLACES),
        "bankruptcy_price": decimal_str(exposure.bankruptcy_price, FRACTION_PLACES),
        "paths": stress.paths,
        "chance_liquidation": decimal_str(stress.chance_liquidation, FRACTION_PLACES),
        "chance_liquidation_stderr": decimal_str(stress.liquidation_error, FRACTION_PLACES),
        "chance_deficit": decimal_str(stress.chance_deficit, FRACTION_PLACES),
        "chance_deficit_stderr": decimal_str(stress.deficit_error, FRACTION_PLACES),
        "expected_deficit": decimal_str(stress.expected_deficit, FRACTION_PLACES),
        "deficit_p99": decimal_str(stress.deficit_p99, FRACTION_PLACES),
        "chance_owed": decimal_str(stress.chance_owed, FRACTION_PLACES),
        "expected_owed": decimal_str(stress.expected_owed, FRACTION_PLACES),
        "owed_p99": decimal_str(stress.owed_p99, FRACTION_PLACES),
    }


def simulation_dict(market: Market, results: list[Simulated]) -> dict[str, Any]:
    """`/api/v1/simulate`: the assumptions, the main position's chances at the top level, and
    each compared platform's in `compared` (or `error` where it has none)."""
    main, *others = results
    return {
        "assumptions": {name: getattr(market, name) for name in SimulationForm.base_fields},
        "platform": main.venue.slug or None,
        "label": main.venue.label,
        **chances_dict(main),
        "compared": [
            {"platform": other.venue.slug, "name": other.venue.label, **chances_dict(other)}
            if other.stress is not None
            else {
                "platform": other.venue.slug,
                "name": other.venue.label,
                "error": other.problem or gettext("This position cannot be simulated here."),
            }
            for other in others
        ],
    }


def market_dict(answer: MarketAnswer, *, entry_from_mark: bool) -> dict[str, Any]:
    """The market a request named: whose tiers and when, its quote, a month's holding cost."""
    market, quote = answer.choice.market, answer.choice.quote
    tiers_as_of = answer.choice.tiers_as_of
    return {
        "symbol": market.symbol,
        "base": market.base,
        "quote": market.quote,
        "contract": market.kind,
        "product_line": market.product_line.slug,
        "url": market.get_absolute_url(),
        "own_tiers": bool(market.tiers.all()),
        "tiers_as_of": tiers_as_of.isoformat() if tiers_as_of else None,
        "from_snapshot": market.from_snapshot,
        "stale": market.is_stale,
        "mark_price": decimal_str(answer.choice.mark_price, INPUT_PLACES),
        "mark_read_at": quote.read_at.isoformat() if quote and quote.read_at else None,
        "funding_rate": decimal_str(answer.choice.funding_rate, INPUT_PLACES),
        "entry_from_mark": entry_from_mark,
        "month_holding": {
            "hours": decimal_str(answer.holding.hours),
            "funding_rate": decimal_str(answer.funding_rate, INPUT_PLACES),
            "funding_interval_hours": decimal_str(answer.funding_interval_hours),
            "funding": decimal_str(answer.holding.funding),
            "fees": decimal_str(answer.holding.fees),
        },
    }


def collateral_dict(valued: ValuedCollateral) -> dict[str, Any]:
    """The wallet's assets as the platform counts them (engine/collateral.py)."""
    return {
        "scheme": valued.scheme.name if valued.scheme is not None else None,
        "market_value": decimal_str(valued.basket.market_value),
        "collateral_value": decimal_str(valued.basket.collateral_value),
        "moves_with_price": decimal_str(valued.coin_collateral),
        "assets": [
            {
                "asset": holding.asset,
                "amount": decimal_str(holding.amount),
                "price": decimal_str(holding.price),
                "market_value": decimal_str(holding.market_value),
                "collateral_value": decimal_str(holding.collateral_value),
                "ratio": decimal_str(holding.ratio, FRACTION_PLACES),
            }
            for holding in valued.basket.holdings
        ],
    }


def loan_liquidation_dict(result: LoanLiquidation) -> dict[str, Any]:
    return {
        "calls": [
            {
                "repaid": decimal_str(call.repaid),
                "asset": call.asset,
                "seized": decimal_str(call.seized),
                "seized_value": decimal_str(call.seized_value),
                "bonus_value": decimal_str(call.bonus_value),
                "health_factor_after": decimal_str(call.health_factor_after, FRACTION_PLACES),
                "debt_after": decimal_str(call.debt_after),
            }
            for call in result.calls
        ],
        "debt_left": decimal_str(result.debt_left),
        "bad_debt": decimal_str(result.bad_debt),
        "bonus_paid": decimal_str(result.bonus_paid),
        "healthy": result.healthy,
    }
