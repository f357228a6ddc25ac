"""What happens at a scenario's price: marked, stopped out, or liquidated — and who pays.

Liquidation triggers at the liquidation price but fills at the scenario's price; past the
bankruptcy price the gap is a deficit D = −equity(P_fill), which for linear contracts is
s·Q·(P_bk − P_fill) (docs/design.md). A stop is an order, not a guarantee: in a gap it fills at the
gap price; a guaranteed stop fills at the stop.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext

from .coverage import cover, uncovered
from .numbers import CONTEXT, fraction, non_negative, positive
from .opening import Opened
from .types import ZERO, Coverage, EngineInputError, Outcome, Party, Rules, Scenario, Warning

ONE = Decimal(1)
LARGEST_SHORT_MOVE = Decimal(1000)  # a 100,000% rise is as far as a short's scenario goes


def scenario_price(
    *,
    scenario: Scenario,
    sign: int,
    entry: Decimal,
    liquidation_price: Decimal | None,
) -> Decimal | None:
    """The price the scenario moves to, or None when it cannot be placed (a gap past a
    liquidation price that does not exist)."""
    given = (
        (scenario.fill_price is not None)
        + (scenario.gap is not None)
        + (scenario.crash is not None)
    )
    if given > 1:
        raise EngineInputError("scenario", "Give at most one of fill price, gap and crash.")
    upper = ONE if sign > 0 else LARGEST_SHORT_MOVE
    if scenario.fill_price is not None:
        return (
            positive(scenario.fill_price, "fill_price")
            if sign < 0
            else _price_or_zero(scenario.fill_price)
        )
    if scenario.crash is not None:
        crash = fraction(scenario.crash, "crash", upper=upper)
        return entry * (ONE - sign * crash)
    if scenario.gap is not None:
        gap = fraction(scenario.gap, "gap", upper=upper)
        if liquidation_price is None:
            return None
        return liquidation_price * (ONE - sign * gap)
    return None


def _price_or_zero(value: object) -> Decimal:
    price = non_negative(value, "fill_price")
    return price if price == ZERO else positive(price, "fill_price")


def outcome_at(
    *,
    opened: Opened,
    rules: Rules,
    scenario: Scenario,
    sign: int,
    entry: Decimal,
    price: Decimal,
    liquidation_price: Decimal | None,
    liquidated_on_entry: bool,
    warnings: list[Warning] | None = None,
    with_explanation: bool = True,
) -> Outcome:
    closed_by: str | None = None
    fill = price
    stop = scenario.stop_price
    if stop is not None:
        stop = positive(stop, "stop_price")
        before_liquidation = liquidation_price is None or sign * (stop - liquidation_price) > 0
        if sign * (stop - entry) >= 0 or not before_liquidation:
            if warnings is not None:
                warnings.append(
                    Warning(
                        "stop_not_between_entry_and_liquidation",
                        "The stop is not between the entry and liquidation prices, so it is "
                        "ignored: liquidation would come first or the stop would fire at once.",
                    )
                )
        elif sign * (price - stop) <= 0:
            if scenario.guaranteed_stop:
                fill, closed_by = stop, "guaranteed_stop"
            else:
                closed_by = "stop"
    if closed_by is None and (
        liquidated_on_entry
        or (liquidation_price is not None and sign * (price - liquidation_price) <= 0)
    ):
        closed_by = "liquidation"

    book = opened.book
    equity = book.equity(fill)
    reserved = ZERO
    if closed_by == "liquidation" and opened.close_fee_held:
        # Bybit, Phemex: the fee to close held in the margin pays the close at the bankruptcy
        # price, so a deficit is measured from there: D = s·Q·(P_bk − P_fill)
        reserved = opened.close_fee_held_in_quote(fill)
        equity -= reserved
    fee = ZERO
    to_fund = ZERO
    if closed_by is not None and equity > ZERO:
        rate = (
            opened.liquidation_fee_rate if closed_by == "liquidation" else opened.closing_fee_rate
        )
        # fees come out of what is left, never beyond it: they do not create a deficit
        fee = min(rate * opened.closing_notional(fill), equity)
    equity_after = equity - fee
    fee += reserved
    if closed_by == "liquidation":
        if opened.liquidation_fee_to_fund:
            to_fund = fee - reserved  # the fee to close is the platform's, not the fund's
        if rules.settles_at_bankruptcy and equity_after > ZERO:
            # Bybit: "the position will be settled at the bankruptcy price"; the surplus goes to
            # the insurance fund and the trader keeps nothing.
            to_fund += equity_after
            equity_after = ZERO
    deficit = -equity if equity < ZERO else ZERO
    coverage = cover(
        deficit=deficit,
        waterfall=rules.waterfall,
        negative_balance_protection=rules.negative_balance_protection,
        insurance_fund_depleted=scenario.insurance_fund_depleted,
    )
    owes = ZERO
    for part in coverage:
        if part.party == Party.TRADER_DEBT:
            owes += part.amount
    result = equity_after if equity_after > ZERO else -owes
    deficit_in_coin = equity_in_coin = owes_in_coin = None
    if opened.margin_currency == "coin" and fill > ZERO:
        # an inverse contract settles in coin: its amounts at the fill, in coin
        deficit_in_coin = deficit / fill
        equity_in_coin = equity_after / fill
        owes_in_coin = owes / fill

    def explanation() -> str:
        # Called on the first read of `Outcome.explanation`, perhaps outside `evaluate`: the
        # engine's context keeps the rounding of the amounts in the sentence the same.
        with localcontext(CONTEXT):
            return explain(
                closed_by=closed_by,
                price=price,
                fill=fill,
                equity_after=equity_after,
                deficit=deficit,
                coverage=coverage,
                trader_owes=owes,
                to_insurance_fund=to_fund,
                closing_fee=fee - reserved,
                opened=opened,
                scenario=scenario,
                entry=entry,
            )

    return Outcome(
        fill_price=fill,
        liquidated=closed_by == "liquidation",
        equity_after=equity_after,
        deficit=deficit,
        coverage=coverage,
        trader_owes=owes,
        explanation=explanation if with_explanation else "",  # type: ignore[arg-type]
        closed_by=closed_by,
        trader_result=result,
        closing_fee=fee,
        to_insurance_fund=to_fund,
        deficit_in_coin=deficit_in_coin,
        equity_after_in_coin=equity_in_coin,
        trader_owes_in_coin=owes_in_coin,
    )


def money(amount: Decimal) -> str:
    """Display only: the engine's numbers stay exact; sentences round to cents. A minus sign
    (U+2212, as the page's numbers have; read as "minus"), never on an amount that rounds to 0."""
    text = f"{abs(amount):,.2f}"
    return f"−${text}" if amount < 0 and text != "0.00" else f"${text}"


_SATOSHI = Decimal("1e-8")
_CENT = Decimal("0.01")


def coin(amount: Decimal) -> str:
    """A coin amount to the satoshi (half-even), trailing zeros trimmed: "0.22403718 coin".
    The page's numbers use it too (calculator.formatting.money)."""
    text = f"{abs(amount).quantize(_SATOSHI, rounding=ROUND_HALF_EVEN):,f}".rstrip("0").rstrip(".")
    return f"−{text} coin" if amount < 0 and text != "0" else f"{text} coin"


def times(value: Decimal, mark: str = "x") -> str:
    """A leverage as people write it: "10x", "2.5x", "50,000x"; never "5.000e+4x". The page
    passes "×" (calculator.formatting.times)."""
    try:
        rounded = value.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    except InvalidOperation:  # more digits than the context holds (a leverage of 1e27): whole
        rounded = value.to_integral_value(rounding=ROUND_HALF_EVEN)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{mark}"


def percent(value: Decimal, places: int = 2) -> str:
    """A fraction as a percentage, rounded half-even, trailing zeros trimmed: 0.0964 → "9.64%".
    The page's numbers use it too (calculator.formatting.pct)."""
    rounded = (value * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


_PARTY_WORDS = {
    Party.REMAINING_MARGIN: "your remaining margin",
    Party.INSURANCE_FUND: "the insurance fund",
    Party.LIQUIDITY_SUPPORT: "the liquidity support programme",
    Party.BACKSTOP_VAULT: "the backstop liquidator vault",
    Party.AUTO_DELEVERAGING: "auto-deleveraging of profitable traders",
    Party.SOCIALIZED_LOSS: "a socialized loss shared by other traders",
    Party.LP_POOL: "the liquidity providers' pool",
    Party.PROTOCOL_DEFICIT: "the protocol, booked as bad debt",
    Party.SAFETY_MODULE: "the safety module's stakers",
    Party.DAO_TREASURY: "the DAO treasury",
    Party.EXCHANGE_CAPITAL: "the platform's own capital",
    Party.TRADER_DEBT: "you, as a debt to the platform",
    Party.UNCOVERED: "nobody the platform names (uncovered)",
}


def explain(
    *,
    closed_by: str | None,
    price: Decimal,
    fill: Decimal,
    equity_after: Decimal,
    deficit: Decimal,
    coverage: tuple[Coverage, ...],
    trader_owes: Decimal,
    to_insurance_fund: Decimal,
    closing_fee: Decimal,
    opened: Opened,
    scenario: Scenario,
    entry: Decimal,
) -> str:
    """One plain sentence with the numbers. An inverse contract's margin, deficit and debt are
    in coin, as the exchange settles them, each with its dollar value at the fill."""
    amount: Callable[[Decimal], str]
    if opened.margin_currency == "coin" and fill > ZERO:

        def amount(usd: Decimal) -> str:
            return f"{coin(usd / fill)} ({money(usd)})"

        deposit = coin(opened.deposit)
    else:
        amount = money
        deposit = money(opened.deposit_in_quote(entry))
    at = money(price)
    if scenario.gap is not None and scenario.gap == ZERO:
        move = f"The price reached your liquidation price ({at}),"
    elif scenario.gap is not None:
        move = f"The price gapped {percent(scenario.gap)} past your liquidation price to {at},"
    elif scenario.crash is not None:
        move = f"The price moved {percent(scenario.crash)} against you to {at},"
    else:  # an exact fill price
        move = f"The price reached {at},"
    payers = _payers(coverage, trader_owes, amount) if deficit > ZERO else ""

    if closed_by is None:
        if deficit > ZERO:
            return (
                f"{move} your position is worth {amount(equity_after)}; closing it "
                f"leaves a {amount(deficit)} deficit{payers}"
            )
        return f"{move} your position is not liquidated and is worth {amount(equity_after)}."

    if closed_by == "guaranteed_stop":
        closed = f"{move.rstrip(',')}; your guaranteed stop closed the position at {money(fill)}"
    elif closed_by == "stop":
        closed = f"{move.rstrip(',')}; your stop-loss filled there, not at the stop"
    else:
        closed = f"{move.rstrip(',')} and the position was liquidated there"

    if deficit > ZERO:
        return (
            f"{closed}; your {deposit} margin is gone and the "
            f"remaining {amount(deficit)} deficit{payers}"
        )
    if closed_by == "liquidation" and equity_after == ZERO and (to_insurance_fund > closing_fee):
        return (
            f"{closed}; it is settled at the bankruptcy price, so you lose your whole margin "
            f"and the {amount(to_insurance_fund)} left goes to the insurance fund."
        )
    if equity_after <= ZERO:
        return f"{closed}; nothing is left of your margin, and you owe nothing."
    return f"{closed}; you keep {amount(equity_after)} and owe nothing."


def party_words(party: Party) -> str:
    """Who pays, as a sentence names them ("the insurance fund", "you, as a debt to the
    platform")."""
    return _PARTY_WORDS[party]


def _payers(
    coverage: tuple[Coverage, ...], trader_owes: Decimal, amount: Callable[[Decimal], str]
) -> str:
    paying = [part for part in coverage if part.amount > ZERO]
    if len(paying) == 1:
        words = f" is paid by {_PARTY_WORDS[paying[0].party]}"
    else:
        words = " is paid " + ", ".join(
            f"{amount(part.amount)} by {_PARTY_WORDS[part.party]}" for part in paying
        )
    if trader_owes > ZERO:
        return f"{words}, so you owe {amount(trader_owes)}."
    left = uncovered(coverage)
    if left > ZERO:
        # neither a debt of the trader's nor anyone's promise: not "you owe nothing"
        which = "it" if len(paying) == 1 else f"the uncovered {amount(left)}"
        return f"{words}: {which} may be claimed from you."
    return f"{words}, so you owe nothing."
