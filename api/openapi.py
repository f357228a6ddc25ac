"""The OpenAPI 3.1 document for API v1, built from the forms so docs and validation cannot drift.

Each field's type, bounds and choices come from its form field, and its description from the
field's help text (the /api/ page reads the same). Numbers are described as numbers: the API
also reads a decimal string ("0.1") as the number it spells, as it writes its own.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from api.forms import POSITION_FIELDS, StressForm
from api.requests import MAX_BODY_BYTES
from api.who_pays import SCHEMAS as WHO_PAYS_SCHEMAS
from calculator.forms import MAX_COMPARED, ComparingForm
from collateral.forms import MAX_ASSETS, CollateralAssetsField
from incidents.forms import SimulationForm

SLUG = r"^[-a-zA-Z0-9_]+$"
# What the API writes: fixed-point decimal text, no exponent.
DECIMAL = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["42750.5"]}
NULLABLE_DECIMAL = {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d+)?$"}


def _bounds(field: forms.Field) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            bounds["minimum"] = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            bounds["maximum"] = validator.limit_value
        elif isinstance(limit := getattr(validator, "limit", None), Decimal):  # _GreaterThan
            bounds["exclusiveMinimum"] = limit
    # JSON numbers: 0.01 stays 0.01, 1000 stays 1000
    return {key: int(v) if v == int(v) else float(v) for key, v in bounds.items()}


# The collateral-assets text: ASSET:AMOUNT[@PRICE], comma-separated (collateral/forms.py)
_ASSET_TEXT = r"[A-Za-z0-9]{1,20} ?: ?[0-9]{1,12}(\.[0-9]{1,8})?( ?@ ?[0-9]{1,12}(\.[0-9]{1,8})?)?"
COLLATERAL_TEXT = {"type": "string", "pattern": rf"^{_ASSET_TEXT}(, ?{_ASSET_TEXT}){{0,9}}$"}
COLLATERAL_LIST = {
    "type": "array",
    "maxItems": MAX_ASSETS,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["asset", "amount"],
        "properties": {
            "asset": {"type": "string", "pattern": "^[A-Za-z0-9]{1,20}$"},
            "amount": {"type": "number", "exclusiveMinimum": 0, "maximum": 1e13},
            "price": {"type": "number", "exclusiveMinimum": 0, "maximum": 1e12},
        },
    },
}


def field_schema(field: forms.Field, *, query: bool = False) -> dict[str, Any]:
    """A form field as JSON Schema: as a query parameter's value, or as a JSON body's."""
    if isinstance(field, CollateralAssetsField):
        return COLLATERAL_TEXT if query else {"anyOf": [COLLATERAL_LIST, COLLATERAL_TEXT]}
    if isinstance(field, forms.MultipleChoiceField):
        slugs = {"type": "array", "items": {"type": "string", "pattern": SLUG}}
        if query:  # repeated: compare=bitmex&compare=okx
            return {**slugs, "maxItems": MAX_COMPARED}
        return {
            "anyOf": [
                {**slugs, "maxItems": MAX_COMPARED},
                {"type": "string", "description": "Comma-separated slugs."},
            ]
        }
    if isinstance(field, forms.BooleanField):
        return {"type": "boolean", "default": False}
    if isinstance(field, forms.ChoiceField):
        choices: list[tuple[str, str]] = list(field.choices)  # type: ignore[arg-type]
        return {"type": "string", "enum": [value for value, _ in choices]}
    if isinstance(field, forms.DecimalField):
        # at most `decimal_places` places: a multiple of 1e-18
        places = {"multipleOf": float(f"1e-{field.decimal_places}")}
        return {"type": "number", **_bounds(field), **places}
    if isinstance(field, forms.IntegerField):
        return {"type": "integer", **_bounds(field)}
    schema: dict[str, Any] = {"type": "string"}
    if isinstance(field, forms.SlugField):
        schema["pattern"] = SLUG
    if isinstance(field, forms.CharField) and field.max_length:
        schema["maxLength"] = field.max_length
    return schema


def described(field: forms.Field, *, query: bool = False) -> dict[str, Any]:
    return {**field_schema(field, query=query), "description": str(field.help_text)}


def _none_of(*names: str) -> dict[str, Any]:
    return {"not": {"anyOf": [{"required": [name]} for name in names]}}


def _when(field: str, value: str | bool, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"required": [field], "properties": {field: {"const": value}}}, "then": then}


# `collateral_assets` (cross margin, linear, in place of `wallet_balance`) is left out of these
# rules and stated in its description: each way of writing it as a branch here made the schema
# too large for the contract tester's generator (tests/api/test_schemathesis.py); the API checks
# it and answers a 400 naming the field.
# The rules between fields that the form checks, as JSON Schema: a body that breaks one is a 400
# naming the fields. (A query string carries the same fields under the same rules.) What depends
# on stored data (a platform's products, scopes and guaranteed stops, an incident's move) is
# checked by the API alone: a scope, for one, is a 400 unless the platform given has it.
POSITION_RULES: list[dict[str, Any]] = [
    {
        "oneOf": [
            {
                "title": "Isolated margin: two of quantity, margin and leverage",
                "properties": {
                    "margin_mode": {"const": "isolated"},
                    "contract": {"enum": ["linear", "inverse", "spot_margin"]},
                },
                "oneOf": [
                    {"required": [one, other], **_none_of(third)}
                    for one, other, third in (
                        ("margin", "leverage", "quantity"),
                        ("quantity", "leverage", "margin"),
                        ("quantity", "margin", "leverage"),
                    )
                ],
                **_none_of("wallet_balance", "collateral", "debt"),
            },
            {
                "title": "Cross margin: the wallet balance, and the quantity or the leverage",
                "required": ["margin_mode", "wallet_balance"],
                "properties": {
                    "margin_mode": {"const": "cross"},
                    "contract": {"enum": ["linear", "inverse"]},
                },
                "anyOf": [{"required": ["quantity"]}, {"required": ["leverage"]}],
                **_none_of("margin", "collateral", "debt"),
            },
            {
                "title": "Collateralised loan: collateral, threshold, and the debt or the leverage",
                "required": ["contract", "collateral", "liquidation_threshold"],
                "properties": {
                    "contract": {"const": "loan"},
                    "side": {"const": "long"},
                    "margin_mode": {"const": "isolated"},
                    "leverage": {"exclusiveMinimum": 1},
                    "debt": {"exclusiveMinimum": 0},
                },
                "oneOf": [
                    {"required": ["debt"], **_none_of("leverage")},
                    {"required": ["leverage"], **_none_of("debt")},
                ],
                **_none_of("quantity", "margin", "wallet_balance"),
            },
        ]
    },
    # spot margin borrows: more than 1× and a liquidation level (custom rules have none)
    _when(
        "contract",
        "spot_margin",
        {
            "required": ["liquidation_margin_level"],
            "properties": {"leverage": {"exclusiveMinimum": 1}},
        },
    ),
    # one scenario at most; a long cannot fall more than 100%
    {
        "not": {
            "anyOf": [
                {"required": ["gap", "crash"]},
                {"required": ["gap", "fill_price"]},
                {"required": ["crash", "fill_price"]},
            ]
        }
    },
    {
        "anyOf": [
            {"required": ["side"], "properties": {"side": {"const": "short"}}},
            {"properties": {"crash": {"maximum": 1}}},
        ]
    },
    _when("guaranteed_stop", True, {"required": ["stop_price"]}),
]


# With a `symbol` the entry price defaults to that market's last mark price, so `entry_price` is
# required only without one. That rule is stated in the body's description rather than as a
# branch (any way of writing "one or the other" as JSON Schema made the body too large for the
# contract tester's generator, as with `collateral_assets` above); the API checks it and answers
# a 400 naming `entry_price`, also where the market named has no mark price.
ENTRY_OR_SYMBOL = (
    "`entry_price` is required unless `symbol` names a market: its last mark price is then the "
    "default (a 400 on `entry_price` where we hold no mark price for it)."
)


def _required(fields: dict[str, forms.Field], required: tuple[str, ...]) -> tuple[list[str], str]:
    """The fields always required, and the description of the rule that requires one of two."""
    if "entry_price" in required and "symbol" in fields:
        return [name for name in required if name != "entry_price"], ENTRY_OR_SYMBOL
    return list(required), ""


def body_schema(fields: dict[str, forms.Field], required: tuple[str, ...]) -> dict[str, Any]:
    always, either = _required(fields, required)
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": always,
        "properties": {name: described(field) for name, field in fields.items()},
        "allOf": POSITION_RULES,
    }
    if either:
        schema["description"] = either
    return schema


def request_schema() -> dict[str, Any]:
    """The evaluate endpoint's JSON body (the /api/ page lists these fields)."""
    return body_schema(dict(ComparingForm.base_fields), ("entry_price",))


OUTCOME = {
    "type": ["object", "null"],
    "required": [
        "fill_price",
        "liquidated",
        "closed_by",
        "equity_after",
        "deficit",
        "coverage",
        "trader_owes",
        "trader_result",
        "deficit_in_coin",
        "equity_after_in_coin",
        "trader_owes_in_coin",
        "explanation",
    ],
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
NULLABLE_TEXT = {"type": ["string", "null"]}
EVALUATION_PROPERTIES = {
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
    "loan_to_value": {
        **NULLABLE_DECIMAL,
        "description": "Loans: debt / collateral value at entry, as lenders show it beside "
        "the health factor. Null otherwise.",
    },
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
    "close_fee_reserve": {
        **DECIMAL,
        "description": "The fee to close at the bankruptcy price that the platform holds in "
        "the margin or counts in maintenance (Bybit, Phemex), margin currency; 0 elsewhere.",
    },
    "conventions_without_published_example": {
        "type": "array",
        "items": {"type": "string"},
        "description": "The platform's conventions behind these numbers (by the profile field "
        "that stores each) for which no published worked example checks our result: it follows "
        "the platform's own formula only.",
    },
    "liquidation_steps": {
        "type": "array",
        "description": "A partial liquidation at the liquidation price, tier by tier, where "
        "the platform liquidates in steps; empty for a full close.",
        "items": {
            "type": "object",
            "properties": {
                "price": DECIMAL,
                "tier_before": {"type": "integer"},
                "tier_after": {"type": "integer"},
                "quantity_before": DECIMAL,
                "quantity_after": DECIMAL,
                "fee": DECIMAL,
                "equity_after": DECIMAL,
                "maintenance_after": DECIMAL,
                "survives": {"type": "boolean"},
                "next_liquidation_price": NULLABLE_DECIMAL,
            },
        },
    },
    "warnings": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            "required": ["code", "message"],
        },
    },
    "outcome": OUTCOME,
    "profile": {
        "type": "object",
        "description": "Present when a platform was given: what the numbers were taken from.",
        "properties": {
            "platform": {"type": "string"},
            "scope": {"type": "string"},
            "product": {"type": "string"},
            "negative_balance_protection": {"type": "string"},
            "tier_symbol": NULLABLE_TEXT,
            "last_verified": {**NULLABLE_TEXT, "format": "date"},
        },
        "required": ["platform", "scope", "product", "negative_balance_protection"],
    },
}
EVALUATION_REQUIRED = [key for key in EVALUATION_PROPERTIES if key != "profile"]
COMPARED_HEAD = {
    "platform": {"type": "string"},
    "name": {"type": "string"},
    "error": {"type": "string", "description": "Why this platform has no answer."},
}

MARKET = {
    "type": ["object", "null"],
    "description": "Null unless the request names a `symbol`: the market whose tiers, max "
    "leverage, taker fee and funding were the defaults, when its tiers were read "
    "(`from_snapshot`: from a dated recording, not live), its last mark price and funding rate "
    "(`entry_from_mark`: the entry price was its mark), and what holding the position for "
    "`month_holding.hours` would cost at those rates (funding: negative is received; fees: a "
    "taker fee to open and one to close), in the quote currency (USD for inverse).",
    "required": [
        "symbol",
        "contract",
        "tiers_as_of",
        "from_snapshot",
        "stale",
        "mark_price",
        "funding_rate",
        "entry_from_mark",
        "month_holding",
    ],
    "properties": {
        "symbol": {"type": "string"},
        "base": {"type": "string"},
        "quote": {"type": "string"},
        "contract": {"type": "string", "enum": ["linear", "inverse"]},
        "product_line": {"type": "string"},
        "url": {"type": "string"},
        "own_tiers": {"type": "boolean"},
        "tiers_as_of": {**NULLABLE_TEXT, "format": "date-time"},
        "from_snapshot": {"type": "boolean"},
        "stale": {"type": "boolean"},
        "mark_price": NULLABLE_DECIMAL,
        "mark_read_at": {**NULLABLE_TEXT, "format": "date-time"},
        "funding_rate": NULLABLE_DECIMAL,
        "entry_from_mark": {"type": "boolean"},
        "month_holding": {
            "type": "object",
            "required": ["hours", "funding", "fees"],
            "properties": {
                "hours": DECIMAL,
                "funding_rate": NULLABLE_DECIMAL,
                "funding_interval_hours": NULLABLE_DECIMAL,
                "funding": DECIMAL,
                "fees": DECIMAL,
            },
        },
    },
}
COLLATERAL = {
    "type": "object",
    "description": "Present when `collateral_assets` was given: each asset at the platform's "
    "haircut. `collateral_value` is the wallet the position is evaluated with; "
    "`moves_with_price` the counted units of the traded coin, whose value moves with it.",
    "required": ["scheme", "market_value", "collateral_value", "moves_with_price", "assets"],
    "properties": {
        "scheme": NULLABLE_TEXT,
        "market_value": DECIMAL,
        "collateral_value": DECIMAL,
        "moves_with_price": DECIMAL,
        "assets": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "asset",
                    "amount",
                    "price",
                    "market_value",
                    "collateral_value",
                    "ratio",
                ],
                "properties": {
                    "asset": {"type": "string"},
                    "amount": DECIMAL,
                    "price": DECIMAL,
                    "market_value": DECIMAL,
                    "collateral_value": DECIMAL,
                    "ratio": DECIMAL,
                },
            },
        },
    },
}
LOAN_LIQUIDATION = {
    "type": "object",
    "description": "Loans with a scenario: the lender's liquidation at the fill price, call by "
    "call. Each call repays at most the close factor of the debt (Aave v3: half while the "
    "health factor is at least 0.95, all of it below; the whole loan at once where no lender "
    "rules are stored) and the liquidator takes collateral worth the repaid debt plus the "
    "bonus, until the loan is healthy or no collateral is left; what debt is left then is "
    "`bad_debt`.",
    "required": ["calls", "debt_left", "bad_debt", "bonus_paid", "healthy"],
    "properties": {
        "calls": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "repaid",
                    "asset",
                    "seized",
                    "seized_value",
                    "bonus_value",
                    "health_factor_after",
                    "debt_after",
                ],
                "properties": {
                    "repaid": DECIMAL,
                    "asset": {"type": "string"},
                    "seized": DECIMAL,
                    "seized_value": DECIMAL,
                    "bonus_value": DECIMAL,
                    "health_factor_after": NULLABLE_DECIMAL,
                    "debt_after": DECIMAL,
                },
            },
        },
        "debt_left": DECIMAL,
        "bad_debt": DECIMAL,
        "bonus_paid": DECIMAL,
        "healthy": {"type": "boolean"},
    },
}
RESPONSE = {
    "type": "object",
    "required": [*EVALUATION_REQUIRED, "safety", "compared"],
    "properties": {
        **EVALUATION_PROPERTIES,
        "safety": SAFETY,
        "compared": {
            "type": "array",
            "description": "One entry per platform in `compare` (the main platform left out): "
            "`platform`, `name`, and either the same fields as this response for that "
            "platform's own rules, with `stop_not_guaranteed` true where a guaranteed stop "
            "was asked for and it offers none, or `error` saying why it has no answer.",
            "items": {
                "type": "object",
                "required": ["platform", "name"],
                "properties": {
                    **COMPARED_HEAD,
                    "stop_not_guaranteed": {"type": "boolean"},
                    **EVALUATION_PROPERTIES,
                },
            },
        },
        **WHO_PAYS_SCHEMAS,
        "market": MARKET,
        "collateral": COLLATERAL,
        "loan_liquidation": LOAN_LIQUIDATION,
    },
}
# The evaluation inside a stress replay: the evaluate response without `compared`.
EVALUATION = {
    "type": "object",
    "required": EVALUATION_REQUIRED,
    "properties": EVALUATION_PROPERTIES,
}

REPLAY_PROPERTIES = {
    "crash": {
        **NULLABLE_DECIMAL,
        "description": "The move as a crash against the position (fraction of entry); null "
        "when the move helps this side, or there is no move.",
    },
    "hurts_position": {
        "type": "boolean",
        "description": "The instant move goes against the position; false without a move.",
    },
    "evaluation": {
        "anyOf": [{"$ref": "#/components/schemas/ReplayEvaluation"}, {"type": "null"}],
        "description": "As `/api/v1/evaluate` gives it at that crash; null when the move helps "
        "or there is no move.",
    },
}
PATH_POINT = {
    "type": "object",
    "description": "One published price, in time order, with its sources.",
    "required": [
        "minute",
        "clock",
        "time_is_approximate",
        "price",
        "gap",
        "note",
        "position_price",
        "equity",
        "sources",
    ],
    "properties": {
        "minute": {**DECIMAL, "description": "Minutes after the path's first point."},
        "clock": {
            **NULLABLE_TEXT,
            "description": "The time as the source gives it (free text, often only a day or "
            "'within 5 minutes'); null where it gives none.",
        },
        "time_is_approximate": {"type": "boolean"},
        "price": {**DECIMAL, "description": "The published price of the path's `asset`."},
        "gap": {
            "type": "boolean",
            "description": "Reached from the point before with no trading in between.",
        },
        "note": {"type": "string"},
        "position_price": {
            **DECIMAL,
            "description": "The same move from the request's entry price (the first point is "
            "the entry).",
        },
        "equity": {
            **NULLABLE_DECIMAL,
            "description": "The position's equity closed at this price on the main platform, "
            "after fees; null once that platform has liquidated it.",
        },
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["url", "title", "quote", "source_date", "confidence"],
                "properties": {
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "quote": {"type": "string"},
                    "source_date": {**NULLABLE_TEXT, "format": "date"},
                    "confidence": {"type": "string"},
                },
            },
        },
    },
}
PATH_PLATFORM_PROPERTIES = {
    "liquidated": {
        "type": "boolean",
        "description": "The path reaches this platform's liquidation price; false: the "
        "position is marked at the path's last price.",
    },
    "liquidation_minute": {
        **NULLABLE_DECIMAL,
        "description": "When the path first reaches the liquidation price, in minutes from "
        "its first point; null if it never does.",
    },
    "between_published_points": {
        "type": "boolean",
        "description": "That minute lies on the straight line drawn between two published "
        "prices (an assumption, not data).",
    },
    "in_gap": {
        "type": "boolean",
        "description": "Reached in a jump with no trading: filled at the first price after it.",
    },
    "engine_delayed": {
        "type": "boolean",
        "description": "Reached while a source says the platform's liquidation engine was "
        "stalled (`engine_stalls`): filled when it acted again, at the path's price then "
        "(`liquidation_minute` is that moment).",
    },
    "stalled_at_end": {
        "type": "boolean",
        "description": "Reached while the engine was stalled, and still stalled when the path "
        "ends: no fill is known, and the position is shown at the path's last price.",
    },
    "liquidation_price": NULLABLE_DECIMAL,
    "liquidation_price_on_path": {
        **NULLABLE_DECIMAL,
        "description": "The liquidation price as a price of the path's `asset`.",
    },
    "fill_price": DECIMAL,
    "bankruptcy_price": NULLABLE_DECIMAL,
    "deficit": DECIMAL,
    "who_pays": {
        "type": "array",
        "description": "The parts of the deficit someone pays, in the platform's order; empty "
        "when there is no deficit.",
        "items": {
            "type": "object",
            "required": ["party", "amount"],
            "properties": {"party": {"type": "string"}, "amount": DECIMAL},
        },
    },
    "trader_result": {
        **DECIMAL,
        "description": "What the trader keeps (positive) or owes (negative).",
    },
    "trader_owes": DECIMAL,
    "partial_liquidation": {"type": "boolean"},
    "partial_liquidation_note": {
        **NULLABLE_TEXT,
        "description": "Where the platform liquidates in steps, the path reaches its price "
        "and the engine gives no steps for this position (it sits in the first tier, or the "
        "path jumps past the price): the whole position is closed at the first touch, so the "
        "loss is an upper bound. Null where the steps are modelled (`closes`).",
    },
    "closes": {
        "type": "array",
        "description": "Where the platform liquidates in steps and the engine gives steps for "
        "this position: each close along the path, in order. At the first touch the position "
        "is cut down the tier table; a remainder that survives walks on and is closed again "
        "where the path reaches its next liquidation price. Empty otherwise (the fields above "
        "then describe the only close).",
        "items": {
            "type": "object",
            "required": ["minute", "price_on_path", "fill_price", "quantity", "fee", "partial"],
            "properties": {
                "minute": {**DECIMAL, "description": "Minutes from the path's start."},
                "price_on_path": {
                    **DECIMAL,
                    "description": "The path's price there, in the path's `asset`.",
                },
                "fill_price": {**DECIMAL, "description": "The fill, from the visitor's entry."},
                "quantity": {**DECIMAL, "description": "Base units closed here."},
                "fee": {**DECIMAL, "description": "Liquidation fee on the part closed."},
                "partial": {
                    "type": "boolean",
                    "description": "A cut to a lower tier; false where what was left is closed.",
                },
                "open_after": {**DECIMAL, "description": "Base units still open after it."},
                "equity_after": {
                    **DECIMAL,
                    "description": "Equity after it and its fee, at its fill (margin currency).",
                },
                "next_liquidation_price": {
                    **NULLABLE_DECIMAL,
                    "description": "Where what is left is liquidated next, from the visitor's "
                    "entry; null where nothing survives the close.",
                },
            },
        },
    },
    "open_at_end": {
        **NULLABLE_DECIMAL,
        "description": "Base units still open when the path ends (0: all closed); null where "
        "no steps were modelled.",
    },
    "trader_result_with_steps": {
        **NULLABLE_DECIMAL,
        "description": "What the trader keeps (positive) or owes (negative) after the steps "
        "(a remainder still open is marked at the path's last price); null where no steps were "
        "modelled. `trader_result` stays the full close at the first touch.",
    },
    "deficit_with_steps": {
        **NULLABLE_DECIMAL,
        "description": "The deficit the last close of the steps leaves; null where no steps "
        "were modelled or part of the position is still open when the path ends.",
    },
    "who_pays_with_steps": {
        "type": ["array", "null"],
        "description": "Who pays `deficit_with_steps`, in the platform's waterfall order "
        "(insurance fund, auto-deleveraging…); empty without a deficit, null where "
        "`deficit_with_steps` is.",
        "items": {
            "type": "object",
            "required": ["party", "amount"],
            "properties": {"party": {"type": "string"}, "amount": DECIMAL},
        },
    },
}
PATH = {
    "type": ["object", "null"],
    "description": "The position walked along the incident's published price path, as its "
    "incident page walks it: each platform liquidates where the path first reaches its own "
    "liquidation price, then settles by its rules. Null for an incident without a path.",
    "required": [
        "engine_stalls",
        "asset",
        "started_on",
        "granularity",
        "assumptions",
        "hurts_position",
        "points",
        "platforms",
    ],
    "properties": {
        "engine_stalls": {
            "type": "array",
            "description": "Where a source gives a platform's liquidation engine's stall "
            "(an outage, a backlog): a liquidation the path reaches meanwhile is filled when "
            "the engine acts again, at the path's price then. Empty where no source gives one.",
            "items": {
                "type": "object",
                "required": [
                    "platform",
                    "start_minute",
                    "minutes",
                    "clock",
                    "what",
                    "after_path",
                    "sources",
                ],
                "properties": {
                    "platform": {"type": "string"},
                    "start_minute": {**DECIMAL, "description": "Minutes from the path's start."},
                    "minutes": {**DECIMAL, "description": "How long the engine could not act."},
                    "clock": NULLABLE_TEXT,
                    "what": {"type": "string"},
                    "after_path": {
                        "type": "boolean",
                        "description": "It starts after the path's last published price, so it "
                        "changes no fill.",
                    },
                    "sources": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
        "asset": {"type": "string", "description": "What the path's prices are of."},
        "started_on": {"type": "string", "format": "date"},
        "granularity": {
            "type": "string",
            "description": "The path's resolution and where its points come from.",
        },
        "assumptions": {"type": "string"},
        "hurts_position": {
            "type": "boolean",
            "description": "The path moves against this side at some point.",
        },
        "points": {"type": "array", "items": PATH_POINT},
        "platforms": {
            "type": "array",
            "description": "The main platform first, then each in `compare`; `error` where it "
            "has no answer.",
            "items": {
                "type": "object",
                "required": ["platform", "name"],
                "properties": {
                    "platform": NULLABLE_TEXT,
                    "name": {"type": "string"},
                    "error": {"type": "string"},
                    **PATH_PLATFORM_PROPERTIES,
                },
            },
        },
    },
}
STRESS = {
    "type": "object",
    "required": [
        "incident",
        "move",
        "move_source",
        "move_minutes",
        "move_note",
        "replayed",
        *REPLAY_PROPERTIES,
        "compared",
        "path",
    ],
    "properties": {
        "incident": {"type": "string"},
        "move": {
            **NULLABLE_DECIMAL,
            "description": "The signed price move replayed as one instant gap. Null where the "
            "request gives none and the incident's sources give none either (its price path is "
            "not one instant gap): then `crash` and `evaluation` are null, here and in "
            "`compared`, and `path` is the replay.",
        },
        "move_source": {
            "type": ["string", "null"],
            "enum": ["request", "incident", None],
            "description": "Where `move` comes from; null without a move.",
        },
        "move_minutes": {**NULLABLE_DECIMAL, "description": "How fast, where a source says."},
        "move_note": {
            "type": "string",
            "description": "Where the incident's move comes from, or why its sources give none.",
        },
        "replayed": {
            "type": "string",
            "enum": ["move", "path"],
            "description": "`move`: the top level replays `move` as one instant gap (and "
            "`path` walks the published prices beside it). `path`: there is no move, and the "
            "published price path is the only replay.",
        },
        **REPLAY_PROPERTIES,
        "compared": {
            "type": "array",
            "description": "The replay on each platform in `compare` (the main one left out), "
            "or `error` where it has no answer.",
            "items": {
                "type": "object",
                "required": ["platform", "name"],
                "properties": {**COMPARED_HEAD, **REPLAY_PROPERTIES},
            },
        },
        "path": {"$ref": "#/components/schemas/StressPath"},
    },
}

INCIDENTS = {
    "type": "object",
    "required": ["incidents"],
    "properties": {
        "incidents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "slug",
                    "name",
                    "started_on",
                    "ended_on",
                    "asset",
                    "move",
                    "move_minutes",
                    "move_note",
                    "path_points",
                    "granularity",
                    "engine_stalls",
                    "replayed",
                ],
                "properties": {
                    "slug": {"type": "string", "description": "`incident` in `/api/v1/stress`."},
                    "name": {"type": "string"},
                    "started_on": {"type": "string", "format": "date"},
                    "ended_on": {"type": ["string", "null"], "format": "date"},
                    "asset": {"type": "string"},
                    "move": {
                        **NULLABLE_DECIMAL,
                        "description": "The signed price move as one instant gap, where the "
                        "sources give one; null where the price path is not one instant gap.",
                    },
                    "move_minutes": NULLABLE_DECIMAL,
                    "move_note": {"type": "string"},
                    "path_points": {
                        "type": "integer",
                        "description": "How many published prices its path has.",
                    },
                    "granularity": {
                        "type": "string",
                        "description": "The path's resolution and where its points come from.",
                    },
                    "engine_stalls": {
                        "type": "integer",
                        "description": "How many sourced stalls of a liquidation engine the "
                        "replay applies (listed in the stress answer's `path`).",
                    },
                    "replayed": {
                        "type": ["string", "null"],
                        "enum": ["move", "path", None],
                        "description": "What `/api/v1/stress` replays without a `move`: the "
                        "instant move, the published path alone, or neither (a 400 on `move`).",
                    },
                },
            },
        }
    },
}

# Simulated amounts are floats: one beyond a float's range is written as null, never Infinity.
CHANCES_PROPERTIES = {
    "liquidation_price": {**NULLABLE_DECIMAL, "description": "Null where no price liquidates."},
    "bankruptcy_price": {**NULLABLE_DECIMAL, "description": "Null where none exists."},
    "paths": {"type": "integer"},
    "chance_liquidation": DECIMAL,
    "chance_liquidation_stderr": DECIMAL,
    "chance_deficit": DECIMAL,
    "chance_deficit_stderr": DECIMAL,
    "expected_deficit": NULLABLE_DECIMAL,
    "deficit_p99": NULLABLE_DECIMAL,
    "chance_owed": DECIMAL,
    "expected_owed": NULLABLE_DECIMAL,
    "owed_p99": NULLABLE_DECIMAL,
}


def simulation_schema() -> dict[str, Any]:
    assumptions = {
        name: {"type": "number" if isinstance(field, forms.DecimalField) else "integer"}
        for name, field in SimulationForm.base_fields.items()
    }
    return {
        "type": "object",
        "required": ["assumptions", "platform", "label", *CHANCES_PROPERTIES, "compared"],
        "properties": {
            "assumptions": {
                "type": "object",
                "description": "The simulation's inputs, the defaults filled in.",
                "required": list(assumptions),
                "properties": assumptions,
            },
            "platform": NULLABLE_TEXT,
            "label": {"type": "string"},
            **CHANCES_PROPERTIES,
            "compared": {
                "type": "array",
                "description": "The same paths read for each platform in `compare` (the main "
                "one left out), or `error` where it has no answer.",
                "items": {
                    "type": "object",
                    "required": ["platform", "name"],
                    "properties": {**COMPARED_HEAD, **CHANCES_PROPERTIES},
                },
            },
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


def _errors(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }
    if headers:
        response["headers"] = headers
    return response


TOO_MANY = _errors(
    "Too many requests from this client: try again after `Retry-After` seconds.",
    {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
)


def _operation(
    name: str,
    summary: str,
    fields: dict[str, forms.Field],
    required: tuple[str, ...],
    ok: str,
    result: str,
) -> dict[str, Any]:
    """GET with the fields as query parameters, POST with them as a JSON object."""
    parameters = []
    always, either = _required(fields, required)
    for key, field in fields.items():
        description = str(field.help_text)
        if key == "entry_price" and either:
            description += " " + either
        parameter: dict[str, Any] = {
            "name": key,
            "in": "query",
            "required": key in always,
            "schema": field_schema(field, query=True),
            "description": description,
        }
        if isinstance(field, forms.MultipleChoiceField):
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    body = body_schema(fields, required)
    success = {
        "description": ok,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{result}"}}},
    }
    invalid = _errors("Invalid input: every field's errors.")
    return {
        "get": {
            "summary": summary,
            "operationId": f"{name}Get",
            "parameters": parameters,
            "responses": {"200": success, "400": invalid, "429": TOO_MANY},
        },
        "post": {
            "summary": summary + " (JSON body)",
            "operationId": f"{name}Post",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": body}},
            },
            "responses": {
                "200": success,
                "400": invalid,
                "413": _errors(f"Body larger than {MAX_BODY_BYTES // 1024} KB."),
                "429": TOO_MANY,
            },
        },
    }


@cache
def openapi_document() -> dict[str, Any]:
    evaluate = _operation(
        "evaluate",
        "Evaluate a position",
        dict(ComparingForm.base_fields),
        ("entry_price",),
        "The evaluation.",
        "Evaluation",
    )
    # the evaluate body is a named schema, as it has been since v1
    evaluate["post"]["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Request"
    }
    stress = _operation(
        "stress",
        "Replay a real incident's price move on a position",
        {**StressForm.base_fields, **POSITION_FIELDS},
        ("incident", "entry_price"),
        "The move as a crash against the position (`crash`, null when the move helps this "
        "side) and the evaluation at it, as `/api/v1/evaluate` gives it. Without `move`, the "
        "incident's own move. Where the sources give none (the price path is not one "
        "instant gap), `move`, `crash` and `evaluation` are null and `replayed` is `path`; a "
        "400 on `move` only where the incident has neither a move nor a path. `path`: the "
        "position walked along the incident's published prices, as its page walks it.",
        "Stress",
    )
    simulate = _operation(
        "simulate",
        "Chance of liquidation, of a deficit and of owing money (Monte Carlo)",
        {**POSITION_FIELDS, **SimulationForm.base_fields},
        ("entry_price",),
        "Chances with standard errors; expected and 99th-percentile deficit and amount owed; "
        "numbers as decimal strings. Seeded: the same request gives the same numbers.",
        "Simulation",
    )
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Underwater API",
            "version": "1",
            "description": "Liquidation and bankruptcy prices, the deficit after a gap, and who "
            "pays it, on a platform's published rules. Prices and money are decimal strings. "
            'Every error, whatever its status, is JSON: `{"errors": {field: [messages]}}`.',
        },
        "paths": {
            "/api/v1/evaluate": evaluate,
            "/api/v1/stress": stress,
            "/api/v1/incidents": {
                "get": {
                    "summary": "The incidents a stress replay can use, with their moves",
                    "operationId": "incidentsGet",
                    "responses": {
                        "200": {
                            "description": "Every incident, oldest first.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Incidents"}
                                }
                            },
                        },
                        "429": TOO_MANY,
                    },
                }
            },
            "/api/v1/simulate": simulate,
        },
        "components": {
            "schemas": {
                "Request": request_schema(),
                "Evaluation": RESPONSE,
                "ReplayEvaluation": EVALUATION,
                "Stress": STRESS,
                "StressPath": PATH,
                "Incidents": INCIDENTS,
                "Simulation": simulation_schema(),
                "Errors": ERRORS,
            }
        },
    }
    from api.account import with_account_paths  # it reads this module's schemas

    return with_account_paths(document)
