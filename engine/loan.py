"""Collateralised loans (CeFi loans, Aave-style lending): volatile collateral, stable debt.

Health factor = collateral · price · liquidation threshold / debt; below 1 the position can be
liquidated (Aave Help Center, "Liquidations"). Bankruptcy: collateral value = debt. The
liquidation penalty (Aave's bonus) is paid out of the collateral to the liquidator.
Loan-to-value (debt / collateral value) is shown beside the health factor, as lenders show it.

`evaluate` liquidates the whole loan at the fill price. `liquidate_stepwise` follows a lender's
own rule call by call, for several collateral assets: each call repays at most the close factor
of the debt (Aave v3: 50% while HF ≥ 0.95, all of it below) and hands the liquidator collateral
worth the repaid debt plus the bonus, until the position is healthy or its collateral is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .book import AffineBook
from .numbers import fraction, in_engine_context, non_negative, optional_positive, positive
from .opening import Opened, interest_fraction
from .types import ZERO, EngineInputError, Position, Rules, Side

ONE = Decimal(1)


def open_loan(*, position: Position, rules: Rules, entry: Decimal) -> Opened:
    if position.side != Side.LONG:
        raise EngineInputError(
            "side", "A loan is volatile collateral against stable debt: only 'long' applies."
        )
    if rules.liquidation_threshold is None:
        raise EngineInputError(
            "liquidation_threshold", "A loan needs the collateral's liquidation threshold."
        )
    threshold = fraction(rules.liquidation_threshold, "liquidation_threshold")
    if threshold <= ZERO:
        raise EngineInputError("liquidation_threshold", "Must be greater than zero.")
    penalty = fraction(rules.liquidation_penalty, "liquidation_penalty")
    collateral = positive(
        position.collateral if position.collateral is not None else position.quantity,
        "collateral",
    )
    value = collateral * entry
    leverage = optional_positive(position.leverage, "leverage")
    if position.debt is not None:
        debt = positive(position.debt, "debt")
    elif leverage is not None:
        if leverage <= ONE:
            raise EngineInputError("leverage", "A loan's leverage is above 1x.")
        debt = value * (ONE - ONE / leverage)
    else:
        raise EngineInputError("debt", "Give the debt (or the leverage).")
    interest = debt * interest_fraction(rules=rules, hours=position.holding_hours or ZERO)
    owed = debt + interest
    # Other collateral at fixed prices: value V, threshold-weighted W = Σ value × threshold
    others = tuple(
        (non_negative(worth, "collateral_assets"), fraction(weight, "liquidation_threshold"))
        for worth, weight in position.other_collateral
    )
    other_value = sum((worth for worth, _ in others), ZERO)
    other_weighted = sum((worth * weight for worth, weight in others), ZERO)
    equity = value + other_value - debt
    # equity = C·P + V − owed; HF = (C·P·LT + W) / owed = 1 ⇔ equity = (1 − LT)·C·P + (V − W):
    # a maintenance rate of 1 − LT on the coin and a constant V − W (a negative "amount")
    bands = ((ZERO, None, ONE - threshold, other_weighted - other_value, None),)
    book = AffineBook(a=other_value - owed, b=collateral, entry_price=entry, bands=bands)
    return Opened(
        book=book,
        bands=bands,
        notional=value + other_value,
        leverage=(value + other_value) / equity if equity > ZERO else None,
        initial_margin=equity,
        deposit=equity,
        margin=equity - interest,
        interest_paid=interest,
        # the penalty is a share of the debt repaid
        closing_fixed=owed,
        closing_fee_rate=ZERO,
        liquidation_fee_rate=penalty,
        liquidation_fee_to_fund=False,
        health_factor=(value * threshold + other_weighted) / debt,
        loan_to_value=debt / (value + other_value),
        max_leverage=rules.max_leverage,
    )


# --- several collateral assets, liquidated call by call -------------------------------------

# Aave v3 (docs "Liquidations"): DEFAULT_LIQUIDATION_CLOSE_FACTOR 50%, MAX 100% when the health
# factor is below CLOSE_FACTOR_HF_THRESHOLD 0.95
AAVE_CLOSE_FACTOR = Decimal("0.5")
AAVE_FULL_CLOSE_BELOW = Decimal("0.95")
MAX_CALLS = 200


@dataclass(frozen=True, slots=True)
class LoanCollateral:
    """One collateral asset: amount, price in the debt's currency, and the lender's numbers
    for it (fractions): the liquidation threshold and the bonus paid to a liquidator."""

    asset: str
    amount: Decimal
    price: Decimal
    liquidation_threshold: Decimal
    liquidation_bonus: Decimal = ZERO
    max_loan_to_value: Decimal | None = None

    @property
    def value(self) -> Decimal:
        return self.amount * self.price


@dataclass(frozen=True, slots=True)
class LoanState:
    collateral_value: Decimal
    debt: Decimal
    health_factor: Decimal | None  # None without debt (Aave shows ∞)
    loan_to_value: Decimal | None  # debt / collateral value; None without collateral
    liquidation_threshold: Decimal  # the value-weighted average (Aave's account figure)
    borrow_limit: Decimal  # Σ value × max LTV: what may be borrowed in all


@dataclass(frozen=True, slots=True)
class LiquidationCall:
    repaid: Decimal  # debt repaid by the liquidator
    asset: str  # the collateral seized
    seized: Decimal  # units of it
    seized_value: Decimal
    bonus_value: Decimal  # the part of the seized value above the debt repaid
    health_factor_after: Decimal | None
    debt_after: Decimal


@dataclass(frozen=True, slots=True)
class LoanLiquidation:
    calls: tuple[LiquidationCall, ...]
    collateral_left: tuple[LoanCollateral, ...]
    debt_left: Decimal
    bad_debt: Decimal  # debt left once no collateral is: the protocol's deficit (Aave v3.3)
    bonus_paid: Decimal  # what the borrower lost to liquidators beyond the debt repaid
    healthy: bool


def _checked(collateral: Iterable[LoanCollateral]) -> tuple[LoanCollateral, ...]:
    items = tuple(collateral)
    for item in items:
        non_negative(item.amount, "collateral_assets")
        positive(item.price, "collateral_assets")
        fraction(item.liquidation_threshold, "liquidation_threshold")
        fraction(item.liquidation_bonus, "liquidation_penalty")
        if item.max_loan_to_value is not None:
            fraction(item.max_loan_to_value, "collateral_assets")
    return items


@in_engine_context
def loan_state(*, collateral: Iterable[LoanCollateral], debt: Decimal) -> LoanState:
    """HF = Σ(value × liquidation threshold) / debt (Aave docs, "Health Factor");
    LTV = debt / Σ value."""
    items = _checked(collateral)
    owed = non_negative(debt, "debt")
    value = sum((c.value for c in items), ZERO)
    weighted = sum((c.value * c.liquidation_threshold for c in items), ZERO)
    limit = sum(
        (c.value * (c.max_loan_to_value or ZERO) for c in items),
        ZERO,
    )
    return LoanState(
        collateral_value=value,
        debt=owed,
        health_factor=weighted / owed if owed else None,
        loan_to_value=owed / value if value else None,
        liquidation_threshold=weighted / value if value else ZERO,
        borrow_limit=limit,
    )


@in_engine_context
def liquidate_stepwise(
    *,
    collateral: Sequence[LoanCollateral],
    debt: Decimal,
    close_factor: Decimal = AAVE_CLOSE_FACTOR,
    full_close_below: Decimal = AAVE_FULL_CLOSE_BELOW,
) -> LoanLiquidation:
    """Liquidation calls at fixed prices until HF ≥ 1 or no collateral is left.

    Each call (Aave v3 LiquidationLogic, docs "Liquidations"): debt to cover = debt × close
    factor (all of it below `full_close_below`); the liquidator takes the largest collateral
    (our choice: liquidators pick the most liquid, and the largest keeps calls few), seizing
    debt × (1 + bonus) / price units; where the asset holds less, all of it goes and the debt
    repaid is what it covers: amount × price / (1 + bonus).
    """
    items = list(_checked(collateral))
    owed = non_negative(debt, "debt")
    factor = fraction(close_factor, "close_factor")
    if not factor:
        raise EngineInputError("close_factor", "A liquidation must repay some of the debt.")
    calls: list[LiquidationCall] = []
    bonus_paid = ZERO
    state = loan_state(collateral=items, debt=owed)
    while (
        owed > ZERO
        and state.health_factor is not None
        and state.health_factor < ONE
        and any(c.amount > ZERO for c in items)
        and len(calls) < MAX_CALLS
    ):
        share = ONE if state.health_factor < full_close_below else factor
        to_cover = owed * share
        index = max(range(len(items)), key=lambda i: items[i].value)
        target = items[index]
        multiplier = ONE + target.liquidation_bonus
        seized = to_cover * multiplier / target.price
        if seized >= target.amount:
            seized = target.amount
            to_cover = seized * target.price / multiplier
        seized_value = seized * target.price
        owed -= to_cover
        bonus_paid += seized_value - to_cover
        items[index] = LoanCollateral(
            asset=target.asset,
            amount=target.amount - seized,
            price=target.price,
            liquidation_threshold=target.liquidation_threshold,
            liquidation_bonus=target.liquidation_bonus,
            max_loan_to_value=target.max_loan_to_value,
        )
        state = loan_state(collateral=items, debt=owed)
        calls.append(
            LiquidationCall(
                repaid=to_cover,
                asset=target.asset,
                seized=seized,
                seized_value=seized_value,
                bonus_value=seized_value - to_cover,
                health_factor_after=state.health_factor,
                debt_after=owed,
            )
        )
    empty = not any(c.amount > ZERO for c in items)
    return LoanLiquidation(
        calls=tuple(calls),
        collateral_left=tuple(items),
        debt_left=owed,
        bad_debt=owed if empty else ZERO,
        bonus_paid=bonus_paid,
        healthy=state.health_factor is None or state.health_factor >= ONE,
    )
