"""Maintenance margin from a platform's tier table.

mm = notional · mmr − maintenance amount (Binance, "Leverage and Margin" / notional-limit page:
"Notional Position Value * Maintenance Margin Rate - Maintenance Amount").
"""

from __future__ import annotations

import operator
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from .types import ZERO, EngineInputError, Rules, Tier

ONE = Decimal(1)
TWO = Decimal(2)

# A band is (floor, cap or None, maintenance rate, maintenance amount, max leverage or None):
# plain tuples because tier lookups sit in the hot path of every evaluation.
Band = tuple[Decimal, Decimal | None, Decimal, Decimal, Decimal | None]


def maintenance_amounts_from_rates(*, tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
    """Fill in each tier's maintenance amount so that maintenance is continuous across tiers.

    Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts": maintenance
    amount on level n = floor of level n × (mmr n − mmr n−1) + maintenance amount on level n−1.
    """
    filled: list[Tier] = []
    amount = ZERO
    previous_rate: Decimal | None = None
    for tier in tiers:
        if previous_rate is not None:
            amount = tier.notional_floor * (tier.maintenance_margin_rate - previous_rate) + amount
        filled.append(replace(tier, maintenance_amount=amount))
        previous_rate = tier.maintenance_margin_rate
    return tuple(filled)


def bands_for(*, rules: Rules) -> tuple[Band, ...]:
    global _last_bands
    inputs = (
        rules.tiers,
        rules.maintenance_margin_rate,
        rules.maintenance_amount,
        rules.max_leverage,
        rules.mmr_from_max_leverage,
        rules.taker_fee if rules.taker_fee_in_maintenance else ZERO,
    )
    # One page asks for the same rules several times (evaluation, curve, crash chart); the
    # lru_cache key hashes every Tier, so the very same objects as last time skip it.
    last_inputs, last_bands = _last_bands
    if all(map(operator.is_, inputs, last_inputs)):
        return last_bands
    try:
        bands = _checked_bands(*inputs)
    except TypeError:
        # unhashable inputs (a signalling NaN cannot be hashed): build without the cache, so
        # the checks report the bad value as an EngineInputError
        bands = _bands(rules)
        check_bands(bands)
        return bands
    _last_bands = (inputs, bands)  # one assignment: safe to read from other threads
    return bands


_NOTHING = object()  # matches no input, so the first call always builds
_last_bands: tuple[tuple[object, ...], tuple[Band, ...]] = ((_NOTHING,) * 6, ())


@lru_cache(maxsize=256)
def _checked_bands(
    tiers: tuple[Tier, ...],
    maintenance_margin_rate: Decimal | None,
    maintenance_amount: Decimal,
    max_leverage: Decimal | None,
    mmr_from_max_leverage: bool,
    fee_in_maintenance: Decimal,
) -> tuple[Band, ...]:
    # A platform's schedule is the same on every request: build and check it once.
    rules = Rules(
        tiers=tiers,
        maintenance_margin_rate=maintenance_margin_rate,
        maintenance_amount=maintenance_amount,
        max_leverage=max_leverage,
        mmr_from_max_leverage=mmr_from_max_leverage,
        taker_fee=fee_in_maintenance,
        taker_fee_in_maintenance=True,
    )
    bands = _bands(rules)
    check_bands(bands)
    return bands


def _bands(rules: Rules) -> tuple[Band, ...]:
    """The maintenance schedule that applies under these rules, as bands ordered by notional.

    A flat `maintenance_margin_rate` overrides the tiers (a visitor's custom value); with
    `mmr_from_max_leverage` the rate is 1 / (2 · max leverage) (Hyperliquid docs, Liquidations:
    "the maintenance margin is half of the initial margin at max leverage"). With
    `taker_fee_in_maintenance` every published rate gains the taker fee: Bitget, "update
    maintenance margin calculation for classic account futures" (2025-11-07): "Maintenance
    margin = 200,000 × (0.40% + 0.06%) + (330,000 − 200,000) × (0.50% + 0.06%) = 1648 USDT".
    A rate that shifts every band alike leaves the maintenance amounts as they were.
    """
    bands = _published_bands(rules)
    fee = fee_in_maintenance(rules)
    if not fee:
        return bands
    if any(rate < ONE <= rate + fee for _floor, _cap, rate, _amount, _lev in bands):
        raise EngineInputError(
            "taker_fee",
            "Here the taker fee counts in maintenance, and with it a maintenance rate reaches "
            "100%: lower the taker fee.",
        )
    return tuple((floor, cap, rate + fee, amount, lev) for floor, cap, rate, amount, lev in bands)


def fee_in_maintenance(rules: Rules) -> Decimal:
    """The taker fee rate these rules add to every maintenance rate (0 when none is added).
    Without a published rate there is nothing to add it to: the fee alone is no maintenance."""
    if not rules.taker_fee_in_maintenance or not rules.taker_fee:
        return ZERO
    published = (
        rules.tiers
        or rules.maintenance_margin_rate is not None
        or (rules.mmr_from_max_leverage and rules.max_leverage)
    )
    return rules.taker_fee if published else ZERO


def _published_bands(rules: Rules) -> tuple[Band, ...]:
    if rules.maintenance_margin_rate is not None:
        rate = rules.maintenance_margin_rate
        return ((ZERO, None, rate, rules.maintenance_amount, rules.max_leverage),)
    if rules.tiers:
        bands = []
        for tier in rules.tiers:
            rate = tier.maintenance_margin_rate
            max_leverage = (
                tier.max_leverage if tier.max_leverage is not None else rules.max_leverage
            )
            if rules.mmr_from_max_leverage and max_leverage:
                rate = ONE / (TWO * max_leverage)
            bands.append(
                (
                    tier.notional_floor,
                    tier.notional_cap,
                    rate,
                    tier.maintenance_amount,
                    max_leverage,
                )
            )
        return tuple(bands)
    if rules.mmr_from_max_leverage and rules.max_leverage:
        return ((ZERO, None, ONE / (TWO * rules.max_leverage), ZERO, rules.max_leverage),)
    return ((ZERO, None, ZERO, rules.maintenance_amount, rules.max_leverage),)


def check_bands(bands: tuple[Band, ...]) -> None:
    for floor, cap, rate, amount, max_leverage in bands:
        if not (ZERO <= rate < ONE):
            raise EngineInputError(
                "maintenance_margin_rate", "A maintenance rate must be at least 0 and below 100%."
            )
        if floor < ZERO or (cap is not None and cap <= floor):
            raise EngineInputError("tiers", "Each tier needs a floor below its cap.")
        if amount < ZERO or not amount.is_finite():
            raise EngineInputError("maintenance_amount", "A maintenance amount cannot be negative.")
        if max_leverage is not None and max_leverage <= ZERO:
            raise EngineInputError("max_leverage", "A maximum leverage must be positive.")


def band_index(bands: tuple[Band, ...], notional: Decimal) -> int:
    """Index of the band the notional falls in; past the last cap, the last band."""
    for index, (floor, cap, _rate, _amount, _max_leverage) in enumerate(bands):
        if notional < floor:
            return max(index - 1, 0)
        if cap is None or notional < cap:
            return index
    return len(bands) - 1


def beyond_last_band(bands: tuple[Band, ...], notional: Decimal) -> bool:
    cap = bands[-1][1]
    return cap is not None and notional >= cap
