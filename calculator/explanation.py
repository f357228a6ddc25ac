"""What the move did, in the visitor's language: the engine's one English sentence
(`Outcome.explanation`), written again as whole sentences with named placeholders.

English pages keep the engine's sentence, the one source the API and the tests read; other
languages get these, which say the same from the same numbers.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from calculator.formatting import coin_and_usd, money, pct
from calculator.wording import party_words
from engine import Evaluation, Outcome, Scenario, uncovered


def explanation(evaluation: Evaluation, scenario: Scenario | None) -> str:
    outcome = evaluation.outcome
    assert outcome is not None
    if scenario is None or (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return outcome.explanation
    return " ".join(_sentences(evaluation, outcome, scenario))


def _amount(usd: Decimal, evaluation: Evaluation, outcome: Outcome) -> str:
    """An amount as the engine's sentence states it: for an inverse contract in coin at the
    fill, with its dollar value."""
    if evaluation.margin_currency == "coin" and outcome.fill_price > 0:
        return coin_and_usd(usd / outcome.fill_price, usd)
    return money(usd)


def _move(outcome: Outcome, scenario: Scenario) -> str:
    # a guaranteed stop fills at the stop, not where the price went: name no price then
    words = {"price": money(outcome.fill_price)}
    guaranteed = outcome.closed_by == "guaranteed_stop"
    if scenario.gap is not None and scenario.gap == 0:
        if guaranteed:
            return _("The price reached your liquidation price.")
        return _("The price reached your liquidation price (%(price)s).") % words
    if scenario.gap is not None:
        words["gap"] = pct(scenario.gap)
        if guaranteed:
            return _("The price gapped %(gap)s past your liquidation price.") % words
        return _("The price gapped %(gap)s past your liquidation price to %(price)s.") % words
    if scenario.crash is not None:
        words["crash"] = pct(scenario.crash)
        if guaranteed:
            return _("The price moved %(crash)s against you.") % words
        return _("The price moved %(crash)s against you to %(price)s.") % words
    if guaranteed:
        return _("The price moved against you.")
    return _("The price reached %(price)s.") % words


def _closed(outcome: Outcome) -> str:
    if outcome.closed_by == "guaranteed_stop":
        return _("Your guaranteed stop closed the position at %(price)s.") % {
            "price": money(outcome.fill_price)
        }
    if outcome.closed_by == "stop":
        return _("Your stop-loss filled there, not at the stop.")
    if outcome.closed_by == "liquidation":
        return _("The position was liquidated there.")
    return _("Your position is not liquidated.")


def _payers(evaluation: Evaluation, outcome: Outcome) -> str:
    paying = [part for part in outcome.coverage if part.amount > 0]
    words = {
        "deficit": _amount(outcome.deficit, evaluation, outcome),
        "owed": _amount(outcome.trader_owes, evaluation, outcome),
        "left": _amount(uncovered(outcome.coverage), evaluation, outcome),
    }
    if len(paying) == 1:
        words["payer"] = party_words(paying[0].party)
        if outcome.trader_owes > 0:
            return _("The %(deficit)s deficit is paid by %(payer)s, so you owe %(owed)s.") % words
        if uncovered(outcome.coverage) > 0:
            return (
                _("The %(deficit)s deficit is paid by %(payer)s: it may be claimed from you.")
                % words
            )
        return _("The %(deficit)s deficit is paid by %(payer)s, so you owe nothing.") % words
    words["parts"] = pgettext("between payers", ", ").join(
        _("%(amount)s by %(payer)s")
        % {"amount": _amount(part.amount, evaluation, outcome), "payer": party_words(part.party)}
        for part in paying
    )
    if outcome.trader_owes > 0:
        return _("The %(deficit)s deficit is paid %(parts)s, so you owe %(owed)s.") % words
    if uncovered(outcome.coverage) > 0:
        return (
            _(
                "The %(deficit)s deficit is paid %(parts)s: the uncovered %(left)s may be claimed from you."
            )
            % words
        )
    return _("The %(deficit)s deficit is paid %(parts)s, so you owe nothing.") % words


def _sentences(evaluation: Evaluation, outcome: Outcome, scenario: Scenario) -> list[str]:
    sentences = [_move(outcome, scenario), _closed(outcome)]
    words = {
        "deposit": money(evaluation.initial_margin, evaluation.margin_currency),
        "equity": _amount(outcome.equity_after, evaluation, outcome),
        "deficit": _amount(outcome.deficit, evaluation, outcome),
        "fund": _amount(outcome.to_insurance_fund, evaluation, outcome),
    }
    if outcome.closed_by is None:
        if outcome.deficit > 0:
            sentences.append(
                _("It is worth %(equity)s; closing it leaves a %(deficit)s deficit.") % words
            )
            sentences.append(_payers(evaluation, outcome))
        else:
            sentences.append(_("It is worth %(equity)s.") % words)
        return sentences
    if outcome.deficit > 0:
        sentences.append(_("Your %(deposit)s margin is gone.") % words)
        sentences.append(_payers(evaluation, outcome))
    elif (
        outcome.closed_by == "liquidation"
        and outcome.equity_after == 0
        and outcome.to_insurance_fund > outcome.closing_fee
    ):
        sentences.append(
            _(
                "It is settled at the bankruptcy price, so you lose your whole margin and the "
                "%(fund)s left goes to the insurance fund."
            )
            % words
        )
    elif outcome.equity_after <= 0:
        sentences.append(_("Nothing is left of your margin, and you owe nothing."))
    else:
        sentences.append(_("You keep %(equity)s and owe nothing.") % words)
    return sentences
