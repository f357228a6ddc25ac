"""The scenario form: one set of field names for the calculator page, its links and the JSON API.

It validates everything a visitor or an API client can send (type, range, which fields go
together) and builds the engine's inputs. Nothing here computes money.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.forms import DeclarativeFieldsMetaclass

from engine import (
    Contract,
    MaintenanceBasis,
    MarginMode,
    Position,
    Rules,
    Scenario,
    Side,
)
from platforms.profiles import (
    ProfileLookupError,
    ResolvedProfile,
    load_platform,
    no_guaranteed_stop,
    offers_guaranteed_stop,
    resolve,
    rules_for,
)

# Bounds keep every result representable and every chart drawable; they are far beyond any real
# position, so a visitor meets them only by typo.
MAX_PRICE = Decimal("1e12")
MAX_AMOUNT = Decimal("1e13")
MAX_LEVERAGE = Decimal(1000)
MAX_HOURS = Decimal(24 * 365 * 5)
# A custom calculation without a maintenance rate uses the lowest tier of the largest markets
# (Binance BTCUSDT tier 1 and OKX BTCUSD tier 1 are both 0.40%; DESIGN.md research §1.3, §3.3).
DEFAULT_CUSTOM_MMR = Decimal("0.004")

SCENARIO_FIELDS = ("fill_price", "gap", "crash")


class _SharedFields(dict):
    """A form class's fields, which its form instances share instead of copying.

    Django deep-copies every field (widget, validators, messages) for every form instance: for
    this form's ~37 fields that was a third of an API request, and a fifth of a redraw. These
    fields hold no per-request state: cleaning reads them, and a form that wants another
    widget or other choices puts a copy of the field in its own `fields` first
    (`own_field`), so the class's field is never changed.
    """

    def __deepcopy__(self, memo: dict) -> dict[str, forms.Field]:
        return dict(self)


class SharedFieldsFormMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = _SharedFields(new_class.base_fields)
        return new_class


def number(
    label: str,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    exclusive_min: bool = False,
    help_text: str = "",
    required: bool = False,
) -> forms.DecimalField:
    """A decimal field with bounds and messages a trader understands."""
    validators = []
    messages = {"invalid": f"Enter {label.lower()} as a number, e.g. 50000 or 0.5."}
    if minimum is not None:
        if exclusive_min:
            validators.append(_GreaterThan(minimum, label))
        else:
            validators.append(MinValueValidator(minimum, f"{label} cannot be below {minimum:,}."))
    if maximum is not None:
        validators.append(MaxValueValidator(maximum, f"{label} cannot be above {maximum:,f}."))
    return forms.DecimalField(
        label=label,
        required=required,
        validators=validators,
        help_text=help_text,
        error_messages={"required": f"Enter {label.lower()}.", **messages},
        decimal_places=18,
    )


class _GreaterThan:
    def __init__(self, limit: Decimal, label: str) -> None:
        self.limit = limit
        self.label = label

    def __call__(self, value: Decimal) -> None:
        if value <= self.limit:
            raise forms.ValidationError(
                f"{self.label} must be more than {self.limit:,}.", code="min_value"
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _GreaterThan) and other.limit == self.limit


def fraction(
    label: str, *, maximum: Decimal = Decimal(1), help_text: str = ""
) -> forms.DecimalField:
    return number(label, minimum=Decimal(0), maximum=maximum, help_text=help_text)


@dataclass(frozen=True)
class Calculation:
    """Validated engine inputs, and the profile they came from (None for custom rules)."""

    position: Position
    rules: Rules
    scenario: Scenario | None
    profile: ResolvedProfile | None


_ABSENT: dict[type, dict[str, Any]] = {}
_FIELD_HOOKS: dict[type, dict[str, str]] = {}


def _absent_values(form_class: type, fields: dict[str, forms.Field]) -> dict[str, Any]:
    """What each optional field of a form class cleans to when the query leaves it out (None,
    "", False or []): the same every time, so worked out once per class."""
    values = _ABSENT.get(form_class)
    if values is None:
        values = _ABSENT[form_class] = {
            name: field.clean(field.widget.value_from_datadict({}, {}, name))
            for name, field in fields.items()
            if not field.required
        }
    return values


# What a number field cleaned a typed value to, by field and text. A visitor changes one field
# at a time, so a redraw's other numbers were cleaned moments ago; a decimal field's answer
# depends on nothing else (form instances share the class's field and its validators). Only
# accepted values are kept (a refusal builds its message afresh); the memo starts over when full.
_CLEANED_NUMBERS: dict[tuple[forms.DecimalField, str], Decimal] = {}
_CLEANED_NUMBERS_LIMIT = 4096


def _clean_number(field: forms.DecimalField, text: str) -> Decimal | None:
    key = (field, text)
    number = _CLEANED_NUMBERS.get(key)
    if number is None:
        number = field.clean(text)
        if number is not None:
            if len(_CLEANED_NUMBERS) >= _CLEANED_NUMBERS_LIMIT:
                _CLEANED_NUMBERS.clear()
            _CLEANED_NUMBERS[key] = number
    return number


def _field_hooks(form_class: type, fields: dict[str, forms.Field]) -> dict[str, str]:
    """The fields that have a clean_<name> method, and its name: looked up once per class."""
    hooks = _FIELD_HOOKS.get(form_class)
    if hooks is None:
        hooks = _FIELD_HOOKS[form_class] = {
            name: f"clean_{name}" for name in fields if hasattr(form_class, f"clean_{name}")
        }
    return hooks


class ScenarioForm(forms.Form, metaclass=SharedFieldsFormMetaclass):
    """Every field of `POST /api/v1/evaluate`; the calculator page uses the same names."""

    platform = forms.SlugField(
        label="Platform",
        required=False,
        max_length=50,
        help_text="Profile slug, e.g. `binance`. Omit for custom rules typed in the request.",
    )
    scope = forms.CharField(
        label="Account scope",
        required=False,
        max_length=120,
        help_text="Account scope as `<product line>/<scope>`, e.g. `usds-m/isolated`. "
        "Default: the platform's retail scope for the contract and margin mode.",
    )
    contract = forms.ChoiceField(
        label="Contract",
        choices=[(c.value, c.value) for c in Contract],
        required=False,
        help_text="`linear` (USDT/USDC-margined), `inverse` (coin-margined), `spot_margin` "
        "or `loan`.",
    )
    side = forms.ChoiceField(
        label="Side",
        choices=[(s.value, s.value) for s in Side],
        required=False,
        help_text="`long` or `short` (loans are long their collateral).",
    )
    margin_mode = forms.ChoiceField(
        label="Margin mode",
        choices=[(m.value, m.value) for m in MarginMode],
        required=False,
        help_text="`isolated` (default) or `cross`.",
    )
    entry_price = number(
        "Entry price",
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_PRICE,
        required=True,
        help_text="Entry price in quote currency per base unit (for loans: the collateral price "
        "now).",
    )
    quantity = number(
        "Quantity",
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="Linear and spot margin: base units. Inverse: USD face value (contracts × "
        "contract size).",
    )
    leverage = number(
        "Leverage",
        minimum=Decimal("0.01"),
        maximum=MAX_LEVERAGE,
        help_text="e.g. 10 for 10×. Isolated: give two of quantity, margin and leverage.",
    )
    margin = number(
        "Margin",
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="Isolated margin: quote currency for linear, coin for inverse.",
    )
    wallet_balance = number(
        "Wallet balance",
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="Cross margin: the wallet balance (all of it is at risk).",
    )
    other_maintenance_margin = number(
        "Other positions' maintenance margin",
        minimum=Decimal(0),
        maximum=MAX_AMOUNT,
        help_text="Cross margin: maintenance margin of your other positions.",
    )
    other_unrealized_pnl = number(
        "Other positions' unrealised PnL",
        minimum=-MAX_AMOUNT,
        maximum=MAX_AMOUNT,
        help_text="Cross margin: unrealised PnL of your other positions.",
    )
    # Overrides of the profile's numbers.
    maintenance_margin_rate = fraction(
        "Maintenance margin rate",
        maximum=Decimal("0.99"),
        help_text="Override: a flat maintenance rate (fraction) replacing the profile's tiers. "
        f"Default without a platform: {DEFAULT_CUSTOM_MMR}.",
    )
    maintenance_amount = number(
        "Maintenance amount",
        minimum=Decimal(0),
        maximum=MAX_AMOUNT,
        help_text="Override: the maintenance amount (cum) of the tier.",
    )
    maintenance_basis = forms.ChoiceField(
        label="Maintenance measured on",
        choices=[(b.value, b.value) for b in MaintenanceBasis],
        required=False,
        help_text="Override: maintenance on the `mark` (default) or `entry` notional.",
    )
    taker_fee = fraction(
        "Taker fee",
        maximum=Decimal("0.1"),
        help_text="Override: taker fee, fraction of notional, on open and close.",
    )
    liquidation_fee = fraction(
        "Liquidation fee",
        maximum=Decimal("0.5"),
        help_text="Override: liquidation fee, fraction of the liquidated notional.",
    )
    funding_rate = number(
        "Funding rate",
        minimum=Decimal("-0.1"),
        maximum=Decimal("0.1"),
        help_text="Funding rate per interval (positive: longs pay).",
    )
    funding_interval_hours = number(
        "Funding interval (hours)",
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=Decimal(24 * 7),
        help_text="Hours between funding payments.",
    )
    holding_hours = number(
        "Holding period (hours)",
        minimum=Decimal(0),
        maximum=MAX_HOURS,
        help_text="How long the position is held before the scenario (funding and interest).",
    )
    borrow_rate = fraction(
        "Borrow rate per year",
        maximum=Decimal(5),
        help_text="Borrow interest per year (fraction), spot margin and loans.",
    )
    liquidation_margin_level = number(
        "Liquidation margin level",
        minimum=Decimal(1),
        exclusive_min=True,
        maximum=Decimal(10),
        help_text="Spot margin: liquidation when assets / (debt + interest) falls to this level "
        "(e.g. 1.1). Required where the platform publishes none.",
    )
    # Loans.
    collateral = number(
        "Collateral",
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="Loans: collateral units.",
    )
    debt = number(
        "Debt", minimum=Decimal(0), maximum=MAX_AMOUNT, help_text="Loans: debt in quote currency."
    )
    liquidation_threshold = number(
        "Liquidation threshold",
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=Decimal("0.99"),
        help_text="Loans: liquidation threshold (e.g. 0.83).",
    )
    liquidation_penalty = fraction(
        "Liquidation penalty",
        maximum=Decimal("0.5"),
        help_text="Loans: liquidation penalty/bonus paid from collateral (e.g. 0.05).",
    )
    # Scenario.
    fill_price = number(
        "Fill price",
        minimum=Decimal(0),
        maximum=MAX_PRICE,
        help_text="Scenario: the price the position is closed at.",
    )
    gap = fraction(
        "Gap past liquidation",
        help_text="Scenario: fill this fraction beyond the liquidation price (0.05 = 5%).",
    )
    crash = number(
        "Crash",
        minimum=Decimal(0),
        maximum=Decimal(100),
        help_text="Scenario: a move of this fraction of entry against the position (0.3 = 30%; "
        "a short's rise can exceed 100%, a long's fall cannot).",
    )
    stop_price = number(
        "Stop-loss price",
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_PRICE,
        help_text="A stop-loss. In a gap it fills at the gap price, not at the stop.",
    )
    guaranteed_stop = forms.BooleanField(
        label="Guaranteed stop",
        required=False,
        help_text="The stop fills at the stop price whatever the gap. Only where the platform's "
        "profile offers guaranteed stops, or on custom rules; elsewhere a 400 on this field.",
    )
    insurance_fund_depleted = forms.BooleanField(
        label="Insurance fund depleted",
        required=False,
        help_text="Assume the insurance fund cannot pay: the next step covers.",
    )

    defaults = {
        "contract": Contract.LINEAR.value,
        "side": Side.LONG.value,
        "margin_mode": MarginMode.ISOLATED.value,
    }

    def __init__(self, *args, **kwargs) -> None:
        # Labels are written by the templates, never with a suffix: an explicit one spares a
        # translation lookup on every keystroke.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def own_field(self, name: str) -> forms.Field:
        """This form's own copy of a field, to change without touching the class's."""
        field = copy(self.fields[name])
        self.fields[name] = field
        return field

    def _clean_fields(self) -> None:
        """Django's loop (forms.BaseForm._clean_fields, 5.2) without building a BoundField for
        each of ~37 fields on every keystroke, and with a field the query leaves out taking the
        value it always cleans to (most of them, on a typical redraw). These forms have no
        prefix, files or disabled fields; a form that had would take Django's own path."""
        if self.prefix or any(field.disabled for field in self.fields.values()):
            return super()._clean_fields()
        data, files, cleaned = self.data, self.files, self.cleaned_data
        form_class = type(self)
        absent = _absent_values(form_class, self.fields)
        hooks = _field_hooks(form_class, self.fields)
        for name, field in self.fields.items():
            try:
                if name in absent and name not in data:
                    value = absent[name]
                    # None, "" and False are shared; a list is the form's own
                    cleaned[name] = [] if type(value) is list else value
                else:
                    value = field.widget.value_from_datadict(data, files, name)
                    if type(field) is forms.DecimalField and type(value) is str:
                        cleaned[name] = _clean_number(field, value)
                    else:
                        cleaned[name] = field.clean(value)
                if name in hooks:
                    cleaned[name] = getattr(self, hooks[name])()
            except forms.ValidationError as error:
                self.add_error(name, error)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in self.defaults.items():
            if not data.get(name):
                data[name] = value
        self._check_scenario(data)
        if data["contract"] == Contract.LOAN:
            self._check_loan(data)
        elif data["margin_mode"] == MarginMode.CROSS:
            self._check_cross(data)
        else:
            self._check_isolated(data)
        if data.get("platform") and not self.errors:
            self._resolve_profile(data)
        elif data.get("scope") and not data.get("platform"):
            self.add_error("scope", "Choose a platform to use one of its account scopes.")
        if not self.errors:
            self._check_margin_level(data)
            self._check_guaranteed_stop(data)
        return data

    def _check_scenario(self, data: dict[str, Any]) -> None:
        given = [name for name in SCENARIO_FIELDS if data.get(name) is not None]
        if len(given) > 1:
            for name in given:
                self.add_error(name, "Give one of fill price, gap or crash, not several.")
        crash = data.get("crash")
        if crash is not None and crash > 1 and data.get("side") != Side.SHORT:
            self.add_error("crash", "A fall cannot be more than 100% (1.0): the price stops at 0.")
        if data.get("guaranteed_stop") and data.get("stop_price") is None:
            self.add_error("stop_price", "A guaranteed stop needs a stop price.")

    def _check_isolated(self, data: dict[str, Any]) -> None:
        # A field that failed its own validation counts as given: its message already says why.
        sizes = [
            name
            for name in ("quantity", "margin", "leverage")
            if data.get(name) is not None or name in self.errors
        ]
        if len(sizes) < 2:
            missing = [n for n in ("quantity", "margin", "leverage") if n not in sizes]
            for name in missing:
                self.add_error(
                    name,
                    "Give two of quantity, margin and leverage (the third follows from them).",
                )
        elif len(sizes) == 3:
            self.add_error(
                "leverage", "Give only two of quantity, margin and leverage: three can contradict."
            )
        if data.get("wallet_balance") is not None:
            self.add_error("wallet_balance", "Wallet balance is for cross margin.")

    def _check_cross(self, data: dict[str, Any]) -> None:
        if data.get("wallet_balance") is None:
            self.add_error("wallet_balance", "Cross margin needs your wallet balance.")
        if data.get("margin") is not None:
            self.add_error(
                "margin", "In cross margin the whole wallet is the margin; leave this out."
            )
        if data.get("quantity") is None and data.get("leverage") is None:
            self.add_error("quantity", "Give the quantity or the leverage.")

    def _check_loan(self, data: dict[str, Any]) -> None:
        if data.get("collateral") is None:
            self.add_error("collateral", "A loan needs the collateral amount.")
        if data.get("debt") is None and data.get("leverage") is None:
            self.add_error("debt", "Give the debt (or a leverage to derive it).")
        if data["side"] != Side.LONG:
            self.add_error("side", "A collateralised loan is long its collateral.")
        if not data.get("platform") and data.get("liquidation_threshold") is None:
            self.add_error(
                "liquidation_threshold", "Without a platform, give the liquidation threshold."
            )

    def _check_guaranteed_stop(self, data: dict[str, Any]) -> None:
        """A guaranteed stop only where the platform's profile offers one (custom rules may)."""
        profile = data.get("profile")
        if data.get("guaranteed_stop") and not offers_guaranteed_stop(profile):
            self.add_error("guaranteed_stop", no_guaranteed_stop(profile))

    def _check_margin_level(self, data: dict[str, Any]) -> None:
        if data["contract"] != Contract.SPOT_MARGIN or data.get("liquidation_margin_level"):
            return
        profile = data.get("profile")
        if profile is None and data.get("platform"):
            return  # the platform lookup already reported its own error
        if profile is None or profile.product_line.liquidation_margin_level is None:
            where = f"Our {profile.platform.name} profile has" if profile else "Custom rules have"
            self.add_error(
                "liquidation_margin_level",
                f"{where} no published liquidation margin level: enter one (e.g. 1.1).",
            )

    def _resolve_profile(self, data: dict[str, Any]) -> None:
        try:
            platform = load_platform(data["platform"])
            data["profile"] = resolve(
                platform,
                contract=data["contract"],
                margin_mode=data["margin_mode"],
                scope=data.get("scope") or None,
            )
        except ProfileLookupError as error:
            self.add_error(error.field, error.message)

    def calculation(self) -> Calculation:
        """Engine inputs from a valid form: the profile's rules with the visitor's overrides."""
        data = self.cleaned_data
        profile: ResolvedProfile | None = data.get("profile")
        rules = rules_for(profile) if profile else Rules(maintenance_margin_rate=DEFAULT_CUSTOM_MMR)
        overrides = {
            "maintenance_margin_rate": data.get("maintenance_margin_rate"),
            "maintenance_amount": data.get("maintenance_amount"),
            "taker_fee": data.get("taker_fee"),
            "liquidation_fee": data.get("liquidation_fee"),
            "funding_rate": data.get("funding_rate"),
            "funding_interval_hours": data.get("funding_interval_hours"),
            "borrow_rate_yearly": data.get("borrow_rate"),
            "liquidation_threshold": data.get("liquidation_threshold"),
            "liquidation_margin_level": data.get("liquidation_margin_level"),
            "liquidation_penalty": data.get("liquidation_penalty"),
        }
        if data.get("maintenance_basis"):
            overrides["maintenance_basis"] = MaintenanceBasis(data["maintenance_basis"])
        overrides = {k: v for k, v in overrides.items() if v is not None}
        if "maintenance_margin_rate" in overrides:
            # A typed rate replaces the tier table and any derivation from max leverage.
            overrides.update(tiers=(), mmr_from_max_leverage=False)
        if overrides:
            rules = replace(rules, **overrides)
        position = Position(
            contract=Contract(data["contract"]),
            side=Side(data["side"]),
            entry_price=data["entry_price"],
            quantity=data.get("quantity"),
            margin_mode=MarginMode(data["margin_mode"]),
            margin=data.get("margin"),
            leverage=data.get("leverage"),
            wallet_balance=data.get("wallet_balance"),
            other_maintenance_margin=data.get("other_maintenance_margin") or Decimal(0),
            other_unrealized_pnl=data.get("other_unrealized_pnl") or Decimal(0),
            holding_hours=data.get("holding_hours") or Decimal(0),
            collateral=data.get("collateral"),
            debt=data.get("debt"),
        )
        scenario = None
        if any(data.get(name) is not None for name in (*SCENARIO_FIELDS, "stop_price")) or data.get(
            "insurance_fund_depleted"
        ):
            scenario = Scenario(
                fill_price=data.get("fill_price"),
                gap=data.get("gap"),
                crash=data.get("crash"),
                stop_price=data.get("stop_price"),
                guaranteed_stop=bool(data.get("guaranteed_stop")),
                insurance_fund_depleted=bool(data.get("insurance_fund_depleted")),
            )
        return Calculation(position=position, rules=rules, scenario=scenario, profile=profile)
