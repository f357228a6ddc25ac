"""Platform policy profiles: what a platform does when a leveraged position goes under.

A profile is a Platform with its ProductLines (contract conventions and margin tiers) and
AccountScopes (product line × margin mode × client class × jurisdiction), because negative balance
protection is decided per scope, not per platform. Every fact can carry Citations.
Rules about valid data live here (constraints and clean()), so the admin, seed data and API obey them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from platforms.choices import (
    MARGIN_MODE_PHRASES,
    PROTECTED_STATUSES,
    ClientClass,
    Confidence,
    Contract,
    Convention,
    CrossMarginSharing,
    LiquidationSettlement,
    MaintenanceBasis,
    MarginMode,
    Party,
    PlatformKind,
    ProtectionStatus,
)

RATE_HELP = "A fraction: 0.005 means 0.5%. Must be at least 0 and below 1."
rate_validators = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.999999"))]
leverage_validators = [MinValueValidator(Decimal(1))]


def RateField(verbose_name: str, *, null: bool = True, help_text: str = RATE_HELP):
    """A fraction in [0, 1): stored exactly, validated on the form and by a check constraint."""
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=6,
        null=null,
        blank=null,
        validators=rate_validators,
        help_text=help_text,
    )


def rate_in_range(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lt": 1})


def tier_checks(prefix: str) -> list[models.BaseConstraint]:
    """What makes a margin tier a tier, wherever tiers are stored (a product line's table, a
    market's): names start with `prefix` so each table's constraints stay distinct."""
    return [
        models.CheckConstraint(
            condition=Q(notional_floor__gte=0), name=f"{prefix}tier_floor_nonnegative"
        ),
        models.CheckConstraint(
            condition=Q(notional_cap__isnull=True) | Q(notional_cap__gt=models.F("notional_floor")),
            name=f"{prefix}tier_cap_above_floor",
            violation_error_message="A tier's cap must be above its floor.",
        ),
        models.CheckConstraint(
            condition=Q(max_leverage__gte=1), name=f"{prefix}tier_leverage_at_least_1"
        ),
        models.CheckConstraint(
            condition=rate_in_range("maintenance_margin_rate"), name=f"{prefix}tier_mmr_range"
        ),
    ]


class DateKind(models.TextChoices):
    PUBLISHED = "published", "The source's own date"
    VERIFIED = "verified", "Last verified (the source shows no date)"


class Citation(models.Model):
    """One source for one fact: the field it supports, a verbatim quote, a date and a confidence."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(
        max_length=60, blank=True, help_text="The field this supports; blank for the whole record."
    )
    url = models.URLField("source URL", max_length=500)
    title = models.CharField(max_length=200, blank=True)
    quote = models.TextField(help_text="Verbatim excerpt from the source.")
    source_date = models.DateField(
        null=True,
        blank=True,
        help_text="The source's own date; where the source shows none, the date the fact was last "
        "verified against it (date kind “verified”).",
    )
    date_kind = models.CharField(
        max_length=10,
        choices=DateKind.choices,
        default=DateKind.PUBLISHED,
        blank=True,  # a form that leaves it out (older inline forms) means the source's own date
        help_text="What the date is: the source's own (published or last updated) or the day we "
        "last checked the fact, for a source that shows no date. Never a guessed source date.",
    )
    date_note = models.CharField(
        max_length=120,
        blank=True,
        help_text='As the source shows it, e.g. "Last updated 29 May 2024".',
    )
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    is_inference = models.BooleanField(
        default=False, help_text="Our reading of the source, not stated by it. Shown as such."
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]
        ordering = ["content_type", "object_id", "field_name", "id"]

    def __str__(self) -> str:
        return f"{self.title or self.url} ({self.get_confidence_display()})"

    @property
    def is_weak(self) -> bool:
        return self.is_inference or self.confidence == Confidence.LOW

    @property
    def date_label(self) -> str:
        """The date as a reader should take it: the source's, or the day we last checked it."""
        if self.source_date is None:
            return self.date_note or "undated"
        day = f"{self.source_date.day} {self.source_date:%b %Y}"
        if self.date_kind == DateKind.VERIFIED:
            return f"last verified {day} (the source shows no date)"
        return self.date_note or day

    def clean(self) -> None:
        if not self.date_kind:
            self.date_kind = DateKind.PUBLISHED
        if self.date_kind == DateKind.VERIFIED and self.source_date is None:
            raise ValidationError(
                {"source_date": "A “last verified” date needs the day the fact was checked."}
            )


class PlatformQuerySet(models.QuerySet):
    def published(self) -> PlatformQuerySet:
        return self.filter(is_published=True)


class Platform(models.Model):
    """A platform policy profile: the root that admins publish and verify."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=PlatformKind.choices)
    website = models.URLField(blank=True)
    summary = models.TextField(
        help_text="One or two plain sentences: can a trader owe money here, and who covers a deficit."
    )
    jurisdiction = models.TextField(
        blank=True, help_text="Operating entities and regulators, as far as sources establish."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries"
    )
    source_url = models.URLField(
        "primary source", max_length=500, blank=True, help_text="Required to publish the profile."
    )
    last_verified = models.DateField(
        null=True, blank=True, help_text="When an admin last checked the live sources."
    )
    is_published = models.BooleanField(default=False)
    is_illustrative = models.BooleanField(
        default=False, help_text="A made-up example to show a case; labelled as such everywhere."
    )
    citations = GenericRelation(Citation)

    history = HistoricalRecords()
    objects = PlatformQuerySet.as_manager()

    class Meta:
        # "dYdX" among the Ds, not after "Z" (a plain sort puts upper case first)
        ordering = [Lower("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | ~Q(source_url=""),
                name="published_platform_has_source",
                violation_error_message="A profile cannot be published without a primary source.",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(last_verified__isnull=False),
                name="published_platform_is_verified",
                violation_error_message='A published profile needs a "last verified" date.',
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platforms:detail", args=[self.slug])

    def clean(self) -> None:
        if self.last_verified and self.last_verified > timezone.localdate():
            raise ValidationError(
                {"last_verified": "The last verified date cannot be in the future."}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A platform cannot be its own parent."})

    @property
    def is_stale(self) -> bool:
        if self.last_verified is None:
            return True
        age = timezone.localdate() - self.last_verified
        return age > dt.timedelta(days=settings.PROFILE_STALE_AFTER_DAYS)


class ProductLine(models.Model):
    """A contract family on a platform and the conventions that change the liquidation maths."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="product_lines")
    slug = models.SlugField()
    name = models.CharField(
        max_length=100, help_text='As the platform names it, e.g. "USDⓈ-M futures".'
    )
    contract = models.CharField(max_length=20, choices=Contract.choices)
    settlement_asset = models.CharField(max_length=40, blank=True, help_text="e.g. USDT, BTC, USDC")
    supports_isolated = models.BooleanField(default=True)
    supports_cross = models.BooleanField(default=True)
    supports_portfolio = models.BooleanField(default=False)
    max_leverage = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=leverage_validators
    )
    max_leverage_note = models.CharField(max_length=300, blank=True)
    funding_interval_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Liquidation conventions (docs/design.md: platforms differ in ways that change the answer).
    maintenance_basis = models.CharField(
        max_length=10, choices=MaintenanceBasis.choices, default=MaintenanceBasis.MARK
    )
    tier_at_liquidation_price = models.BooleanField(
        default=True, help_text="Look up the margin tier at the liquidation price (Binance FAQ)."
    )
    mmr_from_max_leverage = models.BooleanField(
        "maintenance rate from max leverage",
        default=False,
        help_text="Maintenance rate = 1 / (2 × max leverage) (Hyperliquid).",
    )
    maintenance_margin_rate = RateField(
        "flat maintenance margin rate", help_text="Used when no tiers are given. " + RATE_HELP
    )
    taker_fee = RateField("taker fee")
    taker_fee_in_maintenance = models.BooleanField(
        "taker fee counts in maintenance",
        default=False,
        help_text="The platform adds its taker fee to every maintenance rate, keeping the fee to "
        "close inside maintenance (Bitget: MM = value × (tier rate + taker fee)). Enter the tier "
        "rates as published.",
    )
    liquidation_fee = RateField("liquidation fee", help_text="Fraction of the liquidated notional.")
    fees_from_margin = models.BooleanField(
        "fees come out of the position's margin",
        default=True,
        help_text="Unticked: the platform takes the opening fee from the account balance instead "
        "(Bitget), so it does not move the liquidation price. Cross margin always takes it from "
        "the wallet that backs the position.",
    )
    close_fee_reserved = models.BooleanField(
        "fee to close reserved in the margin",
        default=False,
        help_text="An isolated position's margin also holds the fee to close at the bankruptcy "
        "price (taker fee × quantity × bankruptcy price), put up with the initial margin "
        "(Bybit order cost, Phemex: assignedPosBalance = open value / leverage + close fee).",
    )
    close_fee_in_maintenance = models.BooleanField(
        "fee to close counted in maintenance",
        default=False,
        help_text="Maintenance adds the fee to close at the bankruptcy price (Bybit: MM = value × "
        "MMR − deduction + estimated fee to close). With the fee also reserved in the margin, "
        "the two cancel and the liquidation price does not move.",
    )
    cross_margin_sharing = models.CharField(
        "how cross margin is shared",
        max_length=20,
        choices=CrossMarginSharing.choices,
        default=CrossMarginSharing.WALLET,
    )
    settlement = models.CharField(
        max_length=20, choices=LiquidationSettlement.choices, default=LiquidationSettlement.MARKET
    )
    partial_liquidation = models.BooleanField(
        default=False,
        help_text="A position above the first tier is cut down tier by tier at its liquidation "
        "price, paying the liquidation fee on each part, until it is above maintenance again.",
    )
    conventions_unchecked = models.JSONField(
        "conventions without a published example",
        default=list,
        blank=True,
        help_text="Conventions (by field name) whose result follows the platform's formula with "
        "no published worked example to check it; the answer says so. Choices: "
        + ", ".join(Convention.values)
        + ".",
    )
    liquidation_note = models.TextField(blank=True, help_text="Trigger and steps, in plain words.")
    # Stops (docs/design.md: a stop is an order, not a guarantee, unless the platform guarantees it).
    guaranteed_stop = models.BooleanField(
        "offers guaranteed stops",
        default=False,
        help_text="A stop that always fills at its price, even when the market gaps past it "
        "(e.g. IG's guaranteed stops). Tick only with a citation for this field: unticked, the "
        "calculator treats a visitor's stop as an ordinary order, filled at the gap price.",
    )
    guaranteed_stop_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Its terms in plain words, e.g. the premium charged when it triggers.",
    )
    # Borrowing products.
    borrow_rate_yearly = RateField("borrow rate per year")
    liquidation_margin_level = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Spot margin: liquidate when assets / debt falls to this (e.g. 1.1), or, with a "
        "used-margin leverage below, when equity / used margin does (e.g. 0.4 for Kraken's 40%). "
        "Leave blank if the platform does not publish it: the calculator then asks the visitor.",
    )
    used_margin_leverage = models.DecimalField(
        "used-margin leverage",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=leverage_validators,
        help_text="Spot margin run as Kraken runs it: the whole position is borrowed, the deposit "
        "stays as collateral, used margin = position cost / this leverage (5 for Kraken's "
        "BTC/USD) and the margin level above is equity / used margin. Blank: assets / debt.",
    )
    liquidation_threshold = RateField("liquidation threshold", help_text="Loans: e.g. 0.83.")
    liquidation_penalty = RateField("liquidation penalty", help_text="Loans: e.g. 0.05.")
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["platform", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "slug"], name="unique_product_slug"),
            models.CheckConstraint(
                condition=Q(max_leverage__isnull=True) | Q(max_leverage__gte=1),
                name="product_leverage_at_least_1",
            ),
            models.CheckConstraint(
                condition=Q(used_margin_leverage__isnull=True) | Q(used_margin_leverage__gte=1),
                name="product_used_margin_leverage_at_least_1",
            ),
            *(
                models.CheckConstraint(condition=rate_in_range(f), name=f"product_{f}_range")
                for f in (
                    "maintenance_margin_rate",
                    "taker_fee",
                    "liquidation_fee",
                    "borrow_rate_yearly",
                    "liquidation_threshold",
                    "liquidation_penalty",
                )
            ),
        ]

    def __str__(self) -> str:
        """Reads "Binance USDⓈ-M futures"; a line already named after its platform keeps its own
        name ("Aave v3 borrowing", not "Aave (v3) Aave v3 borrowing")."""
        brand = self.platform.name.split()[0].lower()
        if self.name.lower().split()[:1] == [brand]:
            return self.name
        return f"{self.platform.name} {self.name}"

    @property
    def unchecked_labels(self) -> list[str]:
        """The conventions no published example checks, as a reader names them."""
        names = self.conventions_unchecked if isinstance(self.conventions_unchecked, list) else []
        return [str(Convention(name).label) for name in names if name in Convention.values]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.supports_isolated or self.supports_cross or self.supports_portfolio):
            errors["supports_isolated"] = "A product line needs at least one margin mode."
        if self.mmr_from_max_leverage and not self.max_leverage:
            errors["max_leverage"] = "Deriving the maintenance rate needs a max leverage."
        if self.contract == Contract.LOAN and self.liquidation_threshold is None:
            errors["liquidation_threshold"] = "A loan needs a liquidation threshold."
        if self.taker_fee_in_maintenance and not self.taker_fee:
            errors["taker_fee"] = "Counting the taker fee in maintenance needs the taker fee."
        unchecked = self.conventions_unchecked
        if not isinstance(unchecked, list) or any(
            name not in Convention.values for name in unchecked
        ):
            errors["conventions_unchecked"] = (
                "List convention names, each one of: " + ", ".join(Convention.values) + "."
            )
        if (self.close_fee_reserved or self.close_fee_in_maintenance) and not self.taker_fee:
            errors["taker_fee"] = "Reserving the fee to close needs the taker fee."
        if self.guaranteed_stop_note and not self.guaranteed_stop:
            errors["guaranteed_stop_note"] = "A note on guaranteed stops needs them to be offered."
        level = self.liquidation_margin_level
        if self.used_margin_leverage is not None:
            if level is not None and level <= 0:
                errors["liquidation_margin_level"] = (
                    "Measured as equity / used margin, the liquidation level must be above 0."
                )
        elif level is not None and level <= 1:
            errors["liquidation_margin_level"] = (
                "A liquidation margin level must be above 1: at 1 the assets only just repay the debt."
            )
        if errors:
            raise ValidationError(errors)


# A product line's policy fields by section: the admin shows them so, and a seed file gives them
# all (besides the line's name, contract and settlement asset). A field in a nested tuple shares
# its admin row with the others in it.
PRODUCT_LINE_SECTIONS: tuple[tuple[str, tuple[str | tuple[str, ...], ...]], ...] = (
    (
        "Margin modes and leverage",
        (
            ("supports_isolated", "supports_cross", "supports_portfolio"),
            "max_leverage",
            "max_leverage_note",
            "funding_interval_hours",
        ),
    ),
    (
        "Liquidation conventions",
        (
            "maintenance_basis",
            "tier_at_liquidation_price",
            "mmr_from_max_leverage",
            "maintenance_margin_rate",
            "taker_fee",
            "taker_fee_in_maintenance",
            "liquidation_fee",
            "fees_from_margin",
            "close_fee_reserved",
            "close_fee_in_maintenance",
            "cross_margin_sharing",
            "settlement",
            "partial_liquidation",
            "liquidation_note",
            "conventions_unchecked",
        ),
    ),
    ("Stops", ("guaranteed_stop", "guaranteed_stop_note")),
    (
        "Borrowing (spot margin and loans)",
        (
            "borrow_rate_yearly",
            "liquidation_margin_level",
            "used_margin_leverage",
            "liquidation_threshold",
            "liquidation_penalty",
        ),
    ),
)


class MarginTier(models.Model):
    """One row of an exchange's published tier table (maintenance = notional × rate − amount)."""

    product_line = models.ForeignKey(ProductLine, on_delete=models.CASCADE, related_name="tiers")
    symbol = models.CharField(max_length=30, help_text="e.g. BTCUSDT")
    notional_floor = models.DecimalField(max_digits=20, decimal_places=2)
    notional_cap = models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True, help_text="Blank: no upper limit."
    )
    max_leverage = models.DecimalField(
        max_digits=7, decimal_places=2, validators=leverage_validators
    )
    maintenance_margin_rate = RateField("maintenance margin rate", null=False)
    maintenance_amount = models.DecimalField(
        max_digits=20, decimal_places=4, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    effective_date = models.DateField(help_text="The date the platform's table took effect.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["product_line", "symbol", "notional_floor"]
        constraints = [
            *tier_checks(""),
            models.UniqueConstraint(
                fields=["product_line", "symbol", "effective_date", "notional_floor"],
                name="unique_tier_floor",
            ),
        ]

    def __str__(self) -> str:
        cap = f"{self.notional_cap:,.0f}" if self.notional_cap is not None else "∞"
        return f"{self.symbol} {self.notional_floor:,.0f}–{cap}"

    def clean(self) -> None:
        if self.notional_cap is not None and self.notional_cap <= self.notional_floor:
            raise ValidationError({"notional_cap": "A tier's cap must be above its floor."})


def tier_table_errors(tiers: list[MarginTier]) -> list[str]:
    """Why a symbol's tier table is not contiguous: the first floor is 0, each floor is the last cap.

    Checked on the whole table (the admin formset and seed loader call this), because a single
    row cannot know its neighbours before they are saved.
    """
    errors: list[str] = []
    tables: dict[tuple[str, dt.date], list[MarginTier]] = {}
    for tier in tiers:
        tables.setdefault((tier.symbol, tier.effective_date), []).append(tier)
    for (symbol, _date), rows in tables.items():
        rows.sort(key=lambda t: t.notional_floor)
        if rows[0].notional_floor != 0:
            errors.append(f"{symbol}: the first tier must start at a notional of 0.")
        for lower, upper in itertools.pairwise(rows):
            if lower.notional_cap is None:
                errors.append(f"{symbol}: only the last tier may have no cap.")
            elif lower.notional_cap > upper.notional_floor:
                errors.append(
                    f"{symbol}: tiers overlap between {lower.notional_cap:,} and {upper.notional_floor:,}."
                )
            elif lower.notional_cap < upper.notional_floor:
                errors.append(
                    f"{symbol}: gap between {lower.notional_cap:,} and {upper.notional_floor:,}."
                )
            if upper.maintenance_margin_rate < lower.maintenance_margin_rate:
                errors.append(f"{symbol}: maintenance rates must not fall as notional grows.")
    return errors


class AccountScope(models.Model):
    """Where negative balance protection is decided: product line × margin mode × client class."""

    product_line = models.ForeignKey(ProductLine, on_delete=models.CASCADE, related_name="scopes")
    slug = models.SlugField()
    margin_mode = models.CharField(max_length=10, choices=MarginMode.choices)
    client_class = models.CharField(
        max_length=20, choices=ClientClass.choices, default=ClientClass.RETAIL
    )
    jurisdiction = models.CharField(
        max_length=100, blank=True, help_text="Blank: everywhere served."
    )
    is_default = models.BooleanField(
        default=False, help_text="The scope the calculator picks for this product and margin mode."
    )
    protection = models.CharField(
        "negative balance protection", max_length=30, choices=ProtectionStatus.choices
    )
    max_loss = models.TextField(help_text="What the trader can lose at most, in plain words.")
    exceptions = models.TextField(blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["product_line", "margin_mode", "client_class"]
        constraints = [
            models.UniqueConstraint(fields=["product_line", "slug"], name="unique_scope_slug"),
            models.UniqueConstraint(
                fields=["product_line", "margin_mode"],
                condition=Q(is_default=True),
                name="one_default_scope_per_mode",
                violation_error_message="Only one default scope per product line and margin mode.",
            ),
        ]

    def __str__(self) -> str:
        parts = [str(self.product_line), self.get_client_class_display().lower()]
        if self.margin_mode != MarginMode.NOT_APPLICABLE:
            parts.append(self.get_margin_mode_display().lower())
        if self.jurisdiction:
            parts.append(self.jurisdiction)
        return f"{parts[0]} — {', '.join(parts[1:])}"

    @property
    def is_protected(self) -> bool:
        return self.protection in PROTECTED_STATUSES

    @property
    def margin_mode_phrase(self) -> str:
        """ "isolated margin", in the visitor's language; "" where margin modes do not apply."""
        phrase = MARGIN_MODE_PHRASES.get(self.margin_mode)
        return str(phrase) if phrase else ""

    @property
    def key(self) -> str:
        """The API's and the calculator's name for a scope: "<product line slug>/<scope slug>",
        unique within a platform."""
        return f"{self.product_line.slug}/{self.slug}"


class WaterfallStep(models.Model):
    """One step of who covers a deficit, in the platform's order."""

    scope = models.ForeignKey(AccountScope, on_delete=models.CASCADE, related_name="waterfall")
    order = models.PositiveSmallIntegerField()
    party = models.CharField(max_length=30, choices=Party.choices)
    description = models.TextField(blank=True)
    settlement_price = models.CharField(
        max_length=100, blank=True, help_text='e.g. "bankruptcy price", "mark price".'
    )
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scope", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "order"],
                name="unique_waterfall_order",
                violation_error_message="Each step of a waterfall needs its own position.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_party_display()}"
