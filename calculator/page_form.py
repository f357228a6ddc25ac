"""The calculator page's form: the API's fields, plus which platforms to compare.

`ComparingForm` is what the page and the API share (the scenario and the platforms to run it
on); `CalculatorForm` adds the page's own behaviour. This module also supplies first-visit
defaults, so the very first page already shows an answer.
"""

from __future__ import annotations

from copy import copy

from django import forms
from django.http import QueryDict

from calculator.forms import ScenarioForm
from platforms.calculator_links import example_query
from platforms.models import Platform
from platforms.profiles import (
    ProfileLookupError,
    ResolvedProfile,
    derived,
    find_scope,
    load_platform,
    no_guaranteed_stop,
    offers_guaranteed_stop,
    resolve,
    scope_choices,
    snapshot,
)

# $1,000 at 10× long BTC from $50,000, a 5% gap past liquidation; Binance (insurance fund, no
# promise) against BitMEX (a promise in its terms) and a broker
# that offers no protection (the DESIGN.md example of "10x with $1,000").
DEFAULTS = {
    "platform": "binance",
    "contract": "linear",
    "side": "long",
    "margin_mode": "isolated",
    "entry_price": "50000",
    "margin": "1000",
    "leverage": "10",
    "gap": "0.05",
    "compare": ["bitmex", "offshore-broker-example"],
}
MAX_COMPARED = 6
# The fields in the page's "Custom rates, funding, cross-margin and loan details" section,
# which starts closed: it opens when one of them is given or has an error.
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
    "fill_price",
    "liquidation_margin_level",
    "collateral",
    "debt",
    "liquidation_threshold",
    "liquidation_penalty",
)


# The first visit's position without its comparison: where a link names no account we have.
FIRST_POSITION = {name: value for name, value in DEFAULTS.items() if name != "compare"}

# The fields that size a position. The form sends all of them (empty or not) with every
# request, so a query without any is a link written by hand, such as "/?platform=bitget".
POSITION_FIELDS = (
    "entry_price",
    "margin",
    "leverage",
    "quantity",
    "wallet_balance",
    "collateral",
    "debt",
)


def initial_query(query: QueryDict) -> QueryDict:
    """The visitor's query; the defaults on a first visit (no calculator field given); and a
    link that names a platform, account or contract but no position, completed with the example
    position its profile page links to, so that it opens on an answer rather than on errors."""
    if not any(name in query for name in ScenarioForm.base_fields):
        return _query_of(DEFAULTS)
    if any(name in query for name in POSITION_FIELDS):
        return query
    completed = _query_of(_linked_example(query))
    for name, values in query.lists():
        completed.setlist(name, values)  # what the link says wins, even an empty value
    return completed


def _query_of(values: dict[str, str | list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in values.items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    return query


def _linked_example(query: QueryDict) -> dict[str, str | list[str]]:
    """The example position on the account a link names; where it names no platform we have,
    the first visit's position, so that the form speaks only of what the link got wrong."""
    try:
        platform = load_platform(query.get("platform") or str(DEFAULTS["platform"]))
    except ProfileLookupError:
        return FIRST_POSITION
    # An unknown scope is dropped by the form (the platform's default applies), so here too.
    named = find_scope(platform, query.get("scope"))
    if named is not None and query.get("contract") in (None, "", named.product_line.contract):
        return example_query(named)
    contracts = [line.contract for line in platform.product_lines.all()]
    contract = query.get("contract") or (
        contracts[0] if contracts and "linear" not in contracts else "linear"
    )
    try:
        profile = resolve(
            platform, contract=contract, margin_mode=query.get("margin_mode") or "isolated"
        )
    except ProfileLookupError:  # no such product there: the form says so
        return FIRST_POSITION
    return example_query(profile.scope)


# What the guaranteed-stop checkbox says under it, by whether the platform offers one.
CUSTOM_STOP_HELP = "Fills at your stop whatever the gap, where a broker offers one."
OFFERED_STOP_HELP = "Fills at your stop whatever the gap."
# calculator.js puts the platform's name in place of {platform} when the visitor switches.
NO_STOP_TEMPLATE = no_guaranteed_stop("{platform}")


class PlatformSelect(forms.Select):
    """The platform select; each option says on which contracts the platform guarantees a
    stop, and on what terms, so the page can enable the checkbox as the visitor switches."""

    def __init__(self, *args, option_attrs: dict[str, dict[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.option_attrs = option_attrs

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


def _stop_attrs(platform: Platform) -> dict[str, str]:
    lines = [line for line in platform.product_lines.all() if line.guaranteed_stop]
    if not lines:
        return {}
    return {
        "data-guaranteed-stop": " ".join(sorted({line.contract for line in lines})),
        "data-guaranteed-stop-note": next(
            (line.guaranteed_stop_note for line in lines if line.guaranteed_stop_note), ""
        ),
    }


def _platform_fields(platforms: list[Platform]) -> tuple[forms.Field, forms.Field]:
    """The platform select and the compare checkboxes with these platforms as choices, built
    once per profiles snapshot: cleaning and rendering read a field and never change it, so
    every form of the snapshot shares them (the rule of `ScenarioForm.own_field`)."""

    def build():
        pairs = [(p.slug, p.name) for p in platforms]
        platform = copy(ScenarioForm.base_fields["platform"])
        platform.widget = PlatformSelect(
            choices=[("", "Custom: type the rates yourself"), *pairs],
            attrs={"aria-describedby": "err-platform"},
            option_attrs={p.slug: attrs for p in platforms if (attrs := _stop_attrs(p))},
        )
        compare = copy(ComparingForm.base_fields["compare"])
        compare.widget = copy(compare.widget)
        compare.choices = pairs  # the widget's choices too
        return platform, compare

    return derived(("calculator_form_fields", *((p.slug, p.name) for p in platforms)), build)


class PlatformsField(forms.MultipleChoiceField):
    """Platform slugs, repeated (`compare=a&compare=b`, as the page's checkboxes send them) or
    comma-separated (`compare=a,b`, shorter in an API call). Blanks are dropped: an empty
    `compare=` asks for no comparison instead of naming a platform called ""."""

    def to_python(self, value: object) -> list[str]:
        if isinstance(value, str):
            value = [value]
        return [
            part.strip()
            for item in super().to_python(value)
            for part in item.split(",")
            if part.strip()
        ]

    def bound_data(self, data: object, initial: object) -> object:
        # the checkboxes show `compare=a,b` ticked as `compare=a&compare=b` would be
        try:
            return self.to_python(data)
        except forms.ValidationError:
            return data


class ComparingForm(ScenarioForm):
    """The scenario, and the platforms to run it on besides the chosen one: the page's and
    the API's fields (the page adds only how it behaves, in `CalculatorForm`)."""

    compare = PlatformsField(
        label="Compare with", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, platforms: list[Platform], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"], self.fields["compare"] = _platform_fields(platforms)
        self.platforms = platforms

    def clean_compare(self) -> list[str]:
        chosen = self.cleaned_data.get("compare", [])
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(f"Compare at most {MAX_COMPARED} platforms at once.")
        return chosen


class CalculatorForm(ComparingForm):
    # for calculator.js, which rewrites the line under the guaranteed-stop checkbox
    no_stop_template = NO_STOP_TEMPLATE
    custom_stop_help = CUSTOM_STOP_HELP
    offered_stop_help = OFFERED_STOP_HELP
    max_compared = MAX_COMPARED  # and how many boxes it lets a visitor tick

    def scope_choices(self) -> list[tuple[str, str]]:
        """The chosen platform's scopes, for the scope select (default first)."""
        return scope_choices(self.data.get("platform") or "")

    def clean_scope(self) -> str:
        """A scope left over from another platform is dropped: the platform's default applies."""
        scope = self.cleaned_data.get("scope", "")
        return scope if any(key == scope for key, _label in self.scope_choices()) else ""

    def clean(self):
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
            offered = offers_guaranteed_stop(profile)
            note = profile.product_line.guaranteed_stop_note
            return offered, (note or OFFERED_STOP_HELP) if offered else no_guaranteed_stop(profile)
        platform = snapshot().platforms.get(self.data.get("platform") or "")
        if platform is None:
            return True, CUSTOM_STOP_HELP
        contract = self.data.get("contract") or "linear"
        attrs = _stop_attrs(platform)
        if contract in attrs.get("data-guaranteed-stop", "").split():
            return True, attrs["data-guaranteed-stop-note"] or OFFERED_STOP_HELP
        return False, no_guaranteed_stop(platform.name)
