"""Advice backed by a number: the leverage a move leaves no deficit at, the margin that keeps
liquidation past a price, the stop that caps a loss. The engine finds the numbers
(engine/safety.py); this module asks the questions the visitor's scenario raises and writes
each answer as one sentence, for the answer, the maths and the API alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

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
        name = _("your custom rules")
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
            _(
                "A stop that caps a loss in dollars is worked out for USDT/USDC-margined futures "
                "only: on this contract the loss also moves with the collateral's own price."
            )
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


def _leverage_sentence(answer: SafeLeverage, evaluation: Evaluation, name: str) -> str:
    entry = evaluation.position.entry_price
    words = {
        "price": money(answer.fill_price),
        "change": pct(abs(answer.fill_price - entry) / entry),
        "platform": name,
        "now": times(evaluation.leverage) if evaluation.leverage else _("your size"),
        "leverage": times(answer.leverage),
    }
    if answer.leverage is None:
        return (
            _(
                "Even at 1×, a move to %(price)s (%(change)s from your entry) leaves a deficit on "
                "%(platform)s: the costs alone exceed the margin."
            )
            % words
        )
    if answer.at_maximum:
        return (
            _(
                "A move to %(price)s (%(change)s from your entry) leaves no deficit on "
                "%(platform)s at any leverage up to %(leverage)s."
            )
            % words
        )
    if evaluation.leverage is not None and evaluation.leverage <= answer.leverage:
        return (
            _(
                "Up to %(leverage)s, a move to %(price)s (%(change)s from your entry) leaves no "
                "deficit on %(platform)s; at %(now)s you are inside that."
            )
            % words
        )
    return (
        _(
            "For a move to %(price)s (%(change)s from your entry) to leave no deficit on "
            "%(platform)s, use at most %(leverage)s leverage with the same margin (you are at "
            "%(now)s)."
        )
        % words
    )


def _leverage_step(answer: SafeLeverage) -> Step:
    worked = (
        _("none: a deficit even at 1×")
        if answer.leverage is None
        else _("L ≤ %(leverage)s at P = %(price)s")
        % {"leverage": times(answer.leverage), "price": money(answer.fill_price)}
    )
    return Step(
        _("Highest leverage without a deficit"),
        _(
            "the largest L whose bankruptcy price the fill P does not cross, fees included "
            "(found with the engine to 0.01×)"
        ),
        worked,
    )


def _margin_sentence(answer: MarginToAdd, evaluation: Evaluation) -> str:
    words = {"target": money(answer.target), "price": money(answer.liquidation_price)}
    if answer.amount is None:
        return (
            _(
                "No amount of margin keeps liquidation beyond %(target)s: it is on the wrong side "
                "of your entry price."
            )
            % words
        )
    if not answer.amount:
        return _("Your liquidation price (%(price)s) is already beyond %(target)s.") % words
    words["amount"] = _amount(answer.amount, evaluation)
    if evaluation.position.side == Side.LONG:
        return (
            _(
                "Add %(amount)s of margin and your liquidation price moves down to %(price)s: "
                "no higher than the %(target)s you named."
            )
            % words
        )
    return (
        _(
            "Add %(amount)s of margin and your liquidation price moves up to %(price)s: "
            "no lower than the %(target)s you named."
        )
        % words
    )


def _margin_step(answer: MarginToAdd, evaluation: Evaluation) -> Step:
    return Step(
        _("Margin to add"),
        _(
            "the least ΔM for which P_liq(M + ΔM) lies at or beyond the price you named, "
            "the size unchanged"
        ),
        f"ΔM = {_amount(answer.amount or Decimal(0), evaluation)} → "
        f"P_liq = {money(answer.liquidation_price)}",
    )


def _stop_sentence(answer: StopForLoss, evaluation: Evaluation) -> str:
    words = {
        "cap": money(answer.max_loss),
        "liquidation": money(evaluation.liquidation_price),
        "stop": money(answer.stop_price),
    }
    if answer.reason == "beyond_liquidation":
        return (
            _(
                "Liquidation at %(liquidation)s would lose less than %(cap)s: a stop cannot cap "
                "the loss above what liquidation costs."
            )
            % words
        )
    if answer.reason == "below_costs":
        return (
            _("Opening and closing cost more than %(cap)s: no stop caps the loss that low.") % words
        )
    if answer.gap is None or answer.gap_fill_price is None or answer.gap_loss is None:
        return (
            _(
                "A stop at %(stop)s caps your loss at %(cap)s, fees included, if it fills at the stop."
            )
            % words
        )
    words.update(
        gap=pct(answer.gap), fill=money(answer.gap_fill_price), loss=money(answer.gap_loss)
    )
    return (
        _(
            "A stop at %(stop)s caps your loss at %(cap)s, fees included, if it fills at the stop; "
            "if the price gaps %(gap)s through it, it fills at %(fill)s and you lose %(loss)s."
        )
        % words
    )


def _stop_step(answer: StopForLoss) -> Step:
    words = {
        "stop": money(answer.stop_price),
        "loss": money(answer.max_loss),
        "fill": money(answer.gap_fill_price),
        "gap_loss": money(answer.gap_loss),
    }
    if answer.gap_fill_price is not None and answer.gap_loss is not None:
        worked = (
            _("S = %(stop)s for a loss of %(loss)s; in the gap: fill %(fill)s, loss %(gap_loss)s")
            % words
        )
    else:
        worked = _("S = %(stop)s for a loss of %(loss)s") % words
    return Step(
        _("Stop for a loss cap"),
        _(
            "loss = your deposit − what you end with after the stop fills, fees included; "
            "in a gap the stop fills at the gap price, not at the stop"
        ),
        worked,
    )
