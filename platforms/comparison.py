"""The comparison table: one row per published platform, filtered and sorted from the query string."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from platforms.choices import PlatformKind
from platforms.models import AccountScope, Platform, ProductLine
from platforms.verdicts import OWE_LABELS, Owe, ScopeVerdict, owe_for_scope

SORTS = {
    "name": _("Name"),
    "leverage": _("Max leverage (highest first)"),
    "verified": _("Last verified (newest first)"),
    "owe": _("Can you owe money (riskiest first)"),
}


class ComparisonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *PlatformKind.choices]
    )
    owe = forms.ChoiceField(
        label=_("Can you owe money?"),
        required=False,
        choices=[("", _("Any answer"))] + [(o.name.lower(), OWE_LABELS[o]) for o in Owe],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORTS.items()))


@dataclass(frozen=True)
class VerdictGroup:
    """Scopes of one product that share a verdict, e.g. "USDⓈ-M futures: isolated, cross"."""

    owe: Owe
    product: str
    detail: str


def group_verdicts(verdicts: list[ScopeVerdict]) -> list[VerdictGroup]:
    groups: dict[tuple, list[str]] = {}
    for verdict in verdicts:
        scope = verdict.scope
        who = (
            ""
            if scope.client_class in ("retail", "any")
            else scope.get_client_class_display().lower()
        )
        key = (scope.product_line.name, verdict.owe, who, scope.jurisdiction)
        mode = "" if scope.margin_mode == "n/a" else scope.get_margin_mode_display().lower()
        groups.setdefault(key, [])
        if mode and mode not in groups[key]:
            groups[key].append(mode)
    result = []
    for (product, owe, who, jurisdiction), modes in groups.items():
        parts = [", ".join(modes)] if modes else []
        if who:
            parts.append(who)
        if jurisdiction:
            parts.append(jurisdiction)
        result.append(VerdictGroup(owe, product, "; ".join(parts)))
    return result


@dataclass(frozen=True)
class ComparisonRow:
    platform: Platform
    verdicts: list[ScopeVerdict]
    max_leverage: Decimal | None
    margin_modes: list[Any]  # lazy translations, read in the visitor's language
    waterfall: list[str]

    @property
    def groups(self) -> list[VerdictGroup]:
        return group_verdicts(self.verdicts)

    @property
    def worst(self) -> Owe:
        return max((v.owe for v in self.verdicts), default=Owe.UNKNOWN)


def _row(platform: Platform) -> ComparisonRow:
    lines = list(platform.product_lines.all())
    scopes = [scope for line in lines for scope in line.scopes.all()]
    leverages = [line.max_leverage for line in lines if line.max_leverage]
    modes = []
    for label, flag in (
        (_("isolated"), "supports_isolated"),
        (_("cross"), "supports_cross"),
        (_("portfolio"), "supports_portfolio"),
    ):
        if any(getattr(line, flag) for line in lines if line.contract in ("linear", "inverse")):
            modes.append(label)
    main = next((s for s in scopes if s.is_default), scopes[0] if scopes else None)
    waterfall = [step.get_party_display() for step in main.waterfall.all()] if main else []
    return ComparisonRow(
        platform=platform,
        verdicts=[ScopeVerdict(scope, owe_for_scope(scope)) for scope in scopes],
        max_leverage=max(leverages, default=None),
        margin_modes=modes,
        waterfall=waterfall,
    )


def comparison_rows(form: ComparisonFilterForm) -> list[ComparisonRow]:
    """Rows for the table; an invalid filter is shown on the form and the full table stays."""
    scopes = AccountScope.objects.prefetch_related("waterfall")
    lines = ProductLine.objects.prefetch_related(Prefetch("scopes", queryset=scopes))
    platforms = Platform.objects.published().prefetch_related(
        Prefetch("product_lines", queryset=lines)
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if filters.get("q"):
        term = filters["q"]
        platforms = platforms.filter(
            Q(name__icontains=term) | Q(summary__icontains=term) | Q(slug__icontains=term)
        )
    if filters.get("kind"):
        platforms = platforms.filter(kind=filters["kind"])
    rows = [_row(p) for p in platforms]
    if filters.get("owe"):
        wanted = Owe[filters["owe"].upper()]
        rows = [row for row in rows if any(v.owe == wanted for v in row.verdicts)]
    sort = filters.get("sort") or "name"
    if sort == "leverage":
        rows.sort(key=lambda r: (-(r.max_leverage or 0), r.platform.name.casefold()))
    elif sort == "verified":
        rows.sort(key=lambda r: r.platform.last_verified or dt.date.min, reverse=True)
    elif sort == "owe":
        rows.sort(key=lambda r: (-r.worst, r.platform.name.casefold()))
    return rows
