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

from calculator.formatting import money, pct, times
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
        AdlPrice.BANKRUPTCY: "the bankruptcy price of the liquidated position",
        AdlPrice.MARK: "the mark price",
        AdlPrice.PREVIOUS_ORACLE: "the previous oracle price",
    }
    return words.get(rule.close_price, "a price our sources do not state")


def _pool_words(rule: AdlRule, profile: ResolvedProfile) -> str:
    name = profile.platform.name
    if rule.trigger == AdlTrigger.BACKSTOP_LOSS:
        return f"If {name}'s backstop vault loses past its limit or an account goes negative"
    if rule.trigger == AdlTrigger.LIQUIDITY_SUPPORT_FULL:
        return f"If {name}'s liquidity-support participants have no capacity left"
    pool = f"{name}'s insurance pool" + (
        f" for {profile.tier_symbol}" if profile.tier_symbol else ""
    )
    if rule.trigger == AdlTrigger.POOL_DRAWDOWN and rule.pool_loss_threshold is not None:
        return (
            f"If {pool} runs out, or losses drain {pct(rule.pool_loss_threshold, 0)} of its "
            f"peak within {rule.loss_window_hours or 8} hours"
        )
    return f"If {pool} runs out"


def _ranking_words(rule: AdlRule) -> str:
    words: dict[str, str] = {
        AdlRanking.PNL_TIMES_LEVERAGE: "the highest profit % × effective leverage first",
        AdlRanking.PROFIT_AND_LEVERAGE: "the most profitable, most leveraged positions first",
        AdlRanking.RANDOM: "starting from a random account on the other side",
    }
    return words.get(rule.ranking, "in an order our sources do not state")


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
    opening = f"{_pool_words(rule, profile)}, ADL closes profitable positions on the other side, "
    opening += f"{_ranking_words(rule)}."
    if move <= 0:
        return opening
    what = f"If the price moved {pct(move)} your way (to {money(favourable)})"
    if yours is None:
        if rule.close_price == AdlPrice.NOT_STATED:
            return (
                f"{opening} {what}, how much of your profit an ADL would keep depends on a "
                "closing price our sources do not state."
            )
        return (
            f"{opening} {what}, a trader on the other side with your entry and leverage would "
            "not yet be bankrupt; ADL would close you at the bankruptcy price of someone more "
            "leveraged, somewhere between your entry and that price."
        )
    if rule.close_price == AdlPrice.BANKRUPTCY:
        return (
            f"{opening} {what}, an ADL at {money(close_at)} (the bankruptcy price of a trader "
            f"with your entry and leverage on the other side) would leave you {money(yours.kept)} "
            f"of the {money(yours.profit)} profit the move gave you."
        )
    return (
        f"{opening} {what}, an ADL at {_close_words(rule)} leaves you the {money(yours.profit)} "
        "profit so far, but your position is gone: anything the market moves after that is not yours."
    )


def _adl_line(rule: AdlRule, name: str, move: Decimal, yours: AdlClose | None) -> str:
    if yours is not None and yours.profit > 0:
        return (
            f"Auto-deleveraging: had the same {pct(move)} move gone your way, an ADL on {name} "
            f"would leave you {money(yours.kept)} of the {money(yours.profit)} profit."
        )
    return f"Auto-deleveraging on {name}: {_ranking_words(rule)}, closed at {_close_words(rule)}."


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
                f"{profile.platform.name}'s score for that position: profit {pct(score.pnl_fraction)}"
                f" × effective leverage {times(score.effective_leverage)} = "
                f"{score.score.quantize(Decimal('0.0001'))}."
            )
        elif rule.ranking == AdlRanking.RANDOM:
            details.append(
                "No score to compute: the order starts from a random account (dYdX v4's code), "
                "though the help centre speaks of profit and leverage."
            )
        else:
            details.append(
                f"{profile.platform.name} ranks by profit and leverage; at that price your "
                f"profit is {pct(score.pnl_fraction)} and your effective leverage "
                f"{times(score.effective_leverage)}. Its exact formula is not in our sources, "
                "so we show the ingredients, not a score."
            )
    outcome = evaluation.outcome
    if other_side is not None and outcome is not None:
        if rule.close_price == AdlPrice.BANKRUPTCY:
            details.append(
                f"Your scenario leaves a {money(outcome.deficit)} deficit. If the fund cannot take "
                f"it, ADL closes a trader on the other side at your bankruptcy price, "
                f"{money(evaluation.bankruptcy_price)}: one with your size and entry would keep "
                f"{money(other_side.kept)} of the {money(other_side.profit)} the move gave them; "
                f"the {money(other_side.cost)} they give up is what covers your deficit."
            )
        else:
            details.append(
                f"Your scenario leaves a {money(outcome.deficit)} deficit. ADL at "
                f"{_close_words(rule)} closes a trader on the other side: one with your size and "
                f"entry keeps the {money(other_side.profit)} profit so far and loses the position."
            )
    return details


def _rank_note(rule: AdlRule, name: str) -> str:
    shown = (
        f" What you see of your place: {rule.indicator[:1].lower()}{rule.indicator[1:]}"
        if rule.indicator
        else ""
    )
    if rule.positions_public:
        return (
            f"Your rank is unknown here: {name}'s positions are public on-chain, so a rank "
            "could be computed from a snapshot of every position, but we hold none and do not "
            f"guess.{shown}"
        )
    return (
        f"Your rank is unknown: {name} does not publish everyone's positions, so nobody "
        f"outside can know your place in the queue.{shown}"
    )


# --- insurance fund ---------------------------------------------------------------------------


def _next_step(profile: ResolvedProfile) -> str:
    steps = [Party(step.party) for step in profile.scope.waterfall.all()]
    for index, party in enumerate(steps):
        if party in (Party.INSURANCE_FUND, Party.BACKSTOP_VAULT):
            later = steps[index + 1 :]
            return PARTY_LABELS[later[0].value] if later else ""
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
    if balance is None:
        parts.append(
            f"{profile.platform.name}'s {_lower_first(fund.name)}: our sources give no dated "
            "balance."
        )
    else:
        about = "about " if balance.is_approximate else ""
        parts.append(
            f"{profile.platform.name}'s {_lower_first(fund.name)} held {about}"
            f"{balance.amount.normalize():,f} {fund.currency} on {balance.as_of:%-d %B %Y}."
        )
        if covered is not None:
            whole = " (the whole fund, not the pool for your contract)" if not fund.symbols else ""
            parts.append(
                f"That would pay {covered:,} deficits like yours ({deficit_text} each){whole}."
            )
        elif outcome is not None and outcome.deficit > 0:
            parts.append(
                f"It is counted in {fund.currency} and your deficit in dollars, so we do not "
                "divide one by the other."
            )
        if is_old:
            parts.append(
                "That is the newest balance our sources give; it is old, and the platform "
                "publishes the live figure."
            )
    if next_step:
        parts.append(f"When it is spent, the next step is: {next_step.lower()}.")
    return FundView(
        fund=fund,
        balance=balance,
        deficits_covered=covered,
        next_step=next_step,
        sentence=" ".join(parts),
        is_old=is_old,
    )


# --- the law where you live -------------------------------------------------------------------


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
    where = Residence(residence).label
    name = profile.platform.name if profile is not None else "A custom platform"
    sentences: list[str] = []
    serves = None if terms is None else terms.serves
    if terms is not None and not terms.serves:
        sentences.append(f"{name}'s own terms exclude clients living here: {terms.note}")
    elif terms is not None:
        sentences.append(terms.note)
    applies: bool | None = None
    regulated = profile is not None and (
        profile.scope.protection == ProtectionStatus.REGULATORY_GUARANTEE
    )
    if rule is None:
        headline = (
            f"We hold no rule for clients {('in ' + where) if residence != 'other' else 'elsewhere'}: "
            "the platform's own terms decide."
        )
    else:
        headline = rule.answer
        if rule.uncertainty:
            sentences.append(f"Not settled: {_lower_first(rule.uncertainty)}")
        if rule.protection in (Protection.GUARANTEED, Protection.LIKELY):
            if regulated:
                applies = True
                sentences.append(
                    "The account you chose is a regulated retail CFD account, so this protection "
                    "applies to it."
                )
            elif profile is not None:
                applies = False
                regulator = rule.regulator.split(" and ")[0] or "the regulator"
                binds = (
                    "EU-authorised providers"
                    if residence == Residence.EU
                    else f"providers licensed by {regulator}"
                )
                sentences.append(
                    f"These rules bind {binds}. The account you chose ({profile.scope}) "
                    f"is one whose protection we record as “{profile.scope.get_protection_display().lower()}”, "
                    f"so on it the platform's terms and mechanisms decide, not {regulator}'s (our "
                    "reading; not legal advice)."
                )
        elif rule.protection == Protection.BANNED and profile is not None and not regulated:
            applies = False
            sentences.append(
                f"A firm acting in or from the UK may not sell you this; if {name} does from "
                "abroad, the FCA's protections do not come with it."
            )
        else:
            applies = False
    if residence == Residence.US and terms is None and profile is not None:
        sentences.append(
            f"We have no source on whether {name}'s terms accept US residents; most offshore "
            "exchanges do not."
        )
    if client_class == ClientClass.PROFESSIONAL and regulated:
        sentences.append(
            "As a professional client you would not be on this retail account: the professional "
            "one has no negative balance protection."
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
    if terms is not None and not terms.serves:
        return f"Where you trade from: {name}'s own terms exclude clients living in {where}."
    if rule is None:
        return f"Where you trade from: we hold no law for it; {name}'s own terms decide."
    year = f", {rule.in_force_from:%Y}" if rule.in_force_from else ""
    source = f"{rule.regulator.split(' and ')[0]}{year}"
    if applies:
        return (
            f"As a {client_class} client in {where} on a regulated CFD account you cannot lose "
            f"more than your deposit: {source}."
        )
    if rule.protection in (Protection.GUARANTEED, Protection.LIKELY):
        return (
            f"As a {client_class} client in {where}: negative balance protection binds "
            f"EU-authorised CFD providers ({source}; perpetual futures likely included since "
            f"24 February 2026); our {name} profile does not record this account as one, so it "
            "does not protect you here."
        )
    if rule.protection == Protection.BANNED:
        return (
            f"As a retail client in {where}: crypto derivatives may not be sold to you from the UK "
            f"({source}); {name} selling them from abroad brings no FCA protection."
        )
    if rule.protection == Protection.PROHIBITED:
        return (
            f"In {where} nothing caps your loss at your deposit: the {source.split(',')[0]} treats "
            "zeroing out a retail client's negative balance as a breach (FXCM, 2016)."
        )
    return (
        f"As a {client_class} client in {where}, no law caps your loss at your deposit "
        f"({source}): {name}'s own terms decide."
    )
