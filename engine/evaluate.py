"""One call that answers the page's question for a position on a platform."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .collateral import with_collateral
from .inverse import open_inverse
from .linear import open_linear
from .liquidation import liquidation_steps
from .loan import open_loan
from .numbers import in_engine_context, non_negative, positive
from .opening import Opened
from .scenario import outcome_at, scenario_price, times
from .spot_margin import open_spot_margin
from .tiers import beyond_last_band
from .types import (
    ZERO,
    Contract,
    Convention,
    EngineInputError,
    Evaluation,
    LiquidationStep,
    MarginMode,
    Outcome,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    Warning,
)

_OPENERS: dict[Contract, Callable[..., Opened]] = {
    Contract.LINEAR: open_linear,
    Contract.INVERSE: open_inverse,
    Contract.SPOT_MARGIN: open_spot_margin,
    Contract.LOAN: open_loan,
}

# Warnings with fixed text, built once (they are immutable)
_LIQUIDATED_ON_ENTRY = Warning(
    "liquidated_on_entry",
    "The margin is already at or below the maintenance margin at the entry price: "
    "the position would be liquidated as soon as it opens.",
)
_NO_LIQUIDATION_PRICE = Warning(
    "no_liquidation_price",
    "No price move can liquidate this position: its margin covers any move against it.",
)
_NO_BANKRUPTCY_PRICE = Warning(
    "no_bankruptcy_price",
    "There is no bankruptcy price: at no price does the position lose more than its margin.",
)
_SIZE_BEYOND_LAST_TIER = Warning(
    "size_beyond_last_tier",
    "The position is larger than the platform's last margin tier; the last "
    "tier's rates are used, and the platform may not accept it.",
)
_BANKRUPT_ON_LIQUIDATION = Warning(
    "bankrupt_on_liquidation",
    "The liquidation fee is at least the maintenance margin, so the position is "
    "already bankrupt when liquidation starts: expect to lose all of the margin.",
)
_NO_MAINTENANCE_RATE = Warning(
    "no_maintenance_rate",
    "No maintenance margin rate is set, so liquidation is shown at the bankruptcy price.",
)
_PROTECTION_OVERRIDES_TRADER_DEBT = Warning(
    "protection_overrides_trader_debt",
    "The waterfall lists the trader, but negative balance protection means the "
    "trader never pays: the platform's capital takes that part.",
)


@in_engine_context
def evaluate(*, position: Position, rules: Rules, scenario: Scenario | None = None) -> Evaluation:
    """Liquidation and bankruptcy prices, margins, warnings and, given a scenario, the outcome.

    Raises EngineInputError for any input it cannot work with; never returns NaN or Infinity.
    """
    return _evaluate(position, rules, scenario)


def open_position(position: Position, rules: Rules) -> tuple[Opened, Decimal, int]:
    """Validate the basics and size the position; used by evaluate and the curves."""
    # enums or their string values (a form's cleaned data) are both fine: a StrEnum member
    # and its value are equal and hash alike
    opener = _OPENERS.get(position.contract)
    if opener is None:
        raise EngineInputError("contract", "Unknown contract type.")
    side = position.side
    if side != Side.LONG and side != Side.SHORT:
        raise EngineInputError("side", "Side must be long or short.")
    entry = positive(position.entry_price, "entry_price")
    non_negative(position.holding_hours, "holding_hours")
    non_negative(rules.taker_fee, "taker_fee")
    non_negative(rules.liquidation_fee, "liquidation_fee")
    non_negative(rules.borrow_rate_yearly, "borrow_rate_yearly")
    non_negative(rules.liquidation_penalty, "liquidation_penalty")
    opened = opener(position=position, rules=rules, entry=entry)
    if position.coin_collateral or rules.minimum_collateral:
        opened = with_collateral(
            opened,
            entry=entry,
            coin_collateral=position.coin_collateral,
            minimum_collateral=rules.minimum_collateral,
        )
    return opened, entry, (1 if side == Side.LONG else -1)


def _evaluate(position: Position, rules: Rules, scenario: Scenario | None) -> Evaluation:
    opened, entry, sign = open_position(position, rules)
    book = opened.book
    warnings: list[Warning] = []

    liquidation, band = book.liquidation_price()
    bankruptcy = book.bankruptcy_price()
    if opened.close_fee_held:
        # Bybit, Phemex: the margin holds the fee to close at the bankruptcy price, so that is
        # where the initial margin is gone and what is left just pays the fee to close
        bankruptcy = book.price_at_equity(opened.close_fee_held)
    _floor, _cap, rate, amount, _lev = opened.bands[band]
    entry_maintenance = book.maintenance(entry, book.entry_index)
    equity_at_entry = book.equity(entry)
    liquidated_on_entry = equity_at_entry <= entry_maintenance and (
        liquidation is not None or equity_at_entry <= ZERO
    )
    if liquidated_on_entry and liquidation is not None and sign * (liquidation - entry) > 0:
        # Equity is below maintenance from the entry price on: the solved price lies on the
        # winning side (a long's above entry), where a gap measured from it would be a gain.
        # Liquidation starts at once, at the entry price.
        liquidation = entry
    if opened.margin_currency == "coin":
        entry_maintenance = entry_maintenance / entry

    distance = sign * (entry - liquidation) / entry if liquidation is not None else None
    if distance is not None and distance.is_zero():
        distance = ZERO  # never "-0%" for a short liquidated at its entry price
    _collect_warnings(
        warnings,
        opened=opened,
        rules=rules,
        entry=entry,
        liquidation=liquidation,
        bankruptcy=bankruptcy,
        liquidated_on_entry=liquidated_on_entry,
        rate=rate,
    )

    steps = (
        liquidation_steps(opened=opened, sign=sign, price=liquidation)
        if rules.partial_liquidation and liquidation is not None and not liquidated_on_entry
        else ()
    )

    outcome = None
    if scenario is not None:
        price = scenario_price(
            scenario=scenario, sign=sign, entry=entry, liquidation_price=liquidation
        )
        if price is None:
            if scenario.gap is not None:
                warnings.append(
                    Warning(
                        "gap_without_liquidation_price",
                        "A gap is measured from the liquidation price, and this position has "
                        "none: try a crash size instead.",
                    )
                )
        else:
            outcome = outcome_at(
                opened=opened,
                rules=rules,
                scenario=scenario,
                sign=sign,
                entry=entry,
                price=price,
                liquidation_price=liquidation,
                liquidated_on_entry=liquidated_on_entry,
                warnings=warnings,
            )

    return Evaluation(
        position=position,
        rules=rules,
        notional=opened.notional,
        leverage=opened.leverage,
        initial_margin=opened.initial_margin,
        margin=opened.margin,
        maintenance_margin=entry_maintenance,
        maintenance_margin_rate=rate,
        maintenance_amount=amount,
        liquidation_price=liquidation,
        bankruptcy_price=bankruptcy,
        distance_to_liquidation=distance,
        health_factor=opened.health_factor,
        margin_level=opened.margin_level,
        open_fee=opened.open_fee,
        funding_paid=opened.funding_paid,
        interest_paid=opened.interest_paid,
        margin_currency=opened.margin_currency,
        warnings=tuple(warnings),
        outcome=outcome,
        close_fee_reserve=opened.close_fee_reserve,
        liquidation_steps=steps,
        unchecked=_unchecked(rules, position, opened, steps, outcome),
        loan_to_value=opened.loan_to_value,
        opened=opened,
    )


def _unchecked(
    rules: Rules,
    position: Position,
    opened: Opened,
    steps: tuple[LiquidationStep, ...],
    outcome: Outcome | None,
) -> tuple[Convention, ...]:
    """The platform's conventions behind these numbers that no published worked example checks
    (the product line lists them), keeping only those that changed this answer."""
    if not rules.unchecked:
        return ()
    liquidated = outcome is not None and outcome.liquidated
    used = {
        Convention.MAINTENANCE_BASIS: True,
        Convention.TAKER_FEE_IN_MAINTENANCE: rules.taker_fee_in_maintenance,
        Convention.CLOSE_FEE_RESERVED: bool(opened.close_fee_reserve),
        Convention.CLOSE_FEE_IN_MAINTENANCE: bool(opened.close_fee_reserve),
        Convention.FEES_FROM_MARGIN: bool(opened.open_fee),
        Convention.CROSS_MARGIN_SHARING: position.margin_mode == MarginMode.CROSS,
        Convention.PARTIAL_LIQUIDATION: bool(steps),
        Convention.LIQUIDATION_FEE: liquidated and bool(rules.liquidation_fee),
        Convention.SETTLEMENT: liquidated,
    }
    return tuple(c for c in rules.unchecked if used.get(Convention(c), False))


def _collect_warnings(
    warnings: list[Warning],
    *,
    opened: Opened,
    rules: Rules,
    entry: Decimal,
    liquidation: Decimal | None,
    bankruptcy: Decimal | None,
    liquidated_on_entry: bool,
    rate: Decimal,
) -> None:
    book = opened.book
    if liquidated_on_entry:
        warnings.append(_LIQUIDATED_ON_ENTRY)
    if liquidation is None:
        warnings.append(_NO_LIQUIDATION_PRICE)
    if bankruptcy is None:
        warnings.append(_NO_BANKRUPTCY_PRICE)
    leverage, max_leverage = opened.leverage, opened.max_leverage
    if leverage is not None and max_leverage is not None and leverage > max_leverage:
        warnings.append(
            Warning(
                "leverage_above_platform_max",
                f"Leverage of {times(leverage)} is above the platform's maximum of "
                f"{times(max_leverage)} for this size.",
                (("leverage", leverage), ("max_leverage", max_leverage)),
            )
        )
    if rules.tiers and rules.maintenance_margin_rate is None:
        tier_size = opened.notional / entry if opened.margin_currency == "coin" else opened.notional
        if beyond_last_band(opened.bands, tier_size):
            warnings.append(_SIZE_BEYOND_LAST_TIER)
    if (
        liquidation is not None
        and opened.liquidation_fee_rate > ZERO
        and opened.liquidation_fee_to_fund
    ):
        fee = opened.liquidation_fee_rate * opened.closing_notional(liquidation)
        if fee >= book.equity(liquidation) > ZERO or (
            not liquidated_on_entry and fee >= book.maintenance(liquidation)
        ):
            warnings.append(_BANKRUPT_ON_LIQUIDATION)
    is_futures = opened.margin_level is None and opened.health_factor is None
    if is_futures and rate == ZERO and opened.book.constant_maintenance in (None, ZERO):
        warnings.append(_NO_MAINTENANCE_RATE)
    if rules.negative_balance_protection and any(
        step.party == Party.TRADER_DEBT for step in rules.waterfall
    ):
        warnings.append(_PROTECTION_OVERRIDES_TRADER_DEBT)
