"""The API's who-pays objects (`adl`, `insurance_fund`, `jurisdiction`) and their schemas;
openapi.py and views.py take these whole. The request fields that choose them (`residence`,
`client_class`) are described by their form fields' help text, as every field is."""

from __future__ import annotations

from typing import Any

from api.serializers import FRACTION_PLACES, decimal_str
from calculator.who_pays import WhoPays
from engine.adl import AdlClose
from platforms.models import Citation

NULLABLE_DECIMAL = {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d+)?$"}
CLOSE = {
    "type": ["object", "null"],
    "properties": {
        "side": {"type": "string", "enum": ["long", "short"]},
        "quantity": NULLABLE_DECIMAL,
        "market_price": NULLABLE_DECIMAL,
        "close_price": NULLABLE_DECIMAL,
        "profit": NULLABLE_DECIMAL,
        "kept": NULLABLE_DECIMAL,
        "cost": NULLABLE_DECIMAL,
    },
}
CITATIONS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "url": {"type": "string"},
            "title": {"type": "string"},
            "quote": {"type": "string"},
            "source_date": {"type": ["string", "null"]},
            "date_note": {"type": "string"},
            "confidence": {"type": "string"},
            "is_inference": {"type": "boolean"},
        },
    },
}
SCHEMAS = {
    "adl": {
        "type": ["object", "null"],
        "description": "Auto-deleveraging from the winner's side, where the platform's ADL rule "
        "is on record (linear and inverse contracts). `yours`: an ADL of your position if the "
        "same move went your way (at `favourable_price`); `other_side`: an ADL of a trader with "
        "your size and entry on the other side of your scenario's deficit. In both "
        "`kept + cost == profit`. `score` is the platform's own only when `scored_by_formula`; "
        "`rank` is always null: no platform publishes everyone's positions to us.",
        "properties": {
            "ranking": {"type": "string"},
            "ranking_formula": {"type": "string"},
            "trigger": {"type": "string"},
            "close_price_rule": {"type": "string"},
            "move": NULLABLE_DECIMAL,
            "favourable_price": NULLABLE_DECIMAL,
            "pnl_fraction": NULLABLE_DECIMAL,
            "effective_leverage": NULLABLE_DECIMAL,
            "score": NULLABLE_DECIMAL,
            "scored_by_formula": {"type": "boolean"},
            "rank": {"type": "null"},
            "rank_note": {"type": "string"},
            "yours": CLOSE,
            "other_side": CLOSE,
            "sentence": {"type": "string"},
            "details": {"type": "array", "items": {"type": "string"}},
            "citations": CITATIONS,
        },
    },
    "insurance_fund": {
        "type": ["object", "null"],
        "description": "The platform's fund (or backstop vault) for this contract, its newest "
        "dated balance from a cited source, how many deficits like yours it would pay (null "
        "when there is no balance, no deficit or the currencies differ) and the next step.",
        "properties": {
            "name": {"type": "string"},
            "kind": {"type": "string"},
            "currency": {"type": "string"},
            "balance": NULLABLE_DECIMAL,
            "balance_as_of": {"type": ["string", "null"]},
            "balance_is_old": {"type": "boolean"},
            "deficits_covered": {"type": ["integer", "null"]},
            "next_step": {"type": "string"},
            "sentence": {"type": "string"},
            "citations": CITATIONS,
        },
    },
    "jurisdiction": {
        "type": ["object", "null"],
        "description": "Present when `residence` is given: the law's protection there, whether "
        "it reaches the chosen account (`applies`, null when not settled) and whether the "
        "platform's own terms serve that residence (`platform_serves`, null when no source).",
        "properties": {
            "residence": {"type": "string"},
            "client_class": {"type": "string"},
            "protection": {"type": ["string", "null"]},
            "regulator": {"type": ["string", "null"]},
            "leverage_cap": NULLABLE_DECIMAL,
            "margin_close_out": NULLABLE_DECIMAL,
            "in_force_from": {"type": ["string", "null"]},
            "uncertainty": {"type": ["string", "null"]},
            "applies": {"type": ["boolean", "null"]},
            "platform_serves": {"type": ["boolean", "null"]},
            "headline": {"type": "string"},
            "summary": {
                "type": "string",
                "description": "One line: the protection that applies here, and why.",
            },
            "sentences": {"type": "array", "items": {"type": "string"}},
            "citations": CITATIONS,
        },
    },
}


def _citations(citations: list[Citation]) -> list[dict[str, Any]]:
    return [
        {
            "url": c.url,
            "title": c.title,
            "quote": c.quote,
            "source_date": c.source_date.isoformat() if c.source_date else None,
            "date_note": c.date_note,
            "confidence": c.confidence,
            "is_inference": c.is_inference,
        }
        for c in citations
    ]


def _close(close: AdlClose | None) -> dict[str, Any] | None:
    if close is None:
        return None
    return {
        "side": close.side.value,
        "quantity": decimal_str(close.quantity),
        "market_price": decimal_str(close.market_price),
        "close_price": decimal_str(close.close_price),
        "profit": decimal_str(close.profit),
        "kept": decimal_str(close.kept),
        "cost": decimal_str(close.cost),
    }


def who_pays_dict(who_pays: WhoPays) -> dict[str, Any]:
    adl, fund, law = who_pays.adl, who_pays.fund, who_pays.jurisdiction
    body: dict[str, Any] = {"adl": None, "insurance_fund": None, "jurisdiction": None}
    if adl is not None:
        score = adl.score
        body["adl"] = {
            "ranking": adl.rule.ranking,
            "ranking_formula": adl.rule.ranking_formula,
            "trigger": adl.rule.trigger,
            "close_price_rule": adl.rule.close_price,
            "move": decimal_str(adl.move, FRACTION_PLACES),
            "favourable_price": decimal_str(adl.favourable_price),
            "pnl_fraction": decimal_str(score.pnl_fraction, FRACTION_PLACES) if score else None,
            "effective_leverage": decimal_str(score.effective_leverage, FRACTION_PLACES)
            if score
            else None,
            "score": decimal_str(score.score, FRACTION_PLACES)
            if score and adl.scored_by_formula
            else None,
            "scored_by_formula": adl.scored_by_formula,
            "rank": None,
            "rank_note": adl.rank_note,
            "yours": _close(adl.yours),
            "other_side": _close(adl.other_side),
            "sentence": adl.sentence,
            "details": adl.details,
            "citations": _citations(adl.citations),
        }
    if fund is not None:
        body["insurance_fund"] = {
            "name": fund.fund.name,
            "kind": fund.fund.kind,
            "currency": fund.fund.currency,
            "balance": decimal_str(fund.balance.amount) if fund.balance else None,
            "balance_as_of": fund.balance.as_of.isoformat() if fund.balance else None,
            "balance_is_old": fund.is_old,
            "deficits_covered": fund.deficits_covered,
            "next_step": fund.next_step,
            "sentence": fund.sentence,
            "citations": _citations(fund.citations),
        }
    if law is not None:
        rule = law.rule
        body["jurisdiction"] = {
            "residence": law.residence,
            "client_class": law.client_class,
            "protection": rule.protection if rule else None,
            "regulator": rule.regulator if rule else None,
            "leverage_cap": decimal_str(rule.leverage_cap) if rule else None,
            "margin_close_out": decimal_str(rule.margin_close_out, FRACTION_PLACES)
            if rule
            else None,
            "in_force_from": rule.in_force_from.isoformat()
            if rule and rule.in_force_from
            else None,
            "uncertainty": (rule.uncertainty or None) if rule else None,
            "applies": law.applies,
            "platform_serves": law.platform_serves,
            "headline": law.headline,
            "summary": law.summary,
            "sentences": law.sentences,
            "citations": _citations(law.citations),
        }
    return body
