"""The stress and simulate endpoints' position fields, and the stress endpoint's own input:
which incident to replay, and the move (the incident page's field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from calculator.forms import ComparingForm
from incidents.forms import MoveForm
from incidents.models import Incident

# The stress replay and the simulation set the price the position closes at: the position's
# fields on those endpoints are the calculator's less the scenario's, and less the questions
# only /api/v1/evaluate answers (the safety answers).
REPLACED = frozenset({"gap", "crash", "fill_price", "liquidation_target", "max_loss"})
POSITION_FIELDS = {
    name: field for name, field in ComparingForm.base_fields.items() if name not in REPLACED
}


class StressForm(MoveForm):
    incident = forms.SlugField(
        label="Incident",
        max_length=Incident._meta.get_field("slug").max_length,
        error_messages={"required": _("Give an incident slug, e.g. binance-may-2020.")},
        help_text="Incident slug, e.g. `binance-may-2020`.",
    )

    def clean_incident(self) -> Incident:
        incident = Incident.objects.filter(slug=self.cleaned_data["incident"]).first()
        if incident is None:
            raise forms.ValidationError(_("No incident with this slug."))
        return incident
