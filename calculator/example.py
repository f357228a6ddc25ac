"""The example position, written once: the first visit, profile links, the widget, incident
presets, the API page and the Learn pages all start from it.

$1,000 at 10× long BTC from $50,000 and a 5% gap past liquidation (docs/design.md's "10× with
$1,000"). A link that names a platform or an account but no position is completed with the
example on that account, so that it opens on an answer rather than on errors.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from calculator.forms import ScenarioForm
from engine import Contract, MarginMode
from platforms.models import AccountScope
from platforms.profiles import ProfileLookupError, find_scope, load_platform, resolve

ENTRY_PRICE = "50000"
GAP = "0.05"
# The example's position on a linear contract, with no platform: what every example shares.
POSITION: dict[str, str] = {
    "contract": Contract.LINEAR.value,
    "side": "long",
    "margin_mode": MarginMode.ISOLATED.value,
    "entry_price": ENTRY_PRICE,
    "margin": "1000",
    "leverage": "10",
}
# The first visit: Binance (insurance fund, no promise) against BitMEX (a promise in its terms)
# and a broker that offers no protection.
FIRST_PLATFORM = "binance"
FIRST_POSITION: dict[str, str] = {"platform": FIRST_PLATFORM, **POSITION, "gap": GAP}
FIRST_VISIT: dict[str, str | list[str]] = {
    **FIRST_POSITION,
    "compare": ["bitmex", "offshore-broker-example"],
}

# The example's leverage by product, capped at a product line's maximum.
LEVERAGE = {
    Contract.LINEAR: Decimal(10),
    Contract.INVERSE: Decimal(10),
    Contract.SPOT_MARGIN: Decimal(3),
    Contract.LOAN: Decimal(2),
}

# The fields that size a position. The page's form sends all of them (empty or not) with every
# request, so a query without any is a link written by hand, such as "/?platform=bitget".
POSITION_FIELDS = (
    "entry_price",
    "margin",
    "leverage",
    "quantity",
    "wallet_balance",
    "collateral",
    "debt",
)


def query_string(values: dict[str, str] | None = None) -> str:
    """The first visit's position as a query string (the API page's example call)."""
    return urlencode(values or FIRST_POSITION)


def example_query(scope: AccountScope) -> dict[str, str]:
    """The calculator's fields for the example position on this account: $1,000 at 10× (0.02
    coin on a coin-margined contract, a loan of half the collateral's value), capped at the
    line's maximum leverage, and a 5% gap past liquidation."""
    line = scope.product_line
    contract = Contract(line.contract)
    leverage = LEVERAGE[contract]
    if line.max_leverage is not None:
        leverage = min(leverage, line.max_leverage)
    # portfolio and unified accounts are priced by the calculator as cross margin (the whole
    # balance backs the position); spot margin it prices per position, as isolated
    cross = contract != Contract.SPOT_MARGIN and scope.margin_mode in ("cross", "portfolio")
    query: dict[str, str] = {
        "platform": line.platform.slug,
        "scope": scope.key,
        "contract": contract.value,
        "side": POSITION["side"],
        "margin_mode": "cross" if cross else "isolated",
        "entry_price": ENTRY_PRICE,
        "leverage": f"{leverage.normalize():f}",
        "gap": GAP,
    }
    if contract == Contract.LOAN:
        query["collateral"] = "1"
    else:
        amount = "0.02" if contract == Contract.INVERSE else POSITION["margin"]
        query["wallet_balance" if cross else "margin"] = amount
    return query


def calculator_url(scope: AccountScope) -> str:
    """The calculator on this account with the example position."""
    return f"{reverse('calculator:home')}?{urlencode(example_query(scope))}"


def initial_query(query: QueryDict) -> QueryDict:
    """The visitor's query; the first visit's scenario when it names no calculator field;
    and a link that names a platform, account or contract but no position, completed with the
    example position on that account."""
    if not any(name in query for name in ScenarioForm.base_fields):
        return _query_of(FIRST_VISIT)
    if any(name in query for name in POSITION_FIELDS):
        return query
    completed = _query_of(_linked_example(query))
    for name, values in query.lists():
        completed.setlist(name, values)  # what the link says wins, even an empty value
    return completed


def _query_of(values: dict[str, str] | dict[str, str | list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in values.items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    return query


def _linked_example(query: QueryDict) -> dict[str, str]:
    """The example position on the account a link names; where it names no platform we have,
    the first visit's position, so that the form speaks only of what the link got wrong."""
    try:
        platform = load_platform(query.get("platform") or FIRST_PLATFORM)
    except ProfileLookupError:
        return FIRST_POSITION
    # An unknown scope is dropped by the form (the platform's default applies), so here too.
    named = find_scope(platform, query.get("scope"))
    if named is not None and query.get("contract") in (None, "", named.product_line.contract):
        return example_query(named)
    contracts = [line.contract for line in platform.product_lines.all()]
    contract = query.get("contract") or (
        contracts[0] if contracts and "linear" not in contracts else "linear"
    )
    try:
        profile = resolve(
            platform, contract=contract, margin_mode=query.get("margin_mode") or "isolated"
        )
    except ProfileLookupError:  # no such product there: the form says so
        return FIRST_POSITION
    return example_query(profile.scope)
