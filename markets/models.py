"""Markets: one platform symbol's own rules (tiers, fees, leverage, funding) under a product line.

A product line's profile (platforms.ProductLine) holds the conventions that change the maths and a
curated example tier table; a Market holds what the platform publishes per symbol, read by an
importer (markets/importers/) or typed by an admin.

Two kinds of data, kept apart on purpose:
- policy fields (Market, MarketTier): change rarely, are kept in the history (who, when, what,
  with the importer's reason) and bump the policy version that the calculator's snapshot watches;
- quotes (MarketQuote: mark price, funding rate): move by the minute, keep only the latest
  reading, no history and no version bump.

Why a MarketTier of our own rather than MarginTier rows by symbol: a market's table belongs to
that market (one current table, replaced whole by an import, pinned whole by an admin) and its
date is the time it was read, while MarginTier is the profile's curated, dated example that the
calculator uses today. Both obey one rule for a table: `platforms.models.tier_table_errors`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from platforms.models import (
    ProductLine,
    RateField,
    leverage_validators,
    rate_in_range,
    tier_checks,
)


class Kind(models.TextChoices):
    LINEAR = "linear", "Linear (margined in the quote currency)"
    INVERSE = "inverse", "Inverse (margined in the coin)"


# The policy fields an import writes, in the order the admin shows them, each with the group of
# a reading that fills it: the group's source and time are Market.<group>_source and
# <group>_read_at. Deribit's size rule is in the "tiers" group: it shares the table's source.
POLICY_FIELD_GROUPS: dict[str, str] = {
    "base": "instrument",
    "quote": "instrument",
    "settle": "instrument",
    "kind": "instrument",
    "contract_size": "instrument",
    "max_leverage": "instrument",
    "maker_fee": "fees",
    "taker_fee": "fees",
    "funding_interval_hours": "instrument",
    "maintenance_base_rate": "tiers",
    "maintenance_rate_per_coin": "tiers",
}
POLICY_FIELDS = tuple(POLICY_FIELD_GROUPS)
# The same fields by group (instrument, fees, tiers), as an import applies them.
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    group: tuple(name for name, of in POLICY_FIELD_GROUPS.items() if of == group)
    for group in dict.fromkeys(POLICY_FIELD_GROUPS.values())
}
# The fields an admin may pin ("keep my value"): an import then reports a different value as a
# conflict instead of writing it. "tiers" pins the whole tier table.
PINNABLE_FIELDS = (*POLICY_FIELDS, "tiers")


class Market(models.Model):
    """One symbol on one product line, in the platform's own spelling (BTCUSDT, BTC-USDT-SWAP)."""

    product_line = models.ForeignKey(ProductLine, on_delete=models.CASCADE, related_name="markets")
    symbol = models.CharField(max_length=40, help_text="As the platform spells it.")
    base = models.CharField(max_length=20)
    quote = models.CharField(max_length=20)
    settle = models.CharField(max_length=20, blank=True, help_text="The margin asset.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LINEAR)
    contract_size = models.DecimalField(
        max_digits=20,
        decimal_places=10,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.0000000001"))],
        help_text="One contract: base units (linear) or USD (inverse). 1 where sizes are in coins.",
    )
    max_leverage = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=leverage_validators
    )
    maker_fee = RateField("maker fee", help_text="The base fee tier's. A fraction: 0.0002 = 0.02%.")
    taker_fee = RateField("taker fee", help_text="The base fee tier's. A fraction: 0.0005 = 0.05%.")
    funding_interval_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Deribit's maintenance grows with size: base rate + rate per coin of position size
    # (engine/size_margin.py). Read with the tiers (same source and time); both or neither.
    maintenance_base_rate = RateField(
        "maintenance base rate",
        help_text="Maintenance at size 0 where it grows with size (Deribit: 0.01 = 1%).",
    )
    maintenance_rate_per_coin = models.DecimalField(
        "maintenance rate per coin",
        max_digits=12,
        decimal_places=10,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.01"))],
        help_text="Added per coin of position size (Deribit BTC: 0.00005 = 0.005% per BTC).",
    )
    # Where each group of policy fields was read, and when.
    instrument_source = models.CharField(max_length=300, blank=True)
    instrument_read_at = models.DateTimeField(null=True, blank=True)
    tiers_source = models.CharField(max_length=300, blank=True)
    tiers_read_at = models.DateTimeField(null=True, blank=True)
    fees_source = models.CharField(max_length=300, blank=True)
    fees_read_at = models.DateTimeField(null=True, blank=True)
    from_snapshot = models.BooleanField(
        default=False,
        help_text="Read from a dated recording shipped with the code, not from the platform live.",
    )
    pinned_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields an import must not overwrite (keep my value): "
        + ", ".join(PINNABLE_FIELDS)
        + ". A different imported value is reported as a conflict.",
    )

    # Times of reading move on every import; the values and their sources are the history.
    history = HistoricalRecords(
        excluded_fields=["instrument_read_at", "tiers_read_at", "fees_read_at"]
    )

    class Meta:
        ordering = ["product_line", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["product_line", "symbol"], name="unique_market_symbol"),
            models.CheckConstraint(
                condition=Q(max_leverage__isnull=True) | Q(max_leverage__gte=1),
                name="market_leverage_at_least_1",
            ),
            models.CheckConstraint(condition=Q(contract_size__gt=0), name="market_size_positive"),
            *(
                models.CheckConstraint(condition=rate_in_range(f), name=f"market_{f}_range")
                for f in ("maker_fee", "taker_fee")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_line.platform.name} {self.symbol}"

    def get_absolute_url(self) -> str:
        return reverse("markets:detail", args=[self.product_line.platform.slug, self.symbol])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = sorted(set(self.pinned_fields or ()) - set(PINNABLE_FIELDS))
        if not isinstance(self.pinned_fields, list) or unknown:
            errors["pinned_fields"] = (
                f"Pin only these fields: {', '.join(PINNABLE_FIELDS)} (not {', '.join(unknown)})."
            )
        if self.product_line_id and self.kind != self.product_line.contract:
            errors["kind"] = (
                f"A {self.get_kind_display().split(' ')[0].lower()} market cannot sit under "
                f"{self.product_line}, a {self.product_line.contract} product line."
            )
        if (
            self.maker_fee is not None
            and self.taker_fee is not None
            and self.maker_fee > self.taker_fee
        ):
            errors["maker_fee"] = "A maker fee above the taker fee is unlikely: check both."
        if (self.maintenance_base_rate is None) != (self.maintenance_rate_per_coin is None):
            errors["maintenance_rate_per_coin"] = (
                "A maintenance that grows with size needs both its base rate and its rate per coin."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_size_rule(self) -> bool:
        return self.maintenance_base_rate is not None and self.maintenance_rate_per_coin is not None

    # --- Age of the data ------------------------------------------------------------------
    @property
    def policy_read_at(self) -> dt.datetime | None:
        """The oldest reading among the policy groups that were read at all."""
        times = [t for t in (self.instrument_read_at, self.tiers_read_at, self.fees_read_at) if t]
        return min(times) if times else None

    @property
    def is_stale(self) -> bool:
        read_at = self.policy_read_at
        if read_at is None:
            return True
        return timezone.now() - read_at > dt.timedelta(days=settings.MARKET_POLICY_STALE_DAYS)


class MarketTier(models.Model):
    """One row of a market's own tier table (maintenance = notional × rate − amount)."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="tiers")
    notional_floor = models.DecimalField(max_digits=24, decimal_places=4)
    notional_cap = models.DecimalField(
        max_digits=24, decimal_places=4, null=True, blank=True, help_text="Blank: no upper limit."
    )
    max_leverage = models.DecimalField(
        max_digits=7, decimal_places=2, validators=leverage_validators
    )
    maintenance_margin_rate = RateField("maintenance margin rate", null=False)
    maintenance_amount = models.DecimalField(
        max_digits=24, decimal_places=6, default=Decimal(0), validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["market", "notional_floor"]
        constraints = [
            *tier_checks("market_"),
            models.UniqueConstraint(
                fields=["market", "notional_floor"], name="unique_market_tier_floor"
            ),
        ]

    def __str__(self) -> str:
        cap = f"{self.notional_cap:,.0f}" if self.notional_cap is not None else "∞"
        return f"{self.notional_floor:,.0f}–{cap}"

    def clean(self) -> None:
        if self.notional_cap is not None and self.notional_cap <= self.notional_floor:
            raise ValidationError({"notional_cap": "A tier's cap must be above its floor."})

    # tier_table_errors groups a table by (symbol, effective_date): one current table a market.
    @property
    def symbol(self) -> str:
        return self.market.symbol

    @property
    def effective_date(self) -> None:
        return None


class MarketQuote(models.Model):
    """The latest mark price and funding rate of a market: market data, not policy.

    One row per market, overwritten on each reading; not in the history and not a policy write.
    """

    market = models.OneToOneField(Market, on_delete=models.CASCADE, related_name="latest_quote")
    mark_price = models.DecimalField(max_digits=24, decimal_places=10, null=True, blank=True)
    funding_rate = models.DecimalField(
        max_digits=12,
        decimal_places=8,
        null=True,
        blank=True,
        help_text="Per funding interval, a fraction: 0.0001 = 0.01%.",
    )
    source = models.CharField(max_length=300)
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="Blank: the source states no time."
    )

    class Meta:
        ordering = ["market"]

    def __str__(self) -> str:
        when = f"{self.read_at:%Y-%m-%d %H:%M} UTC" if self.read_at else "an unknown time"
        return f"{self.market.symbol} at {when}"

    @property
    def is_stale(self) -> bool:
        if self.read_at is None:
            return True
        age = timezone.now() - self.read_at
        return age > dt.timedelta(hours=settings.MARKET_QUOTE_STALE_HOURS)


class ImportRun(models.Model):
    """One run of import_markets for one platform: when, from where, what changed, what failed."""

    class Mode(models.TextChoices):
        LIVE = "live", "Live from the platform"
        RECORDING = "recording", "From a dated recording"

    platform_slug = models.SlugField()
    mode = models.CharField(max_length=10, choices=Mode.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    sources = models.TextField(blank=True, help_text="Endpoints or recordings read, one a line.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.TextField(blank=True, help_text="Markets refused whole, with the reasons.")
    conflicts = models.TextField(blank=True, help_text="Pinned fields the import did not write.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        outcome = "ok" if self.succeeded else "failed"
        return f"{self.platform_slug} {self.get_mode_display().lower()} {self.started_at:%Y-%m-%d %H:%M} ({outcome})"
