"""Dates on Learn pages written as the calculator writes them in the visitor's language
("21 November 2026", "21 ноября 2026 г.", "2026年11月21日"): calculator.formatting is the one place
that formats numbers and dates for display."""

from __future__ import annotations

from datetime import date

from django import template

from calculator import formatting

register = template.Library()


@register.filter
def long_date(value: date | None) -> str:
    return "" if value is None else formatting.long_date(value)
