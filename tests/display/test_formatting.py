"""Numbers as the page prints them."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from calculator.formatting import chart_money, money


def test_money_prints_dollars_and_cents_with_a_real_minus_sign():
    assert money(Decimal("-1234.565")) == "−$1,234.56"  # half-even
    assert money(Decimal("0.000123")) == "$0.000123"  # small coins keep their digits
    assert money(None) == "—"


@given(st.floats(min_value=-1e13, max_value=1e13, allow_nan=False))
def test_chart_money_prints_what_rounding_the_float_and_money_print(value):
    assert chart_money(value) == money(Decimal(str(round(value, 2))))


def test_chart_money_never_prints_a_non_number():
    assert chart_money(float("nan")) == "—"
    assert chart_money(float("-inf")) == "—"
    assert chart_money(-0.001) == "$0.00"  # no "−$0.00"
