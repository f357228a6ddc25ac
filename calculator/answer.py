"""The answer first: one plain sentence, then the numbers that back it.

Words only; every number comes from the engine's evaluation and is formatted for display here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from calculator.compare import Compared
from calculator.explanation import explanation
from calculator.formatting import coin_and_usd, localize, money, number, pct, times
from calculator.wording import party_words
from collateral.valuation import ValuedCollateral
from engine import (
    Evaluation,
    Outcome,
    Party,
    Scenario,
    Side,
    balance_fee,
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
        return _("you owe %(amount)s") % {"amount": owed_text(outcome)}
    if outcome.trader_result > 0:
        return _("you keep %(amount)s") % {"amount": kept_text(outcome)}
    if uncovered(outcome.coverage) > 0:
        return _("deposit lost; who pays the rest is unknown")
    return _("deposit lost, nothing owed")


def key_numbers(evaluation: Evaluation) -> list[KeyNumber]:
    """The numbers that back the answer: prices, distance, size and, after a move, the result."""
    bankruptcy = evaluation.bankruptcy_price
    numbers = [
        KeyNumber(_("Liquidation price"), money(evaluation.liquidation_price), "liquidation-price"),
        KeyNumber(
            _("Bankruptcy price"),
            _("none") if bankruptcy is None else money(bankruptcy),
            "bankruptcy-price",
        ),
        KeyNumber(_("Distance to liquidation"), pct(evaluation.distance_to_liquidation)),
        KeyNumber(
            _("Position size"),
            _("%(size)s at %(leverage)s")
            % {"size": money(evaluation.notional), "leverage": times(evaluation.leverage)},
        ),
    ]
    outcome = evaluation.outcome
    if outcome is not None:
        numbers.append(KeyNumber(_("After the move"), outcome_words(outcome), "result"))
        numbers.append(KeyNumber(_("Deficit"), deficit_text(outcome)))
    costs = costs_text(evaluation)
    if costs:
        numbers.append(KeyNumber(_("Costs"), costs))
    if evaluation.health_factor is not None:
        numbers.append(KeyNumber(_("Health factor"), number(evaluation.health_factor, 3)))
    if evaluation.loan_to_value is not None:  # as lenders show it, beside the health factor
        numbers.append(KeyNumber(_("Loan-to-value"), localize(f"{evaluation.loan_to_value:.1%}")))
    return numbers


def costs_text(evaluation: Evaluation) -> str:
    """The opening fee, funding and interest while the position is held ("" when none): they
    come on top of the margin or out of it, and the answer's "you lose your deposit" is silent
    on them. A fee some platforms (Bitget) take from the balance is said to be outside it."""
    currency = evaluation.margin_currency
    parts = []
    if evaluation.open_fee:
        fee = {"amount": money(evaluation.open_fee, currency)}
        if balance_fee(evaluation):
            parts.append(_("%(amount)s opening fee (from your balance)") % fee)
        else:
            parts.append(_("%(amount)s opening fee") % fee)
    if evaluation.funding_paid > 0:
        parts.append(
            _("%(amount)s funding paid") % {"amount": money(evaluation.funding_paid, currency)}
        )
    elif evaluation.funding_paid < 0:
        parts.append(
            _("%(amount)s funding received") % {"amount": money(-evaluation.funding_paid, currency)}
        )
    if evaluation.interest_paid:
        parts.append(
            _("%(amount)s interest") % {"amount": money(evaluation.interest_paid, currency)}
        )
    return pgettext("between costs", "; ").join(parts)


def liquidation_sentence(evaluation: Evaluation, where: str | None = None) -> str:
    """How far the price may move before liquidation, as a whole sentence; with `where`, the
    same sentence said of that platform (the headline when no move is asked about)."""
    words = {
        "leverage": times(evaluation.leverage) if evaluation.leverage else _("this size"),
        "where": where,
        "distance": pct(evaluation.distance_to_liquidation),
        "price": money(evaluation.liquidation_price),
    }
    distance = evaluation.distance_to_liquidation
    long = evaluation.position.side == Side.LONG
    if evaluation.liquidation_price is None:
        if where:
            return (
                _("On %(where)s, at %(leverage)s, no price move liquidates this position.") % words
            )
        return _("At %(leverage)s, no price move liquidates this position.") % words
    if distance is not None and distance <= 0:
        if where:
            return (
                _(
                    "On %(where)s, at %(leverage)s, this position would be liquidated as soon as it opens."
                )
                % words
            )
        return _("At %(leverage)s, this position would be liquidated as soon as it opens.") % words
    if where:
        if long:
            return (
                _("On %(where)s, at %(leverage)s, a %(distance)s drop to %(price)s liquidates you.")
                % words
            )
        return (
            _("On %(where)s, at %(leverage)s, a %(distance)s rise to %(price)s liquidates you.")
            % words
        )
    if long:
        return _("At %(leverage)s, a %(distance)s drop to %(price)s liquidates you.") % words
    return _("At %(leverage)s, a %(distance)s rise to %(price)s liquidates you.") % words


def _headline(evaluation: Evaluation, outcome: Outcome, where: str) -> tuple[str, str]:
    """The answer in one sentence, and its tone."""
    words = {
        "where": where,
        "deposit": money(evaluation.initial_margin, evaluation.margin_currency),
        "deficit": deficit_text(outcome),
    }
    if outcome.deficit <= 0:
        if outcome.trader_result > 0:
            words["kept"] = kept_text(outcome)
            return _(
                "On %(where)s this move leaves you %(kept)s of your %(deposit)s deposit."
            ) % words, "safe"
        return (
            _(
                "On %(where)s this move wipes out your %(deposit)s deposit, but you owe nothing more."
            )
            % words,
            "neutral",
        )
    if outcome.trader_owes > 0:
        words["owed"] = owed_text(outcome)
        return (
            _(
                "On %(where)s this move leaves you owing %(owed)s on top of losing your %(deposit)s deposit."
            )
            % words,
            "danger",
        )
    left = uncovered(outcome.coverage)
    if left > 0 and left == outcome.deficit:
        return (
            _(
                "On %(where)s you lose your %(deposit)s deposit, and nobody the platform names pays "
                "the %(deficit)s deficit: it may be claimed from you."
            )
            % words,
            "danger",
        )
    if left > 0:
        words["uncovered"] = uncovered_text(outcome)
        return (
            _(
                "On %(where)s you lose your %(deposit)s deposit, and nobody the platform names pays "
                "%(uncovered)s of the %(deficit)s deficit: it may be claimed from you."
            )
            % words,
            "danger",
        )
    return (
        _(
            "On %(where)s you lose your %(deposit)s deposit but owe nothing: "
            "the %(deficit)s deficit is covered by others."
        )
        % words,
        "neutral",
    )


def _compared_sentence(other: Compared) -> str | None:
    """What the same move does on a compared platform, in one sentence."""
    if other.evaluation is None or other.evaluation.outcome is None:
        return None
    outcome = other.evaluation.outcome
    label = other.label
    if other.stop_not_guaranteed:
        if outcome.closed_by == "stop":
            label = _(
                "%(platform)s, where your stop is an ordinary order and fills at %(price)s,"
            ) % {"platform": label, "price": money(outcome.fill_price)}
        else:
            label = _("%(platform)s, which has no guaranteed stop,") % {"platform": label}
    if outcome.trader_owes > 0:
        return _("With %(platform)s you would owe %(amount)s.") % {
            "platform": label,
            "amount": owed_text(outcome),
        }
    if uncovered(outcome.coverage) > 0:
        return _(
            "With %(platform)s nobody is named to pay %(amount)s of the deficit: "
            "it may be claimed from you."
        ) % {"platform": label, "amount": uncovered_text(outcome)}
    return _("With %(platform)s you would owe nothing.") % {"platform": label}


def build_answer(
    evaluation: Evaluation,
    profile: ResolvedProfile | None,
    compared: list[Compared],
    scenario: Scenario | None = None,
) -> Answer:
    where = profile.platform.name if profile else _("these custom rules")
    outcome = evaluation.outcome
    if outcome is None:
        return Answer(liquidation_sentence(evaluation, where))
    details = [liquidation_sentence(evaluation), explanation(evaluation, scenario)]
    if fee := balance_fee(evaluation):
        # the deposit the headline counts does not include it: say it was lost besides
        details.append(
            _("The %(amount)s opening fee came from your balance, on top of the deposit.")
            % {"amount": money(fee, evaluation.margin_currency)}
        )
    headline, tone = _headline(evaluation, outcome, where)
    details.extend(filter(None, (_compared_sentence(other) for other in compared)))
    return Answer(headline, details, tone)


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
    words = {
        "where": profile.platform.name if profile else _("these custom rules"),
        "payers": pgettext("between payers in their order", ", then ").join(
            party_words(party) for party in order
        ),
    }
    claimed = order[-1] == Party.UNCOVERED
    if evaluation.outcome is not None and claimed:
        message = _(
            "No deficit at this move. If a gap past the bankruptcy price left one, on %(where)s "
            "it would be paid by %(payers)s: it may be claimed from you."
        )
    elif evaluation.outcome is not None:
        message = _(
            "No deficit at this move. If a gap past the bankruptcy price left one, on %(where)s "
            "it would be paid by %(payers)s."
        )
    elif claimed:
        message = _(
            "No deficit without a move. If a gap past the bankruptcy price left one, on "
            "%(where)s it would be paid by %(payers)s: it may be claimed from you."
        )
    else:
        message = _(
            "No deficit without a move. If a gap past the bankruptcy price left one, on "
            "%(where)s it would be paid by %(payers)s."
        )
    return message % words


def collateral_number(valued: ValuedCollateral) -> KeyNumber:
    """What the wallet's assets count for on the platform, beside what they are worth."""
    basket = valued.basket
    return KeyNumber(
        _("Collateral counted"),
        _("%(counted)s of %(worth)s (haircut %(haircut)s)")
        % {
            "counted": money(basket.collateral_value),
            "worth": money(basket.market_value),
            "haircut": money(basket.haircut),
        },
    )


def loan_liquidation_number(result: LoanLiquidation) -> KeyNumber:
    """The lender's liquidation at the scenario's price, call by call (engine/loan.py)."""
    calls = len(result.calls)
    repaid = sum((call.repaid for call in result.calls), Decimal(0))
    words = {
        "calls": calls,
        "repaid": money(repaid),
        "bonus": money(result.bonus_paid),
        "debt": money(result.bad_debt if result.bad_debt > 0 else result.debt_left),
    }
    if result.bad_debt > 0:
        text = ngettext(
            "%(calls)s call repays %(repaid)s; the liquidators' bonus costs you %(bonus)s; "
            "%(debt)s of debt is left with no collateral (bad debt)",
            "%(calls)s calls repay %(repaid)s; the liquidators' bonus costs you %(bonus)s; "
            "%(debt)s of debt is left with no collateral (bad debt)",
            calls,
        )
    elif result.healthy and result.debt_left > 0:
        text = ngettext(
            "%(calls)s call repays %(repaid)s; the liquidators' bonus costs you %(bonus)s; "
            "%(debt)s of debt stays open, healthy again",
            "%(calls)s calls repay %(repaid)s; the liquidators' bonus costs you %(bonus)s; "
            "%(debt)s of debt stays open, healthy again",
            calls,
        )
    else:
        text = ngettext(
            "%(calls)s call repays %(repaid)s; the liquidators' bonus costs you %(bonus)s",
            "%(calls)s calls repay %(repaid)s; the liquidators' bonus costs you %(bonus)s",
            calls,
        )
    return KeyNumber(_("Lender's liquidation"), text % words)
