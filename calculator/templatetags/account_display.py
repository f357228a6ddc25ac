"""Filters for the account page: amounts in the account's currency, sizes, compared answers."""

from __future__ import annotations

from decimal import Decimal

from django import template

from calculator.account_results import account_answer
from calculator.formatting import money
from engine import AccountEvaluation

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
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter(name="account_answer")
def account_answer_filter(evaluation: AccountEvaluation) -> str:
    return account_answer(evaluation)
