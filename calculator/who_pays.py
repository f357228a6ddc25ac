"""Who pays, completely: auto-deleveraging seen from the winning side, the insurance fund beside
the visitor's deficit, and the law where the visitor lives. For the page, the widget and the API.

The numbers come from the engine (engine/adl.py); the rules from the whopays app's cited
records. Where a source does not give a number (a rank, a balance, a formula), the sentences say
so instead of estimating one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from calculator.formatting import localize, long_date, money, number, pct, times
from calculator.forms import Calculation
from engine import Contract, Evaluation, Party, Side
from engine.adl import AdlClose, AdlScore, adl_close, ranking_score
from platforms.choices import ClientClass, ProtectionStatus
from platforms.choices import Party as PartyChoice
from platforms.models import Citation
from platforms.profiles import ResolvedProfile
from whopays.lookups import PlatformFacts, platform_facts, residence_rule
from whopays.models import (
    AdlPrice,
    AdlRanking,
    AdlRule,
    AdlTrigger,
    FundBalance,
    InsuranceFund,
    PlatformResidence,
    Protection,
    Residence,
    ResidenceRule,
)

ADL_CONTRACTS = (Contract.LINEAR, Contract.INVERSE)
# A favourable move for a short cannot take the price to 0; the mirror of a larger fall stops here.
MAX_FAVOURABLE_FALL = Decimal("0.99")
USD_LIKE = {"USD", "USDT", "USDC"}
PARTY_LABELS = dict(PartyChoice.choices)
OLD_AFTER = dt.timedelta(days=365)


@dataclass(frozen=True)
class AdlView:
    """ADL on this platform, for the trader on the other side of the visitor's loss and for the
    visitor's own position when the same move goes its way."""

    rule: AdlRule
    platform_name: str
    move: Decimal  # the size of the move, a fraction of entry
    favourable_price: Decimal  # the visitor's entry moved by `move` in the position's favour
    score: AdlScore | None  # the visitor's ingredients at that price (None past bankruptcy)
    scored_by_formula: bool  # the platform publishes the formula, so `score.score` is its own
    yours: AdlClose | None  # an ADL of the visitor's position at the stated close price
    other_side: AdlClose | None  # an ADL of the trader opposite the visitor's loss
    sentence: str
    details: list[str]
    rank_note: str
    line: str  # one short line, for the widget

    @property
    def citations(self) -> list[Citation]:
        return list(self.rule.citations.all())


@dataclass(frozen=True)
class FundView:
    fund: InsuranceFund
    balance: FundBalance | None
    deficits_covered: int | None  # whole deficits like the visitor's the balance would pay
    next_step: str  # what pays after the fund, from the scope's waterfall
    sentence: str
    is_old: bool

    @property
    def citations(self) -> list[Citation]:
        cited = list(self.balance.citations.all()) if self.balance else []
        return cited + list(self.fund.citations.all())


@dataclass(frozen=True)
class JurisdictionView:
    residence: str
    client_class: str
    rule: ResidenceRule | None
    terms: PlatformResidence | None
    platform_serves: bool | None  # None: no source on the platform's terms for this residence
    applies: bool | None  # the legal protection reaches this account (None: not settled)
    headline: str
    sentences: list[str]
    summary: str  # one line for the answer: the protection that applies here, and why

    @property
    def citations(self) -> list[Citation]:
        cited = list(self.rule.citations.all()) if self.rule else []
        return cited + (list(self.terms.citations.all()) if self.terms else [])


@dataclass(frozen=True)
class WhoPays:
    adl: AdlView | None = None
    fund: FundView | None = None
    jurisdiction: JurisdictionView | None = None
    notes: list[str] = field(default_factory=list)


def who_pays_for(
    calculation: Calculation, evaluation: Evaluation, choices: Mapping[str, Any]
) -> WhoPays:
    """For a valid form's calculation and evaluation; `choices` is its cleaned data (the
    visitor's `residence` and `client_class`)."""
    residence = choices.get("residence") or ""
    client_class = choices.get("client_class") or ""
    profile = calculation.profile
    facts = platform_facts(profile.platform) if profile is not None else None
    return WhoPays(
        adl=_adl_view(profile, facts, evaluation),
        fund=_fund_view(profile, facts, evaluation),
        jurisdiction=_jurisdiction_view(profile, facts, residence, client_class or "retail"),
    )


# --- ADL --------------------------------------------------------------------------------------


def _quantity(evaluation: Evaluation) -> Decimal:
    """Linear: base units; inverse: the USD face value (the engine's notional)."""
    if evaluation.position.contract == Contract.INVERSE:
        return evaluation.notional
    return evaluation.notional / evaluation.position.entry_price


def _mirror(price: Decimal, entry: Decimal, contract: Contract) -> Decimal | None:
    """The price as far from entry on the other side: linear in price, inverse in 1/price
    (where an inverse position's value is linear). None when it would not be positive."""
    if contract == Contract.INVERSE:
        inverse = 2 / entry - 1 / price
        return 1 / inverse if inverse > 0 else None
    mirrored = 2 * entry - price
    return mirrored if mirrored > 0 else None


def _close_words(rule: AdlRule) -> str:
    words: dict[str, str] = {
        AdlPrice.BANKRUPTCY: _("the bankruptcy price of the liquidated position"),
        AdlPrice.MARK: _("the mark price"),
        AdlPrice.PREVIOUS_ORACLE: _("the previous oracle price"),
    }
    return words.get(rule.close_price, _("a price our sources do not state"))


def _pool_words(rule: AdlRule, profile: ResolvedProfile) -> str:
    words = {"platform": profile.platform.name, "symbol": profile.tier_symbol}
    if rule.trigger == AdlTrigger.BACKSTOP_LOSS:
        return (
            _("If %(platform)s's backstop vault loses past its limit or an account goes negative")
            % words
        )
    if rule.trigger == AdlTrigger.LIQUIDITY_SUPPORT_FULL:
        return _("If %(platform)s's liquidity-support participants have no capacity left") % words
    words["pool"] = (
        _("%(platform)s's insurance pool for %(symbol)s") % words
        if profile.tier_symbol
        else _("%(platform)s's insurance pool") % words
    )
    if rule.trigger == AdlTrigger.POOL_DRAWDOWN and rule.pool_loss_threshold is not None:
        hours = rule.loss_window_hours or 8
        words.update(share=pct(rule.pool_loss_threshold, 0), hours=str(hours))
        return (
            ngettext(
                "If %(pool)s runs out, or losses drain %(share)s of its peak within %(hours)s hour",
                "If %(pool)s runs out, or losses drain %(share)s of its peak within %(hours)s hours",
                hours,
            )
            % words
        )
    return _("If %(pool)s runs out") % words


def _ranking_words(rule: AdlRule) -> str:
    words: dict[str, str] = {
        AdlRanking.PNL_TIMES_LEVERAGE: _("the highest profit % × effective leverage first"),
        AdlRanking.PROFIT_AND_LEVERAGE: _("the most profitable, most leveraged positions first"),
        AdlRanking.RANDOM: _("starting from a random account on the other side"),
    }
    return words.get(rule.ranking, _("in an order our sources do not state"))


def _adl_view(
    profile: ResolvedProfile | None, facts: PlatformFacts | None, evaluation: Evaluation
) -> AdlView | None:
    position = evaluation.position
    if (
        profile is None
        or facts is None
        or facts.adl_rule is None
        or position.contract not in ADL_CONTRACTS
        or evaluation.bankruptcy_price is None
        or evaluation.bankruptcy_price <= 0
    ):
        return None
    rule = facts.adl_rule
    entry = position.entry_price
    contract, side = position.contract, position.side
    winner = Side.SHORT if side == Side.LONG else Side.LONG
    quantity = _quantity(evaluation)
    outcome = evaluation.outcome
    reference = outcome.fill_price if outcome is not None else evaluation.bankruptcy_price
    move = abs(reference - entry) / entry
    sign = 1 if side == Side.LONG else -1
    if sign < 0:
        move = min(move, MAX_FAVOURABLE_FALL)
    favourable = entry * (1 + sign * move)
    score = (
        ranking_score(
            contract=contract,
            side=side,
            entry_price=entry,
            mark_price=favourable,
            bankruptcy_price=evaluation.bankruptcy_price,
        )
        if move > 0
        else None
    )
    # Where ADL closes the visitor: at the market (mark, oracle) or at a bankrupt counterparty's
    # price; we name one counterparty (your size, entry and leverage, on the other side) and say so.
    counterparty_bankruptcy = _mirror(evaluation.bankruptcy_price, entry, contract)
    yours: AdlClose | None = None
    close_at: Decimal | None = None
    if move > 0 and rule.close_price in (AdlPrice.MARK, AdlPrice.PREVIOUS_ORACLE):
        close_at = favourable
    elif (
        move > 0
        and rule.close_price == AdlPrice.BANKRUPTCY
        and counterparty_bankruptcy is not None
        and sign * (favourable - counterparty_bankruptcy) >= 0
    ):
        close_at = counterparty_bankruptcy
    if close_at is not None:
        yours = adl_close(
            contract=contract,
            side=side,
            entry_price=entry,
            quantity=quantity,
            market_price=favourable,
            close_price=close_at,
        )
    other_side: AdlClose | None = None
    if (
        outcome is not None
        and outcome.deficit > 0
        and outcome.fill_price > 0  # at a price of 0 nobody on the other side holds a price
        and rule.close_price != AdlPrice.NOT_STATED
    ):
        other_close = (
            evaluation.bankruptcy_price
            if rule.close_price == AdlPrice.BANKRUPTCY
            else outcome.fill_price
        )
        other_side = adl_close(
            contract=contract,
            side=winner,
            entry_price=entry,
            quantity=quantity,
            market_price=outcome.fill_price,
            close_price=other_close,
        )
    return AdlView(
        rule=rule,
        platform_name=profile.platform.name,
        move=move,
        favourable_price=favourable,
        score=score,
        scored_by_formula=rule.scores_by_formula,
        yours=yours,
        other_side=other_side,
        sentence=_adl_sentence(rule, profile, side, move, favourable, yours, close_at),
        details=_adl_details(rule, profile, evaluation, score, other_side),
        rank_note=_rank_note(rule, profile.platform.name),
        line=_adl_line(rule, profile.platform.name, move, yours),
    )


def _adl_sentence(
    rule: AdlRule,
    profile: ResolvedProfile,
    side: Side,
    move: Decimal,
    favourable: Decimal,
    yours: AdlClose | None,
    close_at: Decimal | None,
) -> str:
    opening = _(
        "%(condition)s, ADL closes profitable positions on the other side, %(ranking)s."
    ) % {
        "condition": _pool_words(rule, profile),
        "ranking": _ranking_words(rule),
    }
    if move <= 0:
        return opening
    words = {"move": pct(move), "price": money(favourable)}
    if yours is None:
        if rule.close_price == AdlPrice.NOT_STATED:
            then = _(
                "If the price moved %(move)s your way (to %(price)s), how much of your profit an "
                "ADL would keep depends on a closing price our sources do not state."
            )
        else:
            then = _(
                "If the price moved %(move)s your way (to %(price)s), a trader on the other side "
                "with your entry and leverage would not yet be bankrupt; ADL would close you at "
                "the bankruptcy price of someone more leveraged, somewhere between your entry and "
                "that price."
            )
        return f"{opening} {then % words}"
    words.update(kept=money(yours.kept), profit=money(yours.profit))
    if rule.close_price == AdlPrice.BANKRUPTCY:
        words["close"] = money(close_at)
        then = _(
            "If the price moved %(move)s your way (to %(price)s), an ADL at %(close)s (the "
            "bankruptcy price of a trader with your entry and leverage on the other side) would "
            "leave you %(kept)s of the %(profit)s profit the move gave you."
        )
    else:
        words["close"] = _close_words(rule)
        then = _(
            "If the price moved %(move)s your way (to %(price)s), an ADL at %(close)s leaves you "
            "the %(profit)s profit so far, but your position is gone: anything the market moves "
            "after that is not yours."
        )
    return f"{opening} {then % words}"


def _adl_line(rule: AdlRule, name: str, move: Decimal, yours: AdlClose | None) -> str:
    if yours is not None and yours.profit > 0:
        return _(
            "Auto-deleveraging: had the same %(move)s move gone your way, an ADL on %(platform)s "
            "would leave you %(kept)s of the %(profit)s profit."
        ) % {
            "move": pct(move),
            "platform": name,
            "kept": money(yours.kept),
            "profit": money(yours.profit),
        }
    return _("Auto-deleveraging on %(platform)s: %(ranking)s, closed at %(close)s.") % {
        "platform": name,
        "ranking": _ranking_words(rule),
        "close": _close_words(rule),
    }


def _adl_details(
    rule: AdlRule,
    profile: ResolvedProfile,
    evaluation: Evaluation,
    score: AdlScore | None,
    other_side: AdlClose | None,
) -> list[str]:
    details: list[str] = []
    if score is not None and score.pnl_fraction > 0:
        if rule.scores_by_formula:
            details.append(
                _(
                    "%(platform)s's score for that position: profit %(profit)s × effective "
                    "leverage %(leverage)s = %(score)s."
                )
                % {
                    "platform": profile.platform.name,
                    "profit": pct(score.pnl_fraction),
                    "leverage": times(score.effective_leverage),
                    "score": number(score.score, 4),
                }
            )
        elif rule.ranking == AdlRanking.RANDOM:
            details.append(
                _(
                    "No score to compute: the order starts from a random account (dYdX v4's "
                    "code), though the help centre speaks of profit and leverage."
                )
            )
        else:
            details.append(
                _(
                    "%(platform)s ranks by profit and leverage; at that price your profit is "
                    "%(profit)s and your effective leverage %(leverage)s. Its exact formula is not "
                    "in our sources, so we show the ingredients, not a score."
                )
                % {
                    "platform": profile.platform.name,
                    "profit": pct(score.pnl_fraction),
                    "leverage": times(score.effective_leverage),
                }
            )
    outcome = evaluation.outcome
    if other_side is not None and outcome is not None:
        if rule.close_price == AdlPrice.BANKRUPTCY:
            details.append(
                _(
                    "Your scenario leaves a %(deficit)s deficit. If the fund cannot take it, ADL "
                    "closes a trader on the other side at your bankruptcy price, %(bankruptcy)s: "
                    "one with your size and entry would keep %(kept)s of the %(profit)s the move "
                    "gave them; the %(cost)s they give up is what covers your deficit."
                )
                % {
                    "deficit": money(outcome.deficit),
                    "bankruptcy": money(evaluation.bankruptcy_price),
                    "kept": money(other_side.kept),
                    "profit": money(other_side.profit),
                    "cost": money(other_side.cost),
                }
            )
        else:
            details.append(
                _(
                    "Your scenario leaves a %(deficit)s deficit. ADL at %(close)s closes a trader "
                    "on the other side: one with your size and entry keeps the %(profit)s profit so "
                    "far and loses the position."
                )
                % {
                    "deficit": money(outcome.deficit),
                    "close": _close_words(rule),
                    "profit": money(other_side.profit),
                }
            )
    return details


def _rank_note(rule: AdlRule, name: str) -> str:
    shown = (
        " "
        + _("What you see of your place: %(indicator)s")
        % {"indicator": rule.indicator[:1].lower() + rule.indicator[1:]}
        if rule.indicator
        else ""
    )
    if rule.positions_public:
        return (
            _(
                "Your rank is unknown here: %(platform)s's positions are public on-chain, so a "
                "rank could be computed from a snapshot of every position, but we hold none and do "
                "not guess."
            )
            % {"platform": name}
            + shown
        )
    return (
        _(
            "Your rank is unknown: %(platform)s does not publish everyone's positions, so nobody "
            "outside can know your place in the queue."
        )
        % {"platform": name}
        + shown
    )


# --- insurance fund ---------------------------------------------------------------------------


def _next_step(profile: ResolvedProfile) -> str:
    steps = [Party(step.party) for step in profile.scope.waterfall.all()]
    for index, party in enumerate(steps):
        if party in (Party.INSURANCE_FUND, Party.BACKSTOP_VAULT):
            later = steps[index + 1 :]
            return str(PARTY_LABELS[later[0].value]) if later else ""
    return ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _fund_view(
    profile: ResolvedProfile | None, facts: PlatformFacts | None, evaluation: Evaluation
) -> FundView | None:
    if profile is None or facts is None:
        return None
    fund = facts.fund_for(profile.tier_symbol)
    if fund is None:
        return None
    balances = list(fund.balances.all())
    balance = balances[0] if balances else None
    outcome = evaluation.outcome
    deficit, deficit_text = None, ""
    if outcome is not None and outcome.deficit > 0:
        if fund.currency.upper() in USD_LIKE:
            deficit, deficit_text = outcome.deficit, money(outcome.deficit)
        elif outcome.deficit_in_coin is not None:
            deficit, deficit_text = outcome.deficit_in_coin, money(outcome.deficit_in_coin, "coin")
    covered = int(balance.amount // deficit) if balance is not None and deficit else None
    next_step = _next_step(profile)
    is_old = balance is not None and timezone.localdate() - balance.as_of > OLD_AFTER
    parts: list[str] = []
    words = {
        "platform": profile.platform.name,
        "fund": _lower_first(fund.name),
        "currency": fund.currency,
        "deficit": deficit_text,
    }
    if balance is None:
        parts.append(_("%(platform)s's %(fund)s: our sources give no dated balance.") % words)
    else:
        words.update(
            amount=localize(f"{balance.amount.normalize():,f}"), date=long_date(balance.as_of)
        )
        if balance.is_approximate:
            parts.append(
                _("%(platform)s's %(fund)s held about %(amount)s %(currency)s on %(date)s.") % words
            )
        else:
            parts.append(
                _("%(platform)s's %(fund)s held %(amount)s %(currency)s on %(date)s.") % words
            )
        if covered is not None:
            words["count"] = localize(f"{covered:,}")
            if fund.symbols:
                message = ngettext(
                    "That would pay %(count)s deficit like yours (%(deficit)s each).",
                    "That would pay %(count)s deficits like yours (%(deficit)s each).",
                    covered,
                )
            else:
                message = ngettext(
                    "That would pay %(count)s deficit like yours (%(deficit)s each) (the whole "
                    "fund, not the pool for your contract).",
                    "That would pay %(count)s deficits like yours (%(deficit)s each) (the whole "
                    "fund, not the pool for your contract).",
                    covered,
                )
            parts.append(message % words)
        elif outcome is not None and outcome.deficit > 0:
            parts.append(
                _(
                    "It is counted in %(currency)s and your deficit in dollars, so we do not "
                    "divide one by the other."
                )
                % words
            )
        if is_old:
            parts.append(
                _(
                    "That is the newest balance our sources give; it is old, and the platform "
                    "publishes the live figure."
                )
            )
    if next_step:
        parts.append(
            _("When it is spent, the next step is: %(step)s.") % {"step": next_step.lower()}
        )
    return FundView(
        fund=fund,
        balance=balance,
        deficits_covered=covered,
        next_step=next_step,
        sentence=" ".join(parts),
        is_old=is_old,
    )


# --- the law where you live -------------------------------------------------------------------


# Marked here so that the residence and client-class names read in the visitor's language inside
# the sentences below (the model's own labels stay as they are for the admin and the API).
PLACE_NAMES = {
    "eu": gettext_noop("European Union / EEA"),
    "uk": gettext_noop("United Kingdom"),
    "us": gettext_noop("United States"),
    "au": gettext_noop("Australia"),
    "jp": gettext_noop("Japan"),
    "other": gettext_noop("Elsewhere"),
}
CLIENT_WORDS = {"retail": gettext_noop("retail"), "professional": gettext_noop("professional")}


def _place(residence: str) -> str:
    return (
        _(PLACE_NAMES[residence]) if residence in PLACE_NAMES else str(Residence(residence).label)
    )


def _client(client_class: str) -> str:
    return _(CLIENT_WORDS[client_class]) if client_class in CLIENT_WORDS else client_class


def _jurisdiction_view(
    profile: ResolvedProfile | None,
    facts: PlatformFacts | None,
    residence: str,
    client_class: str,
) -> JurisdictionView | None:
    if not residence:
        return None
    rule = residence_rule(residence, client_class)
    terms = facts.residences.get(residence) if facts is not None else None
    where = _place(residence)
    name = profile.platform.name if profile is not None else _("A custom platform")
    sentences: list[str] = []
    serves = None if terms is None else terms.serves
    if terms is not None and not terms.serves:
        sentences.append(
            _("%(name)s's own terms exclude clients living here: %(note)s")
            % {"name": name, "note": terms.note}
        )
    elif terms is not None:
        sentences.append(terms.note)
    applies: bool | None = None
    regulated = profile is not None and (
        profile.scope.protection == ProtectionStatus.REGULATORY_GUARANTEE
    )
    if rule is None:
        headline = (
            _("We hold no rule for clients in %(where)s: the platform's own terms decide.")
            % {"where": where}
            if residence != "other"
            else _("We hold no rule for clients elsewhere: the platform's own terms decide.")
        )
    else:
        headline = rule.answer
        if rule.uncertainty:
            sentences.append(
                _("Not settled: %(uncertainty)s") % {"uncertainty": _lower_first(rule.uncertainty)}
            )
        if rule.protection in (Protection.GUARANTEED, Protection.LIKELY):
            if regulated:
                applies = True
                sentences.append(
                    _(
                        "The account you chose is a regulated retail CFD account, so this "
                        "protection applies to it."
                    )
                )
            elif profile is not None:
                applies = False
                regulator = rule.regulator.split(" and ")[0] or _("the regulator")
                account = {
                    "scope": profile.scope,
                    "protection": profile.scope.get_protection_display().lower(),
                    "regulator": regulator,
                }
                if residence == Residence.EU:
                    binds = _(
                        "These rules bind EU-authorised providers. The account you chose "
                        "(%(scope)s) is one whose protection we record as “%(protection)s”, so on "
                        "it the platform's terms and mechanisms decide, not %(regulator)s's (our "
                        "reading; not legal advice)."
                    )
                else:
                    binds = _(
                        "These rules bind providers licensed by %(regulator)s. The account you "
                        "chose (%(scope)s) is one whose protection we record as “%(protection)s”, "
                        "so on it the platform's terms and mechanisms decide, not %(regulator)s's "
                        "(our reading; not legal advice)."
                    )
                sentences.append(binds % account)
        elif rule.protection == Protection.BANNED and profile is not None and not regulated:
            applies = False
            sentences.append(
                _(
                    "A firm acting in or from the UK may not sell you this; if %(name)s does from "
                    "abroad, the FCA's protections do not come with it."
                )
                % {"name": name}
            )
        else:
            applies = False
    if residence == Residence.US and terms is None and profile is not None:
        sentences.append(
            _(
                "We have no source on whether %(name)s's terms accept US residents; most "
                "offshore exchanges do not."
            )
            % {"name": name}
        )
    if client_class == ClientClass.PROFESSIONAL and regulated:
        sentences.append(
            _(
                "As a professional client you would not be on this retail account: the "
                "professional one has no negative balance protection."
            )
        )
    summary = _summary(rule, terms, applies, name, where, client_class)
    return JurisdictionView(
        residence=residence,
        client_class=client_class,
        rule=rule,
        terms=terms,
        platform_serves=serves,
        applies=applies,
        headline=headline,
        sentences=[s for s in sentences if s],
        summary=summary,
    )


def _summary(
    rule: ResidenceRule | None,
    terms: PlatformResidence | None,
    applies: bool | None,
    name: str,
    where: str,
    client_class: str,
) -> str:
    """The protection that applies where the visitor lives, and why, in one line."""
    words = {"name": name, "where": where, "client": _client(client_class)}
    if terms is not None and not terms.serves:
        return (
            _("Where you trade from: %(name)s's own terms exclude clients living in %(where)s.")
            % words
        )
    if rule is None:
        return (
            _("Where you trade from: we hold no law for it; %(name)s's own terms decide.") % words
        )
    year = f", {rule.in_force_from:%Y}" if rule.in_force_from else ""
    words["source"] = f"{rule.regulator.split(' and ')[0]}{year}"
    words["regulator"] = rule.regulator.split(" and ")[0]
    if applies:
        message = _(
            "As a %(client)s client in %(where)s on a regulated CFD account you cannot lose "
            "more than your deposit: %(source)s."
        )
    elif rule.protection in (Protection.GUARANTEED, Protection.LIKELY) and (
        rule.residence == Residence.EU
    ):
        message = _(
            "As a %(client)s client in %(where)s: negative balance protection binds "
            "EU-authorised CFD providers (%(source)s; perpetual futures likely included since "
            "24 February 2026); our %(name)s profile does not record this account as one, so it "
            "does not protect you here."
        )
    elif rule.protection in (Protection.GUARANTEED, Protection.LIKELY):
        message = _(
            "As a %(client)s client in %(where)s: negative balance protection binds CFD "
            "providers licensed by %(regulator)s (%(source)s); our %(name)s profile does not "
            "record this account as one, so it does not protect you here."
        )
    elif rule.protection == Protection.BANNED:
        message = _(
            "As a retail client in %(where)s: crypto derivatives may not be sold to you from the "
            "UK (%(source)s); %(name)s selling them from abroad brings no FCA protection."
        )
    elif rule.protection == Protection.PROHIBITED:
        message = _(
            "In %(where)s nothing caps your loss at your deposit: the %(regulator)s treats "
            "zeroing out a retail client's negative balance as a breach (FXCM, 2016)."
        )
    else:
        message = _(
            "As a %(client)s client in %(where)s, no law caps your loss at your deposit "
            "(%(source)s): %(name)s's own terms decide."
        )
    return message % words
