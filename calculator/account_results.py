"""Everything the account page and `POST /api/v1/account` show for one account: the one path
from the account form and its positions to the engine (as `results.evaluate_form` is for one
position), the compared platforms, and the answer in words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from calculator.account_forms import (
    PREFIX,
    AccountForm,
    PositionFormSet,
    build_account,
)
from calculator.engine_errors import engine_error_text
from calculator.formatting import money, pct
from calculator.wording import party_words
from engine import (
    AccountEvaluation,
    EngineInputError,
    MapSeries,
    PositionResult,
    Side,
    evaluate_account,
)
from platforms.models import Platform
from platforms.profiles import ProfileLookupError, ResolvedProfile, platform_list, snapshot

_POSITION_FIELD = re.compile(r"^positions\[(\d+)\]\.(\w+)$")


@dataclass(frozen=True)
class ComparedAccount:
    """The same account on another platform (its own rules, no overrides), or why not."""

    slug: str
    label: str
    evaluation: AccountEvaluation | None
    problem: str = ""


@dataclass(frozen=True)
class AccountEvaluated:
    form: AccountForm
    formset: Any  # PositionFormSet
    evaluation: AccountEvaluation | None = None
    profile: ResolvedProfile | None = None
    rows: list[int] = field(default_factory=list)  # form index of each engine position
    compared: list[ComparedAccount] = field(default_factory=list)

    @property
    def platform_name(self) -> str:
        return self.profile.platform.name if self.profile else _("custom rules")


def account_forms(
    data: QueryDict | dict[str, Any] | None, platforms: list[Platform] | None = None
) -> tuple[AccountForm, Any]:
    platforms = platform_list() if platforms is None else platforms
    return AccountForm(data, platforms=platforms), PositionFormSet(data, prefix=PREFIX)


def _add_engine_error(evaluated: AccountEvaluated, rows: list[int], name: str, message: str):
    match = _POSITION_FIELD.match(name)
    if match is not None and int(match[1]) < len(rows):
        form = evaluated.formset.forms[rows[int(match[1])]]
        field_name = match[2]
        form.add_error(field_name if field_name in form.fields else None, message)
    else:
        form = evaluated.form
        form.add_error(name if name in form.fields else None, message)


def evaluate_account_forms(form: AccountForm, formset: Any) -> AccountEvaluated:
    """The account's evaluation, or the forms with their errors on the fields at fault (an
    engine error names its position, "positions[2].entry_price")."""
    evaluated = AccountEvaluated(form, formset)
    valid = form.is_valid() & formset.is_valid()
    if not valid:
        return evaluated
    filled = formset.positions()
    rows = [index for index, _data in filled]
    platform = form.cleaned_data.get("platform_row")
    try:
        account, profile = build_account(form, filled, platform)
        evaluation = evaluate_account(account=account)
    except ProfileLookupError as error:
        _add_engine_error(evaluated, rows, error.field, error.message)
        return evaluated
    except EngineInputError as error:
        _add_engine_error(evaluated, rows, error.field, engine_error_text(error))
        return evaluated
    compared = []
    main = platform.slug if platform is not None else None
    for slug in dict.fromkeys(form.cleaned_data.get("compare") or []):
        other = snapshot().platforms.get(slug)
        if other is None or slug == main:
            continue
        try:
            other_account, _profile = build_account(form, filled, other, overrides=False)
            other_evaluation = evaluate_account(account=other_account)
        except ProfileLookupError as error:
            compared.append(ComparedAccount(slug, other.name, None, error.message))
            continue
        except EngineInputError as error:
            compared.append(ComparedAccount(slug, other.name, None, engine_error_text(error)))
            continue
        compared.append(ComparedAccount(slug, other.name, other_evaluation))
    return AccountEvaluated(form, formset, evaluation, profile, rows, compared)


def evaluate_account_query(data: QueryDict | dict[str, Any]) -> AccountEvaluated:
    return evaluate_account_forms(*account_forms(data))


# --- in words ------------------------------------------------------------------------------


def distance_alone(position: PositionResult) -> Decimal | None:
    price = position.liquidation_price_alone
    if price is None:
        return None
    sign = 1 if position.side == Side.LONG else -1
    return sign * (position.mark_price - price) / position.mark_price


def nearest_to_liquidation(evaluation: AccountEvaluation) -> PositionResult | None:
    candidates = [p for p in evaluation.positions if p.distance_to_liquidation is not None]
    return min(candidates, key=lambda p: p.distance_to_liquidation) if candidates else None  # type: ignore[arg-type,return-value]


def _cuts_most(evaluation: AccountEvaluation, nearest: PositionResult) -> PositionResult | None:
    """The other cross position that takes the most room: its loss plus its maintenance."""
    others = [
        p
        for p in evaluation.positions
        if p is not nearest and p.margin_mode == "cross" and p.quantity > 0
    ]
    if not others:
        return None
    return min(others, key=lambda p: p.unrealized_pnl - p.maintenance_margin)


def account_answer(evaluation: AccountEvaluation) -> str:
    """The answer for the account in one sentence: "Your ETHUSDT short leaves your BTCUSDT long
    0.6% from liquidation (alone it would be 9.5% away)"."""
    if any(w.code == "account_liquidated" for w in evaluation.warnings):
        return _(
            "At these marks the account's margin balance is already at or below its "
            "maintenance margin: it would be liquidated now."
        )
    nearest = nearest_to_liquidation(evaluation)
    if nearest is None:
        return _("No price move liquidates this account: its margin covers any move.")
    distance = pct(nearest.distance_to_liquidation, 1)
    price = money(nearest.liquidation_price)
    culprit = _cuts_most(evaluation, nearest) if nearest.margin_mode == "cross" else None
    alone = distance_alone(nearest)
    if culprit is not None and alone is not None and alone != nearest.distance_to_liquidation:
        return _(
            "Your %(culprit)s leaves your %(position)s %(distance)s from liquidation, at "
            "%(price)s (alone on this wallet it would be %(alone)s away)."
        ) % {
            "culprit": position_name(culprit),
            "position": position_name(nearest),
            "distance": distance,
            "price": price,
            "alone": pct(alone, 1),
        }
    return _("Your %(position)s is %(distance)s from liquidation, at %(price)s.") % {
        "position": position_name(nearest),
        "distance": distance,
        "price": price,
    }


def position_name(position: PositionResult) -> str:
    """A position as the answer and the table name it, in the visitor's language: "BTCUSDT
    long", or "position 2 long" without a symbol (the engine names it in English)."""
    if not position.symbol:
        words = {"number": position.merged[0] + 1 if position.merged else 1}
        if position.side == Side.LONG:
            return pgettext("account position", "position %(number)s long") % words
        return pgettext("account position", "position %(number)s short") % words
    if position.side == Side.LONG:
        return pgettext("account position", "%(symbol)s long") % {"symbol": position.symbol}
    return pgettext("account position", "%(symbol)s short") % {"symbol": position.symbol}


def deepest_series(evaluation: AccountEvaluation) -> MapSeries | None:
    """The series of the map whose deepest deficit is largest (every mark, or one symbol)."""
    short = [s for s in evaluation.liquidation_map if s.shortfall is not None]
    return max(short, key=lambda s: s.shortfall.deficit) if short else None  # type: ignore[union-attr]


def who_pays_words(evaluated: AccountEvaluated) -> str:
    """Past bankruptcy: the deepest deficit on the map, and who pays it on the platform."""
    evaluation = evaluated.evaluation
    if evaluation is None or not evaluation.liquidation_map:
        return ""
    series = deepest_series(evaluation)
    currency = evaluation.currency
    if series is None or series.shortfall is None:
        return _(
            "Within a 90% move of the marks the account never falls below zero: "
            "no deficit is left for anyone to pay."
        )
    shortfall = series.shortfall
    parts = [c for c in shortfall.coverage if c.amount > 0]
    payers = pgettext("between payers", "; ").join(
        _("%(amount)s by %(payer)s")
        % {"amount": money(c.amount, currency), "payer": party_words(c.party)}
        for c in parts
    )
    words = {
        "symbol": series.label,
        "move": pct(abs(shortfall.move), 0),
        "deficit": money(shortfall.deficit, currency),
    }
    if series.key == "all":
        moved = (
            _("If every mark rises %(move)s, the account is %(deficit)s below zero.")
            if shortfall.move > 0
            else _("If every mark falls %(move)s, the account is %(deficit)s below zero.")
        )
    else:
        moved = (
            _("If %(symbol)s alone rises %(move)s, the account is %(deficit)s below zero.")
            if shortfall.move > 0
            else _("If %(symbol)s alone falls %(move)s, the account is %(deficit)s below zero.")
        )
    paid = (
        _("On %(platform)s that deficit is paid %(payers)s.")
        % {"platform": evaluated.platform_name, "payers": payers}
        if evaluated.profile
        else _("With custom rules (no protection assumed) that deficit is paid %(payers)s.")
        % {"payers": payers}
    )
    return f"{moved % words} {paid}"
