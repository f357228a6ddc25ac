"""The who-pays rows a calculation reads, looked up once per policy snapshot.

Writes to these models (and their citations) bump the profiles version (whopays/signals.py), so
a memo kept in `platforms.profiles.derived` never goes stale; a redraw costs no query here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from platforms.models import Platform
from platforms.profiles import derived
from whopays.models import (
    AdlRule,
    FundBalance,
    InsuranceFund,
    PlatformResidence,
    ResidenceRule,
)


@dataclass(frozen=True)
class PlatformFacts:
    """A platform's ADL rule, funds (balances newest first) and terms by residence."""

    adl_rule: AdlRule | None
    funds: tuple[InsuranceFund, ...]
    residences: dict[str, PlatformResidence]

    def fund_for(self, symbol: str | None) -> InsuranceFund | None:
        """The pool backing `symbol`, else the platform's general pool, else its first fund."""
        for fund in self.funds:
            if fund.backs(symbol):
                return fund
        general = [fund for fund in self.funds if not fund.symbols.strip()]
        candidates = general or list(self.funds)
        return candidates[0] if candidates else None


def platform_facts(platform: Platform) -> PlatformFacts:
    return derived(("whopays", platform.pk), lambda: _load(platform))


def _load(platform: Platform) -> PlatformFacts:
    rule = AdlRule.objects.filter(platform_id=platform.pk).prefetch_related("citations").first()
    funds = InsuranceFund.objects.filter(platform_id=platform.pk).prefetch_related(
        "citations",
        Prefetch("balances", queryset=FundBalance.objects.prefetch_related("citations")),
    )
    terms = PlatformResidence.objects.filter(platform_id=platform.pk).prefetch_related("citations")
    return PlatformFacts(
        adl_rule=rule,
        funds=tuple(funds),
        residences={term.residence: term for term in terms},
    )


def residence_rule(residence: str, client_class: str) -> ResidenceRule | None:
    rules = derived(
        ("whopays-residence-rules",),
        lambda: {
            (rule.residence, rule.client_class): rule
            for rule in ResidenceRule.objects.prefetch_related("citations")
        },
    )
    return rules.get((residence, client_class))
