"""Vocabulary of platform policies, shared by models, seed data and the public pages.

Values are the strings stored in the database and used by the API; labels are what a person reads.
"""

from django.db import models


class PlatformKind(models.TextChoices):
    EXCHANGE = "exchange", "Centralised exchange"
    DEX = "dex", "Decentralised exchange"
    LENDING_PROTOCOL = "lending_protocol", "Lending protocol"
    BROKER = "broker", "Broker / futures commission merchant"
    REGULATORY_CATEGORY = "regulatory_category", "Regulatory category"
    ILLUSTRATIVE = "illustrative", "Illustrative example (not a real platform)"


class Contract(models.TextChoices):
    LINEAR = "linear", "Linear (USDT/USDC-margined) futures"
    INVERSE = "inverse", "Inverse (coin-margined) futures"
    SPOT_MARGIN = "spot_margin", "Spot margin (borrowing)"
    LOAN = "loan", "Collateralised loan"


class MarginMode(models.TextChoices):
    ISOLATED = "isolated", "Isolated"
    CROSS = "cross", "Cross"
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

    REMAINING_MARGIN = "remaining_margin", "Your remaining margin"
    INSURANCE_FUND = "insurance_fund", "Insurance fund"
    LIQUIDITY_SUPPORT = "liquidity_support", "Liquidity support programme"
    BACKSTOP_VAULT = "backstop_vault", "Backstop liquidator vault"
    AUTO_DELEVERAGING = "auto_deleveraging", "Auto-deleveraging of profitable traders"
    SOCIALIZED_LOSS = "socialized_loss", "Socialised loss / clawback from winners"
    LP_POOL = "lp_pool", "Liquidity providers' pool"
    PROTOCOL_DEFICIT = "protocol_deficit", "Protocol bad-debt accounting"
    SAFETY_MODULE = "safety_module", "Safety module / stakers"
    DAO_TREASURY = "dao_treasury", "DAO treasury"
    EXCHANGE_CAPITAL = "exchange_capital", "The platform's own capital"
    TRADER_DEBT = "trader_debt", "You (a debt you owe)"
    UNCOVERED = "uncovered", "Not documented"


class MaintenanceBasis(models.TextChoices):
    MARK = "mark", "Mark-price notional"
    ENTRY = "entry", "Entry notional"


class LiquidationSettlement(models.TextChoices):
    BANKRUPTCY_PRICE = "bankruptcy_price", "At the bankruptcy price (margin forfeited)"
    MARKET = "market", "At market (what is left returns to you)"


class Confidence(models.TextChoices):
    HIGH = "high", "High: primary source, unambiguous"
    MEDIUM = "medium", "Medium: old, partial, mirror or reputable secondary"
    LOW = "low", "Low: weak or single secondary source"
