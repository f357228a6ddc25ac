"""From the collateral-assets input to the engine's wallet: the one place that looks up the
platform's ratios and values the basket, for the calculator form and the API alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from engine.account import CoinCollateral
from engine.collateral import Basket, Holding, flat_rule, moving_units, value_basket
from engine.loan import LoanCollateral, LoanLiquidation, liquidate_stepwise
from engine.types import ZERO, Contract, EngineInputError, Evaluation

from .forms import STABLECOINS, AssetEntry
from .lookup import default_scheme, lending_scheme, rules_for
from .models import CollateralScheme

ONE = Decimal(1)


@dataclass(frozen=True)
class ValuedCollateral:
    basket: Basket
    coin_collateral: Decimal  # counted units of the traded coin: their value moves with P
    minimum_collateral: Decimal
    scheme: CollateralScheme | None  # None: custom rules, every asset at its full value
    # every asset's counted units and price: in an account, a coin that is the base of its
    # positions moves with their mark (engine/account.py)
    coins: tuple[CoinCollateral, ...] = ()


def value_entries(
    entries: Sequence[AssetEntry], *, platform: str | None, platform_name: str, entry_price: Decimal
) -> ValuedCollateral:
    """Raises EngineInputError on `collateral_assets` for an asset the platform does not take,
    or a platform whose multi-asset collateral we have not stored."""
    scheme = default_scheme(platform) if platform else None
    if platform and scheme is None:
        raise EngineInputError(
            "collateral_assets",
            "Our %(platform)s profile stores no multi-asset collateral: give the wallet "
            "balance instead.",
            platform=platform_name,
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
    coins = tuple(
        CoinCollateral(holding.asset, moving_units(holding, rules[holding.asset]), holding.price)
        for holding in holdings
    )
    return ValuedCollateral(basket, coin, floor or ZERO, scheme, coins)


@dataclass(frozen=True)
class LoanAsset:
    """Collateral beside a loan's own coin, at a fixed price, with the lender's numbers for it
    where stored (None: the loan's own threshold and penalty apply)."""

    asset: str
    amount: Decimal
    price: Decimal
    liquidation_threshold: Decimal | None
    liquidation_bonus: Decimal | None


@dataclass(frozen=True)
class LoanCollateralInput:
    assets: tuple[LoanAsset, ...]
    scheme: CollateralScheme | None  # the lender's stored rules, if any


def loan_assets(entries: Sequence[AssetEntry], *, platform: str | None) -> LoanCollateralInput:
    """The other collateral of a loan. Each asset gives its price (a stablecoin may leave it
    out); on a lender whose assets we store, an asset it does not take is refused."""
    scheme = lending_scheme(platform) if platform else None
    rows = {row.asset.upper(): row for row in scheme.ratios.all()} if scheme else {}
    assets = []
    for entry in entries:
        if entry.is_traded_coin:
            raise EngineInputError(
                "collateral_assets",
                "For a loan, `collateral` is the loan's own coin: give %(asset)s's price "
                "(e.g. %(asset)s:1@60000).",
                asset=entry.asset,
            )
        row = rows.get(entry.asset)
        if scheme is not None and row is None:
            raise EngineInputError(
                "collateral_assets",
                "%(asset)s is not accepted as collateral in our %(profile)s profile.",
                asset=entry.asset,
                profile=scheme.name,
            )
        assets.append(
            LoanAsset(
                entry.asset,
                entry.amount,
                entry.price if entry.price is not None else ONE,
                row.liquidation_threshold if row is not None else None,
                row.liquidation_bonus if row is not None else None,
            )
        )
    return LoanCollateralInput(tuple(assets), scheme)


def other_collateral(
    loan: LoanCollateralInput, *, threshold: Decimal | None
) -> tuple[tuple[Decimal, Decimal], ...]:
    """(value, liquidation threshold) pairs for the engine's loan (engine/loan.py)."""
    return tuple(
        (
            asset.amount * asset.price,
            asset.liquidation_threshold
            if asset.liquidation_threshold is not None
            else threshold or ZERO,
        )
        for asset in loan.assets
    )


def liquidation_calls(
    loan: LoanCollateralInput | None,
    *,
    coin_amount: Decimal,
    fill_price: Decimal,
    threshold: Decimal,
    penalty: Decimal,
    owed: Decimal,
) -> LoanLiquidation:
    """The lender's liquidation at the scenario's price, call by call: the close factor and
    bonus of the stored lending scheme (the whole loan at once where none is stored)."""
    scheme = loan.scheme if loan is not None else None
    close_factor = scheme.close_factor if scheme and scheme.close_factor else ONE
    full_below = scheme.full_close_below if scheme and scheme.full_close_below else ZERO
    collateral = (
        [LoanCollateral("collateral", coin_amount, fill_price, threshold, penalty)]
        if fill_price > ZERO
        else []  # the coin is worth nothing at this price: only the other assets can be seized
    )
    for asset in loan.assets if loan is not None else ():
        collateral.append(
            LoanCollateral(
                asset.asset,
                asset.amount,
                asset.price,
                asset.liquidation_threshold
                if asset.liquidation_threshold is not None
                else threshold,
                asset.liquidation_bonus if asset.liquidation_bonus is not None else penalty,
            )
        )
    return liquidate_stepwise(
        collateral=collateral, debt=owed, close_factor=close_factor, full_close_below=full_below
    )


def loan_liquidation_for(
    evaluation: Evaluation, loan: LoanCollateralInput | None
) -> LoanLiquidation | None:
    """For a loan evaluated at a scenario's price: its liquidation call by call; else None."""
    position, rules, outcome = evaluation.position, evaluation.rules, evaluation.outcome
    if position.contract != Contract.LOAN or outcome is None or evaluation.opened is None:
        return None
    try:
        return liquidation_calls(
            loan,
            coin_amount=position.collateral if position.collateral is not None else ZERO,
            fill_price=outcome.fill_price,
            threshold=rules.liquidation_threshold or ZERO,
            penalty=rules.liquidation_penalty,
            owed=evaluation.opened.closing_fixed,
        )
    except EngineInputError:
        return None  # numbers the evaluation took but a call cannot: the answer stands without
