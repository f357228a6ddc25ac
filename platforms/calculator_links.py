"""Links from a profile page into the calculator: one example position per account scope.

The platform pages say what an account's rules are; the calculator shows what they do to a
position. Each link opens the calculator on exactly that account with an example a visitor can
change: $1,000 at 10× (0.02 coin on a coin-margined contract, a loan of half the collateral's
value), capped at the line's maximum leverage, and a 5% gap past liquidation. The calculator
completes a link that names an account but no position with the same example.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from platforms.choices import Contract, MarginMode
from platforms.models import AccountScope

LEVERAGE = {
    Contract.LINEAR: Decimal(10),
    Contract.INVERSE: Decimal(10),
    Contract.SPOT_MARGIN: Decimal(3),
    Contract.LOAN: Decimal(2),
}


def calculator_url(scope: AccountScope) -> str:
    return f"{reverse('calculator:home')}?{urlencode(example_query(scope))}"


def example_query(scope: AccountScope) -> dict[str, str]:
    """The calculator's fields for the example position on this account."""
    line = scope.product_line
    leverage = LEVERAGE[Contract(line.contract)]
    if line.max_leverage is not None:
        leverage = min(leverage, line.max_leverage)
    # portfolio and unified accounts are priced by the calculator as cross margin (the whole
    # balance backs the position); spot margin it prices per position, as isolated
    cross = line.contract != Contract.SPOT_MARGIN and scope.margin_mode in (
        MarginMode.CROSS,
        MarginMode.PORTFOLIO,
    )
    query: dict[str, str] = {
        "platform": line.platform.slug,
        "scope": scope.key,
        "contract": line.contract,
        "side": "long",
        "margin_mode": "cross" if cross else "isolated",
        "entry_price": "50000",
        "leverage": f"{leverage.normalize():f}",
        "gap": "0.05",
    }
    if line.contract == Contract.LOAN:
        query["collateral"] = "1"
    else:
        amount = "0.02" if line.contract == Contract.INVERSE else "1000"
        query["wallet_balance" if cross else "margin"] = amount
    return query
