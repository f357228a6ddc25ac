"""Collateral in several assets, each counted at the platform's haircut (value ratio).

Platforms let an account post coins other than the quote currency and count each at a
published fraction of its market value:
- Binance USDⓈ-M Multi-Assets mode: one flat ratio per asset (BTC 95%, ADA 90%);
- Bybit's unified account and OKX's multi-currency margin: ratios tiered by the amount of coin
  held, each slice of the holding counted at its tier's ratio (Bybit `collateralRatioList`,
  OKX `discountRate` between `minAmt` and `maxAmt`);
- Binance cross margin: ratios tiered by the holding's USD value (`minUsdValue`/`maxUsdValue`).

Collateral value = Σ slice × ratio, in USD. When the coin being traded is itself collateral, its
value moves with the price: `with_collateral` adds that to the position's equity line, and puts a
platform's minimum-collateral floor under its maintenance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from .book import AffineBook
from .numbers import fraction, in_engine_context, non_negative, positive
from .opening import Opened
from .types import ZERO, EngineInputError

FIELD = "collateral_assets"


class TieredBy(StrEnum):
    COIN = "coin"  # tier edges in units of the asset (Bybit, OKX)
    USD = "usd"  # tier edges in USD value (Binance cross margin)


@dataclass(frozen=True, slots=True)
class RatioTier:
    """One slice of a holding and the fraction of its value that counts."""

    floor: Decimal
    cap: Decimal | None  # None: no upper edge
    ratio: Decimal


@dataclass(frozen=True, slots=True)
class CollateralRule:
    """How a platform counts one asset. Past the last tier's cap the holding counts at
    `beyond_last` (OKX's `minDiscountRate`; 0 where the platform publishes none)."""

    asset: str
    tiers: tuple[RatioTier, ...]
    tiered_by: TieredBy = TieredBy.COIN
    beyond_last: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Holding:
    asset: str
    amount: Decimal
    price: Decimal  # USD per unit


@dataclass(frozen=True, slots=True)
class ValuedHolding:
    asset: str
    amount: Decimal
    price: Decimal
    market_value: Decimal
    collateral_value: Decimal

    @property
    def ratio(self) -> Decimal:
        """The holding's overall ratio: collateral value over market value."""
        return self.collateral_value / self.market_value if self.market_value else ZERO


@dataclass(frozen=True, slots=True)
class Basket:
    holdings: tuple[ValuedHolding, ...]
    market_value: Decimal
    collateral_value: Decimal

    @property
    def haircut(self) -> Decimal:
        """What the platform does not count: market value less collateral value."""
        return self.market_value - self.collateral_value


def flat_rule(asset: str, ratio: Decimal) -> CollateralRule:
    """One ratio for any amount (Binance Multi-Assets mode)."""
    return CollateralRule(asset=asset, tiers=(RatioTier(ZERO, None, ratio),))


def weighted(size: Decimal, rule: CollateralRule) -> Decimal:
    """Σ over the tiers of (the part of `size` inside the tier) × ratio, plus what lies past
    the last cap at `beyond_last`. `size` is in the rule's tier unit (coins or USD)."""
    total = ZERO
    covered = ZERO
    for tier in rule.tiers:
        top = size if tier.cap is None else min(size, tier.cap)
        if top > tier.floor:
            total += (top - tier.floor) * tier.ratio
            covered += top - tier.floor
    if size > covered:
        total += (size - covered) * rule.beyond_last
    return total


def value_holding(holding: Holding, rule: CollateralRule) -> ValuedHolding:
    amount = non_negative(holding.amount, FIELD)
    price = positive(holding.price, FIELD)
    market = amount * price
    if rule.tiered_by == TieredBy.COIN:
        counted = weighted(amount, rule) * price
    else:
        counted = weighted(market, rule)
    return ValuedHolding(holding.asset, amount, price, market, counted)


@in_engine_context
def value_basket(*, holdings: Iterable[Holding], rules: Mapping[str, CollateralRule]) -> Basket:
    """Each holding at its platform's ratio; an asset the platform does not accept is an
    input error on `collateral_assets`, not a silent zero."""
    valued = []
    for holding in holdings:
        rule = rules.get(holding.asset.upper())
        if rule is None:
            raise EngineInputError(
                FIELD,
                "%(asset)s is not accepted as collateral on this platform.",
                asset=holding.asset,
            )
        _check_rule(rule)
        valued.append(value_holding(holding, rule))
    market = sum((v.market_value for v in valued), ZERO)
    counted = sum((v.collateral_value for v in valued), ZERO)
    return Basket(tuple(valued), market, counted)


def moving_units(holding: Holding, rule: CollateralRule) -> Decimal:
    """How many coins' worth of collateral value each unit of price adds: d(value)/d(price).

    Tiered by coin amount the counted value is (weighted amount) × price, exactly linear.
    Tiered by USD value it is not; the slope is taken at the entry price (the ratio of the
    tier the holding's value reaches there), which is exact while the price stays in that tier.
    """
    if rule.tiered_by == TieredBy.COIN:
        return weighted(holding.amount, rule)
    value = holding.amount * holding.price
    for tier in rule.tiers:
        if value >= tier.floor and (tier.cap is None or value < tier.cap):
            return holding.amount * tier.ratio
    return holding.amount * rule.beyond_last


def _check_rule(rule: CollateralRule) -> None:
    for tier in rule.tiers:
        fraction(tier.ratio, FIELD)
        non_negative(tier.floor, FIELD)
        if tier.cap is not None and tier.cap <= tier.floor:
            raise EngineInputError(
                FIELD, "%(asset)s: a tier's cap must be above its floor.", asset=rule.asset
            )
    fraction(rule.beyond_last, FIELD)


@in_engine_context
def with_collateral(
    opened: Opened,
    *,
    entry: Decimal,
    coin_collateral: Decimal = ZERO,
    minimum_collateral: Decimal = ZERO,
) -> Opened:
    """The position with the traded coin held as collateral, and under a collateral floor.

    - `coin_collateral` u (counted units of the traded coin, already at the platform's ratio):
      the wallet counted u·E at entry and counts u·P at P, so equity gains u·(P − E):
      a + b·P becomes (a − u·E) + (b + u)·P. A long backed by its own coin (GMX, a coin-margined
      account) loses on both legs as the price falls. Maintenance stays on the position's size.
    - `minimum_collateral` F: liquidation when equity falls to max(maintenance, F) (GMX v2
      liquidates when remaining collateral < max(minCollateralUsd, size × minCollateralFactor)).
    """
    units = non_negative(coin_collateral, "coin_collateral")
    floor = non_negative(minimum_collateral, "minimum_collateral")
    book = opened.book
    if not units and not floor:
        return opened
    if not isinstance(book, AffineBook):
        raise EngineInputError(
            FIELD,
            "Coin-margined contracts already hold their collateral in the coin: "
            "give the margin in coin instead.",
        )
    return replace(
        opened,
        book=AffineBook(
            a=book.a - units * entry,
            b=book.b + units,
            entry_price=book.entry_price,
            bands=book.bands,
            constant_maintenance=book.constant_maintenance,
            size=book.size,
            maintenance_floor=floor,
        ),
    )
