"""Worked examples published by exchanges and protocols, matched to their published precision."""

from decimal import Decimal as D

from engine import (
    Contract,
    MaintenanceBasis,
    Position,
    Rules,
    Side,
    Tier,
    evaluate,
    maintenance_amounts_from_rates,
)


def test_bybit_usdt_isolated_long_example():
    # Bybit Help Center, "Liquidation Price (USDT Contract)", Example 1 (Long):
    # https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
    # "long entry of 1 BTC at 20,000 USDT with 50x leverage ... MMR is 0.5%":
    # Initial Margin = 400 USDT, Maintenance Margin = 100 USDT, LP = 19,700 USDT.
    # Bybit measures maintenance on the entry notional ("Position Value = Contract Size × Entry
    # Price"), hence MaintenanceBasis.ENTRY.
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(20000),
            quantity=D(1),
            leverage=D(50),
        ),
        rules=Rules(maintenance_margin_rate=D("0.005"), maintenance_basis=MaintenanceBasis.ENTRY),
    )
    assert evaluation.initial_margin == D(400)
    assert evaluation.maintenance_margin == D(100)
    assert evaluation.liquidation_price == D(19700)


def test_bybit_example_differs_on_the_mark_basis():
    # Same position with Binance's convention (maintenance on the mark notional): the
    # liquidation price moves, which is why a profile must record its basis.
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(20000),
            quantity=D(1),
            leverage=D(50),
        ),
        rules=Rules(maintenance_margin_rate=D("0.005")),
    )
    # (400 − 20,000) / (1 × (0.005 − 1)) = 19,698.49…
    assert round(evaluation.liquidation_price, 2) == D("19698.49")


# Binance BTCUSDT perpetual brackets, announcement of 2021-03-18
# (https://www.binance.com/tr/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6), first
# three tiers: 0–50k 0.40%, 50k–250k 0.50%, 250k–1M 1.00%, 1M–10M 2.50%.
BTCUSDT_2021 = (
    Tier(D(0), D(50_000), D("0.004"), max_leverage=D(125)),
    Tier(D(50_000), D(250_000), D("0.005"), max_leverage=D(100)),
    Tier(D(250_000), D(1_000_000), D("0.01"), max_leverage=D(50)),
    Tier(D(1_000_000), D(10_000_000), D("0.025"), max_leverage=D(20)),
)


def test_binance_maintenance_amounts_follow_the_faq_formula():
    # Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
    # (https://www.binance.com/au/support/faq/b3c689c1f50a44cabb3a84e663b81d93):
    # "Maintenance Amount on Level n = 250,000 * (1% - 0.5%) + 50 USDT = 1,300 USDT".
    # The 50 and 16,300 agree with the amounts read from Binance's UI in
    # gist.github.com/highfestiva/b71e76f51eed84d56c1be8ebbcc286b5 (2021-03-26).
    tiers = maintenance_amounts_from_rates(tiers=BTCUSDT_2021)
    assert [tier.maintenance_amount for tier in tiers] == [D(0), D(50), D(1300), D(16300)]


def test_binance_faq_bracket_lookups():
    # Same FAQ: "if the position ... is 264,000 USDT, then the maintenance margin rate would be
    # 1%"; "if the position ... is 500,000 USDT, then the maintenance amount would be 1,300".
    rules = Rules(tiers=maintenance_amounts_from_rates(tiers=BTCUSDT_2021))
    at_264k = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(26400),
            quantity=D(10),
            leverage=D(1),
        ),
        rules=rules,
    )
    assert at_264k.maintenance_margin == D(264_000) * D("0.01") - D(1300)
    at_500k = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(50000),
            quantity=D(10),
            leverage=D(2),
        ),
        rules=rules,
    )
    # maintenance = notional × mmr − maintenance amount = 500,000 × 1% − 1,300
    assert at_500k.maintenance_margin == D(3700)


def test_binance_tier_is_taken_at_the_liquidation_price():
    # Binance FAQ (same page): "If your position (calculated at the liquidation price) and the
    # current position (calculated at the opening price) are of different levels, then you must
    # substitute ... the maintenance margin rate and the maintenance margin amount of the
    # position level [at the liquidation price]". A 260k long at 2x opens in the 1% tier but
    # liquidates near 130k notional, in the 0.5% tier.
    rules = Rules(tiers=maintenance_amounts_from_rates(tiers=BTCUSDT_2021))
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(26000),
            quantity=D(10),
            leverage=D(2),
        ),
        rules=rules,
    )
    assert evaluation.maintenance_margin_rate == D("0.005")
    assert evaluation.maintenance_amount == D(50)
    # (M − Q·E + cum) / (Q·(mmr − 1)) with M = 130,000, Q·E = 260,000, cum = 50
    expected = (D(130_000) - D(260_000) + D(50)) / (D(10) * (D("0.005") - 1))
    assert round(evaluation.liquidation_price, 20) == round(expected, 20)


def test_hyperliquid_maintenance_from_max_leverage():
    # Hyperliquid docs, Trading › Liquidations
    # (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations): "the maintenance
    # margin is half of the initial margin at max leverage ... between 1% (for 50x max leverage
    # assets) and 16.7% (for 3x max leverage assets)".
    def mmr(max_leverage):
        return evaluate(
            position=Position(
                contract=Contract.LINEAR,
                side=Side.LONG,
                entry_price=D(100),
                quantity=D(1),
                leverage=D(2),
            ),
            rules=Rules(max_leverage=D(max_leverage), mmr_from_max_leverage=True),
        ).maintenance_margin_rate

    assert mmr(50) == D("0.01")
    assert round(mmr(3), 3) == D("0.167")


def test_hyperliquid_liquidation_price_formula():
    # Hyperliquid docs, same page: liq_price = price − side × margin_available / position_size
    # / (1 − l × side), l = 1 / MAINTENANCE_LEVERAGE, isolated margin_available = isolated_margin
    # − maintenance_margin_required. The docs give no numeric example; the inputs are ours,
    # the formula is theirs.
    entry, size, margin, max_leverage = D(60000), D("0.5"), D(3000), D(40)
    l_rate = 1 / (2 * max_leverage)
    for side, sign in ((Side.LONG, 1), (Side.SHORT, -1)):
        available = margin - size * entry * l_rate
        docs = entry - sign * available / size / (1 - l_rate * sign)
        evaluation = evaluate(
            position=Position(
                contract=Contract.LINEAR,
                side=side,
                entry_price=entry,
                quantity=size,
                margin=margin,
            ),
            rules=Rules(max_leverage=max_leverage, mmr_from_max_leverage=True),
        )
        assert abs(evaluation.liquidation_price - docs) < D("1e-20")


def test_aave_health_factor_example():
    # Aave Help Center, Borrowing › Liquidations (https://aave.com/help/borrowing/liquidations):
    # "if you supply $10,000 in ETH with an 80% liquidation threshold and borrow $6,000 in GHO,
    # your health factor would be 1.333."
    evaluation = evaluate(
        position=Position(
            contract=Contract.LOAN,
            side=Side.LONG,
            entry_price=D(2500),
            collateral=D(4),
            debt=D(6000),
        ),
        rules=Rules(liquidation_threshold=D("0.8")),
    )
    assert round(evaluation.health_factor, 3) == D("1.333")
    # and the health factor is 1 at the liquidation price: 4 × P × 0.8 = 6,000
    assert evaluation.liquidation_price == D(1875)


def test_binance_margin_interest_and_liquidation_level():
    # Binance Cross Margin guide (net4site.net mirror of
    # binance.com/en/support/announcement/binance-cross-margin-trading-guide-360041505471):
    # "hourly interest is 0.001%. User A borrows 1,000 USDC ... 1,000 * 0.001% * 2 hours"
    # = 0.02 USDC. Binance "Margin Level and Margin Call" FAQ (360030493931): Margin Level =
    # Total Asset Value / (Total Liabilities + Outstanding Interest); liquidation at ≤ 1.1.
    evaluation = evaluate(
        position=Position(
            contract=Contract.SPOT_MARGIN,
            side=Side.LONG,
            entry_price=D(1),
            margin=D(1000),
            leverage=D(2),  # deposit 1,000, borrow 1,000
            holding_hours=D(2),
        ),
        rules=Rules(
            borrow_rate_yearly=D("0.00001") * 8760,  # 0.001% an hour
            liquidation_margin_level=D("1.1"),
        ),
    )
    assert evaluation.interest_paid == D("0.02")
    assert evaluation.margin_level == D(2)
    # At the liquidation price the assets are 1.1 × (loan + interest).
    price = evaluation.liquidation_price
    assert D(2000) * price == D("1.1") * D("1000.02")
