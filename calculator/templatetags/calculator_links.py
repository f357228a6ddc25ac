"""Links into the calculator from other apps' pages (a profile page's accounts)."""

from django import template

from calculator.example import calculator_url
from platforms.models import AccountScope

register = template.Library()


@register.simple_tag
def calculator_link(scope: AccountScope) -> str:
    """The calculator on this account, with the example position to change."""
    return calculator_url(scope)
