"""Whole accounts: one wallet, several positions sharing its cross margin (engine/account.py)."""

import inspect
from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine import (
    Contract,
    CoverageStep,
    EngineInputError,
    MarginMode,
    Party,
    Position,
    Rules,
    Side,
    evaluate,
)
from engine.account import (
    MAP_MOVES,
    Account,
    AccountEvaluation,
    AccountPosition,
    PositionMode,
    evaluate_account,
)
from engine.numbers import CONTEXT
from tests.engine import test_published_examples, test_published_examples_more
from tests.engine.test_engine_properties import TIERS

LINEAR_RULES = Rules(maintenance_margin_rate=D("0.005"))


def linear(side, quantity, entry, symbol="", mark=None, **extra):
    return AccountPosition(
        Contract.LINEAR, side, D(entry), D(quantity), symbol=symbol, mark_price=mark, **extra
    )


def account(*positions, wallet=10_000, rules=LINEAR_RULES, **extra):
    return evaluate_account(
        account=Account(wallet_balance=D(wallet), positions=positions, rules=rules, **extra)
    )


def by_name(result: AccountEvaluation):
    return {p.name: p for p in result.positions}


# --- one position alone: today's answer, for every published example -------------------------


def _published_evaluations():
    """Every (position, rules, evaluation) the published-example tests evaluate, recorded by
    running them with `evaluate` wrapped."""
    recorded = []

    def recording(**kwargs):
        result = evaluate(**kwargs)
        recorded.append((kwargs["position"], kwargs["rules"], result))
        return result

    for module in (test_published_examples, test_published_examples_more):
        original = module.evaluate
        module.evaluate = recording
        try:
            for name, test in inspect.getmembers(module, inspect.isfunction):
                if not name.startswith("test_"):
                    continue
                marks = [m for m in getattr(test, "pytestmark", []) if m.name == "parametrize"]
                if marks:
                    names = marks[0].args[0]
                    argnames = names.split(",") if isinstance(names, str) else list(names)
                    argnames = [a.strip() for a in argnames]
                    for values in marks[0].args[1]:
                        values = values.values if hasattr(values, "values") else values
                        test(**dict(zip(argnames, values, strict=True)))
                elif not inspect.signature(test).parameters:
                    test()
        finally:
            module.evaluate = original
    return recorded


PUBLISHED = [
    (position, rules, result)
    for position, rules, result in _published_evaluations()
    if position.contract in (Contract.LINEAR, Contract.INVERSE)
    and not position.holding_hours
    and not position.other_maintenance_margin
    and not position.other_unrealized_pnl
]


def test_the_published_examples_are_found():
    assert len(PUBLISHED) >= 10
    assert any(p.margin_mode == MarginMode.CROSS for p, _r, _e in PUBLISHED)
    assert any(p.contract == Contract.INVERSE for p, _r, _e in PUBLISHED)


@pytest.mark.parametrize(("position", "rules", "expected"), PUBLISHED)
def test_one_position_alone_is_todays_answer(position: Position, rules: Rules, expected):
    if position.margin_mode == MarginMode.CROSS:
        wallet = position.wallet_balance
        quantity = expected.opened.book.size if position.contract == Contract.LINEAR else None
        quantity = position.quantity or quantity or expected.notional
        member = AccountPosition(
            position.contract, position.side, position.entry_price, quantity, rules=rules
        )
    else:
        wallet = D(1)  # isolated: the position brings its own margin
        member = AccountPosition(
            position.contract,
            position.side,
            position.entry_price,
            position.quantity,
            margin_mode=MarginMode.ISOLATED,
            margin=position.margin,
            leverage=position.leverage,
            rules=rules,
        )
    result = evaluate_account(account=Account(wallet_balance=wallet, positions=(member,)))
    (alone,) = result.positions
    assert alone.liquidation_price == expected.liquidation_price
    assert alone.bankruptcy_price == expected.bankruptcy_price
    if position.margin_mode == MarginMode.CROSS:
        # and the map's move is that price, as a fraction of the mark (the entry here)
        (everything, _symbol) = result.liquidation_map
        if expected.liquidation_price is not None:
            with localcontext(CONTEXT):
                moved = position.entry_price * (1 + everything.liquidation_move)
            assert abs(moved - expected.liquidation_price) <= expected.liquidation_price * D(
                "1e-30"
            )


# --- a second position cuts the room left ------------------------------------------------------


def test_a_second_position_moves_the_first_ones_liquidation_price():
    alone = account(linear(Side.LONG, 1, 100_000, "BTCUSDT"))
    both = account(
        linear(Side.LONG, 1, 100_000, "BTCUSDT"),
        linear(Side.SHORT, 20, 3_500, "ETHUSDT", mark=D(3_600)),
    )
    btc_alone = by_name(alone)["BTCUSDT long"]
    btc = by_name(both)["BTCUSDT long"]
    # Wallet 10,000; ETH short loses 20 × 100 = 2,000 and needs 20 × 3,600 × 0.5% = 360.
    # BTC liquidates where 10,000 − 2,000 + (P − 100,000) = 360 + 0.005·P.
    with localcontext(CONTEXT):
        assert btc.liquidation_price == D(100_000 - 10_000 + 2_000 + 360) / D("0.995")
    assert btc.liquidation_price > btc_alone.liquidation_price
    assert btc.liquidation_price_alone == btc_alone.liquidation_price
    assert both.equity == D(8_000)
    assert both.maintenance_margin == D(500 + 360)
    assert both.margin_ratio == D("0.1075")


def test_bankruptcy_price_leaves_the_account_with_nothing():
    result = account(
        linear(Side.LONG, 1, 100_000, "BTCUSDT"),
        linear(Side.SHORT, 20, 3_500, "ETHUSDT", mark=D(3_600)),
    )
    btc = by_name(result)["BTCUSDT long"]
    assert btc.bankruptcy_price == D(92_000)  # 10,000 − 2,000 = 8,000 of room on 1 BTC


def test_one_way_mode_merges_a_symbol_at_its_average_entry_and_nets_opposite_sides():
    merged = account(
        linear(Side.LONG, 1, 100_000, "BTCUSDT"),
        linear(Side.LONG, 3, 80_000, "BTCUSDT"),
    )
    (position,) = merged.positions
    assert position.merged == (0, 1)
    assert position.quantity == 4
    assert position.entry_price == D(85_000)
    netted = account(
        linear(Side.LONG, 3, 80_000, "BTCUSDT"),
        linear(Side.SHORT, 1, 90_000, "BTCUSDT"),
    )
    (position,) = netted.positions
    assert (position.side, position.quantity, position.entry_price) == (Side.LONG, 2, 80_000)
    assert netted.realized_pnl == D(10_000)  # 1 BTC closed 10,000 above its entry
    hedged = account(
        linear(Side.LONG, 3, 80_000, "BTCUSDT"),
        linear(Side.SHORT, 1, 90_000, "BTCUSDT"),
        position_mode=PositionMode.HEDGE,
    )
    assert [p.side for p in hedged.positions] == [Side.LONG, Side.SHORT]
    assert hedged.realized_pnl == 0


def test_mixing_settlement_currencies_in_one_cross_account_is_refused():
    with pytest.raises(EngineInputError) as error:
        account(
            linear(Side.LONG, 1, 100_000, "BTCUSDT"),
            AccountPosition(Contract.INVERSE, Side.SHORT, D(100_000), D(1000), symbol="BTCUSD"),
        )
    assert error.value.field == "positions[1].contract"
    assert "one currency" in error.value.message


def test_errors_name_the_position_and_field():
    with pytest.raises(EngineInputError) as error:
        account(linear(Side.LONG, 1, 100), linear(Side.LONG, 1, -5))
    assert error.value.field == "positions[1].entry_price"
    with pytest.raises(EngineInputError) as error:
        account(
            linear(Side.LONG, 1, 100, "X", mark=D(101)), linear(Side.LONG, 1, 100, "X", mark=D(99))
        )
    assert error.value.field == "positions[1].mark_price"


def test_the_map_reports_a_deficit_past_bankruptcy_and_who_pays_it():
    rules = Rules(
        maintenance_margin_rate=D("0.005"),
        waterfall=(CoverageStep(Party.INSURANCE_FUND, D(1_000)), CoverageStep(Party.TRADER_DEBT)),
    )
    result = account(linear(Side.LONG, 1, 100_000, "BTCUSDT"), wallet=10_000, rules=rules)
    everything = result.liquidation_map[0]
    assert everything.key == "all"
    assert [p.move for p in everything.points] == list(MAP_MOVES)
    assert everything.bankruptcy_move == D("-0.1")
    shortfall = everything.shortfall
    assert shortfall.move == D("-0.9") and shortfall.deficit == D(80_000)
    assert [(c.party, c.amount) for c in shortfall.coverage] == [
        (Party.INSURANCE_FUND, D(1_000)),
        (Party.TRADER_DEBT, D(79_000)),
    ]
    assert shortfall.trader_owes == D(79_000)


def test_tiers_change_along_the_map_and_the_crossing_is_exact():
    rules = Rules(tiers=TIERS)
    result = account(
        linear(Side.LONG, 10, 10_000, "A"),
        linear(Side.SHORT, 3, 20_000, "B"),
        wallet=20_000,
        rules=rules,
    )
    for series in result.liquidation_map:
        move = series.liquidation_move
        assert move is not None
        moved = _moved(result, series.key, move, wallet=20_000, rules=rules)
        assert abs(moved.equity - moved.maintenance_margin) <= D("1e-20")


def _moved(result, key, move, *, wallet, rules, mode=PositionMode.ONE_WAY):
    """The same account with the series' marks moved by `move`."""
    members = []
    for p in result.positions:
        with localcontext(CONTEXT):
            mark = p.mark_price * (1 + move) if key in ("all", p.symbol or p.name) else p.mark_price
        members.append(
            AccountPosition(p.contract, p.side, p.entry_price, p.quantity, p.symbol, mark)
        )
    return evaluate_account(
        account=Account(
            wallet_balance=D(wallet), positions=tuple(members), rules=rules, position_mode=mode
        )
    )


# --- properties ------------------------------------------------------------------------------

prices = st.decimals(min_value=D("0.01"), max_value=D("200000"), places=2)
quantities = st.decimals(min_value=D("0.001"), max_value=D("100"), places=3)
moves = st.decimals(min_value=D("-0.5"), max_value=D("0.5"), places=3)
sides = st.sampled_from([Side.LONG, Side.SHORT])
positions = st.lists(
    st.tuples(sides, quantities, prices, moves, st.sampled_from(["A", "B", "C", ""])),
    min_size=1,
    max_size=5,
)
rule_sets = st.sampled_from(
    [
        LINEAR_RULES,
        Rules(tiers=TIERS),
        Rules(
            maintenance_margin_rate=D("0.01"),
            taker_fee=D("0.0005"),
            waterfall=(
                CoverageStep(Party.INSURANCE_FUND, D(500)),
                CoverageStep(Party.SOCIALIZED_LOSS, D(300)),
            ),
        ),
    ]
)
wallets = st.decimals(min_value=D(100), max_value=D(1_000_000), places=2)


def _build(rows, wallet, rules, mode=PositionMode.ONE_WAY):
    marks = {}
    for _side, _quantity, entry, move, symbol in rows:  # one mark per symbol, whatever the order
        marks[symbol] = min(marks.get(symbol, entry * (1 + move)), entry * (1 + move))
    members = []
    for side, quantity, entry, move, symbol in rows:
        mark = marks[symbol] if symbol else entry * (1 + move)
        members.append(linear(side, quantity, entry, symbol, mark=mark))
    return Account(wallet_balance=wallet, positions=tuple(members), rules=rules, position_mode=mode)


def _evaluated(account_):
    try:
        return evaluate_account(account=account_)
    except EngineInputError:
        assume(False)


def _finite(value):
    if isinstance(value, D):
        assert value.is_finite()
    elif isinstance(value, tuple | list):
        for item in value:
            _finite(item)
    elif hasattr(value, "__slots__") and not isinstance(value, str):
        for name in value.__slots__:
            if name not in ("evaluation", "rules"):
                _finite(getattr(value, name))


@settings(max_examples=40, deadline=None)
@given(positions, wallets, rule_sets, st.sampled_from(list(PositionMode)))
def test_nothing_is_nan_or_infinite_and_deficits_add_up(rows, wallet, rules, mode):
    result = _evaluated(_build(rows, wallet, rules, mode))
    _finite(result)
    for series in result.liquidation_map:
        if series.shortfall is not None:
            with localcontext(CONTEXT):
                assert sum((c.amount for c in series.shortfall.coverage), D(0)) == (
                    series.shortfall.deficit
                )


@settings(max_examples=40, deadline=None)
@given(positions, wallets, rule_sets)
def test_equity_at_a_bankruptcy_price_is_zero(rows, wallet, rules):
    mode = PositionMode.HEDGE
    account_ = _build(rows, wallet, rules, mode)
    result = _evaluated(account_)
    scale = max(abs(result.equity), wallet, *(p.quantity * p.mark_price for p in result.positions))
    for series in result.liquidation_map:
        if series.bankruptcy_move is None or series.bankruptcy_move <= -1:
            continue
        moved = _moved(
            result, series.key, series.bankruptcy_move, wallet=wallet, rules=rules, mode=mode
        )
        assert abs(moved.equity) <= scale * D("1e-25")
    symbols = [p.symbol for p in result.positions if p.symbol]
    for position in result.positions:
        if position.bankruptcy_price is None or symbols.count(position.symbol) > 1:
            continue  # a symbol has one mark: its long and short (hedge mode) move together
        members = [
            AccountPosition(
                p.contract,
                p.side,
                p.entry_price,
                p.quantity,
                p.symbol,
                position.bankruptcy_price if p is position else p.mark_price,
            )
            for p in result.positions
        ]
        moved = evaluate_account(
            account=Account(
                wallet_balance=wallet, positions=tuple(members), rules=rules, position_mode=mode
            )
        )
        assert abs(moved.equity) <= scale * D("1e-25")


@settings(max_examples=40, deadline=None)
@given(positions, wallets, rule_sets, st.randoms(use_true_random=False))
def test_permuting_positions_changes_nothing(rows, wallet, rules, random):
    result = _evaluated(_build(rows, wallet, rules))
    shuffled = list(rows)
    random.shuffle(shuffled)
    again = evaluate_account(account=_build(shuffled, wallet, rules))
    assert (again.equity, again.maintenance_margin, again.margin_ratio) == (
        result.equity,
        result.maintenance_margin,
        result.margin_ratio,
    )

    def key(p):
        return (p.symbol, p.side, p.quantity, p.entry_price, p.mark_price)

    def seen(r):
        return sorted(
            (key(p), p.liquidation_price, p.bankruptcy_price, p.maintenance_margin)
            for p in r.positions
            if p.symbol
        )

    assert seen(again) == seen(result)
    assert {s.key: s for s in again.liquidation_map}.get("all") == (
        {s.key: s for s in result.liquidation_map}.get("all")
    )
