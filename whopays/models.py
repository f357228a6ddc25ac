"""Who pays, completely: a platform's auto-deleveraging rule, its insurance funds with dated
balances, and the protections the law gives a client by where they live.

An app of its own beside `platforms` (whose rows these point at): its own migrations, admin and
seed data, so that it grows without touching the profile models others change. Every fact
carries Citations (platforms.Citation, a generic relation) and every change is recorded.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from platforms.choices import ClientClass
from platforms.models import Citation, Platform


class AdlRanking(models.TextChoices):
    PNL_TIMES_LEVERAGE = (
        "pnl_times_leverage",
        _("Profit % × effective leverage (formula published)"),
    )
    PROFIT_AND_LEVERAGE = (
        "profit_and_leverage",
        _("By profit and leverage (exact formula not in our sources)"),
    )
    RANDOM = "random", _("In a pseudo-random order among accounts on the other side")
    NOT_STATED = "not_stated", _("Not stated in our sources")


class AdlTrigger(models.TextChoices):
    FUND_EXHAUSTED = "fund_exhausted", _("The insurance fund cannot cover the loss")
    POOL_DRAWDOWN = (
        "pool_drawdown",
        _("A symbol's losses against its pool pass a threshold, or the pool runs out"),
    )
    BACKSTOP_LOSS = (
        "backstop_loss",
        _("The backstop vault loses past a threshold, or an account goes negative"),
    )
    LIQUIDITY_SUPPORT_FULL = (
        "liquidity_support_full",
        _("No liquidity-support participant has capacity for the position"),
    )


class AdlPrice(models.TextChoices):
    BANKRUPTCY = "bankruptcy_price", _("The liquidated order's bankruptcy price")
    MARK = "mark_price", _("The current mark price")
    PREVIOUS_ORACLE = "previous_oracle_price", _("The previous oracle price")
    NOT_STATED = "not_stated", _("Not stated in our sources")


class AdlRule(models.Model):
    """How a platform auto-deleverages: whom it closes first, when, and at what price."""

    platform = models.OneToOneField(Platform, on_delete=models.CASCADE, related_name="adl_rule")
    ranking = models.CharField(max_length=30, choices=AdlRanking.choices)
    ranking_formula = models.TextField(
        blank=True, help_text="The ranking as the platform states it, in its own terms."
    )
    indicator = models.CharField(
        max_length=300,
        blank=True,
        help_text='What a trader sees of their place, e.g. "five lights, 20% each".',
    )
    positions_public = models.BooleanField(
        default=False,
        help_text="Everyone's positions are public (an on-chain book), so a rank could be "
        "computed from a snapshot. Unticked: a trader's rank cannot be known from outside.",
    )
    trigger = models.CharField(max_length=30, choices=AdlTrigger.choices)
    trigger_note = models.TextField(blank=True, help_text="The trigger in plain words.")
    pool_loss_threshold = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
        help_text="Pool drawdown triggers only: the share of the pool's peak balance a symbol may "
        "lose in the window before ADL starts (0.3 = 30%).",
    )
    loss_window_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The window the drawdown is measured over, e.g. 8."
    )
    close_price = models.CharField(max_length=30, choices=AdlPrice.choices)
    close_note = models.TextField(blank=True)
    last_verified = models.DateField(null=True, blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ADL rule"
        ordering = ["platform__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pool_loss_threshold__isnull=True) | Q(trigger="pool_drawdown"),
                name="adl_threshold_only_for_pool_drawdown",
                violation_error_message="A pool loss threshold belongs to a pool drawdown trigger.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform.name} ADL"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.ranking == AdlRanking.PNL_TIMES_LEVERAGE and not self.ranking_formula:
            errors["ranking_formula"] = "A published formula needs its text."
        if self.pool_loss_threshold is not None and self.trigger != AdlTrigger.POOL_DRAWDOWN:
            errors["pool_loss_threshold"] = (
                "A pool loss threshold belongs to a pool drawdown trigger."
            )
        if self.loss_window_hours is not None and self.pool_loss_threshold is None:
            errors["loss_window_hours"] = "A window needs the threshold it measures."
        if errors:
            raise ValidationError(errors)

    @property
    def scores_by_formula(self) -> bool:
        return self.ranking == AdlRanking.PNL_TIMES_LEVERAGE


class FundKind(models.TextChoices):
    INSURANCE_FUND = "insurance_fund", _("Insurance fund")
    BACKSTOP_VAULT = "backstop_vault", _("Backstop liquidator vault")


class InsuranceFund(models.Model):
    """One pool that pays deficits before ADL: a symbol's own fund, a shared pool, or a vault."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="insurance_funds")
    slug = models.SlugField()
    name = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=20, choices=FundKind.choices, default=FundKind.INSURANCE_FUND
    )
    covers = models.CharField(
        max_length=200,
        blank=True,
        help_text='Which contracts it backs, as the source says, e.g. "BTCUSDT perpetual".',
    )
    symbols = models.CharField(
        max_length=300,
        blank=True,
        help_text="Comma-separated symbols this pool backs (matched to the calculator's tier "
        "symbol); blank: the platform's general pool.",
    )
    currency = models.CharField(max_length=20, help_text="e.g. USDT, BTC, USDC")
    note = models.TextField(blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["platform__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "slug"], name="unique_fund_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.platform.name}: {self.name}"

    def backs(self, symbol: str | None) -> bool:
        listed = {s.strip().upper() for s in self.symbols.split(",") if s.strip()}
        return symbol is not None and symbol.upper() in listed


class FundBalance(models.Model):
    """A fund's balance on a date, as a cited source gives it: kept, never overwritten, so the
    balances over time can be drawn later."""

    fund = models.ForeignKey(InsuranceFund, on_delete=models.CASCADE, related_name="balances")
    amount = models.DecimalField(
        max_digits=24, decimal_places=8, validators=[MinValueValidator(Decimal(0))]
    )
    as_of = models.DateField(help_text="The date the source gives the balance for.")
    is_approximate = models.BooleanField(
        default=False, help_text='The source rounds it ("roughly $400 million").'
    )
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "as_of"], name="one_balance_per_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_balance_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.amount:,} {self.fund.currency} on {self.as_of}"


class Residence(models.TextChoices):
    EU = "eu", _("European Union / EEA")
    UK = "uk", _("United Kingdom")
    US = "us", _("United States")
    AU = "au", _("Australia")
    JP = "jp", _("Japan")
    OTHER = "other", _("Elsewhere")


class Protection(models.TextChoices):
    GUARANTEED = "guaranteed", _("Negative balance protection required by law")
    LIKELY = "likely", _("Likely required, not settled")
    BANNED = "banned", _("Retail sale of crypto derivatives banned")
    NOT_REQUIRED = "not_required", _("No protection required by law")
    PROHIBITED = "prohibited", _("The regulator treats zeroing a negative balance as a breach")


class ResidenceRule(models.Model):
    """What the law where a client lives says about losing more than the deposit."""

    residence = models.CharField(max_length=10, choices=Residence.choices)
    client_class = models.CharField(
        max_length=20,
        choices=[
            (ClientClass.RETAIL.value, "Retail"),
            (ClientClass.PROFESSIONAL.value, "Professional"),
        ],
    )
    regulator = models.CharField(max_length=100, blank=True, help_text="e.g. ESMA, FCA, CFTC")
    protection = models.CharField(max_length=20, choices=Protection.choices)
    leverage_cap = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1))],
        help_text="The highest leverage on crypto the rule allows (2 for 2:1); blank: none.",
    )
    margin_close_out = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="Close positions when equity falls to this share of the required margin.",
    )
    applies_to = models.TextField(
        help_text="Whom the rule binds, e.g. firms authorised in the EU selling CFDs."
    )
    answer = models.TextField(help_text="One or two plain sentences for the answer card.")
    uncertainty = models.TextField(
        blank=True, help_text="What is not settled; blank when the rule is settled law."
    )
    in_force_from = models.DateField(null=True, blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["residence", "client_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["residence", "client_class"], name="one_rule_per_residence_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_residence_display()}, {self.get_client_class_display().lower()}"

    def clean(self) -> None:
        if self.protection == Protection.LIKELY and not self.uncertainty:
            raise ValidationError({"uncertainty": "Say what is not settled."})


class PlatformResidence(models.Model):
    """A platform's own terms on a residence: whom it does not serve (or serves only so)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="residences")
    residence = models.CharField(max_length=10, choices=Residence.choices)
    serves = models.BooleanField(
        default=False, help_text="Unticked: the platform's terms exclude clients living here."
    )
    note = models.TextField(blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["platform__name", "residence"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "residence"], name="one_term_per_platform_residence"
            ),
        ]

    def __str__(self) -> str:
        verb = "serves" if self.serves else "excludes"
        return f"{self.platform.name} {verb} {self.get_residence_display()}"


class AdlReading(models.Model):
    """What every ADL reading from a platform's public API holds besides its numbers: the
    symbol, the platform's own update time and what was read; one per platform, symbol and
    time (each reading names its own `platform` relation and unique constraint)."""

    symbol = models.CharField(max_length=40)
    as_of = models.DateTimeField(help_text="The platform's own update time.")
    source = models.CharField(max_length=300, help_text="The endpoint, or the recording, read.")

    class Meta:
        abstract = True
        ordering = ["platform__name", "symbol", "-as_of"]


def one_reading_per_time(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["platform", "symbol", "as_of"], name=name)


class AdlRiskReading(AdlReading):
    """A platform's own ADL risk rating for a symbol at a time, as its public API gives it
    (Binance's symbolAdlRisk: low, medium or high, refreshed every 30 minutes). Imported by
    `import_whopays`; kept, so that a rating's history can be shown."""

    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, related_name="adl_risk_readings"
    )
    rating = models.CharField(max_length=20, help_text="As the platform writes it, e.g. low.")

    class Meta(AdlReading.Meta):
        constraints = [one_reading_per_time("one_adl_rating_per_time")]

    def __str__(self) -> str:
        return f"{self.platform.name} {self.symbol}: {self.rating} at {self.as_of:%Y-%m-%d %H:%M}"


class AlertState(models.TextChoices):
    NONE = "", "No ADL trigger met"
    DRAWDOWN = "drawdown", "ADL triggered: the symbol's 8-hour drawdown passed its threshold"
    POOL_EMPTY = "pool_empty", "ADL triggered: the insurance pool is empty"


def alert_state(
    *, balance: Decimal, pnl_ratio: Decimal, trigger_ratio: Decimal, trigger_balance: Decimal
) -> str:
    """Which of Bybit's ADL triggers (API docs "Get ADL Alert", September 2025) the numbers
    meet: the pool at or below zero; or, while the pool holds more than `trigger_balance`, the
    symbol's 8-hour PnL drawdown ratio at or below `trigger_ratio` (the docs' second example
    counts -0.30 against -0.3 as met)."""
    if balance <= 0:
        return AlertState.POOL_EMPTY
    if balance > trigger_balance and pnl_ratio <= trigger_ratio:
        return AlertState.DRAWDOWN
    return AlertState.NONE


class AdlAlertReading(AdlReading):
    """A symbol's ADL alert as Bybit's public API gives it (GET /v5/market/adlAlert, every
    minute): the balance of the pool behind it and the ratios of the eight-hour drawdown rule
    of September 2025. Imported by `import_whopays`; kept, so its history can be shown."""

    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, related_name="adl_alert_readings"
    )
    coin = models.CharField(max_length=20, help_text="The pool's currency, e.g. USDT.")
    balance = models.DecimalField(
        max_digits=30, decimal_places=10, help_text="The pool's balance (may be below zero)."
    )
    pnl_ratio = models.DecimalField(
        max_digits=20,
        decimal_places=10,
        help_text="The symbol's PnL drawdown over 8 hours against the pool's 8-hour high.",
    )
    trigger_ratio = models.DecimalField(
        max_digits=20, decimal_places=10, help_text="insurancePnlRatio: ADL at or below it."
    )
    trigger_balance = models.DecimalField(
        max_digits=30,
        decimal_places=10,
        help_text="adlTriggerThreshold: the drawdown rule applies while the pool holds more.",
    )
    stop_ratio = models.DecimalField(
        max_digits=20, decimal_places=10, help_text="adlStopRatio: ADL stops above it."
    )

    class Meta(AdlReading.Meta):
        constraints = [one_reading_per_time("one_adl_alert_per_time")]

    def __str__(self) -> str:
        return f"{self.platform.name} {self.symbol}: drawdown {self.pnl_ratio} at {self.as_of}"

    @property
    def state(self) -> str:
        return alert_state(
            balance=self.balance,
            pnl_ratio=self.pnl_ratio,
            trigger_ratio=self.trigger_ratio,
            trigger_balance=self.trigger_balance,
        )

    def get_state_display(self) -> str:
        return str(AlertState(self.state).label)

    @property
    def ratios(self) -> tuple[str, str, str]:
        """The drawdown, trigger and stop ratios as Bybit writes them (no padded zeros)."""
        return tuple(  # type: ignore[return-value]
            format(value.normalize(), "f")
            for value in (self.pnl_ratio, self.trigger_ratio, self.stop_ratio)
        )


WHO_PAYS_MODELS = (AdlRule, InsuranceFund, FundBalance, ResidenceRule, PlatformResidence)
