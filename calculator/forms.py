"""The scenario form: one set of field names for the calculator page, its links and the JSON API.

It validates everything a visitor or an API client can send (type, range, which fields go
together) and builds the engine's inputs. Nothing here computes money.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from calculator.engine_errors import engine_error_text
from calculator.formatting import localize
from collateral.forms import CollateralInputMixin, collateral_assets_field
from collateral.valuation import (
    LoanCollateralInput,
    ValuedCollateral,
    loan_assets,
    other_collateral,
    value_entries,
)
from engine import (
    Contract,
    EngineInputError,
    MaintenanceBasis,
    MarginMode,
    Position,
    Rules,
    Scenario,
    Side,
)
from markets.lookup import MarketChoice, choose, market_scope, nearest_markets
from markets.rules import rules_for_market
from platforms.choices import ClientClass
from platforms.models import Platform
from platforms.profiles import (
    ProfileLookupError,
    ResolvedProfile,
    guaranteed_stops,
    load_platform,
    no_guaranteed_stop,
    offers_guaranteed_stop,
    resolve,
    rules_for,
    scope_choices,
    snapshot,
)
from whopays.models import Residence

# Bounds keep every result representable and every chart drawable; they are far beyond any real
# position, so a visitor meets them only by typo.
MAX_PRICE = Decimal("1e12")
MAX_AMOUNT = Decimal("1e13")
MAX_LEVERAGE = Decimal(1000)
MAX_HOURS = Decimal(24 * 365 * 5)
# A custom calculation without a maintenance rate uses the lowest tier of the largest markets
# (Binance BTCUSDT tier 1 and OKX BTCUSD tier 1 are both 0.40%; docs/design.md, "Defaults").
DEFAULT_CUSTOM_MMR = Decimal("0.004")

SCENARIO_FIELDS = ("fill_price", "gap", "crash")
MAX_COMPARED = 6  # platforms compared at once


def _message(template: str, label: Any, values: dict[str, str]) -> str:
    field = str(label)
    localized = {name: localize(value) for name, value in values.items()}
    return gettext(template) % {"field": field, "field_lower": field.lower(), **localized}


def _about(template: str, label: Any, **values: str) -> Any:
    """A message that names its field, worked out in the visitor's language when shown (the
    fields are built once, at import)."""
    return lazy(_message, str)(template, label, values)


def number(
    label: Any,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    exclusive_min: bool = False,
    help_text: str = "",
    required: bool = False,
) -> forms.DecimalField:
    """A decimal field with bounds and messages a trader understands."""
    validators: list[Callable[[Decimal], None]] = []
    messages = {
        "invalid": _about(
            gettext_noop("Enter %(field_lower)s as a number, e.g. 50000 or 0.5."), label
        )
    }
    if minimum is not None:
        if exclusive_min:
            validators.append(_GreaterThan(minimum, label))
        else:
            below = gettext_noop("%(field)s cannot be below %(limit)s.")
            validators.append(
                MinValueValidator(minimum, _about(below, label, limit=f"{minimum:,}"))
            )
    if maximum is not None:
        above = gettext_noop("%(field)s cannot be above %(limit)s.")
        validators.append(MaxValueValidator(maximum, _about(above, label, limit=f"{maximum:,f}")))
    return forms.DecimalField(
        label=label,
        required=required,
        validators=validators,
        help_text=help_text,
        error_messages={
            "required": _about(gettext_noop("Enter %(field_lower)s."), label),
            **messages,
        },
        decimal_places=18,
    )


class _GreaterThan:
    def __init__(self, limit: Decimal, label: Any) -> None:
        self.limit = limit
        self.label = label

    def __call__(self, value: Decimal) -> None:
        if value <= self.limit:
            raise forms.ValidationError(
                _about(
                    gettext_noop("%(field)s must be more than %(limit)s."),
                    self.label,
                    limit=f"{self.limit:,}",
                ),
                code="min_value",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _GreaterThan) and other.limit == self.limit


def listed(pairs: Iterable[tuple[str, Any]]) -> Callable[[], list[tuple[str, Any]]]:
    """A choice field's choices, as a callable (a form of `choices` Django documents). Django
    deep-copies every field for every form it builds, and copies and re-checks a list of
    choices each time; a callable is copied as it is, and read only when the field validates
    a value or is drawn."""
    choices = list(pairs)
    return lambda: choices


def fraction(
    label: Any, *, maximum: Decimal = Decimal(1), help_text: str = ""
) -> forms.DecimalField:
    return number(label, minimum=Decimal(0), maximum=maximum, help_text=help_text)


@dataclass(frozen=True)
class Calculation:
    """Validated engine inputs, and the profile they came from (None for custom rules)."""

    position: Position
    rules: Rules
    scenario: Scenario | None
    profile: ResolvedProfile | None
    liquidation_target: Decimal | None = None  # the price liquidation should stay beyond
    max_loss: Decimal | None = None  # the loss a stop should cap
    market: MarketChoice | None = None  # the symbol asked for, whose numbers are the defaults


class PlatformsField(forms.MultipleChoiceField):
    """Platform slugs, repeated (`compare=a&compare=b`, as the page's checkboxes send them) or
    comma-separated (`compare=a,b`, shorter in an API call). Blanks are dropped: an empty
    `compare=` asks for no comparison instead of naming a platform called ""."""

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        return [
            part.strip()
            for item in super().to_python(value)
            for part in item.split(",")
            if part.strip()
        ]

    def bound_data(self, data: Any, initial: Any) -> Any:
        # the checkboxes show `compare=a,b` ticked as `compare=a&compare=b` would be
        try:
            return self.to_python(data)
        except forms.ValidationError:
            return data


def platform_field() -> forms.SlugField:
    return forms.SlugField(
        label=_("Platform"),
        required=False,
        max_length=50,
        help_text="Profile slug, e.g. `binance`. Omit for custom rules: the rates typed in the "
        "request, 0.4% maintenance where none is given.",
    )


def scope_field() -> forms.CharField:
    return forms.CharField(
        label=_("Account scope"),
        required=False,
        max_length=120,
        help_text="Account scope as `<product line>/<scope>`, e.g. `usds-m/isolated`. "
        "Default: the platform's retail scope for the contract and margin mode.",
    )


def compare_field() -> PlatformsField:
    return PlatformsField(
        label=_("Compare with"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Platforms (slugs) to run the same request on, each under its own rules "
        f"(rates typed in the request are not carried over), at most {MAX_COMPARED}: repeated "
        "(`compare=bitmex&compare=okx`), comma-separated (`compare=bitmex,okx`) or a JSON "
        "list. Each answer is in `compared`.",
    )


class PlatformsForm(forms.Form):
    """What a form that names platforms shares (the scenario's and the account's): its
    `platform` select and `compare` list offer the platforms given, and at most
    MAX_COMPARED are compared. The subclass declares the fields (`platform_field()`,
    `compare_field()`), where they belong in its order."""

    def __init__(self, *args: Any, platforms: list[Platform], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platforms = platforms
        pairs = [(p.slug, p.name) for p in platforms]
        self.fields["platform"].widget = self.platform_select(
            [("", gettext("Custom: type the rates yourself")), *pairs]
        )
        compare = self.fields["compare"]
        assert isinstance(compare, PlatformsField)
        compare.choices = listed(pairs)

    def platform_select(self, choices: list[tuple[str, str]]) -> forms.Select:
        return forms.Select(choices=choices, attrs={"aria-describedby": "err-platform"})

    def clean_compare(self) -> list[str]:
        chosen: list[str] = self.cleaned_data.get("compare", [])
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(
                ngettext(
                    "Compare at most %(count)d platform at once.",
                    "Compare at most %(count)d platforms at once.",
                    MAX_COMPARED,
                )
                % {"count": MAX_COMPARED}
            )
        return chosen


class ScenarioForm(forms.Form):
    """Every field of `POST /api/v1/evaluate`; the calculator page uses the same names."""

    platform = platform_field()
    scope = scope_field()
    symbol = forms.CharField(
        label="Market",
        required=False,
        max_length=40,
        help_text="The platform's own symbol, e.g. `ETHUSDT` (Binance) or `BTC-USDT-SWAP` "
        "(OKX); needs `platform`. Its tier table, max leverage, taker fee, funding interval and "
        "recent funding rate become the defaults (a field you give still overrides them), it "
        "implies the contract, and the entry price defaults to its last mark price. Omit for "
        "the product line's own table.",
    )
    contract = forms.ChoiceField(
        label=_("Contract"),
        choices=listed((c.value, c.value) for c in Contract),
        required=False,
        help_text="`linear` (USDT/USDC-margined), `inverse` (coin-margined), `spot_margin` "
        "or `loan`.",
    )
    side = forms.ChoiceField(
        label=_("Side"),
        choices=listed((s.value, s.value) for s in Side),
        required=False,
        help_text="`long` or `short` (loans are long their collateral).",
    )
    margin_mode = forms.ChoiceField(
        label=_("Margin mode"),
        choices=listed((m.value, m.value) for m in MarginMode),
        required=False,
        help_text="`isolated` (default) or `cross`.",
    )
    entry_price = number(
        _("Entry price"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_PRICE,
        help_text="Entry price in quote currency per base unit (for loans: the collateral price "
        "now). With a market chosen, its last mark price is the default.",
    )
    quantity = number(
        _("Quantity"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="Linear and spot margin: base units. Inverse: USD face value (contracts × "
        "contract size).",
    )
    leverage = number(
        _("Leverage"),
        minimum=Decimal("0.01"),
        maximum=MAX_LEVERAGE,
        help_text="e.g. 10 for 10×. Isolated: give two of quantity, margin and leverage.",
    )
    margin = number(
        _("Margin"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="Isolated margin: quote currency for linear, coin for inverse.",
    )
    wallet_balance = number(
        _("Wallet balance"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="Cross margin: the wallet balance (all of it is at risk).",
    )
    collateral_assets = collateral_assets_field()
    other_maintenance_margin = number(
        _("Other positions' maintenance margin"),
        minimum=Decimal(0),
        maximum=MAX_AMOUNT,
        help_text="Cross margin: maintenance margin of your other positions.",
    )
    other_unrealized_pnl = number(
        _("Other positions' unrealised PnL"),
        minimum=-MAX_AMOUNT,
        maximum=MAX_AMOUNT,
        help_text="Cross margin: unrealised PnL of your other positions.",
    )
    other_position_value = number(
        "Other positions' value",
        minimum=Decimal(0),
        maximum=MAX_AMOUNT,
        help_text="Cross margin where the platform shares margin in proportion to value "
        "(KuCoin): the absolute value of your other cross positions at their marks, in the "
        "margin currency (coin for inverse).",
    )
    # Overrides of the profile's numbers.
    maintenance_margin_rate = fraction(
        _("Maintenance margin rate"),
        maximum=Decimal("0.99"),
        help_text="Override: a flat maintenance rate (fraction) replacing the profile's tiers. "
        f"Default without a platform: {DEFAULT_CUSTOM_MMR}.",
    )
    maintenance_amount = number(
        _("Maintenance amount"),
        minimum=Decimal(0),
        maximum=MAX_AMOUNT,
        help_text="Override: the maintenance amount (cum) of the tier.",
    )
    maintenance_basis = forms.ChoiceField(
        label=_("Maintenance measured on"),
        choices=listed((b.value, b.value) for b in MaintenanceBasis),
        required=False,
        help_text="Override: maintenance on the `mark` (default) or `entry` notional.",
    )
    taker_fee = fraction(
        _("Taker fee"),
        maximum=Decimal("0.1"),
        help_text="Override: taker fee, fraction of notional, on open and close.",
    )
    liquidation_fee = fraction(
        _("Liquidation fee"),
        maximum=Decimal("0.5"),
        help_text="Override: liquidation fee, fraction of the liquidated notional.",
    )
    funding_rate = number(
        _("Funding rate"),
        minimum=Decimal("-0.1"),
        maximum=Decimal("0.1"),
        help_text="Funding rate per interval (positive: longs pay).",
    )
    funding_interval_hours = number(
        _("Funding interval (hours)"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=Decimal(24 * 7),
        help_text="Hours between funding payments.",
    )
    holding_hours = number(
        _("Holding period (hours)"),
        minimum=Decimal(0),
        maximum=MAX_HOURS,
        help_text="How long the position is held before the scenario (funding and interest).",
    )
    borrow_rate = fraction(
        _("Borrow rate per year"),
        maximum=Decimal(5),
        help_text="Borrow interest per year (fraction), spot margin and loans.",
    )
    liquidation_margin_level = number(
        _("Liquidation margin level"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=Decimal(10),
        help_text="Spot margin: liquidation when assets / (debt + interest) falls to this level "
        "(e.g. 1.1, so above 1). On a platform whose profile measures equity / used margin "
        "(Kraken), that ratio instead (e.g. 0.4 for 40%). Required where the platform "
        "publishes none.",
    )
    # Loans.
    collateral = number(
        _("Collateral"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="Loans: collateral units.",
    )
    debt = number(
        _("Debt"),
        minimum=Decimal(0),
        maximum=MAX_AMOUNT,
        help_text="Loans: debt in quote currency.",
    )
    liquidation_threshold = number(
        _("Liquidation threshold"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=Decimal("0.99"),
        help_text="Loans: liquidation threshold (e.g. 0.83).",
    )
    liquidation_penalty = fraction(
        _("Liquidation penalty"),
        maximum=Decimal("0.5"),
        help_text="Loans: liquidation penalty/bonus paid from collateral (e.g. 0.05).",
    )
    # Scenario.
    fill_price = number(
        _("Fill price"),
        minimum=Decimal(0),
        maximum=MAX_PRICE,
        help_text="Scenario: the price the position is closed at.",
    )
    gap = fraction(
        _("Gap past liquidation"),
        help_text="Scenario: fill this fraction beyond the liquidation price (0.05 = 5%).",
    )
    crash = number(
        _("Crash"),
        minimum=Decimal(0),
        maximum=Decimal(100),
        help_text="Scenario: a move of this fraction of entry against the position (0.3 = 30%; "
        "a short's rise can exceed 100%, a long's fall cannot).",
    )
    stop_price = number(
        _("Stop-loss price"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_PRICE,
        help_text="A stop-loss. In a gap it fills at the gap price, not at the stop.",
    )
    guaranteed_stop = forms.BooleanField(
        label=_("Guaranteed stop"),
        required=False,
        help_text="The stop fills at the stop price whatever the gap. Only where the platform's "
        "profile offers guaranteed stops, or on custom rules; elsewhere a 400 on this field.",
    )
    insurance_fund_depleted = forms.BooleanField(
        label=_("Insurance fund depleted"),
        required=False,
        help_text="Assume the insurance fund cannot pay: the next step covers.",
    )
    # Questions the answer can back with a number (engine/safety.py).
    liquidation_target = number(
        _("Keep liquidation beyond"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_PRICE,
        help_text="A price your liquidation should stay past: the answer says what margin to add.",
    )
    max_loss = number(
        _("Most you want to lose"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_AMOUNT,
        help_text="In USD, fees included: the answer says where a stop caps the loss at this.",
    )
    # Where you trade from: the law that applies (calculator/who_pays.py).
    residence = forms.ChoiceField(
        label=_("Where you trade from"),
        choices=listed([("", _("Not said")), *Residence.choices]),
        required=False,
        help_text="Where you trade from: `eu`, `uk`, `us` or `other`. Selects the protection the "
        "law gives you (the `jurisdiction` object); blank: not said.",
    )
    client_class = forms.ChoiceField(
        label=_("Client class"),
        choices=listed(
            [
                (ClientClass.RETAIL.value, _("Retail")),
                (ClientClass.PROFESSIONAL.value, _("Professional")),
            ]
        ),
        required=False,
        help_text="`retail` (default) or `professional` (an elective or per se professional "
        "client): retail protections do not cover professional clients.",
    )

    defaults = {
        "contract": Contract.LINEAR.value,
        "side": Side.LONG.value,
        "margin_mode": MarginMode.ISOLATED.value,
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean returns cleaned_data
        if data.get("symbol"):
            self._choose_market(data)
        self._check_entry_price(data)
        for name, value in self.defaults.items():
            if not data.get(name):
                data[name] = value
        self._check_scenario(data)
        if data.get("collateral_assets"):
            self._check_collateral_assets(data)
        if data["contract"] == Contract.LOAN:
            self._check_loan(data)
        elif data["margin_mode"] == MarginMode.CROSS:
            self._check_cross(data)
        else:
            self._check_isolated(data)
        if data.get("platform") and not self.errors:
            self._resolve_profile(data)
        elif data.get("scope") and not data.get("platform"):
            self.add_error("scope", gettext("Choose a platform to use one of its account scopes."))
        if not self.errors:
            self._check_margin_level(data)
            self._check_guaranteed_stop(data)
        if data.get("collateral_assets") and not self.errors:
            self._value_collateral(data)
        return data

    def _choose_market(self, data: dict[str, Any]) -> None:
        """The market the symbol names on the platform; it implies its contract."""
        symbol = data["symbol"].strip()
        if not data.get("platform"):
            self.add_error("symbol", "Choose the platform whose market this is.")
            return
        try:
            platform = load_platform(data["platform"])
        except ProfileLookupError:
            return  # the profile lookup reports it on `platform`
        market = choose(platform, symbol)
        if market is None:
            nearest = nearest_markets(platform, symbol)
            self.add_error(
                "symbol",
                f"{platform.name} has no market “{symbol}” in our data"
                + (f"; nearest: {', '.join(nearest)}." if nearest else "."),
            )
            return
        kind = market.market.kind
        if data.get("contract") and data["contract"] != kind:
            self.add_error(
                "contract",
                f"{market.market.symbol} is {'an' if kind[:1] in 'aeiou' else 'a'} {kind} "
                f"contract, not {data['contract']}: "
                f"choose {kind} or leave the contract out.",
            )
            return
        data["contract"] = kind
        data["market"] = market

    def _check_entry_price(self, data: dict[str, Any]) -> None:
        """The entry price: given, else the chosen market's last mark price."""
        if data.get("entry_price") is not None or "entry_price" in self.errors:
            return
        market: MarketChoice | None = data.get("market")
        if market is not None and market.mark_price is not None:
            data["entry_price"] = market.mark_price
            data["entry_from_mark"] = True
            return
        if market is not None:
            self.add_error(
                "entry_price",
                f"Enter entry price: we have no mark price for {market.market.symbol}.",
            )
        elif not data.get("symbol") or "symbol" not in self.errors:
            self.add_error("entry_price", "Enter entry price.")

    def _check_collateral_assets(self, data: dict[str, Any]) -> None:
        """Several collateral assets back a cross-margin futures wallet (engine/collateral.py),
        or a loan beside its own coin (engine/loan.py)."""
        if data["contract"] == Contract.LOAN:
            return
        if data["contract"] != Contract.LINEAR:
            self.add_error(
                "collateral_assets",
                "Collateral assets back USDⓈ-margined (linear) futures; a coin-margined "
                "contract's margin is already the coin.",
            )
        elif data["margin_mode"] != MarginMode.CROSS:
            self.add_error(
                "collateral_assets", "Collateral assets back a cross-margin wallet: choose cross."
            )
        if data.get("wallet_balance") is not None:
            self.add_error(
                "wallet_balance", "Give the wallet balance or the collateral assets, not both."
            )

    def _value_collateral(self, data: dict[str, Any]) -> None:
        profile: ResolvedProfile | None = data.get("profile")
        try:
            if data["contract"] == Contract.LOAN:
                data["loan_collateral"] = loan_assets(
                    data["collateral_assets"], platform=profile.platform.slug if profile else None
                )
                return
            data["collateral_valued"] = value_entries(
                data["collateral_assets"],
                platform=profile.platform.slug if profile else None,
                platform_name=profile.platform.name if profile else "",
                entry_price=data["entry_price"],
            )
        except EngineInputError as error:
            self.add_error("collateral_assets", engine_error_text(error))

    def _check_scenario(self, data: dict[str, Any]) -> None:
        given = [name for name in SCENARIO_FIELDS if data.get(name) is not None]
        if len(given) > 1:
            for name in given:
                self.add_error(name, gettext("Give one of fill price, gap or crash, not several."))
        crash = data.get("crash")
        if crash is not None and crash > 1 and data.get("side") != Side.SHORT:
            self.add_error(
                "crash", gettext("A fall cannot be more than 100% (1.0): the price stops at 0.")
            )
        if data.get("guaranteed_stop") and data.get("stop_price") is None:
            self.add_error("stop_price", gettext("A guaranteed stop needs a stop price."))

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
                    gettext(
                        "Give two of quantity, margin and leverage (the third follows from them)."
                    ),
                )
        elif len(sizes) == 3:
            self.add_error(
                "leverage",
                gettext("Give only two of quantity, margin and leverage: three can contradict."),
            )
        if data.get("wallet_balance") is not None:
            self.add_error("wallet_balance", gettext("Wallet balance is for cross margin."))

    def _check_cross(self, data: dict[str, Any]) -> None:
        if (
            data.get("wallet_balance") is None
            and not data.get("collateral_assets")
            and "collateral_assets" not in self.errors
        ):
            self.add_error("wallet_balance", gettext("Cross margin needs your wallet balance."))
        if data.get("margin") is not None:
            self.add_error(
                "margin",
                gettext("In cross margin the whole wallet is the margin; leave this out."),
            )
        if data.get("quantity") is None and data.get("leverage") is None:
            self.add_error("quantity", gettext("Give the quantity or the leverage."))

    def _check_loan(self, data: dict[str, Any]) -> None:
        if data.get("collateral") is None:
            self.add_error("collateral", gettext("A loan needs the collateral amount."))
        if data.get("debt") is None and data.get("leverage") is None:
            self.add_error("debt", gettext("Give the debt (or a leverage to derive it)."))
        if data["side"] != Side.LONG:
            self.add_error("side", gettext("A collateralised loan is long its collateral."))
        if not data.get("platform") and data.get("liquidation_threshold") is None:
            self.add_error(
                "liquidation_threshold",
                gettext("Without a platform, give the liquidation threshold."),
            )

    def _check_guaranteed_stop(self, data: dict[str, Any]) -> None:
        """A guaranteed stop only where the platform's profile offers one (custom rules may)."""
        profile: ResolvedProfile | None = data.get("profile")
        if data.get("guaranteed_stop") and not offers_guaranteed_stop(profile):
            assert profile is not None  # custom rules may always guarantee a stop
            self.add_error("guaranteed_stop", no_guaranteed_stop(profile))

    def _check_margin_level(self, data: dict[str, Any]) -> None:
        if data["contract"] != Contract.SPOT_MARGIN:
            return
        profile = data.get("profile")
        typed = data.get("liquidation_margin_level")
        if typed is not None:
            # Read as assets / debt unless the profile measures equity / used margin (Kraken).
            if profile is None or profile.product_line.used_margin_leverage is None:
                try:  # the message the field gives for any bound, already translated
                    _GreaterThan(Decimal(1), self.fields["liquidation_margin_level"].label)(typed)
                except forms.ValidationError as error:
                    self.add_error("liquidation_margin_level", error)
            return
        if profile is None and data.get("platform"):
            return  # the platform lookup already reported its own error
        if profile is None or profile.product_line.liquidation_margin_level is None:
            self.add_error(
                "liquidation_margin_level",
                gettext(
                    "Our %(platform)s profile has no published liquidation margin level: "
                    "enter one (e.g. 1.1)."
                )
                % {"platform": profile.platform.name}
                if profile
                else gettext(
                    "Custom rules have no published liquidation margin level: enter one (e.g. 1.1)."
                ),
            )

    def _resolve_profile(self, data: dict[str, Any]) -> None:
        market: MarketChoice | None = data.get("market")
        try:
            platform = load_platform(data["platform"])
            scope = data.get("scope") or None
            if market is not None and scope is None:
                scope = market_scope(platform, market, data["margin_mode"])
            profile = resolve(
                platform, contract=data["contract"], margin_mode=data["margin_mode"], scope=scope
            )
        except ProfileLookupError as error:
            self.add_error(error.field, error.message)
            return
        if market is not None and profile.product_line.pk != market.market.product_line_id:
            self.add_error(
                "scope",
                f"{market.market.symbol} trades on {market.market.product_line.name}; "
                f"“{data.get('scope')}” is an account of {profile.product_line.name}.",
            )
            return
        data["profile"] = profile

    def calculation(self) -> Calculation:
        """Engine inputs from a valid form: the profile's rules with the visitor's overrides."""
        data = self.cleaned_data
        profile: ResolvedProfile | None = data.get("profile")
        rules = rules_for(profile) if profile else Rules(maintenance_margin_rate=DEFAULT_CUSTOM_MMR)
        market: MarketChoice | None = data.get("market")
        if market is not None:
            rules = rules_for_market(market.market, rules, funding_rate=market.funding_rate)
        overrides: dict[str, Any] = {
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
        valued: ValuedCollateral | None = data.get("collateral_valued")
        loan: LoanCollateralInput | None = data.get("loan_collateral")
        if valued is not None and valued.minimum_collateral:
            overrides["minimum_collateral"] = valued.minimum_collateral
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
            wallet_balance=(
                valued.basket.collateral_value if valued else data.get("wallet_balance")
            ),
            coin_collateral=valued.coin_collateral if valued else Decimal(0),
            other_collateral=(
                other_collateral(loan, threshold=rules.liquidation_threshold) if loan else ()
            ),
            other_maintenance_margin=data.get("other_maintenance_margin") or Decimal(0),
            other_unrealized_pnl=data.get("other_unrealized_pnl") or Decimal(0),
            other_position_value=data.get("other_position_value") or Decimal(0),
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
        return Calculation(
            position=position,
            rules=rules,
            scenario=scenario,
            profile=profile,
            liquidation_target=data.get("liquidation_target"),
            max_loss=data.get("max_loss"),
            market=market,
        )


# The fields in the page's "Custom rates, funding, cross-margin and loan details" section,
# which starts closed: it opens when one of them is given or has an error.
def scenario_field(
    name: str, help_text: str | None = None, *, required: bool | None = None
) -> forms.Field:
    """`ScenarioForm`'s field `name` (its label, limits and messages) for another form, in that
    form's own words where given (`help_text` describes its API), required there or not: one
    set of limits for a position wherever it is typed."""
    field = copy.deepcopy(ScenarioForm.base_fields[name])
    if help_text is not None:
        field.help_text = help_text
    if required is not None:
        field.required = field.widget.is_required = required
    return field


ADVANCED_FIELDS = (
    "maintenance_margin_rate",
    "maintenance_amount",
    "maintenance_basis",
    "taker_fee",
    "liquidation_fee",
    "funding_rate",
    "funding_interval_hours",
    "borrow_rate",
    "other_maintenance_margin",
    "other_unrealized_pnl",
    "other_position_value",
    "fill_price",
    "liquidation_margin_level",
    "collateral",
    "debt",
    "liquidation_threshold",
    "liquidation_penalty",
)
# What the guaranteed-stop checkbox says under it, by whether the platform offers one.
CUSTOM_STOP_HELP = _("Fills at your stop whatever the gap, where a broker offers one.")
OFFERED_STOP_HELP = _("Fills at your stop whatever the gap.")


class PlatformSelect(forms.Select):
    """The platform select; each option says on which contracts the platform guarantees a
    stop, and on what terms, so the page can enable the checkbox as the visitor switches."""

    def __init__(self, *args: Any, platforms: list[Platform], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platforms = platforms

    @cached_property
    def option_attrs(self) -> dict[str, dict[str, str]]:
        """Worked out when the select is drawn: a redraw or an API call never draws it."""
        attrs = {}
        for platform in self.platforms:
            offered = guaranteed_stops(platform)
            if offered:
                attrs[platform.slug] = {
                    "data-guaranteed-stop": " ".join(sorted(offered)),
                    "data-guaranteed-stop-note": next((n for n in offered.values() if n), ""),
                }
        return attrs

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class ComparingForm(ScenarioForm, PlatformsForm):
    """The scenario, and the platforms to run it on besides the chosen one: the page's and
    the API's fields (the page adds only how it behaves, in `CalculatorForm`)."""

    compare = compare_field()

    def platform_select(self, choices: list[tuple[str, str]]) -> forms.Select:
        return PlatformSelect(
            choices=choices, attrs={"aria-describedby": "err-platform"}, platforms=self.platforms
        )


class CalculatorForm(CollateralInputMixin, ComparingForm):
    """The calculator page's form: the API's fields, and how the page behaves."""

    max_compared = MAX_COMPARED
    # for calculator.js, which rewrites the line under the guaranteed-stop checkbox

    @property
    def no_stop_template(self) -> str:
        """For calculator.js, in the page's language (the class is built once, at import)."""
        return no_guaranteed_stop("{platform}")

    custom_stop_help = CUSTOM_STOP_HELP
    offered_stop_help = OFFERED_STOP_HELP

    def scope_choices(self) -> list[tuple[str, str]]:
        """The chosen platform's scopes, for the scope select (default first)."""
        return scope_choices(self.data.get("platform") or "")

    def clean_scope(self) -> str:
        """A scope left over from another platform is dropped: the platform's default applies."""
        scope: str = self.cleaned_data.get("scope", "")
        return scope if any(key == scope for key, _label in self.scope_choices()) else ""

    def clean(self) -> dict[str, Any]:
        # On the page the gap slider always sends a value; a typed crash or fill price is the
        # more specific scenario, so it replaces the slider (the page says so beside it).
        if self.data.get("crash") or self.data.get("fill_price"):
            self.cleaned_data["gap"] = None
        return super().clean()

    def advanced_open(self) -> bool:
        """Whether the advanced section starts open: a value or a message of its own is in it."""
        return any(self.data.get(name) for name in ADVANCED_FIELDS) or any(
            name in self.errors for name in ADVANCED_FIELDS
        )

    def guaranteed_stop_help(self) -> tuple[bool, str]:
        """Whether the chosen platform offers a guaranteed stop on the chosen contract, and the
        line under the checkbox: its terms, or what a stop there is instead."""
        profile: ResolvedProfile | None = getattr(self, "cleaned_data", {}).get("profile")
        if profile is not None:
            if offers_guaranteed_stop(profile):
                return True, profile.product_line.guaranteed_stop_note or str(OFFERED_STOP_HELP)
            return False, no_guaranteed_stop(profile)
        platform = snapshot().platforms.get(self.data.get("platform") or "")
        if platform is None:
            return True, str(CUSTOM_STOP_HELP)
        offered = guaranteed_stops(platform)
        contract = self.data.get("contract") or Contract.LINEAR.value
        if contract in offered:
            return True, offered[contract] or str(OFFERED_STOP_HELP)
        return False, no_guaranteed_stop(platform.name)
