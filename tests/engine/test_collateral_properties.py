"""Laws of collateral valuation, Kraken spot margin and call-by-call loan liquidation."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from engine import Contract, Position, Rules, Side, evaluate
from engine.collateral import CollateralRule, Holding, RatioTier, TieredBy, value_basket
from engine.loan import LoanCollateral, liquidate_stepwise, loan_state

amounts = st.decimals(min_value=D("0.001"), max_value=D(1_000_000), places=3)
prices = st.decimals(min_value=D("0.01"), max_value=D(100_000), places=2)
ratios = st.decimals(min_value=D(0), max_value=D(1), places=3)


@st.composite
def rules(draw: st.DrawFn) -> CollateralRule:
    edges = sorted(set(draw(st.lists(amounts, min_size=1, max_size=4))))
    floors = [D(0), *edges]
    tiers = tuple(
        RatioTier(floor, floors[i + 1] if i + 1 < len(floors) else None, draw(ratios))
        for i, floor in enumerate(floors)
    )
    return CollateralRule("BTC", tiers, draw(st.sampled_from(list(TieredBy))))


@given(rules(), amounts, amounts, prices)
def test_more_coin_never_counts_less_and_never_more_than_its_value(rule, a, b, price):
    small, large = sorted((a, b))
    value = {
        amount: value_basket(holdings=[Holding("BTC", amount, price)], rules={"BTC": rule})
        for amount in (small, large)
    }
    assert value[small].collateral_value <= value[large].collateral_value
    for basket in value.values():
        assert basket.collateral_value.is_finite()
        assert 0 <= basket.collateral_value <= basket.market_value
        assert basket.haircut + basket.collateral_value == basket.market_value


loan_collateral = st.builds(
    LoanCollateral,
    asset=st.sampled_from(["ETH", "WBTC", "LINK"]),
    amount=amounts,
    price=prices,
    liquidation_threshold=st.decimals(min_value=D("0.5"), max_value=D("0.95"), places=2),
    liquidation_bonus=st.decimals(min_value=D(0), max_value=D("0.15"), places=3),
)


@given(st.lists(loan_collateral, min_size=1, max_size=3), amounts)
def test_liquidation_loses_nothing_and_ends_healthy_or_empty(collateral, debt):
    before = loan_state(collateral=collateral, debt=debt)
    result = liquidate_stepwise(collateral=collateral, debt=debt)
    seized = sum((call.seized_value for call in result.calls), D(0))
    repaid = sum((call.repaid for call in result.calls), D(0))
    left = sum((c.value for c in result.collateral_left), D(0))
    # collateral: what is left plus what was seized is what there was
    assert abs(left + seized - before.collateral_value) <= D("1e-20") * (
        1 + before.collateral_value
    )
    # debt: repaid plus what is left is what was owed
    assert abs(repaid + result.debt_left - debt) <= D("1e-20") * (1 + debt)
    # the liquidator's bonus is the seized value above the debt repaid, never negative
    assert all(call.bonus_value >= -D("1e-20") for call in result.calls)
    assert result.healthy or result.bad_debt > 0 or len(result.calls) == 200
    if before.health_factor is not None and before.health_factor >= 1:
        assert result.calls == ()


@given(
    side=st.sampled_from([Side.LONG, Side.SHORT]),
    deposit=st.decimals(min_value=D(100), max_value=D(100_000), places=2),
    quantity=st.decimals(min_value=D("0.01"), max_value=D(100), places=2),
    entry=prices,
    pair_leverage=st.sampled_from([D(2), D(3), D(5)]),
)
def test_kraken_liquidation_is_finite_and_at_the_level(
    side, deposit, quantity, entry, pair_leverage
):
    level = D("0.4")
    evaluation = evaluate(
        position=Position(
            contract=Contract.SPOT_MARGIN,
            side=side,
            entry_price=entry,
            quantity=quantity,
            margin=deposit,
        ),
        rules=Rules(liquidation_margin_level=level, used_margin_leverage=pair_leverage),
    )
    price = evaluation.liquidation_price
    if price is None or any(w.code == "liquidated_on_entry" for w in evaluation.warnings):
        return  # liquidated as it opens: the price shown is the entry
    assert price.is_finite() and price > 0
    equity = evaluation.opened.book.equity(price)
    used = quantity * (entry if side == Side.LONG else price) / pair_leverage
    assert abs(equity - level * used) <= D("1e-15") * (1 + abs(equity))


@given(
    coin=st.decimals(min_value=D(0), max_value=D(50), places=3),
    extra=st.decimals(min_value=D("0.001"), max_value=D(50), places=3),
)
def test_more_coin_collateral_on_a_long_moves_liquidation_closer(coin, extra):
    # Same dollars at entry, more of them in the coin: the long loses on both legs.
    def liquidation(units: D) -> D | None:
        return evaluate(
            position=Position(
                contract=Contract.LINEAR,
                side=Side.LONG,
                entry_price=D(100),
                quantity=D(10),
                margin=D(5000),
                coin_collateral=units,
            ),
            rules=Rules(maintenance_margin_rate=D("0.01")),
        ).liquidation_price

    low, high = liquidation(coin), liquidation(coin + extra)
    if high is None:
        assert low is None
    else:
        assert low is None or high >= low


@given(
    coin=st.decimals(min_value=D("0.1"), max_value=D(100), places=2),
    other=st.decimals(min_value=D(0), max_value=D(100_000), places=2),
    debt=st.decimals(min_value=D(100), max_value=D(50_000), places=2),
)
def test_loan_other_collateral_health_factor_is_one_at_the_liquidation_price(coin, other, debt):
    evaluation = evaluate(
        position=Position(
            contract=Contract.LOAN,
            side=Side.LONG,
            entry_price=D(2000),
            collateral=coin,
            debt=debt,
            other_collateral=((other, D("0.75")),),
        ),
        rules=Rules(liquidation_threshold=D("0.8")),
    )
    price = evaluation.liquidation_price
    if price is None or any(w.code == "liquidated_on_entry" for w in evaluation.warnings):
        return
    health = (coin * price * D("0.8") + other * D("0.75")) / debt
    assert abs(health - 1) < D("1e-20")
    # nothing lost: equity at the bankruptcy price is zero
    bankrupt = evaluation.bankruptcy_price
    if bankrupt is not None:
        assert abs(evaluation.opened.book.equity(bankrupt)) < D("1e-15")
