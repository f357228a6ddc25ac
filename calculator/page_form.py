"""The calculator page's form: the API's fields, plus which platforms to compare.

It also supplies first-visit defaults, so the very first page already shows an answer.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.choices import BaseChoiceIterator

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


class NormalizedChoices(BaseChoiceIterator):
    """(value, label) pairs of plain strings, which Django's forms take as they are.

    Django normalises every list of choices it is given, checking each pair, twice per form
    here; on every keystroke that cost more than building the pairs. A choice iterator is
    passed through untouched."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


def _platform_widgets(
    platforms: list[Platform],
) -> tuple[forms.Select, forms.CheckboxSelectMultiple, NormalizedChoices]:
    """The platform select, the compare checkboxes and their choices, built once per profiles
    snapshot: rendering a widget reads it and never changes it, so forms can share them."""

    def build():
        pairs = [(p.slug, p.name) for p in platforms]
        choices = NormalizedChoices(pairs)
        platform_widget = forms.Select(
            choices=NormalizedChoices([("", "Custom: type the rates yourself"), *pairs]),
            attrs={"aria-describedby": "err-platform"},
        )
        compare_widget = forms.CheckboxSelectMultiple()
        compare_widget.choices = choices
        return platform_widget, compare_widget, choices

    return derived(("calculator_form_widgets", *((p.slug, p.name) for p in platforms)), build)


class CalculatorForm(ScenarioForm):
    compare = forms.MultipleChoiceField(
        label="Compare with", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, platforms: list[Platform], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        platform_widget, compare_widget, choices = _platform_widgets(platforms)
        self.own_field("platform").widget = platform_widget
        compare = self.own_field("compare")
        compare.widget = compare_widget
        compare.choices = choices
        self.platforms = {p.slug: p for p in platforms}

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
