"""Admin for markets: stale markets first, the tier table checked whole, fields an admin can pin
against imports, and each import run with what it changed and what it refused."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from simple_history.admin import SimpleHistoryAdmin

from markets.models import (
    PINNABLE_FIELDS,
    POLICY_FIELDS,
    ImportRun,
    Market,
    MarketQuote,
    MarketTier,
)
from markets.queries import oldest_reading, stale_condition
from platforms.models import tier_table_errors


class MarketTierFormSet(BaseInlineFormSet):
    """The same rule as the profiles' tier tables: from 0, contiguous, rates never falling."""

    def clean(self) -> None:
        super().clean()
        tiers = [
            form.instance
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.instance.notional_floor is not None
        ]
        problems = tier_table_errors(tiers) if tiers else []
        if problems:
            raise ValidationError(problems)


class MarketTierInline(admin.TabularInline):
    model = MarketTier
    formset = MarketTierFormSet
    extra = 0
    fields = (
        "notional_floor",
        "notional_cap",
        "max_leverage",
        "maintenance_margin_rate",
        "maintenance_amount",
    )


class MarketQuoteInline(admin.StackedInline):
    model = MarketQuote
    extra = 0
    can_delete = False
    readonly_fields = ("mark_price", "funding_rate", "source", "read_at")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MarketForm(forms.ModelForm):
    pinned_fields = forms.MultipleChoiceField(
        choices=[(name, name.replace("_", " ")) for name in PINNABLE_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Keep my value",
        help_text="Ticked fields are never overwritten by an import; a different imported value "
        "is reported as a conflict.",
    )

    class Meta:
        model = Market
        fields = (
            "product_line",
            "symbol",
            *POLICY_FIELDS,
            "instrument_source",
            "tiers_source",
            "fees_source",
            "from_snapshot",
            "pinned_fields",
        )


class StaleMarketFilter(admin.SimpleListFilter):
    title = "data age"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", "Stale"), ("no", "Current")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        stale = stale_condition()
        return queryset.filter(stale) if self.value() == "yes" else queryset.exclude(stale)


@admin.register(Market)
class MarketAdmin(SimpleHistoryAdmin):
    form = MarketForm
    list_display = (
        "symbol",
        "product_line",
        "max_leverage",
        "taker_fee",
        "funding_interval_hours",
        "data_age",
        "pins",
    )
    list_filter = (StaleMarketFilter, "product_line__platform", "kind", "from_snapshot")
    search_fields = ("symbol", "base", "quote")
    list_select_related = ("product_line__platform",)
    inlines = [MarketTierInline, MarketQuoteInline]
    readonly_fields = ("instrument_read_at", "tiers_read_at", "fees_read_at")
    fieldsets = (
        (None, {"fields": ("product_line", "symbol", ("base", "quote", "settle"), "kind")}),
        (
            "Policy (kept in the history)",
            {
                "fields": (
                    "contract_size",
                    "max_leverage",
                    ("maker_fee", "taker_fee"),
                    "funding_interval_hours",
                    ("maintenance_base_rate", "maintenance_rate_per_coin"),
                )
            },
        ),
        (
            "Where it was read",
            {
                "fields": (
                    ("instrument_source", "instrument_read_at"),
                    ("tiers_source", "tiers_read_at"),
                    ("fees_source", "fees_read_at"),
                    "from_snapshot",
                )
            },
        ),
        ("Imports", {"fields": ("pinned_fields",)}),
    )

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        # When each platform's import last succeeded, above the list (stale markets come first).
        for line in last_imports():
            messages.info(request, line)
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(oldest_read_at=oldest_reading())

    def get_ordering(self, request: HttpRequest) -> list:
        # Stale first: never read, then the oldest of any group's reading.
        return [F("oldest_read_at").asc(nulls_first=True), "symbol"]

    @admin.display(description="data age")
    def data_age(self, market: Market) -> str:
        read_at = market.policy_read_at
        if read_at is None:
            return format_html('<strong style="color:#b00020">⚠ {}</strong>', "never read")
        age = timesince(read_at, timezone.now()).split(",")[0]
        label = f"{age}{' (snapshot)' if market.from_snapshot else ''}"
        if market.is_stale:
            return format_html('<strong style="color:#b00020">⚠ stale: {}</strong>', label)
        return label

    @admin.display(description="pinned")
    def pins(self, market: Market) -> str:
        return ", ".join(market.pinned_fields or ()) or "—"


def last_imports() -> list[str]:
    lines = []
    platforms = ImportRun.objects.values_list("platform_slug", flat=True).distinct()
    for slug in sorted(set(platforms)):
        run = ImportRun.objects.filter(platform_slug=slug, succeeded=True).first()
        if run is None:
            continue
        lines.append(
            f"{slug}: last import succeeded {timesince(run.started_at, timezone.now()).split(',')[0]} "
            f"ago ({run.get_mode_display().lower()}), {run.created} created, {run.updated} updated"
            + (", with conflicts" if run.conflicts else "")
            + (", some refused" if run.refused else "")
            + "."
        )
    return lines


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "platform_slug",
        "mode",
        "started_at",
        "succeeded",
        "created",
        "updated",
        "unchanged",
        "has_conflicts",
        "has_refusals",
    )
    list_filter = ("platform_slug", "mode", "succeeded")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(boolean=True, description="conflicts")
    def has_conflicts(self, run: ImportRun) -> bool:
        return bool(run.conflicts)

    @admin.display(boolean=True, description="refused")
    def has_refusals(self, run: ImportRun) -> bool:
        return bool(run.refused)
