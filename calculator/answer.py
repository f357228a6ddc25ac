"""The answer first: one plain sentence, then the numbers that back it.

Words only; every number comes from the engine's evaluation and is formatted for display here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calculator.compare import Compared
from calculator.engine import Evaluation, Side
from calculator.formatting import money, pct, times
from calculator.profiles import ResolvedProfile


@dataclass(frozen=True)
class Answer:
    headline: str
    details: list[str] = field(default_factory=list)
    tone: str = "neutral"  # "safe", "danger" or "neutral": styling only, the words say it too


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
    owes = outcome.trader_owes
    deposit = money(evaluation.initial_margin, evaluation.margin_currency)
    if outcome.deficit <= 0:
        kept = outcome.trader_result
        headline = (
            f"On {where} this move leaves you {money(kept)} of your {deposit} deposit"
            if kept > 0
            else f"On {where} this move wipes out your {deposit} deposit, but you owe nothing more"
        )
        tone = "safe" if kept > 0 else "neutral"
    elif owes > 0:
        headline = f"On {where} this move leaves you owing {money(owes)} on top of losing your {deposit} deposit"
        tone = "danger"
    else:
        headline = (
            f"On {where} you lose your {deposit} deposit but owe nothing: "
            f"the {money(outcome.deficit)} deficit is covered by others"
        )
        tone = "neutral"
    for other in compared:
        if other.evaluation is None or other.evaluation.outcome is None:
            continue
        other_owes = other.evaluation.outcome.trader_owes
        if other_owes > 0:
            details.append(f"With {other.label} you would owe {money(other_owes)}.")
        else:
            details.append(f"With {other.label} you would owe nothing.")
    return Answer(headline + ".", details, tone)
