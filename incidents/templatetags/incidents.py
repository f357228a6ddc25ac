"""Incidents on other apps' pages (the calculator's "Replay a real crash" list), and the
incident pages' numbers and dates in the visitor's language.

A tag, so the calculator (which the incidents app builds on) never imports the incidents app.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django import template

from calculator import formatting
from incidents.presets import presets

register = template.Library()


@register.simple_tag
def crash_presets() -> list[tuple[str, str]]:
    """(label, query string) of each incident that replays on the calculator."""
    return [(label, urlencode(query)) for label, query in presets()]


# Numbers and dates on the incident pages, in the visitor's language: calculator/formatting.py
# does the formatting (one source for the whole site); these only hand it to the templates.


@register.filter
def fixed(value: Decimal | float | int | None, places: int = 2) -> str:
    """A number to `places` decimals with the locale's separators: 1234.5 → "1,234.50",
    "1 234,50" in Russian; counts with places=0."""
    if value is None:
        return "—"
    return formatting.number(value, int(places))


@register.filter
def trimmed(value: Decimal | float | None, places: int = 6) -> str:
    """A number to at most `places` decimals, trailing zeros dropped (a published price as it
    was published: 0.0219, 112,500), with the locale's separators."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)):,.{int(places)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return formatting.localize(text)


@register.filter
def day(value: date | None) -> str:
    """A day as a sentence writes it, in the visitor's language: "10 October 2025"."""
    return "" if value is None else formatting.long_date(value)
