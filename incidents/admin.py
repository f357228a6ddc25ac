"""Admin for incidents: citations beside every record, history of every change."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from incidents.models import EngineStall, Impact, Incident
from platforms.admin import CitationInline


class ImpactLinkInline(admin.TabularInline):
    model = Impact
    extra = 0
    fields = ("order", "firm", "platform", "hole_amount", "hole_currency", "users_billed")
    show_change_link = True


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "started_on", "asset", "move_size", "move_minutes")
    search_fields = ("name", "slug", "what_happened", "asset")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("platforms",)
    inlines = [ImpactLinkInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", ("started_on", "ended_on"), "asset", "platforms")}),
        ("What happened", {"fields": ("what_happened",)}),
        ("The price move a replay applies", {"fields": ("move_size", "move_minutes", "move_note")}),
    )


@admin.register(Impact)
class ImpactAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "hole_amount", "hole_currency", "users_billed")
    list_filter = ("users_billed",)
    search_fields = ("firm", "incident__name")
    list_select_related = ("incident",)
    inlines = [CitationInline]


@admin.register(EngineStall)
class EngineStallAdmin(SimpleHistoryAdmin):
    list_display = ("incident", "platform", "clock", "start_minute", "minutes")
    list_filter = ("platform",)
    inlines = [CitationInline]
