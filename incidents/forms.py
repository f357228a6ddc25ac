from __future__ import annotations

from decimal import Decimal

from django import forms

from calculator.forms import number


class MoveForm(forms.Form):
    move = number(
        "Price move",
        minimum=Decimal("-0.99"),
        maximum=Decimal(1000),
        help_text="A signed fraction: −0.15 is a 15% fall, 3 a 300% rise.",
    )

    def clean_move(self) -> Decimal | None:
        move = self.cleaned_data.get("move")
        if move == 0:
            raise forms.ValidationError("A move of 0 changes nothing: give a fall or a rise.")
        return move
