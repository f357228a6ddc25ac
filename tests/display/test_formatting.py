"""Numbers as the page prints them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator.formatting import chart_money, coin_and_usd, money, pct, times


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


def test_coin_amounts_keep_satoshis_and_the_same_minus_sign():
    assert money(Decimal("0.1"), "coin") == "0.1 coin"
    assert money(Decimal("100"), "coin") == "100 coin"
    assert money(Decimal("-0.224037183"), "coin") == "−0.22403718 coin"
    assert money(Decimal("-0.000000001"), "coin") == "0 coin"  # no "−0 coin"
    assert money(Decimal("12345.5"), "coin") == "12,345.5 coin"


def test_an_inverse_amount_reads_in_coin_first_then_dollars():
    assert coin_and_usd(Decimal("0.22403718"), Decimal("5784")) == "0.22403718 coin ($5,784.00)"
    assert coin_and_usd(None, Decimal("877.514")) == "$877.51"


def test_leverage_reads_as_people_write_it():
    assert times(Decimal(10)) == "10×"
    assert times(Decimal("2.50")) == "2.5×"
    assert times(Decimal(50000)) == "50,000×"
    assert times(None) == "—"


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "-Infinity"])
def test_pct_of_a_non_number_is_a_dash(value):
    # a fuzzed `gap=sNaN` in the address reached the gap slider's label: multiplying a
    # signalling NaN raised InvalidOperation (a 500)
    assert pct(Decimal(value)) == "—"
