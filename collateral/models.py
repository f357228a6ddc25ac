"""Each platform's collateral schemes: which assets count as margin, and at what fraction of
their value (haircut, value ratio, discount rate), tiered by amount where the platform tiers it.

The engine's `engine.collateral` values a basket with these; `rules_for` turns a scheme into its
inputs. Every row carries citations (platforms.Citation) and its history.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from engine.collateral import TieredBy
from platforms.models import Citation, Platform

FRACTION = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class SchemeKind(models.TextChoices):
    FUTURES_MULTI_ASSET = "futures_multi_asset", "Futures margin in several assets"
    UNIFIED = "unified", "Unified / multi-currency margin account"
    SPOT_CROSS_MARGIN = "spot_cross_margin", "Spot cross margin"
    LENDING = "lending", "Lending (loan)"


class CollateralScheme(models.Model):
    """One platform's way of counting collateral, e.g. Binance's Multi-Assets mode."""

    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, related_name="collateral_schemes"
    )
    slug = models.SlugField()
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=30, choices=SchemeKind.choices)
    tiered_by = models.CharField(
        max_length=10,
        choices=[(t.value, t.value) for t in TieredBy],
        default=TieredBy.COIN.value,
        help_text="Unit of the tier edges: `coin` amount (Bybit, OKX) or `usd` value (Binance "
        "cross margin).",
    )
    beyond_last_ratio = models.DecimalField(
        max_digits=8,
        decimal_places=6,
        default=Decimal(0),
        validators=FRACTION,
        help_text="Ratio for any amount past the last tier's cap (OKX's minDiscountRate).",
    )
    minimum_collateral = models.DecimalField(
        max_digits=20,
        decimal_places=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="USD: liquidation when equity falls to this even where maintenance is less.",
    )
    close_factor = models.DecimalField(
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text="Lending: the most of the debt one liquidation call repays (Aave v3: 0.5). "
        "Blank: the whole loan at once.",
    )
    full_close_below = models.DecimalField(
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text="Lending: below this health factor one call may repay all of it (Aave: 0.95).",
    )
    is_default = models.BooleanField(
        default=True,
        help_text="The scheme the calculator uses for this platform's futures wallet "
        "(lending schemes are read for loans).",
    )
    notes = models.TextField(blank=True)
    last_verified = models.DateField()
    citations = GenericRelation(Citation)
    history = HistoricalRecords()

    class Meta:
        ordering = ["platform__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "slug"], name="collateral_scheme_slug"),
            models.CheckConstraint(
                condition=models.Q(beyond_last_ratio__gte=0, beyond_last_ratio__lte=1),
                name="collateral_scheme_beyond_last_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform.name}: {self.name}"


class CollateralRatio(models.Model):
    """One tier of one asset: the part of a holding between floor and cap counts at `ratio`."""

    scheme = models.ForeignKey(CollateralScheme, on_delete=models.CASCADE, related_name="ratios")
    asset = models.CharField(max_length=20, help_text="Ticker in capitals, e.g. BTC.")
    floor = models.DecimalField(max_digits=30, decimal_places=8, default=Decimal(0))
    cap = models.DecimalField(
        max_digits=30, decimal_places=8, null=True, blank=True, help_text="Blank: no upper edge."
    )
    ratio = models.DecimalField(
        max_digits=8,
        decimal_places=6,
        validators=FRACTION,
        help_text="Fraction of the value that counts: 0.95 for a 5% haircut.",
    )
    liquidation_threshold = models.DecimalField(
        max_digits=8, decimal_places=6, null=True, blank=True, validators=FRACTION
    )
    liquidation_bonus = models.DecimalField(
        max_digits=8, decimal_places=6, null=True, blank=True, validators=FRACTION
    )
    citations = GenericRelation(Citation)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "asset", "floor"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "asset", "floor"], name="collateral_ratio_tier"
            ),
            models.CheckConstraint(
                condition=models.Q(ratio__gte=0, ratio__lte=1), name="collateral_ratio_fraction"
            ),
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True) | models.Q(cap__gt=models.F("floor")),
                name="collateral_ratio_cap_above_floor",
            ),
        ]

    def __str__(self) -> str:
        top = "∞" if self.cap is None else f"{self.cap:g}"
        return f"{self.asset} {self.floor:g}–{top}: {self.ratio:g}"

    def clean(self) -> None:
        self.asset = self.asset.strip().upper()
        if self.cap is not None and self.cap <= self.floor:
            raise ValidationError({"cap": "The cap must be above the floor."})
