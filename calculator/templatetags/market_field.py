"""The symbol field of the calculator form: `{% market_field form %}`.

An inclusion tag, so the page's view and template need one line each: the tag reads the chosen
platform's markets with their latest quotes (for the datalist and the mark price labels).
"""

from __future__ import annotations

from typing import Any

from django import template

from calculator.market import symbol_options

register = template.Library()


@register.inclusion_tag("calculator/_market.html")
def market_field(form: Any) -> dict[str, Any]:
    platform = str(form.data.get("platform") or "")
    options = symbol_options(platform)
    symbol = str(form.data.get("symbol") or "").strip()
    chosen = next((m for m in options if m.symbol.upper() == symbol.upper()), None)
    return {"field": form["symbol"], "options": options, "chosen": chosen, "platform": platform}


@register.inclusion_tag("calculator/_symbol_datalist.html")
def symbol_datalist(form: Any) -> dict[str, Any]:
    """The platform's symbols for the account page's per-position symbol inputs: one naming a
    market takes its tiers (calculator.account_forms)."""
    return {"options": symbol_options(str(form.data.get("platform") or ""))}
