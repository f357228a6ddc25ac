"""Form instances share their class's fields (calculator/forms.py): none may change them."""

import pytest
from django.http import QueryDict

from calculator.forms import ScenarioForm
from calculator.page_form import CalculatorForm
from platforms.profiles import platform_list

pytestmark = pytest.mark.django_db


def test_a_calculator_form_changes_only_its_own_copies_of_fields(seeded):
    platforms = platform_list()
    class_platform = CalculatorForm.base_fields["platform"]
    class_compare = CalculatorForm.base_fields["compare"]

    form = CalculatorForm(QueryDict("platform=binance&compare=bitmex"), platforms=platforms)

    assert form.fields["platform"] is not class_platform
    assert form.fields["compare"] is not class_compare
    assert CalculatorForm.base_fields["platform"] is class_platform
    assert class_platform.widget is ScenarioForm.base_fields["platform"].widget
    assert list(class_compare.choices) == []
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
