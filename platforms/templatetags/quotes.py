"""A source's quote as a visitor can read it: pasted tables become tables.

Sources publish margin tiers and fees as tables; a quote copied from one arrives as rows of
cells between pipes ("0–50,000 | 125x | 0.40%"), sometimes several on a line ("; "), after a
sentence and an omission (" ... "). Shown raw, that is markdown no reader asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import template

register = template.Library()

OMISSION = re.compile(r"\s+(?:\.\.\.|…)\s+")


@dataclass
class QuotePart:
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)  # a table when not empty


def _cells(segment: str) -> list[str]:
    cells = [cell.strip() for cell in segment.split("|")]
    return [cell for cell in cells if cell]


@register.filter
def quote_parts(quote: str) -> list[QuotePart]:
    """Paragraphs and tables, in the quote's order; a row needs at least two cells."""
    parts: list[QuotePart] = []
    for line in quote.splitlines():
        pieces = OMISSION.split(line)
        for number, piece in enumerate(pieces):
            omitted = number < len(pieces) - 1
            segments = piece.split("; ") if "|" in piece else [piece]
            for segment in segments:
                cells = _cells(segment)
                if len(cells) >= 2:
                    if not parts or not parts[-1].rows:
                        parts.append(QuotePart())
                    parts[-1].rows.append(cells)
                elif cells:
                    parts.append(QuotePart(text=cells[0]))
            if omitted and parts and not parts[-1].rows:
                parts[-1].text += " …"
    return parts
