"""From the collateral-assets input to the engine's wallet: the one place that looks up the
platform's ratios and values the basket, for the calculator form and the API alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from engine.collateral import Basket, Holding, flat_rule, moving_units, value_basket
from engine.types import ZERO, EngineInputError

from .forms import STABLECOINS, AssetEntry
from .lookup import default_scheme, rules_for
from .models import CollateralScheme

ONE = Decimal(1)


@dataclass(frozen=True)
class ValuedCollateral:
    basket: Basket
    coin_collateral: Decimal  # counted units of the traded coin: their value moves with P
    minimum_collateral: Decimal
    scheme: CollateralScheme | None  # None: custom rules, every asset at its full value


def value_entries(
    entries: Sequence[AssetEntry], *, platform: str | None, platform_name: str, entry_price: Decimal
) -> ValuedCollateral:
    """Raises EngineInputError on `collateral_assets` for an asset the platform does not take,
    or a platform whose multi-asset collateral we have not stored."""
    scheme = default_scheme(platform) if platform else None
    if platform and scheme is None:
        raise EngineInputError(
            "collateral_assets",
            f"Our {platform_name} profile stores no multi-asset collateral: give the wallet "
            "balance instead.",
        )
    rules = (
        rules_for(scheme)
        if scheme is not None
        else {entry.asset: flat_rule(entry.asset, ONE) for entry in entries}
    )
    holdings = [
        Holding(
            entry.asset,
            entry.amount,
            entry.price
            if entry.price is not None
            else ONE
            if entry.asset in STABLECOINS
            else entry_price,
        )
        for entry in entries
    ]
    basket = value_basket(holdings=holdings, rules=rules)
    coin = sum(
        (
            moving_units(holding, rules[holding.asset])
            for holding, entry in zip(holdings, entries, strict=True)
            if entry.is_traded_coin
        ),
        ZERO,
    )
    floor = scheme.minimum_collateral if scheme is not None else None
    return ValuedCollateral(basket, coin, floor or ZERO, scheme)
