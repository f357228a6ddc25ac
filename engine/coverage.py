"""Who pays a deficit: walk the platform's waterfall in order (docs/design.md, "Who pays a
deficit: the waterfall"). Nothing is lost: the parts always add up to the deficit exactly."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from .numbers import CONTEXT
from .types import ZERO, Coverage, CoverageStep, Party

# Subtracting parts of a 40-digit deficit is exact at this precision, so the parts re-add to
# the deficit with Decimal equality. Its methods are called directly: no context switch.
_EXACT = CONTEXT.copy()
_EXACT.prec = 120
_subtract_exactly = _EXACT.subtract


def cover(
    *,
    deficit: Decimal,
    waterfall: tuple[CoverageStep, ...],
    negative_balance_protection: bool,
    insurance_fund_depleted: bool,
) -> tuple[Coverage, ...]:
    """Split a deficit over the waterfall.

    - `remaining_margin` pays nothing past bankruptcy (the margin is gone by definition) but is
      listed when the platform lists it, so the page can show the step;
    - `insurance_fund` pays nothing when the scenario says the fund is depleted;
    - a step with a capacity pays at most that; `None` is unlimited;
    - `trader_debt` pays nothing under negative balance protection;
    - what is left goes to the trader when the waterfall lists `trader_debt` or, with no
      protection, when there is no waterfall at all; under protection the platform's own
      capital takes it (the promise is the platform's); otherwise it is `uncovered`.
    """
    if deficit <= ZERO:
        return ()
    parts: list[Coverage] = []
    rest = deficit
    lists_trader = False
    for step in waterfall:
        party = step.party
        if party == Party.TRADER_DEBT:
            lists_trader = True
            pays_nothing = negative_balance_protection
        else:
            pays_nothing = party == Party.REMAINING_MARGIN or (
                insurance_fund_depleted and party == Party.INSURANCE_FUND
            )
        if pays_nothing:
            amount = ZERO
        elif step.capacity is None:
            amount = rest
        else:
            # min(max(capacity, 0), rest), spelled out: the same picks on ties, without two calls
            amount = step.capacity
            if amount < ZERO:
                amount = ZERO
            if rest < amount:
                amount = rest
        parts.append(Coverage(party, amount))  # positional: a third cheaper than keywords
        rest = _subtract_exactly(rest, amount)
    if rest > ZERO:
        if negative_balance_protection:
            parts.append(Coverage(Party.EXCHANGE_CAPITAL, rest))
        elif lists_trader or not waterfall:
            parts.append(Coverage(Party.TRADER_DEBT, rest))
        else:
            parts.append(Coverage(Party.UNCOVERED, rest))
    return tuple(parts)


def uncovered(coverage: tuple[Coverage, ...]) -> Decimal:
    """The part of a deficit nobody the platform names pays: not the trader's debt by any
    rule, but not anyone's promise either (so never "you owe nothing")."""
    return sum((part.amount for part in coverage if part.party == Party.UNCOVERED), ZERO)


_PROBE = Decimal("1e30")  # larger than any deficit the engine's bounded inputs can produce


@lru_cache(maxsize=256)
def may_leave_uncovered(
    *,
    waterfall: tuple[CoverageStep, ...],
    negative_balance_protection: bool,
    insurance_fund_depleted: bool = False,
) -> bool:
    """Whether some deficit would be left to nobody the platform names: neither the trader's
    debt nor a promise, so what the trader owes of it is not established (a chart's "owes 0"
    would overstate the protection). Memoised: a platform's waterfall is asked on every redraw."""
    return any(
        part.party == Party.UNCOVERED and part.amount > ZERO
        for part in cover(
            deficit=_PROBE,
            waterfall=waterfall,
            negative_balance_protection=negative_balance_protection,
            insurance_fund_depleted=insurance_fund_depleted,
        )
    )


@lru_cache(maxsize=256)
def payers(
    *,
    waterfall: tuple[CoverageStep, ...],
    negative_balance_protection: bool,
    insurance_fund_depleted: bool = False,
) -> tuple[Party, ...]:
    """Who would pay a deficit, in the platform's order: each step that can pay (not the margin,
    which is gone past bankruptcy; not the trader under protection; not an empty fund), then
    whoever `cover` leaves the rest to once the steps run out."""
    order: list[Party] = []
    for step in waterfall:
        party = step.party
        if (
            party == Party.REMAINING_MARGIN
            or (party == Party.TRADER_DEBT and negative_balance_protection)
            or (party == Party.INSURANCE_FUND and insurance_fund_depleted)
            or (step.capacity is not None and step.capacity <= ZERO)
        ):
            continue
        if party not in order:
            order.append(party)
    parts = cover(
        deficit=_PROBE,
        waterfall=waterfall,
        negative_balance_protection=negative_balance_protection,
        insurance_fund_depleted=insurance_fund_depleted,
    )
    if len(parts) > len(waterfall) and parts[-1].party not in order:
        order.append(parts[-1].party)  # the rest, once every step has paid what it can
    return tuple(order)


def owes_nothing(deficit: float) -> float:
    """The trader's share where the trader never pays (protection, or an unlimited step first)."""
    return 0.0


def owes_everything(deficit: float) -> float:
    """The trader's share where nothing stands between the deficit and the trader."""
    return deficit if deficit > 0.0 else 0.0


def trader_owes_function(
    *,
    waterfall: tuple[CoverageStep, ...],
    negative_balance_protection: bool,
    insurance_fund_depleted: bool,
) -> Callable[[float], float]:
    """What the trader owes for a deficit of any size, in float arithmetic, for chart curves.

    Read from `cover` itself, so the rules above live in one place: a waterfall fills its steps
    in order, each up to its capacity, so one deficit larger than every capacity shows what
    each step can take here (nothing for a step that pays nothing, everything left for the
    first unlimited one) and where a leftover goes.
    """
    parts = cover(
        deficit=_PROBE,
        waterfall=waterfall,
        negative_balance_protection=negative_balance_protection,
        insurance_fund_depleted=insurance_fund_depleted,
    )
    steps = [
        (part.party == Party.TRADER_DEBT, None if unlimited else float(part.amount))
        for step, part in zip(waterfall, parts, strict=False)
        for unlimited in [step.capacity is None and part.amount > ZERO]
    ]
    leftover_to_trader = len(parts) > len(waterfall) and parts[-1].party == Party.TRADER_DEBT
    # The two commonest shapes by name, so that a curve can skip calling them per point.
    if not leftover_to_trader and not any(to_trader for to_trader, _ in steps):
        return owes_nothing
    if all(to_trader or capacity == 0.0 for to_trader, capacity in steps) and (
        leftover_to_trader or any(to_trader and capacity is None for to_trader, capacity in steps)
    ):
        return owes_everything

    def owes(deficit: float) -> float:
        total = 0.0
        rest = deficit
        for to_trader, capacity in steps:
            if rest <= 0.0:
                return total
            amount = rest if capacity is None or capacity > rest else capacity
            if to_trader:
                total += amount
            rest -= amount
        return total + rest if leftover_to_trader and rest > 0.0 else total

    return owes
