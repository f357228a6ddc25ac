"""The calculator page's form: the API's fields, plus which platforms to compare.

It also supplies first-visit defaults, so the very first page already shows an answer.
"""

from __future__ import annotations

from copy import copy

from django import forms
from django.http import QueryDict

from calculator.forms import ScenarioForm
from calculator.profiles import derived, scope_choices
from platforms.models import Platform

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


def initial_query(query: QueryDict) -> QueryDict:
    """The visitor's query, or the defaults on a first visit (no calculator field given)."""
    if any(name in query for name in ScenarioForm.base_fields):
        return query
    defaults = QueryDict(mutable=True)
    for name, value in DEFAULTS.items():
        if isinstance(value, list):
            defaults.setlist(name, value)
        else:
            defaults[name] = value
    return defaults


def _platform_fields(platforms: list[Platform]) -> tuple[forms.Field, forms.Field]:
    """The platform select and the compare checkboxes with these platforms as choices, built
    once per profiles snapshot: cleaning and rendering read a field and never change it, so
    every form of the snapshot shares them (the rule of `ScenarioForm.own_field`)."""

    def build():
        pairs = [(p.slug, p.name) for p in platforms]
        platform = copy(ScenarioForm.base_fields["platform"])
        platform.widget = forms.Select(
            choices=[("", "Custom: type the rates yourself"), *pairs],
            attrs={"aria-describedby": "err-platform"},
        )
        compare = copy(CalculatorForm.base_fields["compare"])
        compare.widget = copy(compare.widget)
        compare.choices = pairs  # the widget's choices too
        return platform, compare

    return derived(("calculator_form_fields", *((p.slug, p.name) for p in platforms)), build)


class CalculatorForm(ScenarioForm):
    compare = forms.MultipleChoiceField(
        label="Compare with", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, platforms: list[Platform], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"], self.fields["compare"] = _platform_fields(platforms)
        self.platforms = platforms

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

    def clean_compare(self) -> list[str]:
        chosen = self.cleaned_data.get("compare", [])
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(f"Compare at most {MAX_COMPARED} platforms at once.")
        return chosen
