"""Filters for the account page: amounts in the account's currency, sizes, compared answers."""

from __future__ import annotations

from decimal import Decimal

from django import template

from calculator.account_results import account_answer, position_name
from calculator.formatting import localize, money
from engine import AccountEvaluation, PositionResult

register = template.Library()


@register.filter
def money_in(value: Decimal | None, currency: str = "quote") -> str:
    """Money in the account's currency: dollars, or coin for a coin-margined account."""
    return money(value, currency)


@register.filter
def size(value: Decimal | None) -> str:
    """A position size as typed: 0.5, 12, 1,000 (no exponent, no trailing zeros)."""
    if value is None:
        return "—"
    text = f"{value:,f}"
    return localize(text.rstrip("0").rstrip(".") if "." in text else text)


@register.filter(name="account_answer")
def account_answer_filter(evaluation: AccountEvaluation) -> str:
    return account_answer(evaluation)


@register.filter(name="position_name")
def position_name_filter(position: PositionResult) -> str:
    """ "BTCUSDT long" in the visitor's language."""
    return position_name(position)


@register.filter
def merged_rows(position: PositionResult) -> str:
    """The form rows merged into one position: "#1, #3"."""
    return ", ".join(f"#{index + 1}" for index in position.merged)
