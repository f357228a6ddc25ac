""" "Show the maths": the formulas worked step by step with the visitor's own numbers.

Display only. The numbers come from the engine's evaluation; this module writes them into the
formulas the engine used (docs/design.md) so a reader can check them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from calculator.answer import deficit_text
from calculator.formatting import localize, money, pct, times
from engine import (
    Contract,
    CrossMarginSharing,
    Evaluation,
    MaintenanceBasis,
    Side,
    balance_fee,
    fee_in_maintenance,
    maintenance_rules,
)
from platforms.choices import CONVENTION_PHRASES


@dataclass(frozen=True)
class Step:
    name: str
    formula: str
    worked: str


def _num(value: Decimal, places: str = "0.00000001") -> str:
    text = f"{value.quantize(Decimal(places)):,f}"
    return localize(text.rstrip("0").rstrip(".") if "." in text else text)


def worked_steps(evaluation: Evaluation) -> list[Step]:
    position = evaluation.position
    contract = Contract(position.contract)
    if contract == Contract.INVERSE:
        steps = _inverse(evaluation)
    elif contract == Contract.LOAN:
        steps = _loan(evaluation)
    elif contract == Contract.SPOT_MARGIN:
        steps = _spot_margin(evaluation)
    else:
        steps = _linear(evaluation)
    steps.extend(_conventions(evaluation))
    outcome = evaluation.outcome
    if outcome is not None and outcome.deficit > 0:
        steps.append(
            Step(
                _("Deficit after the fill"),
                _("D = what equity is below zero at the fill price"),
                _("D = %(deficit)s (fill at %(fill)s, bankruptcy at %(bankruptcy)s)")
                % {
                    "deficit": deficit_text(outcome),
                    "fill": money(outcome.fill_price),
                    "bankruptcy": money(evaluation.bankruptcy_price),
                },
            )
        )
    return steps


def _conventions(evaluation: Evaluation) -> list[Step]:
    """The platform's own rules that changed the numbers above: the fee to close it reserves,
    the steps of a partial liquidation (docs/design.md, "Each platform's own rules")."""
    currency = evaluation.margin_currency
    rules = evaluation.rules
    steps = []
    if evaluation.close_fee_reserve:
        held = rules.close_fee_reserved and evaluation.position.margin_mode == "isolated"
        if held and rules.close_fee_in_maintenance:
            worked = _(
                "%(fee)s at %(rate)s taker fee, held in M on top of the initial margin and "
                "added to maintenance"
            )
        elif held:
            worked = _("%(fee)s at %(rate)s taker fee, held in M on top of the initial margin")
        elif rules.close_fee_in_maintenance:
            worked = _("%(fee)s at %(rate)s taker fee, added to maintenance")
        else:
            worked = _("%(fee)s at %(rate)s taker fee, in the wallet")
        fee = {
            "fee": money(evaluation.close_fee_reserve, currency),
            "rate": pct(rules.taker_fee, 4),
        }
        steps.append(
            Step(
                _("Fee to close, at the bankruptcy price"),
                _("fee to close = taker fee × Q × P_bk (the bankruptcy price before the fee)"),
                worked % fee,
            )
        )
    if evaluation.unchecked:
        steps.append(
            Step(
                _("Checked against the platform?"),
                _("each convention is tested against a worked example the platform published"),
                _(
                    "No published example checks %(conventions)s: these numbers follow the "
                    "platform's own formula for it."
                )
                % {
                    "conventions": "; ".join(
                        str(CONVENTION_PHRASES[c]) for c in evaluation.unchecked
                    )
                },
            )
        )
    for number, step in enumerate(evaluation.liquidation_steps, start=1):
        words = {
            "price": money(step.price),
            "before": _num(step.quantity_before),
            "after": _num(step.quantity_after) if step.quantity_after else "",
            "tier_before": step.tier_before,
            "tier_after": step.tier_after,
            "fee": money(step.fee, currency),
            "equity": money(step.equity_after, currency),
            "maintenance": money(step.maintenance_after, currency),
            "next": money(step.next_liquidation_price),
        }
        if step.quantity_after and step.survives:
            worked = _(
                "at %(price)s: cut from %(before)s to %(after)s (tier %(tier_before)s → "
                "%(tier_after)s), fee %(fee)s; equity %(equity)s against maintenance "
                "%(maintenance)s: it stays open, next liquidation at %(next)s"
            )
        elif step.quantity_after:
            worked = _(
                "at %(price)s: cut from %(before)s to %(after)s (tier %(tier_before)s → "
                "%(tier_after)s), fee %(fee)s; equity %(equity)s against maintenance "
                "%(maintenance)s: still below, so the next step follows"
            )
        else:
            worked = _("at %(price)s: the remaining %(before)s is taken over, fee %(fee)s")
        steps.append(
            Step(
                _("Partial liquidation, step %(number)s") % {"number": number},
                _("cut to the cap of the tier below; stop once equity is above its maintenance"),
                worked % words,
            )
        )
    return steps


def _costs(evaluation: Evaluation) -> str:
    """The costs taken out of M, and an opening fee the platform took from the balance
    instead (Bitget), which M does not include."""
    currency = evaluation.margin_currency
    outside = balance_fee(evaluation)
    parts = []
    if evaluation.open_fee and not outside:
        parts.append(_("opening fee %(amount)s") % {"amount": money(evaluation.open_fee, currency)})
    if evaluation.funding_paid:
        parts.append(_("funding %(amount)s") % {"amount": money(evaluation.funding_paid, currency)})
    if evaluation.interest_paid:
        amount = money(evaluation.interest_paid, currency)
        parts.append(_("interest %(amount)s") % {"amount": amount})
    text = _(", after %(costs)s") % {"costs": ", ".join(parts)} if parts else ""
    if outside:
        text += _("; the %(fee)s opening fee came from the balance, not from M") % {
            "fee": money(outside, currency)
        }
    return text


def _linear(evaluation: Evaluation) -> list[Step]:
    position = evaluation.position
    entry = position.entry_price
    s = 1 if Side(position.side) == Side.LONG else -1
    quantity = evaluation.notional / entry
    margin = evaluation.margin
    steps = [
        Step(
            _("Size"),
            _("Q = notional / E"),
            f"Q = {money(evaluation.notional)} / {money(entry)} = {_num(quantity)}",
        ),
        Step(
            _("Margin at stake"),
            _margin_formula(evaluation),
            _("M = %(margin)s (leverage %(leverage)s%(costs)s)")
            % {
                "margin": money(margin),
                "leverage": times(evaluation.leverage),
                "costs": _costs(evaluation),
            },
        ),
        _maintenance_step(evaluation),
        _linear_bankruptcy(evaluation, entry=entry, s=s, margin=margin, quantity=quantity),
    ]
    if evaluation.rules.maintenance_basis == MaintenanceBasis.ENTRY:
        formula = _("P_liq = E + s·(MM_entry − M) / Q  (maintenance on the entry notional)")
    else:
        formula = _(
            "P_liq = (M − s·Q·E + cum) / (Q·(mmr − s))  (maintenance on the mark-price notional)"
        )
    steps.append(
        Step(
            _("Liquidation price (equity = maintenance)"),
            formula,
            _("P_liq = %(price)s, %(distance)s from entry")
            % {
                "price": money(evaluation.liquidation_price),
                "distance": pct(evaluation.distance_to_liquidation),
            },
        )
    )
    return steps


def _margin_formula(evaluation: Evaluation) -> str:
    if evaluation.position.margin_mode == "isolated":
        return _("M = notional / leverage − costs")
    if evaluation.rules.cross_margin_sharing == CrossMarginSharing.PROPORTIONAL:
        # KuCoin: the margin is shared by value, not left whole to each position
        return _("M = (wallet + other PnL) × value / (value + other positions' value) − costs")
    return _("M = wallet − other maintenance + other PnL − costs")


def _linear_bankruptcy(
    evaluation: Evaluation, *, entry: Decimal, s: int, margin: Decimal, quantity: Decimal
) -> Step:
    held = evaluation.opened.close_fee_held if evaluation.opened is not None else Decimal(0)
    sign = "−" if s > 0 else "+"
    if not held:
        return Step(
            _("Bankruptcy price (equity = 0)"),
            "P_bk = E − s·M / Q",
            f"P_bk = {money(entry)} {sign} {money(margin)} / {_num(quantity)} = "
            f"{money(evaluation.bankruptcy_price)}",
        )
    # Bybit, Phemex: M also holds the fee to close, which is what is left at bankruptcy
    return Step(
        _("Bankruptcy price (what is left pays the fee to close)"),
        _("P_bk = E − s·(M − fee to close) / Q"),
        f"P_bk = {money(entry)} {sign} ({money(margin)} − {money(held)}) / {_num(quantity)} = "
        f"{money(evaluation.bankruptcy_price)}",
    )


def _maintenance_step(evaluation: Evaluation) -> Step:
    mmr = evaluation.maintenance_margin_rate
    words = {
        "mmr": pct(mmr, 4),
        "cum": money(evaluation.maintenance_amount),
        "mm": money(evaluation.maintenance_margin),
    }
    cross = evaluation.position.margin_mode == "cross"
    fee = fee_in_maintenance(maintenance_rules(evaluation.rules, cross=cross))
    if not fee:
        worked = _("mmr = %(mmr)s, cum = %(cum)s; at entry MM = %(mm)s") % words
        return Step(_("Maintenance margin"), _("MM = notional × mmr − cum"), worked)
    # Bitget keeps the fee to close inside maintenance: its published rate plus the taker fee
    return Step(
        _("Maintenance margin"),
        _("MM = notional × (tier rate + taker fee) − cum"),
        _("mmr = %(rate)s + %(fee)s taker fee = %(mmr)s, cum = %(cum)s; at entry MM = %(mm)s")
        % {**words, "rate": pct(mmr - fee, 4), "fee": pct(fee, 4)},
    )


def _inverse(evaluation: Evaluation) -> list[Step]:
    position = evaluation.position
    entry = position.entry_price
    face = evaluation.notional
    return [
        Step(_("Size"), _("N = contracts × contract value (USD)"), f"N = {money(face)}"),
        Step(
            _("Margin at stake (coin)"),
            _("M = N / (E × leverage) − costs"),
            f"M = {money(evaluation.margin, 'coin')}{_costs(evaluation)}",
        ),
        Step(
            _("Bankruptcy price"),
            "P_bk = 1 / (1/E + s·M/N)",
            f"P_bk = {money(evaluation.bankruptcy_price)}"
            + (
                ""
                if evaluation.bankruptcy_price
                else " " + _("(none: a short at 1× or less cannot go bankrupt)")
            ),
        ),
        Step(
            _("Liquidation price"),
            "P_liq = N·(mmr + s) / (M + cum + s·N/E)",
            _("mmr = %(mmr)s; P_liq = %(price)s (%(distance)s from %(entry)s)")
            % {
                "mmr": pct(evaluation.maintenance_margin_rate, 4),
                "price": money(evaluation.liquidation_price),
                "distance": pct(evaluation.distance_to_liquidation),
                "entry": money(entry),
            },
        ),
        Step(
            _("Equity in USD"),
            "equity_USD(P) = (M + s·N·(1/E − 1/P)) × P",
            _("The collateral is the coin itself, so its dollar value moves with the price too."),
        ),
    ]


def _spot_margin(evaluation: Evaluation) -> list[Step]:
    level = evaluation.rules.liquidation_margin_level
    pair_leverage = evaluation.rules.used_margin_leverage
    if pair_leverage is not None:
        return _kraken_spot_margin(evaluation, level, pair_leverage)
    return [
        Step(
            _("Position"),
            _("assets = your deposit × leverage; debt = the borrowed part"),
            _("notional %(notional)s, deposit %(deposit)s")
            % {"notional": money(evaluation.notional), "deposit": money(evaluation.initial_margin)},
        ),
        Step(
            _("Margin level"),
            _("margin level = assets / (debt + interest)"),
            _("at entry: %(level)s")
            % {"level": _num(evaluation.margin_level or Decimal(0), "0.0001")},
        ),
        Step(
            _("Liquidation"),
            _("liquidated when margin level ≤ %(level)s") % {"level": localize(str(level))},
            _away(evaluation),
        ),
        Step(_("Bankruptcy"), _("assets = debt"), f"P_bk = {money(evaluation.bankruptcy_price)}"),
    ]


def _kraken_spot_margin(
    evaluation: Evaluation, level: Decimal | None, pair_leverage: Decimal
) -> list[Step]:
    """Kraken: the whole position borrowed, the deposit kept as collateral (engine/spot_margin.py)."""
    return [
        Step(
            _("Position"),
            _("the whole position is borrowed; your deposit stays as collateral"),
            _("notional %(notional)s, deposit %(deposit)s")
            % {"notional": money(evaluation.notional), "deposit": money(evaluation.initial_margin)},
        ),
        Step(
            _("Margin level"),
            _("margin level = equity / used margin; used margin = position cost / %(leverage)s")
            % {"leverage": localize(format(pair_leverage.normalize(), "f"))},
            _("at entry: %(level)s") % {"level": pct(evaluation.margin_level)},
        ),
        Step(
            _("Liquidation"),
            _("liquidated when margin level ≤ %(level)s") % {"level": pct(level)},
            _away(evaluation),
        ),
        Step(_("Bankruptcy"), _("equity = 0"), f"P_bk = {money(evaluation.bankruptcy_price)}"),
    ]


def _away(evaluation: Evaluation) -> str:
    return _("P_liq = %(price)s (%(distance)s away)") % {
        "price": money(evaluation.liquidation_price),
        "distance": pct(evaluation.distance_to_liquidation),
    }


def _loan(evaluation: Evaluation) -> list[Step]:
    threshold = evaluation.rules.liquidation_threshold
    return [
        Step(
            _("Health factor"),
            _("HF = collateral × price × liquidation threshold / debt"),
            _("HF now = %(hf)s (threshold %(threshold)s)")
            % {
                "hf": _num(evaluation.health_factor or Decimal(0), "0.0001"),
                "threshold": pct(threshold),
            },
        ),
        Step(
            _("Liquidation price"),
            _("HF = 1 → P_liq = debt / (collateral × threshold)"),
            _away(evaluation),
        ),
        Step(
            _("Bankruptcy price"),
            _("collateral value = debt → P_bk = debt / collateral"),
            f"P_bk = {money(evaluation.bankruptcy_price)}",
        ),
    ]
