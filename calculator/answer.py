"""The answer first: one plain sentence, then the numbers that back it.

Words only; every number comes from the engine's evaluation and is formatted for display here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from calculator.compare import Compared
from calculator.formatting import coin_and_usd, money, pct, times
from collateral.valuation import ValuedCollateral
from engine import (
    Evaluation,
    Outcome,
    Party,
    Side,
    balance_fee,
    party_words,
    payers,
    uncovered,
)
from engine.loan import LoanLiquidation
from platforms.profiles import ResolvedProfile

TITLE_LENGTH = 90


@dataclass(frozen=True)
class Answer:
    headline: str
    details: list[str] = field(default_factory=list)
    tone: str = "neutral"  # "safe", "danger" or "neutral": styling only, the words say it too

    @property
    def title(self) -> str:
        """The headline as a page title: at most 90 characters, as `truncatechars:90` cuts it
        (its last one "…"), for the page, its redraw and the widget alike."""
        if len(self.headline) <= TITLE_LENGTH:
            return self.headline
        return self.headline[: TITLE_LENGTH - 1] + "…"


@dataclass(frozen=True)
class KeyNumber:
    """One line of the key numbers beside the answer."""

    label: str
    value: str
    testid: str = ""  # for tests and the embed's host page, which read these numbers


def deficit_text(outcome: Outcome) -> str:
    """The deficit as the platform settles it: coin first for an inverse contract."""
    return coin_and_usd(outcome.deficit_in_coin, outcome.deficit)


def owed_text(outcome: Outcome) -> str:
    """What the trader owes, likewise."""
    return coin_and_usd(outcome.trader_owes_in_coin, outcome.trader_owes)


def kept_text(outcome: Outcome) -> str:
    """What the trader ends with, likewise."""
    return coin_and_usd(outcome.equity_after_in_coin, outcome.trader_result)


def uncovered_text(outcome: Outcome) -> str:
    """The part of its deficit nobody the platform names pays, coin first for an inverse
    contract."""
    amount = uncovered(outcome.coverage)
    coin = (
        None
        if outcome.deficit_in_coin is None or not outcome.deficit
        else outcome.deficit_in_coin * amount / outcome.deficit
    )
    return coin_and_usd(coin, amount)


def outcome_words(outcome: Outcome) -> str:
    """What the move leaves the trader with, in three words or so."""
    if outcome.trader_owes > 0:
        return f"you owe {owed_text(outcome)}"
    if outcome.trader_result > 0:
        return f"you keep {kept_text(outcome)}"
    if uncovered(outcome.coverage) > 0:
        return "deposit lost; who pays the rest is unknown"
    return "deposit lost, nothing owed"


def key_numbers(evaluation: Evaluation) -> list[KeyNumber]:
    """The numbers that back the answer: prices, distance, size and, after a move, the result."""
    bankruptcy = evaluation.bankruptcy_price
    numbers = [
        KeyNumber("Liquidation price", money(evaluation.liquidation_price), "liquidation-price"),
        KeyNumber(
            "Bankruptcy price",
            "none" if bankruptcy is None else money(bankruptcy),
            "bankruptcy-price",
        ),
        KeyNumber("Distance to liquidation", pct(evaluation.distance_to_liquidation)),
        KeyNumber("Position size", f"{money(evaluation.notional)} at {times(evaluation.leverage)}"),
    ]
    outcome = evaluation.outcome
    if outcome is not None:
        numbers.append(KeyNumber("After the move", outcome_words(outcome), "result"))
        numbers.append(KeyNumber("Deficit", deficit_text(outcome)))
    costs = costs_text(evaluation)
    if costs:
        numbers.append(KeyNumber("Costs", costs))
    if evaluation.health_factor is not None:
        numbers.append(KeyNumber("Health factor", f"{evaluation.health_factor:.3f}"))
    if evaluation.loan_to_value is not None:  # as lenders show it, beside the health factor
        numbers.append(KeyNumber("Loan-to-value", f"{evaluation.loan_to_value:.1%}"))
    return numbers


def costs_text(evaluation: Evaluation) -> str:
    """The opening fee, funding and interest while the position is held ("" when none): they
    come on top of the margin or out of it, and the answer's "you lose your deposit" is silent
    on them. A fee some platforms (Bitget) take from the balance is said to be outside it."""
    currency = evaluation.margin_currency
    parts = []
    if evaluation.open_fee:
        where = " (from your balance)" if balance_fee(evaluation) else ""
        parts.append(f"{money(evaluation.open_fee, currency)} opening fee{where}")
    if evaluation.funding_paid > 0:
        parts.append(f"{money(evaluation.funding_paid, currency)} funding paid")
    elif evaluation.funding_paid < 0:
        parts.append(f"{money(-evaluation.funding_paid, currency)} funding received")
    if evaluation.interest_paid:
        parts.append(f"{money(evaluation.interest_paid, currency)} interest")
    return "; ".join(parts)


def _move_word(evaluation: Evaluation) -> str:
    return "drop" if evaluation.position.side == Side.LONG else "rise"


def liquidation_sentence(evaluation: Evaluation) -> str:
    lev = times(evaluation.leverage) if evaluation.leverage else "this size"
    distance = evaluation.distance_to_liquidation
    if evaluation.liquidation_price is None:
        return f"At {lev}, no price move liquidates this position."
    if distance is not None and distance <= 0:
        return f"At {lev}, this position would be liquidated as soon as it opens."
    return (
        f"At {lev}, a {pct(distance)} {_move_word(evaluation)} to "
        f"{money(evaluation.liquidation_price)} liquidates you."
    )


def build_answer(
    evaluation: Evaluation, profile: ResolvedProfile | None, compared: list[Compared]
) -> Answer:
    where = profile.platform.name if profile else "these custom rules"
    outcome = evaluation.outcome
    details = [liquidation_sentence(evaluation)]
    if outcome is None:
        return Answer(f"On {where}, {details[0][0].lower()}{details[0][1:]}", details[1:])
    details.append(outcome.explanation)
    if fee := balance_fee(evaluation):
        # the deposit the headline counts does not include it: say it was lost besides
        details.append(
            f"The {money(fee, evaluation.margin_currency)} opening fee came "
            "from your balance, on top of the deposit."
        )
    owes = outcome.trader_owes
    deposit = money(evaluation.initial_margin, evaluation.margin_currency)
    if outcome.deficit <= 0:
        kept = outcome.trader_result
        headline = (
            f"On {where} this move leaves you {kept_text(outcome)} of your {deposit} deposit"
            if kept > 0
            else f"On {where} this move wipes out your {deposit} deposit, but you owe nothing more"
        )
        tone = "safe" if kept > 0 else "neutral"
    elif owes > 0:
        owed = owed_text(outcome)
        headline = (
            f"On {where} this move leaves you owing {owed} on top of losing your {deposit} deposit"
        )
        tone = "danger"
    elif (left := uncovered(outcome.coverage)) > 0:
        part = (
            f"the {deficit_text(outcome)} deficit"
            if left == outcome.deficit
            else f"{uncovered_text(outcome)} of the {deficit_text(outcome)} deficit"
        )
        headline = (
            f"On {where} you lose your {deposit} deposit, and nobody the platform names pays "
            f"{part}: it may be claimed from you"
        )
        tone = "danger"
    else:
        headline = (
            f"On {where} you lose your {deposit} deposit but owe nothing: "
            f"the {deficit_text(outcome)} deficit is covered by others"
        )
        tone = "neutral"
    for other in compared:
        if other.evaluation is None or other.evaluation.outcome is None:
            continue
        other_outcome = other.evaluation.outcome
        label = other.label
        if other.stop_not_guaranteed:
            label += (
                f", where your stop is an ordinary order and fills at "
                f"{money(other_outcome.fill_price)},"
                if other_outcome.closed_by == "stop"
                else ", which has no guaranteed stop,"
            )
        if other_outcome.trader_owes > 0:
            details.append(f"With {label} you would owe {owed_text(other_outcome)}.")
        elif uncovered(other_outcome.coverage) > 0:
            details.append(
                f"With {label} nobody is named to pay {uncovered_text(other_outcome)} of the "
                "deficit: it may be claimed from you."
            )
        else:
            details.append(f"With {label} you would owe nothing.")
    return Answer(headline + ".", details, tone)


def who_would_pay(
    evaluation: Evaluation, profile: ResolvedProfile | None, insurance_fund_depleted: bool = False
) -> str:
    """With no deficit to split, the platform's order for one in words: the question the page
    is for ("who pays the difference?") still has an answer when this move leaves none."""
    rules = evaluation.rules
    order = payers(
        waterfall=rules.waterfall,
        negative_balance_protection=rules.negative_balance_protection,
        insurance_fund_depleted=insurance_fund_depleted,
    )
    if not order:
        return ""
    where = profile.platform.name if profile else "these custom rules"
    now = "at this move" if evaluation.outcome is not None else "without a move"
    claimed = ": it may be claimed from you" if order[-1] == Party.UNCOVERED else ""
    return (
        f"No deficit {now}. If a gap past the bankruptcy price left one, on {where} it would "
        f"be paid by {', then '.join(party_words(party) for party in order)}{claimed}."
    )


def collateral_number(valued: ValuedCollateral) -> KeyNumber:
    """What the wallet's assets count for on the platform, beside what they are worth."""
    basket = valued.basket
    return KeyNumber(
        "Collateral counted",
        f"{money(basket.collateral_value)} of {money(basket.market_value)} "
        f"(haircut {money(basket.haircut)})",
    )


def loan_liquidation_number(result: LoanLiquidation) -> KeyNumber:
    """The lender's liquidation at the scenario's price, call by call (engine/loan.py)."""
    calls = len(result.calls)
    repaid = sum((call.repaid for call in result.calls), Decimal(0))
    text = (
        f"{calls} call{'s' if calls != 1 else ''} repay {money(repaid)}; the liquidators' bonus "
        f"costs you {money(result.bonus_paid)}"
    )
    if result.bad_debt > 0:
        text += f"; {money(result.bad_debt)} of debt is left with no collateral (bad debt)"
    elif result.healthy and result.debt_left > 0:
        text += f"; {money(result.debt_left)} of debt stays open, healthy again"
    return KeyNumber("Lender's liquidation", text)
