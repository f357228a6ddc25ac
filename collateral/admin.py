"""Admin for collateral schemes: ratios inline under their scheme, citations beside both,
history from django-simple-history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from platforms.admin import CitationInline

from .models import CollateralRatio, CollateralScheme


class CollateralRatioInline(admin.TabularInline):
    model = CollateralRatio
    extra = 0
    fields = ("asset", "floor", "cap", "ratio", "liquidation_threshold", "liquidation_bonus")


@admin.register(CollateralScheme)
class CollateralSchemeAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "tiered_by", "is_default", "last_verified")
    list_filter = ("kind", "platform")
    search_fields = ("name", "platform__name", "ratios__asset")
    inlines = [CollateralRatioInline, CitationInline]


@admin.register(CollateralRatio)
class CollateralRatioAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "scheme", "ratio")
    list_filter = ("scheme__platform",)
    search_fields = ("asset",)
    inlines = [CitationInline]
