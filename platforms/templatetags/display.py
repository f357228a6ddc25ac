"""Display filters: rates as percentages and money with separators, never in scientific notation."""

from decimal import Decimal, InvalidOperation

from django import template

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
