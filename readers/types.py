"""What a reader returns, and how it fails. Plain data: no network; Django only to mark the
visitor's text for translation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class ReadPosition:
    """One open position as the platform states it. Cross positions carry their size; isolated
    ones their size and the margin they hold, as the account form asks."""

    symbol: str
    side: str  # "long" or "short"
    quantity: Decimal
    entry_price: Decimal
    mark_price: Decimal | None
    margin_mode: str = "cross"
    margin: Decimal | None = None  # isolated only
    leverage: Decimal | None = None  # as the platform states it (shown; the form derives it)
    unrealized_pnl: Decimal | None = None
    # the liquidation price the platform itself states, beside ours (Hyperliquid's liquidationPx)
    stated_liquidation_price: Decimal | None = None

    def fields(self) -> dict[str, str]:
        """The account form's fields for this position."""
        data = {
            "symbol": self.symbol,
            "side": self.side,
            "quantity": str(self.quantity),
            "entry_price": str(self.entry_price),
            "margin_mode": self.margin_mode,
        }
        if self.mark_price is not None:
            data["mark_price"] = str(self.mark_price)
        if self.margin_mode == "isolated":
            if self.margin is not None:
                data["margin"] = str(self.margin)
            elif self.leverage is not None:
                data["leverage"] = str(self.leverage)
        return data


# Marked here, translated where they are shown (`{% translate label %}`).
BALANCE_LABELS = {
    "account_value": gettext_noop("Account value"),
    "cross_account_value": gettext_noop("Cross account value"),
    "withdrawable": gettext_noop("Withdrawable"),
    "cross_maintenance_margin": gettext_noop("Cross maintenance margin"),
    "equity": gettext_noop("Equity"),
    "free_collateral": gettext_noop("Free collateral"),
    "usdc": gettext_noop("USDC balance"),
}


@dataclass(frozen=True)
class ReadAccount:
    """An account read from a platform at `read_at`: its cross wallet (balance before unrealized
    PnL, as the account form takes it), open positions and the balances the platform stated."""

    platform: str  # profile slug
    address: str
    subaccount: int | None
    read_at: dt.datetime
    wallet_balance: Decimal
    positions: tuple[ReadPosition, ...]
    balances: dict[str, Decimal] = field(default_factory=dict)

    @property
    def balance_rows(self) -> list[tuple[str, Decimal]]:
        """The balances the platform stated, with their names in words."""
        return [(BALANCE_LABELS.get(name, name), value) for name, value in self.balances.items()]

    @property
    def empty(self) -> bool:
        return not self.positions

    def form_data(self) -> dict[str, str]:
        """The account page's query for this account (never the address)."""
        from calculator.account_forms import PREFIX  # Django forms: only where a page needs them

        data = {
            "platform": self.platform,
            "wallet_balance": str(self.wallet_balance),
            "position_mode": "one_way",
            f"{PREFIX}-TOTAL_FORMS": str(len(self.positions)),
            f"{PREFIX}-INITIAL_FORMS": "0",
            "read_at": self.read_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "read_from": self.platform,
        }
        for index, position in enumerate(self.positions):
            for name, value in position.fields().items():
                data[f"{PREFIX}-{index}-{name}"] = value
        return data


LOAN_LABELS = {
    "collateral_value": gettext_noop("Total collateral"),
    "debt": gettext_noop("Total debt"),
    "available_borrows": gettext_noop("Available to borrow"),
}


@dataclass(frozen=True)
class ReadLoan:
    """A lending account read at `read_at` (Aave v3's getUserAccountData): its whole collateral
    and debt in the market's base currency (USD), the collateral-weighted liquidation threshold
    and maximum LTV (fractions), and the health factor the protocol states (None without debt).
    """

    platform: str  # profile slug
    address: str
    pool: str
    read_at: dt.datetime
    collateral_value: Decimal
    debt: Decimal
    available_borrows: Decimal
    liquidation_threshold: Decimal
    loan_to_value: Decimal
    health_factor: Decimal | None
    subaccount: None = None
    wallet_balance: None = None  # a loan has no wallet in the account form's sense

    @property
    def empty(self) -> bool:
        """Nothing to liquidate: no debt, or no collateral to seize."""
        return self.debt <= 0 or self.collateral_value <= 0

    @property
    def balances(self) -> dict[str, Decimal]:
        figures = {
            "collateral_value": self.collateral_value,
            "debt": self.debt,
            "available_borrows": self.available_borrows,
            "liquidation_threshold": self.liquidation_threshold,
            "loan_to_value": self.loan_to_value,
        }
        if self.health_factor is not None:
            figures["health_factor"] = self.health_factor
        return figures

    @property
    def balance_rows(self) -> list[tuple[str, Decimal]]:
        """The money figures as read, with their names in words (ratios are shown apart)."""
        return [
            (LOAN_LABELS[name], value)
            for name, value in self.balances.items()
            if name in LOAN_LABELS
        ]

    def form_data(self) -> dict[str, str]:
        """The calculator's query for this account as one loan (never the address): one unit of
        the whole collateral basket priced at its value now, against the whole debt, at the
        weighted threshold, so the liquidation price reads as the collateral value at which the
        health factor reaches 1."""
        return {
            "platform": self.platform,
            "contract": "loan",
            "side": "long",
            "collateral": "1",
            "entry_price": str(self.collateral_value),
            "debt": str(self.debt),
            "liquidation_threshold": str(self.liquidation_threshold),
            "read_at": self.read_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "read_from": self.platform,
        }


class ReaderError(Exception):
    """A reading that could not be done; `status` is what the API answers (never 500)."""

    status = 502

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AddressError(ReaderError):
    """The address (or subaccount) is malformed: a field error, before anything is sent."""

    status = 400

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ReadingOff(ReaderError):
    status = 503


class ReadingUnavailable(ReaderError):
    """The rate limit cannot be checked (the cache is down): refused rather than unlimited."""

    status = 503


class RateLimited(ReaderError):
    status = 429

    def __init__(self, message: str, wait: int) -> None:
        super().__init__(message)
        self.wait = wait


class UpstreamTimeout(ReaderError):
    status = 504


class UpstreamRefused(ReaderError):
    """The platform answered with an error, or with something we cannot read."""

    status = 502


def unreadable(what: str) -> str:
    return gettext("The platform's answer has a number we cannot read (%(field)s).") % {
        "field": what
    }


def decimal(value: object, what: str) -> Decimal:
    """A platform's decimal string (or number) as a Decimal; UpstreamRefused if it is not one."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise UpstreamRefused(unreadable(what)) from None
    if not number.is_finite():
        raise UpstreamRefused(unreadable(what))
    return number
