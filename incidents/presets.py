"""Incidents as calculator presets: a label and the calculator query that replays the move."""

from __future__ import annotations

from decimal import Decimal

from calculator.example import FIRST_PLATFORM, POSITION
from calculator.formatting import pct
from incidents.models import Incident

# The calculator's first-visit position, long for a fall and short for a rise, so each preset
# shows the move hurting.
BASE = {"platform": FIRST_PLATFORM, **POSITION}


def presets() -> list[tuple[str, dict[str, str]]]:
    """(label, query dict) for each incident whose sources give a price move.

    The query uses the calculator's own field names: `crash` is the move against the position.
    """
    found = []
    for incident in Incident.objects.filter(move_size__isnull=False).order_by("started_on"):
        move = incident.move_size
        assert move is not None  # the query keeps only incidents with a move
        side = "long" if move < 0 else "short"
        crash = -move if move < 0 else move
        label = f"{incident.name} ({_percent(move)})"
        found.append((label, {**BASE, "side": side, "crash": _plain(crash)}))
    return found


def _percent(move: Decimal) -> str:
    return f"{'+' if move > 0 else '−'}{pct(abs(move))}"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text
