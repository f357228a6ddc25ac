"""Vocabulary of platform policies, shared by models, seed data and the public pages.

Values are the strings stored in the database and used by the API; labels are what a person reads.
The domain's words (contract, margin mode, party, maintenance basis) take their values from the
engine's vocabulary, so the two cannot drift apart; tests/platforms/test_choices.py holds them
together.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

import engine


class PlatformKind(models.TextChoices):
    EXCHANGE = "exchange", _("Centralised exchange")
    DEX = "dex", _("Decentralised exchange")
    LENDING_PROTOCOL = "lending_protocol", _("Lending protocol")
    BROKER = "broker", _("Broker / futures commission merchant")
    REGULATORY_CATEGORY = "regulatory_category", _("Regulatory category")
    ILLUSTRATIVE = "illustrative", _("Illustrative example (not a real platform)")


class Contract(models.TextChoices):
    LINEAR = engine.Contract.LINEAR.value, _("Linear (USDT/USDC-margined) futures")
    INVERSE = engine.Contract.INVERSE.value, _("Inverse (coin-margined) futures")
    SPOT_MARGIN = engine.Contract.SPOT_MARGIN.value, _("Spot margin (borrowing)")
    LOAN = engine.Contract.LOAN.value, _("Collateralised loan")


class MarginMode(models.TextChoices):
    ISOLATED = engine.MarginMode.ISOLATED.value, _("Isolated")
    CROSS = engine.MarginMode.CROSS.value, _("Cross")
    PORTFOLIO = "portfolio", _("Portfolio / unified")
    NOT_APPLICABLE = "n/a", _("Not applicable")


class ClientClass(models.TextChoices):
    ANY = "any", _("Any client")
    RETAIL = "retail", _("Retail")
    PROFESSIONAL = "professional", _("Professional (elective or per se)")
    QUALIFIED = "qualified", _("Qualified investor")
    INSTITUTIONAL = "institutional", _("Institutional")
    VIP = "vip", _("VIP")


class ProtectionStatus(models.TextChoices):
    """What "negative balance protection" means on this scope (docs/design.md: it is not one thing)."""

    REGULATORY_GUARANTEE = "regulatory_guarantee", _("Guaranteed by regulation")
    CONTRACTUAL_PROMISE = "contractual_promise", _("Promised in the platform's terms")
    MECHANISM_ONLY = "mechanism_only", _("Mechanism only (no promise)")
    USER_LIABLE = "user_liable", _("You are explicitly liable")
    UNKNOWN = "unknown", _("Unknown")


# Statuses under which the trader cannot end up owing money on this scope.
PROTECTED_STATUSES = frozenset(
    {ProtectionStatus.REGULATORY_GUARANTEE, ProtectionStatus.CONTRACTUAL_PROMISE}
)


class Party(models.TextChoices):
    """Who absorbs (part of) a deficit, in the words a trader would use."""

    REMAINING_MARGIN = engine.Party.REMAINING_MARGIN.value, _("Your remaining margin")
    INSURANCE_FUND = engine.Party.INSURANCE_FUND.value, _("Insurance fund")
    LIQUIDITY_SUPPORT = engine.Party.LIQUIDITY_SUPPORT.value, _("Liquidity support programme")
    BACKSTOP_VAULT = engine.Party.BACKSTOP_VAULT.value, _("Backstop liquidator vault")
    AUTO_DELEVERAGING = (
        engine.Party.AUTO_DELEVERAGING.value,
        _("Auto-deleveraging of profitable traders"),
    )
    SOCIALIZED_LOSS = (
        engine.Party.SOCIALIZED_LOSS.value,
        _("Socialised loss / clawback from winners"),
    )
    LP_POOL = engine.Party.LP_POOL.value, _("Liquidity providers' pool")
    PROTOCOL_DEFICIT = engine.Party.PROTOCOL_DEFICIT.value, _("Protocol bad-debt accounting")
    SAFETY_MODULE = engine.Party.SAFETY_MODULE.value, _("Safety module / stakers")
    DAO_TREASURY = engine.Party.DAO_TREASURY.value, _("DAO treasury")
    EXCHANGE_CAPITAL = engine.Party.EXCHANGE_CAPITAL.value, _("The platform's own capital")
    TRADER_DEBT = engine.Party.TRADER_DEBT.value, _("You (a debt you owe)")
    UNCOVERED = engine.Party.UNCOVERED.value, _("Not documented")


class MaintenanceBasis(models.TextChoices):
    MARK = engine.MaintenanceBasis.MARK.value, _("Mark-price notional")
    ENTRY = engine.MaintenanceBasis.ENTRY.value, _("Entry notional")


class CrossMarginSharing(models.TextChoices):
    WALLET = (
        engine.CrossMarginSharing.WALLET.value,
        _("The whole wallet, less the other positions' maintenance (Binance style)"),
    )
    PROPORTIONAL = (
        engine.CrossMarginSharing.PROPORTIONAL.value,
        _(
            "Shared in proportion to each position's value, each then liquidated like an "
            "isolated one (KuCoin style)"
        ),
    )


class Convention(models.TextChoices):
    """A product line's conventions, by the field that stores each (engine.Convention)."""

    MAINTENANCE_BASIS = engine.Convention.MAINTENANCE_BASIS.value, _("Maintenance basis")
    TAKER_FEE_IN_MAINTENANCE = (
        engine.Convention.TAKER_FEE_IN_MAINTENANCE.value,
        _("Taker fee inside maintenance"),
    )
    CLOSE_FEE_RESERVED = engine.Convention.CLOSE_FEE_RESERVED.value, _("Fee to close reserved")
    CLOSE_FEE_IN_MAINTENANCE = (
        engine.Convention.CLOSE_FEE_IN_MAINTENANCE.value,
        _("Fee to close in maintenance"),
    )
    FEES_FROM_MARGIN = engine.Convention.FEES_FROM_MARGIN.value, _("Fees from margin or balance")
    CROSS_MARGIN_SHARING = engine.Convention.CROSS_MARGIN_SHARING.value, _("Cross margin sharing")
    PARTIAL_LIQUIDATION = engine.Convention.PARTIAL_LIQUIDATION.value, _("Partial liquidation")
    LIQUIDATION_FEE = engine.Convention.LIQUIDATION_FEE.value, _("Liquidation fee")
    SETTLEMENT = engine.Convention.SETTLEMENT.value, _("Liquidation settlement")


# The conventions inside a sentence ("No published example checks …"), in the visitor's language:
# the engine names them only by value (engine.Convention) and stays free of Django.
CONVENTION_PHRASES = {
    engine.Convention.MAINTENANCE_BASIS: _("the notional maintenance is measured on"),
    engine.Convention.TAKER_FEE_IN_MAINTENANCE: _("the taker fee inside maintenance"),
    engine.Convention.CLOSE_FEE_RESERVED: _("the fee to close reserved at the bankruptcy price"),
    engine.Convention.CLOSE_FEE_IN_MAINTENANCE: _("the fee to close counted in maintenance"),
    engine.Convention.FEES_FROM_MARGIN: _("fees taken from the margin or the balance"),
    engine.Convention.CROSS_MARGIN_SHARING: _("how cross margin is shared between positions"),
    engine.Convention.PARTIAL_LIQUIDATION: _("partial liquidation tier by tier"),
    engine.Convention.LIQUIDATION_FEE: _("the liquidation fee"),
    engine.Convention.SETTLEMENT: _("the price a liquidation is settled at"),
}

# A contract named in passing ("has no loan product", "not linear").
CONTRACT_SHORT = {
    engine.Contract.LINEAR.value: _("linear"),
    engine.Contract.INVERSE.value: _("inverse"),
    engine.Contract.SPOT_MARGIN.value: _("spot margin"),
    engine.Contract.LOAN.value: _("loan"),
}

# An account of each contract inside a sentence ("“coin-m/isolated” is an inverse … account").
CONTRACT_ACCOUNTS = {
    engine.Contract.LINEAR.value: _("a linear (USDT/USDC-margined) futures account"),
    engine.Contract.INVERSE.value: _("an inverse (coin-margined) futures account"),
    engine.Contract.SPOT_MARGIN.value: _("a spot margin (borrowing) account"),
    engine.Contract.LOAN.value: _("a collateralised loan account"),
}

# A scope's margin mode as a heading reads it ("Retail, isolated margin"); none for "n/a".
MARGIN_MODE_PHRASES = {
    "isolated": _("isolated margin"),
    "cross": _("cross margin"),
    "portfolio": _("portfolio margin"),
}


class LiquidationSettlement(models.TextChoices):
    BANKRUPTCY_PRICE = "bankruptcy_price", _("At the bankruptcy price (margin forfeited)")
    MARKET = "market", _("At market (what is left returns to you)")


class Confidence(models.TextChoices):
    HIGH = "high", _("High: primary source, unambiguous")
    MEDIUM = "medium", _("Medium: old, partial, mirror or reputable secondary")
    LOW = "low", _("Low: weak or single secondary source")
