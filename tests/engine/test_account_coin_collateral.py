"""A wallet coin that is the base of the account's positions moves with their mark
(engine/account.py, CoinCollateral): a BTC long backed by BTC is liquidated sooner than one
backed by the same counted value in USDT, and a coin no position trades changes nothing."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Account, AccountPosition, CoinCollateral, Contract, Rules, Side, evaluate_account

prices = st.decimals(min_value=100, max_value=200_000, places=2)
units = st.decimals(min_value=Decimal("0.01"), max_value=10, places=4)
rates = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("0.05"), places=4)
ratios = st.decimals(min_value=Decimal("0.5"), max_value=1, places=3)


def account(wallet, coins, positions, rate):
    return Account(
        wallet_balance=wallet,
        positions=tuple(positions),
        rules=Rules(maintenance_margin_rate=rate),
        coin_collateral=tuple(coins),
    )


def btc_long(quantity, entry, mark):
    return AccountPosition(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=entry,
        mark_price=mark,
        quantity=quantity,
        symbol="BTCUSDT",
    )


@settings(max_examples=60, deadline=None)
@given(
    quantity=units,
    entry=prices,
    mark=prices,
    held=units,
    ratio=ratios,
    rate=rates,
    with_eth=st.booleans(),
)
def test_btc_collateral_never_leaves_a_btc_long_further_from_liquidation(
    quantity, entry, mark, held, ratio, rate, with_eth
):
    # the wallet's BTC, counted at `ratio` and priced at the mark; the same counted value in USDT
    counted = held * ratio
    wallet = counted * mark
    positions = [btc_long(quantity, entry, mark)]
    if with_eth:
        positions.append(
            AccountPosition(
                contract=Contract.LINEAR,
                side=Side.LONG,
                entry_price=Decimal(3000),
                quantity=Decimal(1),
                symbol="ETH-USDT-SWAP",
            )
        )
    coin = evaluate_account(
        account=account(wallet, [CoinCollateral("BTC", counted, mark)], positions, rate)
    )
    usdt = evaluate_account(account=account(wallet, [], positions, rate))
    assert coin.moving_collateral == ("BTC",)
    # the same account at the marks
    assert coin.equity == usdt.equity and coin.margin_ratio == usdt.margin_ratio
    for mine, theirs in zip(coin.liquidation_map, usdt.liquidation_map, strict=True):
        if mine.key == "ETH-USDT-SWAP":  # BTC does not move with ETH's mark
            assert mine.liquidation_move == theirs.liquidation_move
            continue
        if theirs.liquidation_move is not None:
            assert mine.liquidation_move is not None
            assert abs(mine.liquidation_move) <= abs(theirs.liquidation_move) + Decimal("1e-12")
    mine_btc, theirs_btc = coin.positions[0], usdt.positions[0]
    if theirs_btc.liquidation_price is not None and mine_btc.liquidation_price is not None:
        # nearer the mark, whichever side of it (past it, the move back is smaller too)
        assert abs(mine_btc.liquidation_price - mark) <= abs(
            theirs_btc.liquidation_price - mark
        ) + Decimal("1e-6")


@settings(max_examples=40, deadline=None)
@given(quantity=units, entry=prices, mark=prices, held=units, rate=rates)
def test_a_coin_no_position_trades_changes_nothing(quantity, entry, mark, held, rate):
    wallet = held * mark
    positions = [btc_long(quantity, entry, mark)]
    plain = evaluate_account(account=account(wallet, [], positions, rate))
    other = evaluate_account(
        account=account(wallet, [CoinCollateral("ETH", held, mark)], positions, rate)
    )
    assert other == plain
    assert other.moving_collateral == ()


def test_worked_btc_long_backed_by_btc():
    # 1 BTC long at 100,000, maintenance 0.5%, no fee; the wallet is 0.1 BTC at 100,000 (ratio 1).
    # At price P: equity = 0.1·P + (P − 100,000) = 1.1·P − 100,000; maintenance = 0.005·P.
    # Liquidation: 1.1·P − 100,000 = 0.005·P → P = 100,000 / 1.095 = 91,324.20…; bankruptcy
    # 100,000 / 1.1 = 90,909.09…. The same 10,000 in USDT: 10,000 + P − 100,000 = 0.005·P →
    # P = 90,000 / 0.995 = 90,452.26…, bankruptcy 90,000.
    positions = [btc_long(Decimal(1), Decimal(100000), Decimal(100000))]
    rules = Rules(maintenance_margin_rate=Decimal("0.005"), taker_fee=Decimal(0))
    coin = evaluate_account(
        account=Account(
            wallet_balance=Decimal(10000),
            positions=tuple(positions),
            rules=rules,
            coin_collateral=(CoinCollateral("BTC", Decimal("0.1"), Decimal(100000)),),
        )
    )
    result = coin.positions[0]
    assert round(result.liquidation_price, 6) == round(Decimal(100000) / Decimal("1.095"), 6)
    assert round(result.bankruptcy_price, 6) == round(Decimal(100000) / Decimal("1.1"), 6)
    # the map's "every mark" series: the same price as a move from 100,000
    everything = coin.liquidation_map[0]
    assert round(everything.liquidation_move, 9) == round(
        Decimal(100000) / Decimal("1.095") / 100000 - 1, 9
    )
