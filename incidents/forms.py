"""The incidents pages' inputs: a price move to replay, and the simulation's assumptions.

The pages, their links and the API share these names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from calculator.formatting import number as formatted
from calculator.forms import number
from incidents.simulate import MAX_CELLS, MAX_PATHS, MAX_STEPS, Market

# Translated when shown; typed as the str that calculator.forms.number takes for help text.
_ = cast(Callable[[str], str], gettext_lazy)


def _message(template: str, count: int) -> str:
    return gettext(template) % {"count": formatted(count, 0)}


def _at_most(template: str, count: int) -> Any:
    """A help text with a number in it, worked out in the visitor's language and separators
    when shown (the fields are built once, at import)."""
    return lazy(_message, str)(template, count)


class MoveForm(forms.Form):
    move = number(
        _("Price move"),
        minimum=Decimal("-0.99"),
        maximum=Decimal(1000),
        help_text=_("A signed fraction: −0.15 is a fall of 15%, 3 a rise of 300%."),
    )

    def clean_move(self) -> Decimal | None:
        move = self.cleaned_data.get("move")
        if move == 0:
            raise forms.ValidationError(_("A move of 0 changes nothing: give a fall or a rise."))
        return move


DEFAULT = Market()


class SimulationForm(forms.Form):
    volatility = number(
        _("Volatility"),
        minimum=Decimal(0),
        maximum=Decimal(10),
        help_text=_("Annual volatility of the price (0.6 = 60% a year)."),
    )
    drift = number(
        _("Drift"),
        minimum=Decimal(-10),
        maximum=Decimal(10),
        help_text=_("Expected growth of the price per year (0 = none)."),
    )
    jump_intensity = number(
        _("Jumps per year"),
        minimum=Decimal(0),
        maximum=Decimal(1000),
        help_text=_("Sudden jumps per year, on average."),
    )
    jump_mean = number(
        _("Mean jump (log)"),
        minimum=Decimal(-5),
        maximum=Decimal(5),
        help_text=_("Average size of a jump, as a log return (−0.05 ≈ a fall of 5%)."),
    )
    jump_stdev = number(
        _("Jump spread (log)"),
        minimum=Decimal(0),
        maximum=Decimal(5),
        help_text=_("Spread of jump sizes (st.dev. of the log jump)."),
    )
    horizon_days = number(
        _("Holding period (days)"),
        minimum=Decimal(0),
        exclusive_min=True,
        maximum=Decimal(3650),
        help_text=_("How long you hold the position."),
    )
    steps = forms.IntegerField(
        label=_("Steps"),
        required=False,
        min_value=1,
        max_value=MAX_STEPS,
        help_text=_("Time steps per path (the liquidation price is watched between them too)."),
    )
    paths = forms.IntegerField(
        label=_("Paths"),
        required=False,
        min_value=100,
        max_value=MAX_PATHS,
        help_text=_at_most(gettext_noop("How many price paths (at most %(count)s)."), MAX_PATHS),
    )
    delay_minutes = number(
        _("Liquidation delay (minutes)"),
        minimum=Decimal(0),
        maximum=Decimal(1440),
        help_text=_("Minutes the liquidation engine needs between trigger and fill."),
    )
    slippage = number(
        _("Slippage"),
        minimum=Decimal(0),
        maximum=Decimal("0.99"),
        help_text=_("The fill is this fraction worse than the price after the delay."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        required=False,
        min_value=0,
        max_value=2**62,
        help_text=_("Same seed, same numbers."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("placeholder", str(getattr(DEFAULT, name)))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        steps = data.get("steps") or DEFAULT.steps
        paths = data.get("paths") or DEFAULT.paths
        if "steps" not in self.errors and "paths" not in self.errors and steps * paths > MAX_CELLS:
            self.add_error(
                "steps",
                gettext("Paths × steps must be at most %(count)s.")
                % {"count": formatted(MAX_CELLS, 0)},
            )
        return data

    def market(self) -> Market:
        values: dict[str, Any] = {}
        for item in fields(Market):
            value = self.cleaned_data.get(item.name)
            if value is None:
                continue
            values[item.name] = value if isinstance(value, int) else float(value)
        return Market(**values)
