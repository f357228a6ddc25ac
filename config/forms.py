"""Site-wide forms: a visitor's report of a wrong translation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def _languages() -> list[tuple[str, str]]:
    """Every language but the source (a wrong term is reported against a translation), after a
    blank one: a visitor on an English page chooses."""
    return [("", "—")] + [
        (code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]


class TranslationReportForm(forms.Form):
    """What was wrong and where; nothing that says who sent it."""

    language = forms.ChoiceField(label=_("Language"), choices=_languages)
    page = forms.CharField(
        label=_("Page"),
        required=False,
        max_length=300,
        help_text=_("The address of the page, if you know it."),
    )
    wrong = forms.CharField(
        label=_("The wrong word or sentence"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    suggestion = forms.CharField(
        label=_("What it should say"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
