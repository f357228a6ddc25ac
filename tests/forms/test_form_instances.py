"""A form instance's fields are its own: choices and errors of one form never reach another."""

import pytest
from django.http import QueryDict

from calculator.forms import CalculatorForm, ScenarioForm
from platforms.profiles import platform_list

pytestmark = pytest.mark.django_db


def test_a_calculator_form_changes_only_its_own_copies_of_fields(seeded):
    platforms = platform_list()
    class_compare = CalculatorForm.base_fields["compare"]

    form = CalculatorForm(QueryDict("platform=binance&compare=bitmex"), platforms=platforms)

    assert form.fields["compare"] is not class_compare
    assert list(class_compare.choices) == []
    assert ScenarioForm().fields["platform"].widget.__class__.__name__ == "TextInput"
    assert ("bitmex", "BitMEX") in list(form.fields["compare"].choices)
    assert [value for value, _ in form.fields["platform"].widget.choices][1:] == [
        p.slug for p in platforms
    ]


def test_errors_of_one_form_do_not_reach_the_next():
    bad = ScenarioForm({"entry_price": "-1", "margin": "x", "leverage": "10"})
    assert not bad.is_valid()
    assert set(bad.errors) >= {"entry_price", "margin"}

    good = ScenarioForm({"entry_price": "50000", "margin": "1000", "leverage": "10"})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["gap"] is None


def test_a_left_out_list_field_is_each_forms_own_list(seeded):
    platforms = platform_list()
    first = CalculatorForm(
        QueryDict("entry_price=50000&margin=1000&leverage=10"), platforms=platforms
    )
    assert first.is_valid(), first.errors
    first.cleaned_data["compare"].append("bitmex")

    second = CalculatorForm(
        QueryDict("entry_price=50000&margin=1000&leverage=10"), platforms=platforms
    )
    assert second.is_valid(), second.errors
    assert second.cleaned_data["compare"] == []
