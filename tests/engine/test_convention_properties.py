"""Laws of the platforms' own conventions (docs/design.md, "Each platform's own rules"):
finite answers, the right direction, and nothing lost."""

import itertools
from dataclasses import replace
from decimal import Decimal as D
from decimal import localcontext

from hypothesis import assume, given
from hypothesis import strategies as st

from engine import (
    Account,
    AccountPosition,
    Contract,
    CrossMarginSharing,
    EngineInputError,
    MaintenanceBasis,
    MarginMode,
    Position,
    Rules,
    Side,
    Tier,
    evaluate,
    evaluate_account,
    maintenance_amounts_from_rates,
)
from engine.numbers import CONTEXT

prices = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
quantities = st.decimals(min_value=D("0.001"), max_value=D("1000"), places=3)
leverages = st.decimals(min_value=D("1.1"), max_value=D("100"), places=1)
rates = st.decimals(min_value=D("0.001"), max_value=D("0.05"), places=4)
fees = st.decimals(min_value=D("0.0001"), max_value=D("0.002"), places=5)
sides = st.sampled_from([Side.LONG, Side.SHORT])
contracts = st.sampled_from([Contract.LINEAR, Contract.INVERSE])
bases = st.sampled_from([MaintenanceBasis.MARK, MaintenanceBasis.ENTRY])

TIERS = maintenance_amounts_from_rates(
    tiers=(
        Tier(D(0), D(50_000), D("0.004"), max_leverage=D(125)),
        Tier(D(50_000), D(250_000), D("0.005"), max_leverage=D(100)),
        Tier(D(250_000), D(1_000_000), D("0.01"), max_leverage=D(50)),
        Tier(D(1_000_000), D(5_000_000), D("0.025"), max_leverage=D(20)),
        Tier(D(5_000_000), None, D("0.05"), max_leverage=D(10)),
    )
)


def _evaluate(position: Position, rules: Rules):
    try:
        return evaluate(position=position, rules=rules)
    except EngineInputError:
        assume(False)
        raise


def near(a: D, *parts: D) -> bool:
    """`a` is the sum of `parts`, but for the engine's 40-digit rounding (added at its
    precision: Python's default context keeps only 28 digits)."""
    with localcontext(CONTEXT):
        b = sum(parts, D(0))
        return abs(a - b) <= max(abs(a), abs(b)) * D("1e-35")


def _away(side: Side, entry: D, price: D) -> D:
    """How far `price` lies from entry, against the position."""
    return (entry - price) if side == Side.LONG else (price - entry)


@given(contracts, sides, prices, quantities, leverages, rates, fees, bases)
def test_a_fee_to_close_in_margin_and_maintenance_cancels_out(
    contract, side, entry, quantity, leverage, rate, taker, basis
):
    # Bybit: held in the margin and counted in maintenance, the fee does not move the
    # isolated liquidation price; the trader puts it up on top of the initial margin.
    face = quantity * entry if contract == Contract.INVERSE else quantity
    position = Position(
        contract=contract, side=side, entry_price=entry, quantity=face, leverage=leverage
    )
    plain = Rules(
        maintenance_margin_rate=rate,
        maintenance_basis=basis,
        taker_fee=taker,
        fees_from_margin=False,
    )
    both = replace(plain, close_fee_reserved=True, close_fee_in_maintenance=True)
    without, with_fee = _evaluate(position, plain), _evaluate(position, both)
    assert with_fee.close_fee_reserve >= 0
    assert near(with_fee.opened.deposit, without.opened.deposit, with_fee.close_fee_reserve)
    if without.liquidation_price is None:
        return
    assert with_fee.liquidation_price is not None
    scale = entry * D("1e-20")
    assert abs(with_fee.liquidation_price - without.liquidation_price) <= scale


@given(contracts, sides, prices, quantities, leverages, rates, fees)
def test_a_fee_to_close_held_in_margin_only_moves_liquidation_away(
    contract, side, entry, quantity, leverage, rate, taker
):
    # Phemex: the reserve is margin the trader adds, so the position can lose more before
    # liquidation; the answer stays finite.
    face = quantity * entry if contract == Contract.INVERSE else quantity
    position = Position(
        contract=contract, side=side, entry_price=entry, quantity=face, leverage=leverage
    )
    plain = Rules(maintenance_margin_rate=rate, taker_fee=taker, fees_from_margin=False)
    without = _evaluate(position, plain)
    reserved = _evaluate(position, replace(plain, close_fee_reserved=True))
    assert near(reserved.margin, without.margin, reserved.close_fee_reserve)
    if without.liquidation_price is None or reserved.liquidation_price is None:
        return
    assert reserved.liquidation_price.is_finite()
    assert _away(side, entry, reserved.liquidation_price) >= _away(
        side, entry, without.liquidation_price
    )


@given(
    contracts,
    sides,
    st.decimals(min_value=D(1000), max_value=D(100_000), places=0),
    st.decimals(min_value=D("0.5"), max_value=D(200), places=2),
    st.decimals(min_value=D(5), max_value=D(100), places=0),
    st.decimals(min_value=D(0), max_value=D("0.01"), places=4),
)
def test_partial_liquidation_loses_nothing_and_steps_down(
    contract, side, entry, size, leverage, fee_rate
):
    # Linear: size in base units; inverse: in USD face (size × 10,000), coin tiers not needed:
    # the same table read in coin makes every position tier 1 or 2.
    quantity = size if contract == Contract.LINEAR else size * 10_000
    rules = Rules(tiers=TIERS, partial_liquidation=True, liquidation_fee=fee_rate)
    position = Position(
        contract=contract, side=side, entry_price=entry, quantity=quantity, leverage=leverage
    )
    evaluation = _evaluate(position, rules)
    steps = evaluation.liquidation_steps
    if not steps:
        return
    price = evaluation.liquidation_price
    book = evaluation.opened.book
    with localcontext(CONTEXT):
        start = book.equity_in_coin(price) if contract == Contract.INVERSE else book.equity(price)
    # nothing lost: what is left plus every fee is the equity at the liquidation price
    assert near(start, steps[-1].equity_after, *(s.fee for s in steps)) or (
        start <= 0 and all(s.fee == 0 for s in steps)
    )
    for before, after in itertools.pairwise(steps):
        assert after.quantity_before == before.quantity_after
        assert after.tier_before <= before.tier_before
    for step in steps:
        assert step.fee >= 0
        assert 0 <= step.quantity_after < step.quantity_before
        assert step.tier_after <= step.tier_before
    last = steps[-1]
    assert last.survives or last.quantity_after == 0
    if last.survives and last.next_liquidation_price is not None:
        # a smaller position with the same equity is liquidated further from entry
        assert _away(side, entry, last.next_liquidation_price) >= _away(side, entry, price)


@given(
    st.lists(
        st.tuples(
            sides,
            st.decimals(min_value=D(100), max_value=D(60_000), places=0),
            st.decimals(min_value=D("0.01"), max_value=D(5), places=2),
        ),
        min_size=1,
        max_size=4,
    ),
    st.decimals(min_value=D(1000), max_value=D(100_000), places=0),
    rates,
)
def test_proportional_sharing_hands_out_the_whole_margin(legs, wallet, rate):
    # KuCoin: each cross position holds |its value| × total margin / Σ|value|; the shares add up
    # to the account's margin, nothing lost, nothing made up.
    rules = Rules(
        maintenance_margin_rate=rate, cross_margin_sharing=CrossMarginSharing.PROPORTIONAL
    )
    account = Account(
        wallet_balance=wallet,
        rules=rules,
        positions=tuple(
            AccountPosition(
                contract=Contract.LINEAR,
                side=side,
                entry_price=entry,
                quantity=quantity,
                symbol=f"S{number}",
            )
            for number, (side, entry, quantity) in enumerate(legs)
        ),
    )
    result = evaluate_account(account=account)
    shares = [p.evaluation.margin for p in result.positions if p.evaluation is not None]
    if len(shares) == len(result.positions):
        assert near(result.equity, *shares)
    for position in result.positions:
        if position.liquidation_price is not None:
            assert position.liquidation_price.is_finite() and position.liquidation_price > 0


@given(sides, prices, quantities, rates, st.decimals(min_value=D(10), max_value=D(10**6)))
def test_alone_on_the_wallet_both_ways_of_sharing_agree(side, entry, quantity, rate, wallet):
    # One position has the whole margin either way (without a taker fee, which KuCoin's cross
    # counts in maintenance and Binance's does not).
    position = Position(
        contract=Contract.LINEAR,
        side=side,
        entry_price=entry,
        quantity=quantity,
        margin_mode=MarginMode.CROSS,
        wallet_balance=wallet,
    )
    wallet_style = _evaluate(position, Rules(maintenance_margin_rate=rate))
    shared = _evaluate(
        position,
        Rules(maintenance_margin_rate=rate, cross_margin_sharing=CrossMarginSharing.PROPORTIONAL),
    )
    assert shared.margin == wallet_style.margin
    assert shared.liquidation_price == wallet_style.liquidation_price
