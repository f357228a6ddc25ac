"""Real crashes where positions went past bankruptcy, and who paid.

An Incident is one market event (with the price move a replay applies, only where a source
gives it); each Impact is what one firm or protocol reported: the size of the hole, what the
number measures, how it was covered and whether users were billed. Every fact carries
Citations (the generic platforms.Citation), and every change is recorded.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from platforms.models import Citation, Platform

MOVE_HELP = (
    "Signed fraction of the price before the move: −0.1505 is a 15.05% fall, 2.95 a 295% rise. "
    "Only a number a source gives (or computes from prices a source gives); blank otherwise."
)


class UsersBilled(models.TextChoices):
    YES = "yes", _("Yes: users were billed or pursued")
    PARTLY = "partly", _("Partly: some users were billed or pursued")
    POSSIBLY = "possibly", _("Possibly: reported that users may have to pay")
    WINNERS = "winners", _("Profitable users were haircut (socialised loss)")
    NO = "no", _("No")
    MIXED = "mixed", _("Mixed across venues")


class Incident(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Blank: a single day.")
    asset = models.CharField(max_length=40, help_text="What moved, e.g. BTC, EUR/CHF, MNGO.")
    what_happened = models.TextField()
    platforms = models.ManyToManyField(
        Platform, blank=True, related_name="incidents", help_text="Profiles this touched."
    )
    move_size = models.DecimalField(
        "price move",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-0.999999"))],
        help_text=MOVE_HELP,
    )
    move_minutes = models.DecimalField(
        "over (minutes)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="How fast, where a source says; blank otherwise.",
    )
    move_note = models.TextField(
        help_text="Where the move comes from, or that the sources give none (replay asks)."
    )
    path_asset = models.CharField(
        max_length=80,
        blank=True,
        help_text="What the path's prices are of, where it is narrower than the asset "
        '(e.g. "BTC perpetual on Hyperliquid"); blank: the asset.',
    )
    path_note = models.TextField(
        blank=True,
        help_text="The price path's resolution and where its points come from, in a sentence "
        "or two: how many published points, what they are prices of, what is not known.",
    )
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(move_size__isnull=True) | (Q(move_size__gt=-1) & ~Q(move_size=0)),
                name="incident_move_above_minus_one",
                violation_error_message="A price move is above −100% and not zero.",
            ),
            models.CheckConstraint(
                condition=Q(move_minutes__isnull=True) | Q(move_size__isnull=False),
                name="incident_speed_needs_size",
                violation_error_message="A move's speed needs its size.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="incident_ends_after_start",
                violation_error_message="An incident cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.slug])

    def clean(self) -> None:
        errors = {}
        if self.move_size is not None and (self.move_size <= -1 or self.move_size == 0):
            errors["move_size"] = "A price move is above −100% and not zero."
        if self.move_minutes is not None and self.move_size is None:
            errors["move_minutes"] = "A move's speed needs its size."
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = "An incident cannot end before it starts."
        if errors:
            raise ValidationError(errors)

    @property
    def has_move(self) -> bool:
        return self.move_size is not None


class Impact(models.Model):
    """What one firm or protocol reported for an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="impacts")
    order = models.PositiveSmallIntegerField(default=1)
    firm = models.CharField(max_length=100, help_text="As the sources name it.")
    platform = models.ForeignKey(
        Platform, null=True, blank=True, on_delete=models.SET_NULL, related_name="impacts"
    )
    what_happened = models.TextField(blank=True)
    hole_amount = models.DecimalField(
        "size of the hole",
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="The reported number; blank where the sources give none.",
    )
    hole_currency = models.CharField(max_length=12, blank=True, help_text="USD, USDT, BTC, GBP…")
    hole_measures = models.CharField(
        "what the number measures",
        max_length=300,
        blank=True,
        help_text="e.g. client debit balances, insurance fund used, bad debt.",
    )
    size_as_reported = models.TextField(help_text="Every figure as the sources report it.")
    covered_by = models.TextField("how it was covered")
    users_billed = models.CharField(max_length=10, choices=UsersBilled.choices)
    users_billed_note = models.TextField(blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["incident", "order"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "order"], name="unique_impact_order"),
            models.CheckConstraint(
                condition=Q(hole_amount__isnull=True)
                | (Q(hole_amount__gte=0) & ~Q(hole_currency="") & ~Q(hole_measures="")),
                name="impact_hole_has_currency_and_meaning",
                violation_error_message="A hole's size needs its currency and what it measures.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident.name}: {self.firm}"

    def clean(self) -> None:
        errors = {}
        if self.hole_amount is not None:
            if not self.hole_currency:
                errors["hole_currency"] = "Give the currency of the hole's size."
            if not self.hole_measures:
                errors["hole_measures"] = "Say what the number measures."
        if errors:
            raise ValidationError(errors)


class PricePoint(models.Model):
    """One published price on an incident's path: when (minutes from the path's first point,
    and the clock time where the source gives one) and what, each with its source.

    A replay draws straight lines between points; a point marked `gap` was reached without
    trading in between (the SNB's floor removal), so nothing filled on the way."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="path")
    order = models.PositiveSmallIntegerField()
    minute = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Minutes after the path's first point (0 for the first).",
    )
    clock = models.CharField(
        max_length=60,
        blank=True,
        help_text='The time as the source gives it, e.g. "12 Mar 2020 10:00 UTC"; blank: '
        "the source gives no clock time.",
    )
    time_is_approximate = models.BooleanField(
        default=False, help_text="The source gives the time only roughly; the note says how."
    )
    price = models.DecimalField(
        max_digits=20, decimal_places=8, validators=[MinValueValidator(Decimal("0.00000001"))]
    )
    gap = models.BooleanField(
        default=False, help_text="Reached from the point before with no trading in between."
    )
    note = models.CharField(max_length=300, blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["incident", "order"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "order"], name="unique_path_point"),
            models.CheckConstraint(condition=Q(price__gt=0), name="path_price_positive"),
            models.CheckConstraint(condition=Q(minute__gte=0), name="path_minute_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.incident.name}: {self.price} at +{self.minute} min"


class EngineStall(models.Model):
    """A stretch when a source says a platform's liquidation engine could not act (an outage,
    a backlog), in minutes from the incident path's first point. A replay fills a liquidation
    the path reaches meanwhile when the engine acts again, at the path's price then."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="engine_stalls")
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="engine_stalls")
    start_minute = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Minutes after the path's first point; it may lie beyond the path's end.",
    )
    minutes = models.DecimalField(
        "how long (minutes)",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    clock = models.CharField(
        max_length=60, blank=True, help_text='As the source gives it, e.g. "13 Mar 2020 02:16 UTC".'
    )
    what = models.TextField(help_text="What the source says happened, in a sentence.")
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["incident", "start_minute"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="stall_has_length"),
            models.CheckConstraint(condition=Q(start_minute__gte=0), name="stall_starts_on_path"),
        ]

    def __str__(self) -> str:
        return f"{self.incident.name}: {self.platform.name} stalled {self.minutes} min"

    @property
    def end_minute(self) -> Decimal:
        return self.start_minute + self.minutes
