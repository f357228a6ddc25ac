"""Vocabulary of platform policies, shared by models, seed data and the public pages.

Values are the strings stored in the database and used by the API; labels are what a person reads.
The domain's words (contract, margin mode, party, maintenance basis) take their values from the
engine's vocabulary, so the two cannot drift apart; tests/platforms/test_choices.py holds them
together.
"""

from django.db import models

import engine


class PlatformKind(models.TextChoices):
    EXCHANGE = "exchange", "Centralised exchange"
    DEX = "dex", "Decentralised exchange"
    LENDING_PROTOCOL = "lending_protocol", "Lending protocol"
    BROKER = "broker", "Broker / futures commission merchant"
    REGULATORY_CATEGORY = "regulatory_category", "Regulatory category"
    ILLUSTRATIVE = "illustrative", "Illustrative example (not a real platform)"


class Contract(models.TextChoices):
    LINEAR = engine.Contract.LINEAR.value, "Linear (USDT/USDC-margined) futures"
    INVERSE = engine.Contract.INVERSE.value, "Inverse (coin-margined) futures"
    SPOT_MARGIN = engine.Contract.SPOT_MARGIN.value, "Spot margin (borrowing)"
    LOAN = engine.Contract.LOAN.value, "Collateralised loan"


class MarginMode(models.TextChoices):
    ISOLATED = engine.MarginMode.ISOLATED.value, "Isolated"
    CROSS = engine.MarginMode.CROSS.value, "Cross"
    PORTFOLIO = "portfolio", "Portfolio / unified"
    NOT_APPLICABLE = "n/a", "Not applicable"


class ClientClass(models.TextChoices):
    ANY = "any", "Any client"
    RETAIL = "retail", "Retail"
    PROFESSIONAL = "professional", "Professional (elective or per se)"
    QUALIFIED = "qualified", "Qualified investor"
    INSTITUTIONAL = "institutional", "Institutional"
    VIP = "vip", "VIP"


class ProtectionStatus(models.TextChoices):
    """What "negative balance protection" means on this scope (docs/design.md: it is not one thing)."""

    REGULATORY_GUARANTEE = "regulatory_guarantee", "Guaranteed by regulation"
    CONTRACTUAL_PROMISE = "contractual_promise", "Promised in the platform's terms"
    MECHANISM_ONLY = "mechanism_only", "Mechanism only (no promise)"
    USER_LIABLE = "user_liable", "You are explicitly liable"
    UNKNOWN = "unknown", "Unknown"


# Statuses under which the trader cannot end up owing money on this scope.
PROTECTED_STATUSES = frozenset(
    {ProtectionStatus.REGULATORY_GUARANTEE, ProtectionStatus.CONTRACTUAL_PROMISE}
)


class Party(models.TextChoices):
    """Who absorbs (part of) a deficit, in the words a trader would use."""

    REMAINING_MARGIN = engine.Party.REMAINING_MARGIN.value, "Your remaining margin"
    INSURANCE_FUND = engine.Party.INSURANCE_FUND.value, "Insurance fund"
    LIQUIDITY_SUPPORT = engine.Party.LIQUIDITY_SUPPORT.value, "Liquidity support programme"
    BACKSTOP_VAULT = engine.Party.BACKSTOP_VAULT.value, "Backstop liquidator vault"
    AUTO_DELEVERAGING = (
        engine.Party.AUTO_DELEVERAGING.value,
        "Auto-deleveraging of profitable traders",
    )
    SOCIALIZED_LOSS = engine.Party.SOCIALIZED_LOSS.value, "Socialised loss / clawback from winners"
    LP_POOL = engine.Party.LP_POOL.value, "Liquidity providers' pool"
    PROTOCOL_DEFICIT = engine.Party.PROTOCOL_DEFICIT.value, "Protocol bad-debt accounting"
    SAFETY_MODULE = engine.Party.SAFETY_MODULE.value, "Safety module / stakers"
    DAO_TREASURY = engine.Party.DAO_TREASURY.value, "DAO treasury"
    EXCHANGE_CAPITAL = engine.Party.EXCHANGE_CAPITAL.value, "The platform's own capital"
    TRADER_DEBT = engine.Party.TRADER_DEBT.value, "You (a debt you owe)"
    UNCOVERED = engine.Party.UNCOVERED.value, "Not documented"


class MaintenanceBasis(models.TextChoices):
    MARK = engine.MaintenanceBasis.MARK.value, "Mark-price notional"
    ENTRY = engine.MaintenanceBasis.ENTRY.value, "Entry notional"


class CrossMarginSharing(models.TextChoices):
    WALLET = (
        engine.CrossMarginSharing.WALLET.value,
        "The whole wallet, less the other positions' maintenance (Binance style)",
    )
    PROPORTIONAL = (
        engine.CrossMarginSharing.PROPORTIONAL.value,
        "Shared in proportion to each position's value, each then liquidated like an isolated "
        "one (KuCoin style)",
    )


class Convention(models.TextChoices):
    """A product line's conventions, by the field that stores each (engine.Convention)."""

    MAINTENANCE_BASIS = engine.Convention.MAINTENANCE_BASIS.value, "Maintenance basis"
    TAKER_FEE_IN_MAINTENANCE = (
        engine.Convention.TAKER_FEE_IN_MAINTENANCE.value,
        "Taker fee inside maintenance",
    )
    CLOSE_FEE_RESERVED = engine.Convention.CLOSE_FEE_RESERVED.value, "Fee to close reserved"
    CLOSE_FEE_IN_MAINTENANCE = (
        engine.Convention.CLOSE_FEE_IN_MAINTENANCE.value,
        "Fee to close in maintenance",
    )
    FEES_FROM_MARGIN = engine.Convention.FEES_FROM_MARGIN.value, "Fees from margin or balance"
    CROSS_MARGIN_SHARING = engine.Convention.CROSS_MARGIN_SHARING.value, "Cross margin sharing"
    PARTIAL_LIQUIDATION = engine.Convention.PARTIAL_LIQUIDATION.value, "Partial liquidation"
    LIQUIDATION_FEE = engine.Convention.LIQUIDATION_FEE.value, "Liquidation fee"
    SETTLEMENT = engine.Convention.SETTLEMENT.value, "Liquidation settlement"


class LiquidationSettlement(models.TextChoices):
    BANKRUPTCY_PRICE = "bankruptcy_price", "At the bankruptcy price (margin forfeited)"
    MARKET = "market", "At market (what is left returns to you)"


class Confidence(models.TextChoices):
    HIGH = "high", "High: primary source, unambiguous"
    MEDIUM = "medium", "Medium: old, partial, mirror or reputable secondary"
    LOW = "low", "Low: weak or single secondary source"
