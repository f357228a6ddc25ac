"""Plain-language verdicts on "can I owe money here?", derived from stored protection statuses.

One place turns a scope's protection status into the words the tables and pages show, so the
comparison table, the profile page and the calculator never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from django.utils.translation import gettext_lazy as _

from platforms.choices import ProtectionStatus
from platforms.models import AccountScope


class Owe(IntEnum):
    """Ordered from safest to riskiest so a platform can be summarised by its worst scope."""

    NO = 0
    NO_PROMISE = 1
    UNKNOWN = 2
    YES = 3

    @property
    def label(self) -> str:
        return str(OWE_LABELS[self])

    @property
    def css(self) -> str:
        """The CSS modifier: verdict-no, verdict-no-promise, verdict-unknown, verdict-yes."""
        return self.name.lower().replace("_", "-")


OWE_LABELS = {
    Owe.NO: _("No"),
    Owe.NO_PROMISE: _("Not by design, but no promise"),
    Owe.UNKNOWN: _("Unknown"),
    Owe.YES: _("Yes"),
}

OWE_EXPLANATIONS = {
    Owe.NO: _(
        "Your loss is capped at what you deposited, by regulation or by the platform's terms."
    ),
    Owe.NO_PROMISE: _(
        "An insurance fund or protocol rules normally absorb a deficit, but nothing promises it."
    ),
    Owe.UNKNOWN: _("We found no source that settles who pays a deficit here."),
    Owe.YES: _("The terms make you liable: a deficit becomes a debt you owe."),
}


def owe_for_scope(scope: AccountScope) -> Owe:
    status = scope.protection
    if status in (ProtectionStatus.REGULATORY_GUARANTEE, ProtectionStatus.CONTRACTUAL_PROMISE):
        return Owe.NO
    if status == ProtectionStatus.USER_LIABLE:
        return Owe.YES
    if status == ProtectionStatus.MECHANISM_ONLY:
        return Owe.NO_PROMISE
    return Owe.UNKNOWN


@dataclass(frozen=True)
class ScopeVerdict:
    scope: AccountScope
    owe: Owe
