"""`POST /api/v1/account`: a whole account, several positions sharing one cross margin.

The JSON object is read into the account page's own forms (`positions` becomes the formset's
`positions-0-…` fields), so the page and the API validate alike; errors come back keyed as
`positions[2].entry_price`. Money and prices are decimal strings, as in /api/v1/evaluate.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from api.openapi import COLLATERAL, DECIMAL, NULLABLE_DECIMAL, described
from api.requests import errors_response, json_object, scalar
from api.serializers import FRACTION_PLACES, collateral_dict, decimal_str, payers_list
from calculator.account_forms import MAX_POSITIONS, PREFIX, AccountForm, PositionForm
from calculator.account_results import (
    AccountEvaluated,
    ComparedAccount,
    account_answer,
    account_forms,
    evaluate_account_forms,
)
from config.ratelimit import rate_limited
from engine import AccountEvaluation, CrossMarginSharing, MapSeries, PositionResult
from readers.forms import SourceForm
from readers.service import PLATFORMS, read_account
from readers.types import RateLimited, ReadAccount, ReaderError, ReadLoan

MAX_BODY_BYTES = 64 * 1024  # 50 positions of a dozen fields each
ACCOUNT_FIELDS = (
    *("platform", "scope", "compare", "wallet_balance", "collateral_assets", "position_mode"),
    *("insurance_fund_depleted", "positions", "source"),
)
# With `source`, these come from the platform: giving them too is a field error.
READ_FIELDS = ("positions", "wallet_balance", "platform", "collateral_assets")


def form_data(payload: dict[str, Any]) -> dict[str, Any] | dict[str, list[str]]:
    """The JSON object as the account forms' fields, or errors ({field: [messages]})."""
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for key, value in payload.items():
        if key not in ACCOUNT_FIELDS:
            errors[key] = [_("Unknown field.")]
        elif key == "compare":
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(slug, str) for slug in values):
                errors[key] = [_("Expected a list of platform slugs.")]
            data[key] = values
        elif key == "collateral_assets" and isinstance(value, list):
            data[key] = json.dumps(value)  # the field reads a list of {asset, amount, price}
        elif key not in ("positions", "source"):
            if isinstance(value, dict | list):
                errors[key] = [_("Expected a single value, not a list or object.")]
            else:
                data[key] = scalar(value)
    positions = payload.get("positions")
    if not isinstance(positions, list) or not positions:
        errors["positions"] = [_("Give a list of at least one position.")]
        return errors
    if len(positions) > MAX_POSITIONS:
        errors["positions"] = [
            ngettext("At most %(count)s position.", "At most %(count)s positions.", MAX_POSITIONS)
            % {"count": MAX_POSITIONS}
        ]
        return errors
    for index, position in enumerate(positions):
        if not isinstance(position, dict):
            errors[f"positions[{index}]"] = [_("Expected an object of position fields.")]
            continue
        for key, value in position.items():
            where = f"positions[{index}].{key}"
            if key not in PositionForm.base_fields:
                errors[where] = [_("Unknown field.")]
            elif isinstance(value, dict | list):
                errors[where] = [_("Expected a single value, not a list or object.")]
            else:
                data[f"{PREFIX}-{index}-{key}"] = scalar(value)
    # every position given is checked (as an "initial" form, never skipped as blank)
    data[f"{PREFIX}-TOTAL_FORMS"] = str(len(positions))
    data[f"{PREFIX}-INITIAL_FORMS"] = str(len(positions))
    return errors if errors else data


def field_errors(evaluated: AccountEvaluated) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, messages in evaluated.form.errors.get_json_data().items():
        errors[name] = [m["message"] for m in messages]
    for index, form in enumerate(evaluated.formset.forms):
        for name, messages in form.errors.get_json_data().items():
            key = f"positions[{index}]" if name == "__all__" else f"positions[{index}].{name}"
            errors[key] = [m["message"] for m in messages]
    non_form = evaluated.formset.non_form_errors()
    if non_form:
        errors["positions"] = list(non_form)
    return errors or {"__all__": [_("These values cannot be evaluated.")]}


@csrf_exempt  # stateless JSON: no cookies are read, so there is nothing to forge
@require_POST
@rate_limited("api", json=True)
def account_view(request: HttpRequest) -> JsonResponse:
    payload = json_object(request, MAX_BODY_BYTES)
    if isinstance(payload, JsonResponse):
        return payload
    read = None
    if "source" in payload:
        outcome = read_source(request, payload)
        if isinstance(outcome, JsonResponse):
            return outcome
        read, payload = outcome
        if isinstance(read, ReadLoan):
            return loan_response(read, payload)
        if read.empty:
            return JsonResponse(empty_account(read))
    data = form_data(payload)
    if "positions-TOTAL_FORMS" not in data:
        return errors_response(data)
    evaluated = evaluate_account_forms(*account_forms(data))
    if evaluated.evaluation is None:
        errors = field_errors(evaluated)
        if read is not None:
            errors["source"] = [_("The account read from the platform cannot be evaluated here.")]
        return errors_response(errors)
    body = account_dict(evaluated.evaluation)
    body["answer"] = account_answer(evaluated.evaluation)
    profile = evaluated.profile
    body["profile"] = (
        None
        if profile is None
        else {
            "platform": profile.platform.slug,
            "scope": profile.scope_key,
            "product": profile.product_line.name,
            "negative_balance_protection": profile.scope.protection,
        }
    )
    body["platform_ratio"] = platform_ratio(
        evaluated.evaluation, profile.platform.slug if profile else None
    )
    body["compared"] = [compared_dict(other) for other in evaluated.compared]
    valued = evaluated.form.cleaned_data.get("collateral_valued")
    if valued is not None:
        body["collateral"] = collateral_dict(valued)
    if isinstance(read, ReadAccount):
        body["source"] = source_dict(read)
    return JsonResponse(body)


# --- an account read from a public address ------------------------------------------------------


def read_source(
    request: HttpRequest, payload: dict[str, Any]
) -> tuple[ReadAccount | ReadLoan, dict[str, Any]] | JsonResponse:
    """The account at `source`, and the payload with its positions, wallet and platform; or the
    error answer: 400 for a malformed source, 429/502/503/504 when it cannot be read."""
    source = payload["source"]
    both = [name for name in READ_FIELDS if name in payload]
    if both:
        return errors_response(
            {name: [_("Give either `source` or this field, not both.")] for name in both}
        )
    if not isinstance(source, dict):
        return errors_response(
            {"source": [_("Expected an object: platform, address, subaccount.")]}
        )
    unknown = [key for key in source if key not in SourceForm.base_fields]
    if unknown:
        return errors_response({f"source.{key}": [_("Unknown field.")] for key in unknown})
    form = SourceForm({key: scalar(value) for key, value in source.items()})
    if not form.is_valid():
        return errors_response(
            {
                "source" if name == "__all__" else f"source.{name}": [
                    m["message"] for m in messages
                ]
                for name, messages in form.errors.get_json_data().items()
            }
        )
    data = form.cleaned_data
    try:
        read = read_account(request, data["platform"], data["address"], data["subaccount"])
    except ReaderError as error:
        response = errors_response({"source": [error.message]}, error.status)
        if isinstance(error, RateLimited):
            response["Retry-After"] = str(error.wait)
        return response
    if isinstance(read, ReadLoan):
        return read, {key: value for key, value in payload.items() if key != "source"}
    positions = [position.fields() for position in read.positions]
    merged = {
        **payload,
        "platform": read.platform,
        "wallet_balance": str(read.wallet_balance),
        "positions": positions,
    }
    merged.pop("source")
    return read, merged


def source_dict(read: ReadAccount) -> dict[str, Any]:
    return {
        "platform": read.platform,
        "address": read.address,
        "subaccount": read.subaccount,
        "read_at": read.read_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wallet_balance": decimal_str(read.wallet_balance),
        "balances": {name: decimal_str(value) for name, value in read.balances.items()},
        "positions": [
            {
                "symbol": p.symbol,
                "side": p.side,
                "margin_mode": p.margin_mode,
                "quantity": decimal_str(p.quantity),
                "entry_price": decimal_str(p.entry_price),
                "mark_price": decimal_str(p.mark_price),
                "margin": decimal_str(p.margin),
                "leverage": decimal_str(p.leverage),
                "unrealized_pnl": decimal_str(p.unrealized_pnl),
                "stated_liquidation_price": decimal_str(p.stated_liquidation_price),
            }
            for p in read.positions
        ],
    }


def loan_source_dict(read: ReadLoan) -> dict[str, Any]:
    return {
        "platform": read.platform,
        "address": read.address,
        "subaccount": None,
        "pool": read.pool,
        "read_at": read.read_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "balances": {
            name: decimal_str(value, FRACTION_PLACES)
            if name in LOAN_FRACTIONS
            else decimal_str(value)
            for name, value in read.balances.items()
        },
        "positions": [],
    }


LOAN_FRACTIONS = ("liquidation_threshold", "loan_to_value", "health_factor")


def loan_response(read: ReadLoan, payload: dict[str, Any]) -> JsonResponse:
    """An Aave account: its figures as read, and the calculator's answer for it as one loan
    (the whole collateral against the whole debt at the weighted threshold), under `loan`."""
    from api.requests import position_form
    from api.serializers import compared_dict as evaluate_compared_dict
    from api.serializers import evaluation_dict
    from calculator.compare import compare
    from calculator.results import evaluate_form

    body: dict[str, Any] = {
        "contract": "loan",
        "positions": [],
        "liquidation_map": {"all": None, "symbols": []},
        "compared": [],
        "loan": None,
        "source": loan_source_dict(read),
    }
    if read.empty:
        message = _(
            "This address has no debt on Aave (or no collateral): there is nothing to liquidate."
        )
        return JsonResponse({**body, "answer": message, "message": message})
    data: dict[str, Any] = read.form_data()
    if "compare" in payload:
        data["compare"] = payload["compare"]
    evaluated = evaluate_form(position_form(data))
    result, calculation = evaluated.evaluation, evaluated.calculation
    if result is None or calculation is None:
        errors = {
            name: [str(m) for m in messages] for name, messages in evaluated.form.errors.items()
        }
        errors["source"] = [_("The account read from the platform cannot be evaluated here.")]
        return errors_response(errors)
    body["loan"] = evaluation_dict(result, calculation.profile)
    others = compare(calculation, evaluated.form.cleaned_data.get("compare", []), crash_lines=False)
    body["compared"] = [evaluate_compared_dict(other) for other in others]
    if read.health_factor is not None and read.health_factor < 1:
        body["answer"] = _(
            "Read as one loan: Aave states a health factor of %(health)s, below 1, so "
            "liquidators may already repay the debt out of the collateral."
        ) % {"health": f"{read.health_factor:.4f}"}
    else:
        body["answer"] = _(
            "Read as one loan: the collateral can lose %(move)s of its value before the health "
            "factor reaches 1 and liquidators may repay the debt out of it."
        ) % {"move": f"{(result.distance_to_liquidation or 0):.2%}"}
    return JsonResponse(body)


def empty_message(read: ReadAccount) -> str:
    where = PLATFORMS.get(read.platform, read.platform)
    return _(
        "This address has no open positions on %(platform)s: there is nothing to liquidate."
    ) % {"platform": where}


def empty_account(read: ReadAccount) -> dict[str, Any]:
    """The 200 answer for an address without open positions: an empty account and a message."""
    message = empty_message(read)
    return {
        "currency": "quote",
        "wallet_balance": decimal_str(read.wallet_balance),
        "positions": [],
        "liquidation_map": {"all": None, "symbols": []},
        "payers": [],
        "warnings": [],
        "answer": message,
        "message": message,
        "compared": [],
        "source": source_dict(read),
    }


# --- serializers -------------------------------------------------------------------------------


def position_dict(position: PositionResult) -> dict[str, Any]:
    return {
        "merged": list(position.merged),
        "name": position.name,
        "symbol": position.symbol or None,
        "contract": position.contract.value,
        "side": position.side.value,
        "margin_mode": position.margin_mode.value,
        "margin_currency": position.margin_currency,
        "quantity": decimal_str(position.quantity),
        "entry_price": decimal_str(position.entry_price),
        "mark_price": decimal_str(position.mark_price),
        "unrealized_pnl": decimal_str(position.unrealized_pnl),
        "maintenance_margin": decimal_str(position.maintenance_margin),
        "liquidation_price": decimal_str(position.liquidation_price),
        "bankruptcy_price": decimal_str(position.bankruptcy_price),
        "distance_to_liquidation": decimal_str(position.distance_to_liquidation, FRACTION_PLACES),
        "liquidation_price_alone": decimal_str(position.liquidation_price_alone),
        "warnings": [{"code": w.code, "message": w.message} for w in position.warnings],
    }


def series_dict(series: MapSeries) -> dict[str, Any]:
    shortfall = series.shortfall
    return {
        "key": series.key,
        "label": series.label,
        "liquidation_move": decimal_str(series.liquidation_move, FRACTION_PLACES),
        "bankruptcy_move": decimal_str(series.bankruptcy_move, FRACTION_PLACES),
        "points": [
            {
                "move": decimal_str(point.move, FRACTION_PLACES),
                "equity": decimal_str(point.equity),
                "maintenance_margin": decimal_str(point.maintenance),
            }
            for point in series.points
        ],
        "deepest_deficit": None
        if shortfall is None
        else {
            "move": decimal_str(shortfall.move, FRACTION_PLACES),
            "deficit": decimal_str(shortfall.deficit),
            "coverage": payers_list(shortfall.coverage),
            "trader_owes": decimal_str(shortfall.trader_owes),
        },
    }


def account_dict(evaluation: AccountEvaluation) -> dict[str, Any]:
    series = [series_dict(s) for s in evaluation.liquidation_map]
    return {
        "currency": evaluation.currency,
        "wallet_balance": decimal_str(evaluation.wallet_balance),
        "realized_pnl": decimal_str(evaluation.realized_pnl),
        "opening_fees": decimal_str(evaluation.opening_fees),
        "equity": decimal_str(evaluation.equity),
        "maintenance_margin": decimal_str(evaluation.maintenance_margin),
        "margin_ratio": decimal_str(evaluation.margin_ratio, FRACTION_PLACES),
        # how each cross position's liquidation price shares the margin: "wallet" (Binance
        # style) or "proportional" (KuCoin style), docs/design.md
        "cross_margin_sharing": evaluation.cross_margin_sharing.value,
        "positions": [position_dict(p) for p in evaluation.positions],
        "liquidation_map": {
            "all": series[0] if series else None,
            "symbols": series[1:],
        },
        "payers": [party.value for party in evaluation.payers],
        # coins in the wallet that are the base of a position: they move with its mark
        "moving_collateral": list(evaluation.moving_collateral),
        "warnings": [{"code": w.code, "message": w.message} for w in evaluation.warnings],
    }


# OKX states account risk the other way up: margin level = equity ÷ maintenance (liquidation
# at 100%), the inverse of Binance's margin ratio.
_INVERSE_RATIO_PLATFORMS = {"okx": "margin level"}


def platform_ratio(evaluation: AccountEvaluation, slug: str | None) -> dict[str, Any] | None:
    name = _INVERSE_RATIO_PLATFORMS.get(slug or "")
    if name is None:
        return None
    ratio = evaluation.margin_ratio
    value = None if not ratio else 1 / ratio
    return {"name": name, "value": decimal_str(value, FRACTION_PLACES)}


def compared_dict(other: ComparedAccount) -> dict[str, Any]:
    head: dict[str, Any] = {"platform": other.slug, "name": other.label}
    if other.evaluation is None:
        return {**head, "error": other.problem}
    evaluation = other.evaluation
    everything = evaluation.liquidation_map[0] if evaluation.liquidation_map else None
    return {
        **head,
        "equity": decimal_str(evaluation.equity),
        "maintenance_margin": decimal_str(evaluation.maintenance_margin),
        "margin_ratio": decimal_str(evaluation.margin_ratio, FRACTION_PLACES),
        # how each cross position's liquidation price shares the margin: "wallet" (Binance
        # style) or "proportional" (KuCoin style), docs/design.md
        "cross_margin_sharing": evaluation.cross_margin_sharing.value,
        "positions": [
            {
                "merged": list(p.merged),
                "liquidation_price": decimal_str(p.liquidation_price),
                "bankruptcy_price": decimal_str(p.bankruptcy_price),
                "maintenance_margin": decimal_str(p.maintenance_margin),
            }
            for p in evaluation.positions
        ],
        "liquidation_move": None
        if everything is None
        else decimal_str(everything.liquidation_move, FRACTION_PLACES),
        "bankruptcy_move": None
        if everything is None
        else decimal_str(everything.bankruptcy_move, FRACTION_PLACES),
        "payers": [party.value for party in evaluation.payers],
        "answer": account_answer(evaluation),
    }


# --- the OpenAPI description ------------------------------------------------------------------


def account_request_schema() -> dict[str, Any]:
    # Described by the forms' help text, as /api/v1/evaluate is by its form's.
    properties = {name: described(field) for name, field in AccountForm.base_fields.items()}
    position = {name: described(field) for name, field in PositionForm.base_fields.items()}
    properties["positions"] = {
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_POSITIONS,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["entry_price"],
            "properties": position,
        },
    }
    source_fields = SourceForm.base_fields
    properties["source"] = {
        "type": "object",
        "description": "Instead of `positions`, `wallet_balance` and `platform`: read the account "
        "from a public address (Hyperliquid, dYdX; Aave where the site has an Ethereum endpoint). "
        "The answer adds `source` with what was read and `source.read_at`. An Aave account "
        "answers `contract: loan` with the calculator's answer for it as one loan under `loan`.",
        "additionalProperties": False,
        "required": ["platform", "address"],
        "properties": {name: described(field) for name, field in source_fields.items()},
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "anyOf": [
            {
                "required": ["positions"],
                "not": {"required": ["source"]},
                # the wallet as a balance or as its assets (collateral/), not both
                "oneOf": [
                    {"required": ["wallet_balance"], "not": {"required": ["collateral_assets"]}},
                    {"required": ["collateral_assets"], "not": {"required": ["wallet_balance"]}},
                ],
            },
            {
                "required": ["source"],
                "not": {"anyOf": [{"required": [name]} for name in READ_FIELDS]},
            },
        ],
        "properties": properties,
    }


def _series_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Account equity as marks move by the same fraction (−0.9 … 0.9, steps "
        "of 0.01): every mark (`all`), or one symbol's with the others held.",
        "properties": {
            "key": {"type": "string"},
            "label": {"type": "string"},
            "liquidation_move": {
                **NULLABLE_DECIMAL,
                "description": "The move (nearest to now) where equity meets maintenance.",
            },
            "bankruptcy_move": {**NULLABLE_DECIMAL, "description": "The move where equity is 0."},
            "points": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "move": DECIMAL,
                        "equity": DECIMAL,
                        "maintenance_margin": DECIMAL,
                    },
                },
            },
            "deepest_deficit": {
                "type": ["object", "null"],
                "description": "The largest deficit on the map and who pays it (parts add up).",
            },
        },
    }


def account_response_schema() -> dict[str, Any]:
    position = {
        "type": "object",
        "properties": {
            "merged": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "The request positions (indices) this one merges (one-way mode).",
            },
            "name": {"type": "string"},
            "symbol": {"type": ["string", "null"]},
            "contract": {"type": "string"},
            "side": {"type": "string"},
            "margin_mode": {"type": "string"},
            "margin_currency": {"type": "string", "enum": ["quote", "coin"]},
            "quantity": DECIMAL,
            "entry_price": DECIMAL,
            "mark_price": DECIMAL,
            "unrealized_pnl": DECIMAL,
            "maintenance_margin": {**DECIMAL, "description": "At the mark."},
            "liquidation_price": {
                **NULLABLE_DECIMAL,
                "description": "With every other mark held; null where no move liquidates.",
            },
            "bankruptcy_price": {
                **NULLABLE_DECIMAL,
                "description": "Where the account's equity is 0, every other mark held.",
            },
            "distance_to_liquidation": NULLABLE_DECIMAL,
            "liquidation_price_alone": NULLABLE_DECIMAL,
            "warnings": {"type": "array"},
        },
    }
    return {
        "type": "object",
        "properties": {
            "currency": {"type": "string", "enum": ["quote", "coin"]},
            "wallet_balance": DECIMAL,
            "realized_pnl": DECIMAL,
            "opening_fees": DECIMAL,
            "equity": {**DECIMAL, "description": "Margin balance of the cross account."},
            "maintenance_margin": DECIMAL,
            "margin_ratio": {
                **NULLABLE_DECIMAL,
                "description": "Maintenance ÷ margin balance (Binance): 1 means liquidation; "
                "null when the balance is not above 0.",
            },
            "platform_ratio": {
                "type": ["object", "null"],
                "description": "The platform's own ratio where it defines another (OKX's "
                "margin level = equity ÷ maintenance).",
            },
            "positions": {"type": "array", "items": position},
            "liquidation_map": {
                "type": "object",
                "properties": {
                    "all": {"oneOf": [_series_schema(), {"type": "null"}]},
                    "symbols": {"type": "array", "items": _series_schema()},
                },
            },
            "cross_margin_sharing": {
                "type": "string",
                "enum": [sharing.value for sharing in CrossMarginSharing],
                "description": "How each cross position's liquidation price shares the wallet: "
                "`wallet` (the whole wallet backs each position, Binance) or `proportional` "
                "(in proportion to position value, KuCoin).",
            },
            "payers": {"type": "array", "items": {"type": "string"}},
            "moving_collateral": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Coins of `collateral_assets` that are the base of a position "
                "(BTC backing a BTC long): the wallet counts less of them as their price falls, "
                "at the platform's haircut, and the liquidation prices and map include that.",
            },
            "warnings": {"type": "array"},
            "answer": {"type": "string"},
            "profile": {"type": ["object", "null"]},
            "compared": {"type": "array"},
            "collateral": COLLATERAL,
            "message": {
                "type": "string",
                "description": "With `source`: why the account is empty (no open positions; on "
                "Aave, no debt).",
            },
            "contract": {
                "type": "string",
                "enum": ["loan"],
                "description": "With an Aave `source` only: the account is read as one loan.",
            },
            "loan": {
                "type": ["object", "null"],
                "description": "With an Aave `source`: /api/v1/evaluate's answer for the account "
                "as one loan (one unit of the whole collateral priced at its value, against the "
                "whole debt, at the weighted liquidation threshold); null when it has no debt.",
            },
            "source": _source_schema(),
        },
    }


def _source_schema() -> dict[str, Any]:
    read_position = {
        "type": "object",
        "properties": {
            "symbol": {"type": "string"},
            "side": {"type": "string", "enum": ["long", "short"]},
            "margin_mode": {"type": "string", "enum": ["cross", "isolated"]},
            "quantity": DECIMAL,
            "entry_price": DECIMAL,
            "mark_price": NULLABLE_DECIMAL,
            "margin": {**NULLABLE_DECIMAL, "description": "Isolated: the margin it holds."},
            "leverage": {**NULLABLE_DECIMAL, "description": "As the platform states it."},
            "unrealized_pnl": NULLABLE_DECIMAL,
            "stated_liquidation_price": {
                **NULLABLE_DECIMAL,
                "description": "The liquidation price the platform itself states (Hyperliquid), "
                "to set beside ours.",
            },
        },
    }
    return {
        "type": "object",
        "description": "With `source`: the account as read, and when.",
        "properties": {
            "platform": {"type": "string", "enum": list(PLATFORMS)},
            "address": {"type": "string"},
            "subaccount": {"type": ["integer", "null"]},
            "pool": {"type": "string", "description": "Aave: the market's Pool contract read."},
            "read_at": {"type": "string", "format": "date-time"},
            "wallet_balance": {
                **DECIMAL,
                "description": "The cross wallet before unrealized PnL, as the account takes it "
                "(absent for Aave).",
            },
            "balances": {
                "type": "object",
                "additionalProperties": DECIMAL,
                "description": "The balances the platform stated (account value, withdrawable, "
                "equity, free collateral, …). Aave: collateral_value, debt, available_borrows "
                "(base currency, USD), liquidation_threshold, loan_to_value (fractions) and "
                "health_factor (absent without debt).",
            },
            "positions": {"type": "array", "items": read_position},
        },
    }


def with_account_paths(document: dict[str, Any]) -> dict[str, Any]:
    errors = {
        "description": "Invalid input: field errors, positions keyed as "
        "`positions[2].entry_price`.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }
    schemas = document["components"]["schemas"]
    schemas["AccountRequest"] = account_request_schema()
    schemas["Account"] = account_response_schema()
    document["paths"]["/api/v1/account"] = {
        "post": {
            "summary": "Evaluate a whole account: positions sharing one cross margin",
            "operationId": "accountPost",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/AccountRequest"}}
                },
            },
            "responses": {
                "200": {
                    "description": "Each position's prices, the account's margin ratio and its "
                    "liquidation map.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Account"}}
                    },
                },
                "400": errors,
                "413": {"description": "Body larger than 64 KB."},
                "429": {
                    "description": "Too many requests (also: too many `source` readings).",
                    "content": errors["content"],
                },
                "502": {
                    "description": "`source`: the platform refused or gave an unreadable answer.",
                    "content": errors["content"],
                },
                "503": {
                    "description": "`source`: reading is turned off on this site, or paused "
                    "(its rate limit cannot be checked).",
                    "content": errors["content"],
                },
                "504": {
                    "description": "`source`: the platform did not answer in time.",
                    "content": errors["content"],
                },
            },
        }
    }
    return document
