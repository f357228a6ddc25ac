"""Admin for ADL rules, insurance funds (with their dated balances) and residence rules.

Citations sit beside the record they support, as on the profiles' admin; every change is kept
by django-simple-history (the History button), and model rules show as form errors.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from platforms.admin import CitationInline
from whopays.models import (
    AdlAlertReading,
    AdlRiskReading,
    AdlRule,
    FundBalance,
    InsuranceFund,
    PlatformResidence,
    ResidenceRule,
)


@admin.register(AdlRule)
class AdlRuleAdmin(SimpleHistoryAdmin):
    list_display = ("platform", "ranking", "trigger", "close_price", "last_verified")
    list_filter = ("ranking", "trigger", "close_price")
    search_fields = ("platform__name", "ranking_formula", "trigger_note")
    inlines = [CitationInline]


class FundBalanceInline(admin.TabularInline):
    model = FundBalance
    extra = 0
    fields = ("as_of", "amount", "is_approximate")
    show_change_link = True  # a balance's citations are edited on its own page


@admin.register(InsuranceFund)
class InsuranceFundAdmin(SimpleHistoryAdmin):
    list_display = ("name", "platform", "kind", "currency", "covers")
    list_filter = ("kind", "platform")
    search_fields = ("name", "platform__name", "symbols")
    inlines = [FundBalanceInline, CitationInline]


@admin.register(FundBalance)
class FundBalanceAdmin(SimpleHistoryAdmin):
    list_display = ("fund", "as_of", "amount", "is_approximate")
    list_filter = ("fund__platform",)
    date_hierarchy = "as_of"
    inlines = [CitationInline]


@admin.register(ResidenceRule)
class ResidenceRuleAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "regulator", "protection", "leverage_cap", "in_force_from")
    list_filter = ("residence", "client_class", "protection")
    inlines = [CitationInline]


@admin.register(PlatformResidence)
class PlatformResidenceAdmin(SimpleHistoryAdmin):
    list_display = ("platform", "residence", "serves")
    list_filter = ("residence", "serves")
    inlines = [CitationInline]


@admin.register(AdlRiskReading)
class AdlRiskReadingAdmin(admin.ModelAdmin):
    """Imported by import_whopays; shown for checking, corrected by importing again."""

    list_display = ("platform", "symbol", "rating", "as_of", "source")
    list_filter = ("platform", "rating")
    search_fields = ("symbol",)


@admin.register(AdlAlertReading)
class AdlAlertReadingAdmin(admin.ModelAdmin):
    """Imported by import_whopays (Bybit's ADL alert); shown for checking, with the trigger
    the numbers meet."""

    list_display = ("platform", "symbol", "pnl_ratio", "trigger_ratio", "balance", "state", "as_of")
    list_filter = ("platform",)
    search_fields = ("symbol",)

    @admin.display(description="ADL trigger met")
    def state(self, obj: AdlAlertReading) -> str:
        return obj.get_state_display()
