""" "Show the maths": the formulas worked step by step with the visitor's own numbers.

Display only. The numbers come from the engine's evaluation; this module writes them into the
formulas the engine used (docs/design.md) so a reader can check them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from calculator.answer import deficit_text
from calculator.formatting import money, pct, times
from engine import (
    CONVENTION_WORDS,
    Contract,
    CrossMarginSharing,
    Evaluation,
    MaintenanceBasis,
    Side,
    balance_fee,
    fee_in_maintenance,
    maintenance_rules,
)


@dataclass(frozen=True)
class Step:
    name: str
    formula: str
    worked: str


def _num(value: Decimal, places: str = "0.00000001") -> str:
    text = f"{value.quantize(Decimal(places)):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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
                "Deficit after the fill",
                "D = what equity is below zero at the fill price",
                f"D = {deficit_text(outcome)} "
                f"(fill at {money(outcome.fill_price)}, "
                f"bankruptcy at {money(evaluation.bankruptcy_price)})",
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
        where = []
        if rules.close_fee_reserved and evaluation.position.margin_mode == "isolated":
            where.append("held in M on top of the initial margin")
        if rules.close_fee_in_maintenance:
            where.append("added to maintenance")
        steps.append(
            Step(
                "Fee to close, at the bankruptcy price",
                "fee to close = taker fee × Q × P_bk (the bankruptcy price before the fee)",
                f"{money(evaluation.close_fee_reserve, currency)} at {pct(rules.taker_fee, 4)} "
                f"taker fee, {' and '.join(where) or 'in the wallet'}",
            )
        )
    if evaluation.unchecked:
        steps.append(
            Step(
                "Checked against the platform?",
                "each convention is tested against a worked example the platform published",
                "No published example checks "
                + "; ".join(CONVENTION_WORDS[c] for c in evaluation.unchecked)
                + ": these numbers follow the platform's own formula for it.",
            )
        )
    for number, step in enumerate(evaluation.liquidation_steps, start=1):
        if step.quantity_after:
            worked = (
                f"at {money(step.price)}: cut from {_num(step.quantity_before)} to "
                f"{_num(step.quantity_after)} (tier {step.tier_before} → {step.tier_after}), "
                f"fee {money(step.fee, currency)}; equity {money(step.equity_after, currency)} "
                f"against maintenance {money(step.maintenance_after, currency)}"
            )
            worked += (
                f": it stays open, next liquidation at {money(step.next_liquidation_price)}"
                if step.survives
                else ": still below, so the next step follows"
            )
        else:
            worked = (
                f"at {money(step.price)}: the remaining {_num(step.quantity_before)} is taken "
                f"over, fee {money(step.fee, currency)}"
            )
        steps.append(
            Step(
                f"Partial liquidation, step {number}",
                "cut to the cap of the tier below; stop once equity is above its maintenance",
                worked,
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
        parts.append(f"opening fee {money(evaluation.open_fee, currency)}")
    if evaluation.funding_paid:
        parts.append(f"funding {money(evaluation.funding_paid, currency)}")
    if evaluation.interest_paid:
        parts.append(f"interest {money(evaluation.interest_paid, currency)}")
    text = (", after " + ", ".join(parts)) if parts else ""
    if outside:
        text += f"; the {money(outside, currency)} opening fee came from the balance, not from M"
    return text


def _linear(evaluation: Evaluation) -> list[Step]:
    position = evaluation.position
    entry = position.entry_price
    s = 1 if Side(position.side) == Side.LONG else -1
    quantity = evaluation.notional / entry
    margin = evaluation.margin
    steps = [
        Step(
            "Size",
            "Q = notional / E",
            f"Q = {money(evaluation.notional)} / {money(entry)} = {_num(quantity)}",
        ),
        Step(
            "Margin at stake",
            _margin_formula(evaluation),
            f"M = {money(margin)} (leverage {times(evaluation.leverage)}{_costs(evaluation)})",
        ),
        _maintenance_step(evaluation),
        _linear_bankruptcy(evaluation, entry=entry, s=s, margin=margin, quantity=quantity),
    ]
    if evaluation.rules.maintenance_basis == MaintenanceBasis.ENTRY:
        formula = "P_liq = E + s·(MM_entry − M) / Q  (maintenance on the entry notional)"
    else:
        formula = (
            "P_liq = (M − s·Q·E + cum) / (Q·(mmr − s))  (maintenance on the mark-price notional)"
        )
    steps.append(
        Step(
            "Liquidation price (equity = maintenance)",
            formula,
            f"P_liq = {money(evaluation.liquidation_price)}, "
            f"{pct(evaluation.distance_to_liquidation)} from entry",
        )
    )
    return steps


def _margin_formula(evaluation: Evaluation) -> str:
    if evaluation.position.margin_mode == "isolated":
        return "M = notional / leverage − costs"
    if evaluation.rules.cross_margin_sharing == CrossMarginSharing.PROPORTIONAL:
        # KuCoin: the margin is shared by value, not left whole to each position
        return "M = (wallet + other PnL) × value / (value + other positions' value) − costs"
    return "M = wallet − other maintenance + other PnL − costs"


def _linear_bankruptcy(
    evaluation: Evaluation, *, entry: Decimal, s: int, margin: Decimal, quantity: Decimal
) -> Step:
    held = evaluation.opened.close_fee_held if evaluation.opened is not None else Decimal(0)
    sign = "−" if s > 0 else "+"
    if not held:
        return Step(
            "Bankruptcy price (equity = 0)",
            "P_bk = E − s·M / Q",
            f"P_bk = {money(entry)} {sign} {money(margin)} / {_num(quantity)} = "
            f"{money(evaluation.bankruptcy_price)}",
        )
    # Bybit, Phemex: M also holds the fee to close, which is what is left at bankruptcy
    return Step(
        "Bankruptcy price (what is left pays the fee to close)",
        "P_bk = E − s·(M − fee to close) / Q",
        f"P_bk = {money(entry)} {sign} ({money(margin)} − {money(held)}) / {_num(quantity)} = "
        f"{money(evaluation.bankruptcy_price)}",
    )


def _maintenance_step(evaluation: Evaluation) -> Step:
    mmr = evaluation.maintenance_margin_rate
    worked = (
        f"mmr = {pct(mmr, 4)}, cum = {money(evaluation.maintenance_amount)}; "
        f"at entry MM = {money(evaluation.maintenance_margin)}"
    )
    cross = evaluation.position.margin_mode == "cross"
    fee = fee_in_maintenance(maintenance_rules(evaluation.rules, cross=cross))
    if not fee:
        return Step("Maintenance margin", "MM = notional × mmr − cum", worked)
    # Bitget keeps the fee to close inside maintenance: its published rate plus the taker fee
    return Step(
        "Maintenance margin",
        "MM = notional × (tier rate + taker fee) − cum",
        f"mmr = {pct(mmr - fee, 4)} + {pct(fee, 4)} taker fee = " + worked.removeprefix("mmr = "),
    )


def _inverse(evaluation: Evaluation) -> list[Step]:
    position = evaluation.position
    entry = position.entry_price
    face = evaluation.notional
    return [
        Step("Size", "N = contracts × contract value (USD)", f"N = {money(face)}"),
        Step(
            "Margin at stake (coin)",
            "M = N / (E × leverage) − costs",
            f"M = {money(evaluation.margin, 'coin')}{_costs(evaluation)}",
        ),
        Step(
            "Bankruptcy price",
            "P_bk = 1 / (1/E + s·M/N)",
            f"P_bk = {money(evaluation.bankruptcy_price)}"
            + (
                ""
                if evaluation.bankruptcy_price
                else " (none: a short at 1× or less cannot go bankrupt)"
            ),
        ),
        Step(
            "Liquidation price",
            "P_liq = N·(mmr + s) / (M + cum + s·N/E)",
            f"mmr = {pct(evaluation.maintenance_margin_rate, 4)}; P_liq = {money(evaluation.liquidation_price)} "
            f"({pct(evaluation.distance_to_liquidation)} from {money(entry)})",
        ),
        Step(
            "Equity in USD",
            "equity_USD(P) = (M + s·N·(1/E − 1/P)) × P",
            "The collateral is the coin itself, so its dollar value moves with the price too.",
        ),
    ]


def _spot_margin(evaluation: Evaluation) -> list[Step]:
    level = evaluation.rules.liquidation_margin_level
    pair_leverage = evaluation.rules.used_margin_leverage
    if pair_leverage is not None:
        return _kraken_spot_margin(evaluation, level, pair_leverage)
    return [
        Step(
            "Position",
            "assets = your deposit × leverage; debt = the borrowed part",
            f"notional {money(evaluation.notional)}, deposit {money(evaluation.initial_margin)}",
        ),
        Step(
            "Margin level",
            "margin level = assets / (debt + interest)",
            f"at entry: {_num(evaluation.margin_level or Decimal(0), '0.0001')}",
        ),
        Step(
            "Liquidation",
            f"liquidated when margin level ≤ {level}",
            f"P_liq = {money(evaluation.liquidation_price)} ({pct(evaluation.distance_to_liquidation)} away)",
        ),
        Step("Bankruptcy", "assets = debt", f"P_bk = {money(evaluation.bankruptcy_price)}"),
    ]


def _kraken_spot_margin(
    evaluation: Evaluation, level: Decimal | None, pair_leverage: Decimal
) -> list[Step]:
    """Kraken: the whole position borrowed, the deposit kept as collateral (engine/spot_margin.py)."""
    return [
        Step(
            "Position",
            "the whole position is borrowed; your deposit stays as collateral",
            f"notional {money(evaluation.notional)}, deposit {money(evaluation.initial_margin)}",
        ),
        Step(
            "Margin level",
            "margin level = equity / used margin; "
            f"used margin = position cost / {format(pair_leverage.normalize(), 'f')}",
            f"at entry: {pct(evaluation.margin_level)}",
        ),
        Step(
            "Liquidation",
            f"liquidated when margin level ≤ {pct(level)}",
            f"P_liq = {money(evaluation.liquidation_price)} ({pct(evaluation.distance_to_liquidation)} away)",
        ),
        Step("Bankruptcy", "equity = 0", f"P_bk = {money(evaluation.bankruptcy_price)}"),
    ]


def _loan(evaluation: Evaluation) -> list[Step]:
    threshold = evaluation.rules.liquidation_threshold
    return [
        Step(
            "Health factor",
            "HF = collateral × price × liquidation threshold / debt",
            f"HF now = {_num(evaluation.health_factor or Decimal(0), '0.0001')} (threshold {pct(threshold)})",
        ),
        Step(
            "Liquidation price",
            "HF = 1 → P_liq = debt / (collateral × threshold)",
            f"P_liq = {money(evaluation.liquidation_price)} ({pct(evaluation.distance_to_liquidation)} away)",
        ),
        Step(
            "Bankruptcy price",
            "collateral value = debt → P_bk = debt / collateral",
            f"P_bk = {money(evaluation.bankruptcy_price)}",
        ),
    ]
