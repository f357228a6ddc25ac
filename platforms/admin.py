"""Admin for policy profiles: every rule shows as a message on the form, and every change is recorded.

Tiers and waterfalls are edited inline under their product line and scope; citations sit beside the
record they support. History (who, when, what) comes from django-simple-history; a platform's History
page also lists every change to its product lines, tiers, scopes, waterfall steps and citations.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from platforms.choices import ProtectionStatus
from platforms.history import related_changes
from platforms.models import (
    PRODUCT_LINE_SECTIONS,
    AccountScope,
    Citation,
    MarginTier,
    Platform,
    ProductLine,
    WaterfallStep,
    tier_table_errors,
)


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    fields = (
        "field_name",
        "url",
        "quote",
        "source_date",
        "date_kind",
        "date_note",
        "confidence",
        "is_inference",
    )


class StaleFilter(admin.SimpleListFilter):
    title = "verification"
    parameter_name = "stale"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", f"Stale (> {settings.PROFILE_STALE_AFTER_DAYS} days)"), ("no", "Current")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        cutoff = timezone.localdate() - timedelta(days=settings.PROFILE_STALE_AFTER_DAYS)
        if self.value() == "yes":
            return queryset.filter(last_verified__lt=cutoff) | queryset.filter(
                last_verified__isnull=True
            )
        if self.value() == "no":
            return queryset.filter(last_verified__gte=cutoff)
        return queryset


class ProtectionFilter(admin.SimpleListFilter):
    title = "negative balance protection (any scope)"
    parameter_name = "protection"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in ProtectionStatus.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(product_lines__scopes__protection=self.value()).distinct()
        return queryset


class ProductLineLinkInline(admin.TabularInline):
    model = ProductLine
    extra = 0
    fields = ("name", "contract", "max_leverage", "edit_link")
    readonly_fields = ("name", "contract", "max_leverage", "edit_link")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="")
    def edit_link(self, line: ProductLine) -> str:
        url = reverse("admin:platforms_productline_change", args=[line.pk])
        return format_html('<a href="{}">Edit tiers, conventions and scopes</a>', url)


@admin.register(Platform)
class PlatformAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "is_published", "last_verified", "verification_status")
    list_filter = ("kind", ProtectionFilter, StaleFilter, "is_published", "is_illustrative")
    search_fields = ("name", "slug", "summary", "jurisdiction")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ProductLineLinkInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "website", "parent", "is_illustrative")}),
        ("What a trader should know", {"fields": ("summary", "jurisdiction")}),
        ("Publishing", {"fields": ("source_url", "last_verified", "is_published")}),
    )

    # The page lists the platform's own records (simple-history's list), then every change to its
    # related records, which are edited inline elsewhere and have no History page of their own.
    object_history_template = "admin/platforms/platform/policy_history.html"
    related_changes_per_page = 100

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        paginator = Paginator(related_changes(int(object_id)), self.related_changes_per_page)
        page = paginator.get_page(request.GET.get("related_page"))
        context = {"related_changes": page, "related_paginator": paginator}
        return super().history_view(request, object_id, {**(extra_context or {}), **context})

    @admin.display(description="verified")
    def verification_status(self, platform: Platform) -> str:
        if platform.is_stale:
            return format_html(
                '<strong style="color:#b00020">⚠ stale: re-check sources ({})</strong>',
                platform.last_verified or "never verified",
            )
        return "current"


class TierFormSet(BaseInlineFormSet):
    """Checks the whole table at once: contiguous from 0, no overlaps, rates not falling.

    A table with a row that has errors of its own is checked once that row is fixed: leaving the
    row out would blame its neighbours ("the first tier must start at 0" when the first row's
    rate is wrong).
    """

    def clean(self) -> None:
        super().clean()
        rows = [
            form
            for form in self.forms
            if (form.instance.pk or form.has_changed())
            # a private helper of BaseFormSet that django-stubs does not declare
            and not self._should_delete_form(form)  # type: ignore[attr-defined]
        ]
        unchecked = {_table_of(form) for form in rows if form.errors}
        if None in unchecked:  # a row whose table cannot be told yet
            return
        tiers = [
            form.instance
            for form in rows
            if not form.errors
            and _table_of(form) not in unchecked
            and form.instance.notional_floor is not None
        ]
        problems = tier_table_errors(tiers) if tiers else []
        if problems:
            raise ValidationError(problems)


def _table_of(form) -> tuple[str, object] | None:
    """The tier table (symbol, effective date) a row belongs to, or None if either is missing."""
    symbol = form.cleaned_data.get("symbol")
    effective_date = form.cleaned_data.get("effective_date")
    return None if not symbol or effective_date is None else (symbol, effective_date)


class MarginTierInline(admin.TabularInline):
    model = MarginTier
    formset = TierFormSet
    extra = 0
    fields = (
        "symbol",
        "effective_date",
        "notional_floor",
        "notional_cap",
        "max_leverage",
        "maintenance_margin_rate",
        "maintenance_amount",
    )


class ScopeLinkInline(admin.TabularInline):
    model = AccountScope
    extra = 0
    fields = ("slug", "margin_mode", "client_class", "protection", "is_default")
    show_change_link = True


@admin.register(ProductLine)
class ProductLineAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "contract", "max_leverage", "maintenance_basis", "settlement")
    list_filter = ("contract", "platform__kind", "maintenance_basis", "settlement")
    search_fields = ("name", "platform__name")
    list_select_related = ("platform",)
    inlines = [MarginTierInline, ScopeLinkInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("platform", "name", "slug", "contract", "settlement_asset")}),
        *((title, {"fields": fields}) for title, fields in PRODUCT_LINE_SECTIONS),
    )


class WaterfallStepInline(admin.TabularInline):
    model = WaterfallStep
    extra = 0
    fields = ("order", "party", "settlement_price", "description")


@admin.register(AccountScope)
class AccountScopeAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "protection", "is_default")
    list_filter = ("protection", "margin_mode", "client_class", "product_line__contract")
    search_fields = ("product_line__platform__name", "product_line__name", "jurisdiction")
    list_select_related = ("product_line__platform",)
    inlines = [WaterfallStepInline, CitationInline]


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "content_type", "field_name", "confidence", "is_inference")
    list_filter = ("confidence", "is_inference", "content_type")
    search_fields = ("url", "title", "quote")
