"""The account form: a wallet, its platform, and a formset of positions.

One set of field names for the account page (`positions-0-symbol`, as Django formsets name
them), its links and `POST /api/v1/account` (which sends `positions` as a list of objects).
Nothing here computes money.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from calculator.engine_errors import engine_error_text
from calculator.forms import (
    DEFAULT_CUSTOM_MMR,
    MAX_PRICE,
    PlatformsForm,
    compare_field,
    number,
    platform_field,
    scenario_field,
    scope_field,
)
from collateral.forms import CollateralAssetsField, CollateralInputMixin
from collateral.valuation import value_entries
from engine import (
    Account,
    AccountPosition,
    Contract,
    EngineInputError,
    MarginMode,
    PositionMode,
    Rules,
    Side,
)
from markets.lookup import find_market
from markets.rules import rules_for_market
from platforms.models import Platform
from platforms.profiles import (
    ProfileLookupError,
    ResolvedProfile,
    load_platform,
    resolve,
    rules_for,
    scope_choices,
)

MAX_POSITIONS = 50
PREFIX = "positions"
# The overrides a position may carry, as in /api/v1/evaluate: the platform's numbers otherwise.
OVERRIDES = ("maintenance_margin_rate", "maintenance_amount", "taker_fee", "liquidation_fee")
CROSS_LEAVE_OUT = {
    "margin": _("A cross position's margin follows from the wallet; leave it out."),
    "leverage": _("A cross position's leverage follows from the wallet; leave it out."),
}


class PositionForm(forms.Form):
    """One position of the account: /api/v1/evaluate's position fields, a symbol and a mark."""

    symbol = forms.CharField(
        label=_("Symbol"),
        required=False,
        max_length=30,
        help_text="Optional, e.g. `BTCUSDT`. In one-way mode positions of one symbol and side "
        "merge at their average entry and opposite sides net; positions of one symbol share one "
        "mark. Where it is one of the platform's markets (see `symbol` on /api/v1/evaluate), "
        "that market's tiers, max leverage and taker fee apply to the position.",
    )
    contract = forms.ChoiceField(
        label=_("Contract"),
        choices=[
            (Contract.LINEAR.value, pgettext_lazy("contract", "linear")),
            (Contract.INVERSE.value, pgettext_lazy("contract", "inverse")),
        ],
        required=False,
        initial=Contract.LINEAR.value,
        help_text="`linear` (default; USDT/USDC-margined) or `inverse` (coin-margined). A cross "
        "account settles in one currency: linear and inverse cannot share it.",
    )
    side = forms.ChoiceField(
        label=_("Side"),
        choices=[
            (Side.LONG.value, pgettext_lazy("side", "Long")),
            (Side.SHORT.value, pgettext_lazy("side", "Short")),
        ],
        required=False,
        initial=Side.LONG.value,
        help_text="`long` (default) or `short`.",
    )
    margin_mode = forms.ChoiceField(
        label=_("Margin mode"),
        choices=[
            (MarginMode.CROSS.value, pgettext_lazy("margin mode", "cross")),
            (MarginMode.ISOLATED.value, pgettext_lazy("margin mode", "isolated")),
        ],
        required=False,
        initial=MarginMode.CROSS.value,
        help_text="`cross` (default: the wallet backs it) or `isolated` (its own margin).",
    )
    quantity = scenario_field(
        "quantity",
        "Base units (linear) or USD face value (inverse). Required for cross positions.",
    )
    entry_price = scenario_field(
        "entry_price", "Average entry price, quote per base.", required=True
    )
    mark_price = number(
        _("Mark price"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=MAX_PRICE,
        help_text="Mark price now. Default: the entry price.",
    )
    leverage = scenario_field(
        "leverage", "Isolated only: give two of quantity, margin and leverage."
    )
    margin = scenario_field(
        "margin", "Isolated only: the position's margin (quote, or coin for inverse)."
    )
    maintenance_margin_rate = scenario_field(
        "maintenance_margin_rate", "Override: a flat maintenance rate replacing the tiers."
    )
    maintenance_amount = scenario_field(
        "maintenance_amount", "Override: the maintenance amount (cum)."
    )
    taker_fee = scenario_field(
        "taker_fee",
        "Override: taker fee (fraction of notional), taken from the wallet on opening.",
    )
    liquidation_fee = scenario_field(
        "liquidation_fee", "Override: liquidation fee (fraction of notional)."
    )

    defaults = {
        "contract": Contract.LINEAR.value,
        "side": Side.LONG.value,
        "margin_mode": MarginMode.CROSS.value,
    }

    def has_changed(self) -> bool:
        """A row is filled in once any number or the symbol is typed: its selects alone (side,
        contract, margin), sent or not, leave a new row blank, and a blank row is skipped."""
        return any(
            self[name].data not in (None, "") for name in self.fields if name not in self.defaults
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean returns cleaned_data
        for name, value in self.defaults.items():
            if not data.get(name):
                data[name] = value
        sizes = [n for n in ("quantity", "margin", "leverage") if data.get(n) is not None]
        if data["margin_mode"] == MarginMode.CROSS:
            if "quantity" not in sizes and "quantity" not in self.errors:
                self.add_error("quantity", _("Give the size of a cross position."))
            for name in ("margin", "leverage"):
                if data.get(name) is not None:
                    self.add_error(name, CROSS_LEAVE_OUT[name])
        elif len(sizes) != 2 and not any(n in self.errors for n in ("quantity", "margin")):
            self.add_error(
                "leverage" if len(sizes) > 2 else "margin",
                _("Isolated: give two of quantity, margin and leverage."),
            )
        return data


class BasePositionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.positions():
            raise forms.ValidationError(_("Add at least one position."), code="too_few_forms")

    def positions(self) -> list[tuple[int, dict[str, Any]]]:
        """(form index, cleaned data) of each filled-in position; a blank row is skipped."""
        return [
            (index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and form.has_changed()
        ]


PositionFormSet = forms.formset_factory(
    PositionForm,
    formset=BasePositionFormSet,
    extra=0,
    max_num=MAX_POSITIONS,
    validate_max=True,
    absolute_max=MAX_POSITIONS,
)


class AccountForm(CollateralInputMixin, PlatformsForm):
    """The wallet and its platform; the positions come in a `PositionFormSet`."""

    platform = platform_field()
    scope = scope_field()
    wallet_balance = scenario_field(
        "wallet_balance",
        "The wallet backing the cross positions: USDT/USDC, or coin for a coin-margined "
        "account. Isolated positions bring their own margin. Or give `collateral_assets` "
        "instead.",
    )
    collateral_assets = CollateralAssetsField(
        label=_("Or the wallet as assets"),
        help_text="The wallet as several assets, each counted at the platform's haircut "
        "(Binance Multi-Assets mode, Bybit unified account, OKX multi-currency margin; custom "
        'rules count them in full): a list `[{"asset": "BTC", "amount": 0.5, "price": 60000}]` '
        "or the text `BTC:0.5@60000, USDT:1000`. Stablecoins without a price count at 1 USD; "
        "every other coin gives its price. Replaces `wallet_balance`.",
    )
    position_mode = forms.ChoiceField(
        label=_("Position mode"),
        choices=[
            (PositionMode.ONE_WAY.value, pgettext_lazy("position mode", "one-way")),
            (PositionMode.HEDGE.value, pgettext_lazy("position mode", "hedge")),
        ],
        required=False,
        initial=PositionMode.ONE_WAY.value,
        help_text="`one_way` (default) or `hedge` (a long and a short of a symbol stay apart).",
    )
    insurance_fund_depleted = scenario_field("insurance_fund_depleted")
    compare = compare_field()

    def clean_position_mode(self) -> str:
        return self.cleaned_data.get("position_mode") or PositionMode.ONE_WAY.value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean returns cleaned_data
        if data.get("scope") and not data.get("platform"):
            self.add_error("scope", _("Choose a platform to use one of its account scopes."))
        elif data.get("platform"):
            try:
                data["platform_row"] = load_platform(data["platform"])
            except ProfileLookupError as error:
                self.add_error(error.field, error.message)
        self._wallet_from_assets(data)
        return data

    def _wallet_from_assets(self, data: dict[str, Any]) -> None:
        """The wallet is its balance, or its assets counted at the platform's haircuts
        (collateral/valuation.py); in an account every coin gives its price."""
        assets = data.get("collateral_assets")
        if "collateral_assets" in self.errors or "wallet_balance" in self.errors:
            return
        if not assets:
            if data.get("wallet_balance") is None:
                self.add_error("wallet_balance", _("Enter wallet balance."))
            return
        if data.get("wallet_balance") is not None:
            self.add_error(
                "wallet_balance", _("Give the wallet balance or the collateral assets, not both.")
            )
            return
        priceless = [entry.asset for entry in assets if entry.is_traded_coin]
        if priceless:
            self.add_error(
                "collateral_assets",
                _("In an account give each coin's price, e.g. %(example)s.")
                % {"example": f"{priceless[0]}:1@60000"},
            )
            return
        platform: Platform | None = data.get("platform_row")
        try:
            valued = value_entries(
                assets,
                platform=platform.slug if platform else None,
                platform_name=platform.name if platform else "",
                entry_price=Decimal(1),
            )
        except EngineInputError as error:
            self.add_error("collateral_assets", engine_error_text(error))
            return
        data["collateral_valued"] = valued
        data["wallet_balance"] = valued.basket.collateral_value

    def scope_choices(self) -> list[tuple[str, str]]:
        return scope_choices(self.data.get("platform") or "")


def position_rules(
    data: dict[str, Any], platform: Platform | None, scope: str | None, *, overrides: bool = True
) -> tuple[Rules, ResolvedProfile | None]:
    """One position's rules: its platform's for its contract and margin mode (raises
    ProfileLookupError), or custom ones; with its own overrides."""
    profile = None
    if platform is None:
        rules = Rules(maintenance_margin_rate=DEFAULT_CUSTOM_MMR)
    else:
        profile = resolve(
            platform,
            contract=data["contract"],
            margin_mode=data["margin_mode"],
            scope=scope,
        )
        rules = rules_for(profile)
        rules = _with_market(rules, profile, platform, data)
    if overrides:
        given = {name: data[name] for name in OVERRIDES if data.get(name) is not None}
        if "maintenance_margin_rate" in given:
            given.update(tiers=(), mmr_from_max_leverage=False)
        if given:
            rules = replace(rules, **given)
    return rules, profile


def _with_market(
    rules: Rules, profile: ResolvedProfile, platform: Platform, data: dict[str, Any]
) -> Rules:
    """A position whose symbol is one of the platform's markets takes that market's tiers,
    leverage and fee (as `symbol` does on the calculator); any other symbol is only a label
    that groups positions under one mark."""
    market = (
        find_market(platform, (data.get("symbol") or "").strip()) if data.get("symbol") else None
    )
    if market is None:
        return rules
    if market.kind != data["contract"]:
        message = (
            _("%(symbol)s is an inverse contract, not linear: choose inverse.")
            if market.kind == Contract.INVERSE
            else _("%(symbol)s is a linear contract, not inverse: choose linear.")
            if market.kind == Contract.LINEAR and data["contract"] == Contract.INVERSE
            else _("%(symbol)s is a %(kind)s contract, not %(contract)s: choose %(kind)s.")
        )
        raise ProfileLookupError(
            "contract",
            message % {"symbol": market.symbol, "kind": market.kind, "contract": data["contract"]},
        )
    if market.product_line_id != profile.product_line.pk:
        return rules
    return rules_for_market(market, rules)


def build_account(
    form: AccountForm,
    rows: list[tuple[int, dict[str, Any]]],
    platform: Platform | None,
    *,
    overrides: bool = True,
) -> tuple[Account, ResolvedProfile | None]:
    """The engine's account from valid forms, on `platform` (None: custom rules). Raises
    ProfileLookupError with `field` naming the position ("positions[1].contract")."""
    data = form.cleaned_data
    scope = data.get("scope") or None if platform is not None else None
    if platform is not None and scope and data.get("platform") != platform.slug:
        scope = None  # a compared platform: its own default scope
    members = []
    account_profile = None
    account_rules: Rules | None = None
    for number_, (_index, row) in enumerate(rows):
        try:
            rules, profile = position_rules(row, platform, scope, overrides=overrides)
        except ProfileLookupError as error:
            raise ProfileLookupError(f"positions[{number_}].{error.field}", error.message) from None
        if account_rules is None or (
            row["margin_mode"] == MarginMode.CROSS and account_profile is None and profile
        ):
            account_rules, account_profile = rules, profile
        members.append(
            AccountPosition(
                contract=Contract(row["contract"]),
                side=Side(row["side"]),
                entry_price=row["entry_price"],
                quantity=row.get("quantity"),
                symbol=row.get("symbol") or "",
                mark_price=row.get("mark_price"),
                margin_mode=MarginMode(row["margin_mode"]),
                margin=row.get("margin"),
                leverage=row.get("leverage"),
                rules=rules,
            )
        )
    account = Account(
        wallet_balance=data["wallet_balance"],
        positions=tuple(members),
        rules=account_rules or Rules(maintenance_margin_rate=DEFAULT_CUSTOM_MMR),
        position_mode=PositionMode(data.get("position_mode") or PositionMode.ONE_WAY),
        insurance_fund_depleted=bool(data.get("insurance_fund_depleted")),
        coin_collateral=valued.coins if (valued := data.get("collateral_valued")) else (),
    )
    return account, account_profile
