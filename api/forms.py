"""The stress endpoint's own input: which incident to replay, and the move (the page's field)."""

from __future__ import annotations

from django import forms

from incidents.forms import MoveForm
from incidents.models import Incident


class StressForm(MoveForm):
    incident = forms.SlugField(
        label="Incident",
        max_length=Incident._meta.get_field("slug").max_length,
        error_messages={"required": "Give an incident slug, e.g. binance-may-2020."},
        help_text="Incident slug, e.g. `binance-may-2020`.",
    )

    def clean_incident(self) -> Incident:
        incident = Incident.objects.filter(slug=self.cleaned_data["incident"]).first()
        if incident is None:
            raise forms.ValidationError("No incident with this slug.")
        return incident
