"""Display filters: money, rates and leverage as a person reads them (calculator/formatting.py
does the formatting; these only hand it to templates)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from calculator import formatting
from calculator.answer import deficit_text
from calculator.warnings import warning_text
from engine import Outcome

register = template.Library()
register.filter("warning_text", warning_text)


@register.filter
def percent(value: Decimal | float | str | None, places: int = 2) -> str:
    """0.0045 → "0.45%"; trailing zeros trimmed so published rates read as published. Takes
    text too (a form's raw value), which shows as "—" when it is not a number."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "—"
    return formatting.pct(number, int(places))


@register.filter
def code_spans(text: str) -> SafeString | str:
    """`name` as <code>name</code>: the API's field descriptions are CommonMark for OpenAPI
    readers, and the API page showed their backticks as typed."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: leave the text as it is
        return str(text)
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<code>{}</code>", part) if i % 2 else part,)
            for i, part in enumerate(parts)
        ),
    )


@register.filter
def bound(value: float | int) -> str:
    """A limit as written: 0.01, 1,000, −10,000,000,000,000 (not 0.0100 or -10000000000000)."""
    number = Decimal(repr(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return f"{number:,f}".replace("-", "−")


@register.filter(name="money")
def money_filter(value: Decimal | None) -> str:
    return formatting.money(value)


@register.filter(name="coin")
def coin_filter(value: Decimal | None) -> str:
    return formatting.money(value, "coin")


@register.filter
def deficit(outcome: Outcome) -> str:
    """An outcome's deficit; for an inverse contract in coin first, as the exchange states it."""
    return deficit_text(outcome)


@register.filter(name="pct")
def pct_filter(value: Decimal | None) -> str:
    return formatting.pct(value)


@register.filter(name="times")
def times_filter(value: Decimal | None) -> str:
    return formatting.times(value)
