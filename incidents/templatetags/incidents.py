"""Incidents on other apps' pages: the calculator's "Replay a real crash" list.

A tag, so the calculator (which the incidents app builds on) never imports the incidents app.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

from incidents.presets import presets

register = template.Library()


@register.simple_tag
def crash_presets() -> list[tuple[str, str]]:
    """(label, query string) of each incident that replays on the calculator."""
    return [(label, urlencode(query)) for label, query in presets()]
