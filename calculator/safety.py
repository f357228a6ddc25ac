"""Advice backed by a number: the leverage a move leaves no deficit at, the margin that keeps
liquidation past a price, the stop that caps a loss. The engine finds the numbers
(engine/safety.py); this module asks the questions the visitor's scenario raises and writes
each answer as one sentence, for the answer, the maths and the API alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from calculator.compare import label_for
from calculator.formatting import money, pct, times
from calculator.forms import Calculation
from calculator.maths import Step
from engine import Contract, Evaluation, Side
from engine.safety import (
    MarginToAdd,
    SafeLeverage,
    StopForLoss,
    margin_to_add,
    safe_leverage,
    stop_for_loss,
)


@dataclass(frozen=True)
class Safety:
    """The three answers where the scenario asks them (None where it does not), and their
    sentences and worked steps."""

    leverage: SafeLeverage | None = None
    margin: MarginToAdd | None = None
    stop: StopForLoss | None = None
    sentences: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def safety_for(calculation: Calculation, evaluation: Evaluation) -> Safety:
    name = label_for(calculation.profile)
    if calculation.profile is None:
        name = "your custom rules"
    scenario = calculation.scenario
    leverage = safe_leverage(evaluation=evaluation) if _move_hurts(evaluation) else None
    margin = (
        margin_to_add(evaluation=evaluation, target=calculation.liquidation_target)
        if calculation.liquidation_target is not None
        else None
    )
    stop = (
        stop_for_loss(
            evaluation=evaluation,
            max_loss=calculation.max_loss,
            gap=scenario.gap if scenario is not None else None,
        )
        if calculation.max_loss is not None
        else None
    )
    sentences: list[str] = []
    steps: list[Step] = []
    if leverage is not None:
        sentences.append(_leverage_sentence(leverage, evaluation, name))
        steps.append(_leverage_step(leverage))
    if margin is not None and calculation.liquidation_target is not None:
        sentences.append(_margin_sentence(margin, evaluation))
        if margin.amount:
            steps.append(_margin_step(margin, evaluation))
    if stop is not None:
        sentences.append(_stop_sentence(stop, evaluation))
        if stop.stop_price is not None:
            steps.append(_stop_step(stop))
    elif calculation.max_loss is not None and evaluation.position.contract != Contract.LINEAR:
        sentences.append(
            "A stop that caps a loss in dollars is worked out for USDT/USDC-margined futures "
            "only: on this contract the loss also moves with the collateral's own price."
        )
    return Safety(leverage, margin, stop, sentences, steps)


def _move_hurts(evaluation: Evaluation) -> bool:
    outcome = evaluation.outcome
    if outcome is None:
        return False
    sign = 1 if evaluation.position.side == Side.LONG else -1
    return sign * (evaluation.position.entry_price - outcome.fill_price) > 0


def _amount(value: Decimal, evaluation: Evaluation) -> str:
    return money(value, "coin" if evaluation.margin_currency == "coin" else "quote")


def _move(fill_price: Decimal, evaluation: Evaluation) -> str:
    entry = evaluation.position.entry_price
    change = abs(fill_price - entry) / entry
    return f"a move to {money(fill_price)} ({pct(change)} from your entry)"


def _leverage_sentence(answer: SafeLeverage, evaluation: Evaluation, name: str) -> str:
    move = _move(answer.fill_price, evaluation)
    now = times(evaluation.leverage) if evaluation.leverage else "your size"
    if answer.leverage is None:
        return f"Even at 1×, {move} leaves a deficit on {name}: the costs alone exceed the margin."
    if answer.at_maximum:
        return f"{move[0].upper()}{move[1:]} leaves no deficit on {name} at any leverage up to {times(answer.leverage)}."
    if evaluation.leverage is not None and evaluation.leverage <= answer.leverage:
        return (
            f"Up to {times(answer.leverage)}, {move} leaves no deficit on {name}; "
            f"at {now} you are inside that."
        )
    return (
        f"For {move} to leave no deficit on {name}, use at most {times(answer.leverage)} "
        f"leverage with the same margin (you are at {now})."
    )


def _leverage_step(answer: SafeLeverage) -> Step:
    worked = (
        "none: a deficit even at 1×"
        if answer.leverage is None
        else f"L ≤ {times(answer.leverage)} at P = {money(answer.fill_price)}"
    )
    return Step(
        "Highest leverage without a deficit",
        "the largest L whose bankruptcy price the fill P does not cross, fees included "
        "(found with the engine to 0.01×)",
        worked,
    )


def _margin_sentence(answer: MarginToAdd, evaluation: Evaluation) -> str:
    target = money(answer.target)
    if answer.amount is None:
        return (
            f"No amount of margin keeps liquidation beyond {target}: it is on the wrong side "
            "of your entry price."
        )
    if not answer.amount:
        return f"Your liquidation price ({money(answer.liquidation_price)}) is already beyond {target}."
    long = evaluation.position.side == Side.LONG
    return (
        f"Add {_amount(answer.amount, evaluation)} of margin and your liquidation price moves "
        f"{'down' if long else 'up'} to {money(answer.liquidation_price)}: "
        f"no {'higher' if long else 'lower'} than the {target} you named."
    )


def _margin_step(answer: MarginToAdd, evaluation: Evaluation) -> Step:
    return Step(
        "Margin to add",
        "the least ΔM for which P_liq(M + ΔM) lies at or beyond the price you named, "
        "the size unchanged",
        f"ΔM = {_amount(answer.amount or Decimal(0), evaluation)} → "
        f"P_liq = {money(answer.liquidation_price)}",
    )


def _stop_sentence(answer: StopForLoss, evaluation: Evaluation) -> str:
    cap = money(answer.max_loss)
    if answer.reason == "beyond_liquidation":
        return (
            f"Liquidation at {money(evaluation.liquidation_price)} would lose less than {cap}: "
            "a stop cannot cap the loss above what liquidation costs."
        )
    if answer.reason == "below_costs":
        return f"Opening and closing cost more than {cap}: no stop caps the loss that low."
    sentence = f"A stop at {money(answer.stop_price)} caps your loss at {cap}, fees included, if it fills at the stop"
    if answer.gap is None or answer.gap_fill_price is None or answer.gap_loss is None:
        return sentence + "."
    return (
        f"{sentence}; if the price gaps {pct(answer.gap)} through it, it fills at "
        f"{money(answer.gap_fill_price)} and you lose {money(answer.gap_loss)}."
    )


def _stop_step(answer: StopForLoss) -> Step:
    worked = f"S = {money(answer.stop_price)} for a loss of {money(answer.max_loss)}"
    if answer.gap_fill_price is not None and answer.gap_loss is not None:
        worked += (
            f"; in the gap: fill {money(answer.gap_fill_price)}, loss {money(answer.gap_loss)}"
        )
    return Step(
        "Stop for a loss cap",
        "loss = your deposit − what you end with after the stop fills, fees included; "
        "in a gap the stop fills at the gap price, not at the stop",
        worked,
    )
