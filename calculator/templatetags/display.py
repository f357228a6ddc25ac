"""Display filters: rates as percentages and money with separators, never in scientific notation."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from calculator import formatting

register = template.Library()


@register.filter
def percent(value: Decimal | float | None, places: int = 2) -> str:
    """0.0045 → "0.45%"; trailing zeros trimmed so published rates read as published."""
    if value is None or value == "":
        return "—"
    try:
        scaled = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError, TypeError):
        return "—"
    text = f"{scaled:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter(name="money")
def money_filter(value: Decimal | None) -> str:
    return formatting.money(value)


@register.filter(name="coin")
def coin_filter(value: Decimal | None) -> str:
    return formatting.money(value, "coin")


@register.filter(name="pct")
def pct_filter(value: Decimal | None) -> str:
    return formatting.pct(value)


@register.filter(name="times")
def times_filter(value: Decimal | None) -> str:
    return formatting.times(value)


@register.simple_tag
def table_rows(rows: list[list[str]]) -> SafeString:
    """A chart's data table body: the first cell of each row heads it, the rest are numbers.

    Written in one join rather than nested template loops: the results partial renders three
    of these on every keystroke, and each template variable costs several microseconds.
    """
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{escape(row[0])}</th>'
            + "".join(f'<td class="num">{escape(cell)}</td>' for cell in row[1:])
            + "</tr>"
            for row in rows
            if row
        )
    )
