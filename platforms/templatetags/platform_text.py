"""A profile's dates in the visitor's language, as the calculator writes them."""

from __future__ import annotations

import datetime as dt

from django import template

from calculator.formatting import long_date as _long_date

register = template.Library()


@register.filter
def long_date(value: dt.date | None) -> str:
    """ "6 December 2026"; "6 декабря 2026 г." in Russian; "" for no date."""
    return _long_date(value) if value else ""
