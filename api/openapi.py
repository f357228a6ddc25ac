"""The OpenAPI 3.1 document for API v1, built from the form so docs and validation cannot drift."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from api.who_pays import DESCRIPTIONS as WHO_PAYS_DESCRIPTIONS
from api.who_pays import SCHEMAS as WHO_PAYS_SCHEMAS
from calculator.forms import DEFAULT_CUSTOM_MMR, MAX_COMPARED, ComparingForm

DESCRIPTIONS = {
    "platform": "Profile slug, e.g. `binance`. Omit for custom rules typed in the request.",
    "scope": "Account scope as `<product line>/<scope>`, e.g. `usds-m/isolated`. "
    "Default: the platform's retail scope for the contract and margin mode.",
    "contract": "`linear` (USDT/USDC-margined), `inverse` (coin-margined), `spot_margin` or `loan`.",
    "side": "`long` or `short` (loans are long their collateral).",
    "margin_mode": "`isolated` (default) or `cross`.",
    "entry_price": "Entry price in quote currency per base unit (for loans: the collateral price now).",
    "quantity": "Linear and spot margin: base units. Inverse: USD face value (contracts × contract size).",
    "leverage": "Isolated: give two of quantity, margin and leverage.",
    "margin": "Isolated margin: quote currency for linear, coin for inverse.",
    "wallet_balance": "Cross margin: the wallet balance (all of it is at risk).",
    "other_maintenance_margin": "Cross margin: maintenance margin of your other positions.",
    "other_unrealized_pnl": "Cross margin: unrealised PnL of your other positions.",
    "maintenance_margin_rate": "Override: a flat maintenance rate (fraction) replacing the profile's "
    f"tiers. Default without a platform: {DEFAULT_CUSTOM_MMR}.",
    "maintenance_amount": "Override: the maintenance amount (cum) of the tier.",
    "maintenance_basis": "Override: maintenance on the `mark` (default) or `entry` notional.",
    "taker_fee": "Override: taker fee, fraction of notional, on open and close.",
    "liquidation_fee": "Override: liquidation fee, fraction of the liquidated notional.",
    "funding_rate": "Funding rate per interval (positive: longs pay).",
    "funding_interval_hours": "Hours between funding payments.",
    "holding_hours": "How long the position is held before the scenario (funding and interest).",
    "borrow_rate": "Borrow interest per year (fraction), spot margin and loans.",
    "liquidation_margin_level": "Spot margin: liquidation when assets / (debt + interest) falls to "
    "this level (e.g. 1.1). Required where the platform publishes none.",
    "collateral": "Loans: collateral units.",
    "debt": "Loans: debt in quote currency.",
    "liquidation_threshold": "Loans: liquidation threshold (e.g. 0.83).",
    "liquidation_penalty": "Loans: liquidation penalty/bonus paid from collateral (e.g. 0.05).",
    "fill_price": "Scenario: the price the position is closed at.",
    "gap": "Scenario: fill this fraction beyond the liquidation price (0.05 = 5%).",
    "crash": "Scenario: a move of this fraction of entry against the position (0.3 = 30%).",
    "stop_price": "A stop-loss. In a gap it fills at the gap price, not at the stop.",
    "guaranteed_stop": (
        "The stop fills at the stop price whatever the gap. Only where the platform's profile "
        "offers guaranteed stops, or on custom rules; elsewhere a 400 on this field."
    ),
    "insurance_fund_depleted": "Assume the insurance fund cannot pay: the next step covers.",
    "compare": f"Platforms (slugs) to run the same position and scenario on, at most "
    f"{MAX_COMPARED}: repeated (`compare=bitmex&compare=okx`), comma-separated "
    "(`compare=bitmex,okx`) or a JSON list. Each answer is in `compared`.",
    **WHO_PAYS_DESCRIPTIONS,
}

DECIMAL = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["42750.5"]}
NULLABLE_DECIMAL = {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d+)?$"}


def _field_schema(field: forms.Field) -> dict[str, Any]:
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": ["array", "string"], "items": {"type": "string"}}
    if isinstance(field, forms.BooleanField):
        return {"type": "boolean", "default": False}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [value for value, _ in field.choices]}
    if isinstance(field, forms.DecimalField):
        schema: dict[str, Any] = {"type": ["number", "string"]}
        for validator in field.validators:
            if isinstance(validator, MinValueValidator):
                schema["minimum"] = float(validator.limit_value)
            elif isinstance(validator, MaxValueValidator):
                schema["maximum"] = float(validator.limit_value)
            elif hasattr(validator, "limit") and isinstance(validator.limit, Decimal):
                schema["exclusiveMinimum"] = float(validator.limit)
        return schema
    return (
        {"type": "string", "maxLength": field.max_length}
        if field.max_length
        else {"type": "string"}
    )


def request_schema() -> dict[str, Any]:
    properties = {}
    for name, field in ComparingForm.base_fields.items():
        properties[name] = {**_field_schema(field), "description": DESCRIPTIONS.get(name, "")}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["entry_price"],
        "properties": properties,
    }


OUTCOME = {
    "type": ["object", "null"],
    "properties": {
        "fill_price": DECIMAL,
        "liquidated": {"type": "boolean"},
        "closed_by": {
            "type": ["string", "null"],
            "enum": ["liquidation", "stop", "guaranteed_stop", None],
        },
        "equity_after": DECIMAL,
        "deficit": DECIMAL,
        "coverage": {
            "type": "array",
            "description": "Who pays the deficit, in the platform's order. Amounts sum to `deficit` exactly.",
            "items": {
                "type": "object",
                "properties": {"party": {"type": "string"}, "amount": DECIMAL},
                "required": ["party", "amount"],
            },
        },
        "trader_owes": DECIMAL,
        "trader_result": DECIMAL,
        "deficit_in_coin": {
            **NULLABLE_DECIMAL,
            "description": "Inverse contracts: the deficit in coin, as the exchange settles it "
            "(the USD amounts above are converted at the fill price). Null otherwise.",
        },
        "equity_after_in_coin": {
            **NULLABLE_DECIMAL,
            "description": "Inverse contracts: the equity at the fill in coin. Null otherwise.",
        },
        "trader_owes_in_coin": {
            **NULLABLE_DECIMAL,
            "description": "Inverse contracts: what the trader owes, in coin. Null otherwise.",
        },
        "explanation": {"type": "string"},
    },
}

SAFETY = {
    "type": "object",
    "description": "Advice backed by the engine's numbers, each with its sentence in "
    "`sentences`. `safe_leverage`: the highest leverage at which the scenario's fill price "
    "leaves no deficit (null without a scenario that moves against the position); "
    "`margin_to_add`: what moves the liquidation price to `liquidation_target` (null without "
    "it; `amount` null where no margin can); `stop_for_loss`: the stop that caps the loss at "
    "`max_loss`, and what it fills at and loses when the price gaps through it by the "
    "scenario's gap (null without `max_loss`; `reason` says why `stop_price` is null).",
    "properties": {
        "safe_leverage": {
            "type": ["object", "null"],
            "properties": {
                "fill_price": DECIMAL,
                "leverage": NULLABLE_DECIMAL,
                "at_maximum": {"type": "boolean"},
            },
        },
        "margin_to_add": {
            "type": ["object", "null"],
            "properties": {
                "target": DECIMAL,
                "amount": NULLABLE_DECIMAL,
                "liquidation_price": NULLABLE_DECIMAL,
            },
        },
        "stop_for_loss": {
            "type": ["object", "null"],
            "properties": {
                "max_loss": DECIMAL,
                "stop_price": NULLABLE_DECIMAL,
                "gap": NULLABLE_DECIMAL,
                "gap_fill_price": NULLABLE_DECIMAL,
                "gap_loss": NULLABLE_DECIMAL,
                "reason": {
                    "type": ["string", "null"],
                    "enum": ["beyond_liquidation", "below_costs", None],
                },
            },
        },
        "sentences": {"type": "array", "items": {"type": "string"}},
    },
}

RESPONSE = {
    "type": "object",
    "properties": {
        "notional": DECIMAL,
        "leverage": NULLABLE_DECIMAL,
        "initial_margin": DECIMAL,
        "maintenance_margin": DECIMAL,
        "maintenance_margin_rate": DECIMAL,
        "margin_currency": {"type": "string", "enum": ["quote", "coin"]},
        "liquidation_price": {
            **NULLABLE_DECIMAL,
            "description": "Null where no price liquidates; the entry price when the position "
            "is below maintenance from the start (warning liquidated_on_entry).",
        },
        "bankruptcy_price": {**NULLABLE_DECIMAL, "description": "Null where none exists."},
        "distance_to_liquidation": {**NULLABLE_DECIMAL, "description": "Fraction of entry."},
        "health_factor": NULLABLE_DECIMAL,
        "margin_level": NULLABLE_DECIMAL,
        "margin": {
            **DECIMAL,
            "description": "The margin at stake after the costs taken from it, in the margin "
            "currency (coin for inverse contracts).",
        },
        "open_fee": {**DECIMAL, "description": "Taker fee on opening, margin currency."},
        "fees_from_margin": {
            "type": "boolean",
            "description": "True when the opening fee comes out of the margin; false where the "
            "platform takes it from the account balance instead (Bitget, isolated).",
        },
        "funding_paid": {
            **DECIMAL,
            "description": "Funding over the holding period; negative when received.",
        },
        "interest_paid": {**DECIMAL, "description": "Borrowing interest over the holding period."},
        "warnings": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "outcome": OUTCOME,
        "safety": SAFETY,
        "profile": {
            "type": "object",
            "description": "Present when a platform was given: what the numbers were taken from.",
        },
        "compared": {
            "type": "array",
            "description": "One entry per platform in `compare` (the main platform left out): "
            "`platform`, `name`, and either the same fields as this response for that "
            "platform's own rules, with `stop_not_guaranteed` true where a guaranteed stop "
            "was asked for and it offers none, or `error` saying why it has no answer.",
            "items": {"type": "object"},
        },
        **WHO_PAYS_SCHEMAS,
    },
}

ERRORS = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages per field; `__all__` for the request as a whole.",
        }
    },
    "required": ["errors"],
}


@cache
def openapi_document() -> dict[str, Any]:
    query_parameters = [
        {
            "name": name,
            "in": "query",
            "required": name == "entry_price",
            "schema": {k: v for k, v in schema.items() if k != "description"},
            "description": schema["description"],
        }
        for name, schema in request_schema()["properties"].items()
    ]
    responses = {
        "200": {
            "description": "The evaluation.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Evaluation"}}
            },
        },
        "400": {
            "description": "Invalid input: field errors.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
        },
        "413": {
            "description": "Body larger than 16 KB.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
        },
    }
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Underwater API",
            "version": "1",
            "description": "Liquidation and bankruptcy prices, the deficit after a gap, and who pays it, "
            "on a platform's published rules. Prices and money are decimal strings.",
        },
        "paths": {
            "/api/v1/evaluate": {
                "get": {
                    "summary": "Evaluate a position (fields as query parameters)",
                    "operationId": "evaluateGet",
                    "parameters": query_parameters,
                    "responses": responses,
                },
                "post": {
                    "summary": "Evaluate a position (fields as a JSON object)",
                    "operationId": "evaluatePost",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Request"}}
                        },
                    },
                    "responses": responses,
                },
            }
        },
        "components": {
            "schemas": {"Request": request_schema(), "Evaluation": RESPONSE, "Errors": ERRORS}
        },
    }
    return with_stress_paths(document)


def _number_schema(field: forms.Field) -> dict[str, Any]:
    if not isinstance(field, forms.IntegerField) or isinstance(field, forms.DecimalField):
        return _field_schema(field)
    schema: dict[str, Any] = {"type": ["integer", "string"]}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            schema["minimum"] = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            schema["maximum"] = validator.limit_value
    return schema


def with_stress_paths(document: dict[str, Any]) -> dict[str, Any]:
    """Add `/api/v1/stress` and `/api/v1/simulate`: the evaluate fields (less the scenario's
    price, which these set) plus their own; same 400 rules."""
    from incidents.forms import SIMULATION_HELP, SimulationForm

    replaced = {"gap", "crash", "fill_price"}
    position = {
        name: schema
        for name, schema in request_schema()["properties"].items()
        if name not in replaced
    }
    simulation = {
        name: {**_number_schema(field), "description": SIMULATION_HELP.get(name, "")}
        for name, field in SimulationForm.base_fields.items()
    }
    stress_fields = {
        "incident": {"type": "string", "description": "Incident slug, e.g. `binance-may-2020`."},
        "move": {
            "type": ["number", "string"],
            "minimum": -0.99,
            "maximum": 1000,
            "description": "Signed price move (−0.15 = a 15% fall). Default: the incident's own; "
            "required where the sources give none.",
        },
    }
    errors = {
        "description": "Invalid input: field errors.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }

    def operation(name: str, summary: str, fields: dict[str, Any], ok: str) -> dict[str, Any]:
        parameters = [
            {
                "name": key,
                "in": "query",
                "required": key in {"entry_price", "incident"},
                "schema": {k: v for k, v in schema.items() if k != "description"},
                "description": schema["description"],
            }
            for key, schema in fields.items()
        ]
        body = {
            "type": "object",
            "additionalProperties": False,
            "required": [k for k in ("entry_price", "incident") if k in fields],
            "properties": fields,
        }
        responses = {"200": {"description": ok}, "400": errors}
        return {
            "get": {
                "summary": summary,
                "operationId": f"{name}Get",
                "parameters": parameters,
                "responses": responses,
            },
            "post": {
                "summary": summary + " (JSON body)",
                "operationId": f"{name}Post",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body}},
                },
                "responses": responses,
            },
        }

    document["paths"]["/api/v1/stress"] = operation(
        "stress",
        "Replay a real incident's price move on a position",
        {**stress_fields, **position},
        "The move as a crash against the position (`crash`, null when the move helps this "
        "side) and the evaluation at it, as `/api/v1/evaluate` gives it.",
    )
    document["paths"]["/api/v1/simulate"] = operation(
        "simulate",
        "Chance of liquidation, of a deficit and of owing money (Monte Carlo)",
        {**position, **simulation},
        "Chances with standard errors; expected and 99th-percentile deficit and amount owed; "
        "numbers as decimal strings. Seeded: the same request gives the same numbers.",
    )
    return document
