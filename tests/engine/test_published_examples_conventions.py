"""Each platform's own conventions, checked against the worked examples the platforms publish
(docs/design.md, "Each platform's own rules"). Where a printed figure contradicts the platform's
own formula, the test says so and follows the formula."""

from decimal import Decimal as D

from engine import (
    Account,
    AccountPosition,
    Contract,
    CrossMarginSharing,
    MaintenanceBasis,
    MarginMode,
    Position,
    Rules,
    Side,
    Tier,
    evaluate,
    evaluate_account,
)


def same(ours: D, formula: D) -> bool:
    """Equal to 24 significant places (formulas written here run at Python's 28 digits)."""
    return abs(ours - formula) <= abs(formula) * D("1e-24")


# --- the fee to close, reserved at the bankruptcy price --------------------------------------


def test_phemex_usdt_m_isolated_reserves_the_fee_to_close_and_counts_the_taker_fee():
    # Phemex Help Center, "Liquidation price for USDT-M" (https://phemex.com/help-center/liq-price-for-USDTM):
    # "Est. Liq Price for Long position: (OpenValue - assignedPosBalance - mmAmount)/(0.9994 -
    # MMR)/size ... assignedPosBalance=Openvalue/leverage + close fee; close fee=bankruptcy
    # Value*takerfeerate ... OpenValue=500x0.4x1=200; assignedPosBalance=200/5+
    # (200-200/5)x0.06%=40.096; (200-40.096-0)/(0.9994-0.01)/500=0.3232..."
    # 0.9994 = 1 − 0.06%: the taker fee counts in maintenance; the fee to close at the
    # bankruptcy value (160 × 0.06% = 0.096) is held in the position's margin.
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D("0.4"),
            quantity=D(500),
            leverage=D(5),
        ),
        rules=Rules(
            maintenance_margin_rate=D("0.01"),
            taker_fee=D("0.0006"),
            taker_fee_in_maintenance=True,
            close_fee_reserved=True,
            fees_from_margin=False,  # the opening fee is not part of assignedPosBalance
        ),
    )
    assert evaluation.close_fee_reserve == D("0.096")
    assert evaluation.margin == D("40.096")
    expected = (D(200) - D("40.096") - 0) / (D("0.9994") - D("0.01")) / 500
    assert same(evaluation.liquidation_price, expected)
    assert str(evaluation.liquidation_price).startswith("0.3232")


def test_bybit_fee_to_close_in_margin_and_maintenance_leaves_the_isolated_price_alone():
    # Bybit Help Center, "Liquidation Price Calculation under Isolated Mode (Unified Trading
    # Account)", last updated 2026-05-27
    # (https://www.kbybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account):
    # "Initial Margin = (Position Value / Leverage) + Estimated Fee to Close Position;
    # Maintenance Margin = (Position Value x MMR) − Maintenance Margin Deduction + Estimat[ed
    # Fee to Close Position]" and, for an inverse long, "Liquidation Price (Long) = [Position
    # Size × (MM Rate + 1)] ÷ [(Position Size ÷ Entry Price) + (Position Size ÷ Entry Price ÷
    # Leverage) + ... + MM Deduction]": the fee is in both, so it cancels. The same page's
    # earlier example: "60,000 USD ... at 50,000 USD with 10x leverage ... MMR is 0.5%".
    rules = Rules(
        maintenance_margin_rate=D("0.005"),
        taker_fee=D("0.00055"),
        close_fee_reserved=True,
        close_fee_in_maintenance=True,
    )
    position = Position(
        contract=Contract.INVERSE,
        side=Side.LONG,
        entry_price=D(50000),
        quantity=D(60000),
        leverage=D(10),
    )
    evaluation = evaluate(position=position, rules=replace_fees_out(rules))
    size, entry, leverage = D(60000), D(50000), D(10)
    formula = size * (D("0.005") + 1) / (size / entry + size / entry / leverage)
    assert same(evaluation.liquidation_price, formula)
    # the fee to close at the bankruptcy price: taker × N/P_bk = taker × (N/E + M) coin
    assert evaluation.close_fee_reserve == D("0.00055") * (D("1.2") + D("0.12"))
    # and the trader puts it up with the initial margin
    assert evaluation.opened.deposit == D("0.12") + evaluation.close_fee_reserve


def replace_fees_out(rules: Rules) -> Rules:
    """Bybit's formula leaves the opening fee out of the position margin."""
    from dataclasses import replace

    return replace(rules, fees_from_margin=False)


def test_bybit_inverse_cross_counts_the_fee_to_close_at_the_bankruptcy_price():
    # Bybit Help Center, "How to calculate Liquidation Price (Inverse Contract)"
    # (https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-):
    # cross margin, "Quantity × (1/Average Entry Price − 1/Liquidation Price) = −(Account
    # Balance − Order Margin − Quantity/Average Entry Price × Maintenance Margin − Quantity ×
    # 0.00075/Bankruptcy Price)"; "Trader B has account balance of 0.5BTC and buy long 10000
    # contracts at 8,000 USD using Cross Margin ... Bankruptcy Price = 5718.57 ... Liquidation
    # Price = 5739.50".
    # The printed 5739.50 contradicts the page's own formula: with its own bankruptcy price,
    # 10000 / (1.25 + 0.5 − 0.00625 − 7.5/5718.57) = 5739.08. We follow the formula.
    # Bybit's bankruptcy price is where equity just pays the fee to close (1.00075 × 10000 /
    # 1.75); ours is where equity is zero (10000 / 1.75 = 5714.29), and the fee to close is
    # taken at that price: 0.00075 × 1.75 = 0.0013125 BTC against Bybit's 0.0013115. The
    # difference moves the liquidation price by under a cent. Bybit's "Account Balance" is
    # after the opening fee (0.00075 × 1.25 BTC), which our cross wallet pays: we add it back.
    evaluation = evaluate(
        position=Position(
            contract=Contract.INVERSE,
            side=Side.LONG,
            entry_price=D(8000),
            quantity=D(10000),
            margin_mode=MarginMode.CROSS,
            wallet_balance=D("0.5") + D("0.00075") * D("1.25"),
        ),
        rules=Rules(
            maintenance_margin_rate=D("0.005"),
            maintenance_basis=MaintenanceBasis.ENTRY,
            taker_fee=D("0.00075"),
            close_fee_in_maintenance=True,
            fees_from_margin=False,
        ),
    )
    by_formula = D(10000) / (D("1.25") + D("0.5") - D("0.00625") - D("7.5") / D("5718.57"))
    assert round(by_formula, 2) == D("5739.08")
    assert abs(evaluation.liquidation_price - by_formula) < D("0.01")
    assert round(evaluation.liquidation_price, 2) != D("5739.50")  # the printed figure
    assert round(evaluation.bankruptcy_price, 2) == D("5714.29")
    assert round(D("1.00075") * 10000 / D("1.75"), 2) == D("5718.57")  # Bybit's, fee included


# --- how cross margin is shared ----------------------------------------------------------------

KUCOIN_BTC = Rules(
    maintenance_margin_rate=D("0.005"),
    taker_fee=D("0.0006"),
    cross_margin_sharing=CrossMarginSharing.PROPORTIONAL,
)
KUCOIN_ETH = Rules(
    maintenance_margin_rate=D("0.01"),
    taker_fee=D("0.0006"),
    cross_margin_sharing=CrossMarginSharing.PROPORTIONAL,
)


def _kucoin_account(*, wallet: D) -> Account:
    return Account(
        wallet_balance=wallet,
        rules=KUCOIN_BTC,
        positions=(
            AccountPosition(
                contract=Contract.LINEAR,
                side=Side.LONG,
                entry_price=D(62000),
                quantity=D("0.01"),  # 10 contracts × 0.001 BTC
                symbol="XBTUSDTM",
                rules=KUCOIN_BTC,
            ),
            AccountPosition(
                contract=Contract.LINEAR,
                side=Side.SHORT,
                entry_price=D(3800),
                quantity=D(1),  # 100 contracts × 0.01 ETH
                symbol="ETHUSDTM",
                rules=KUCOIN_ETH,
            ),
        ),
    )


def test_kucoin_cross_margin_is_shared_in_proportion_to_value():
    # KuCoin Help Center, "Liquidation Price in Cross Margin Mode"
    # (https://kucoin.com/support/35084431335065): "Forward Contract Liquidation Price = (Mark
    # Value – abs(Mark Value) * AMR) / (1 - side * MMR - side * taker fee rate) / Position
    # Amount; AMR = Total Margin in Cross Margin Mode / ∑abs(Mark Value)". Example: total margin
    # 1000 USDT; long 10 BTC/USDT contracts (multiplier 0.001) at a 62,000 mark, MMR 0.5%;
    # short 100 ETH/USDT contracts (multiplier 0.01) at a 3,800 mark, MMR 1%; taker 0.06%:
    # "AMR = 22.62%", "BTC/USDT contract liquidation price = ... = 47,956", "ETH/USDT contract
    # liquidation price = ... = 4,610.7".
    # Our account takes the opening fees out of the wallet; KuCoin's "total margin" of 1000 is
    # what is left, so the wallet here is 1000 plus the two taker fees.
    fees = D("0.0006") * (D(620) + D(3800))
    result = evaluate_account(account=_kucoin_account(wallet=D(1000) + fees))
    assert result.equity == D(1000)
    btc, eth = result.positions
    amr = D(1000) / (D(620) + D(3800))
    assert round(amr, 4) == D("0.2262")
    # ETH: the printed 4,610.7 (with AMR rounded to 22.62% as printed)
    printed_eth = (D(3800) + D(3800) * D("0.2262")) / (1 + D("0.01") + D("0.0006"))
    assert round(printed_eth, 1) == D("4610.7")
    assert abs(eth.liquidation_price - D("4610.7")) < D(3)  # exact AMR: 4,608.6
    assert same(eth.liquidation_price, (D(3800) + D(3800) * amr) / (1 + D("0.01") + D("0.0006")))
    # BTC: the printed 47,956 contradicts the page's own formula, which gives
    # 620 × (1 − 22.62%) / (1 − 0.5% − 0.06%) / 0.01 = 48,245.8; we follow the formula.
    by_formula = D(620) * (1 - D("0.2262")) / (1 - D("0.005") - D("0.0006")) / D("0.01")
    assert round(by_formula, 1) == D("48245.8")
    btc_formula = D(620) * (1 - amr) / (1 - D("0.005") - D("0.0006")) / D("0.01")
    assert same(btc.liquidation_price, btc_formula)
    assert abs(btc.liquidation_price - D(47956)) > D(250)


def test_the_same_account_shared_as_one_wallet_gives_other_prices():
    # Binance style (the whole wallet less the other position's maintenance) on KuCoin's
    # example: the ETH short is liquidated much further away, because the BTC long's loss of
    # margin is not set aside for it.
    from dataclasses import replace

    account = _kucoin_account(wallet=D(1000))
    wallet_style = replace(
        account,
        rules=replace(KUCOIN_BTC, cross_margin_sharing=CrossMarginSharing.WALLET),
        positions=tuple(
            replace(p, rules=replace(p.rules, cross_margin_sharing=CrossMarginSharing.WALLET))
            for p in account.positions
        ),
    )
    shared = evaluate_account(account=account)
    whole = evaluate_account(account=wallet_style)
    assert whole.positions[1].liquidation_price > shared.positions[1].liquidation_price


def test_kucoin_isolated_measures_maintenance_on_the_entry_price():
    # KuCoin Help Center, "How to Calculate the Liquidation Price for KuCoin Contracts"
    # (https://www.kucoin.com/support/4408061803033): "Short Position: LP = [HP * Vol * S +
    # (IM - MM)] / (Vol * S) ... MM = HP * Vol * S * MMRate ... a short position of 5 BTC/USD
    # contracts with a leverage of 100x, where each contract has a multiplier of 0.001 BTC and
    # a value of 28,000, the maintenance margin rate is 0.4% ... IM: 1.4, MM: 0.56 ... LP =
    # (28,000 * 5 * 0.001 + 1.4 - 0.56) / ( 5 * 0.001) = 28,168". No taker fee in isolated.
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.SHORT,
            entry_price=D(28000),
            quantity=D("0.005"),
            leverage=D(100),
        ),
        rules=Rules(maintenance_margin_rate=D("0.004"), maintenance_basis=MaintenanceBasis.ENTRY),
    )
    assert evaluation.initial_margin == D("1.4")
    assert evaluation.maintenance_margin == D("0.56")
    assert evaluation.liquidation_price == D(28168)


def test_kucoin_bankruptcy_prices():
    # KuCoin Help Center, "How to Calculate the Bankruptcy Price of a Contract"
    # (https://kucoin.com/support/27619032569113, the page's Filipino edition, formulas in
    # English): "Short position ... = average entry price × (1 + Initial margin rate) ... 100
    # [leverage] ... 28,000 × (1 + 1%) = 28,280 USDT"; coin-margined "Long position ... =
    # average entry price / (1 + Initial margin rate) ... leverage na 50 ... 28,000 / (1 + 2%)
    # = 27,450 USDT" (27,450.98, printed cut to the dollar).
    short = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.SHORT,
            entry_price=D(28000),
            quantity=D(1),
            leverage=D(100),
        ),
        rules=Rules(maintenance_margin_rate=D("0.004")),
    )
    assert short.bankruptcy_price == D(28280)
    coin_long = evaluate(
        position=Position(
            contract=Contract.INVERSE,
            side=Side.LONG,
            entry_price=D(28000),
            quantity=D(28000),
            leverage=D(50),
        ),
        rules=Rules(maintenance_margin_rate=D("0.004")),
    )
    assert int(coin_long.bankruptcy_price) == 27450


# --- what a liquidation does ---------------------------------------------------------------

# A tier table shaped like Bybit's BTCUSDT risk limits (2,000,000 USDT steps, +0.5% each):
# the procedure is Bybit's ("Liquidation Process (USDT Contract)",
# https://help.bybit.com/hc/en-us/articles/900000167723-Liquidation-Process-USDT-Contract-:
# "Submit a FillOrKill order of the difference between the current position value and the
# lower margin tier value which satisfies the margin requirement ... If the position is still
# in liquidation, this position shall be taken over by the liquidation engine at the
# bankruptcy price"). Bybit publishes no numbers for it, so these check the procedure's own
# arithmetic, not a printed figure.
STEPPED = Rules(
    tiers=(
        Tier(D(0), D(2_000_000), D("0.005"), D(0), D(100)),
        Tier(D(2_000_000), D(4_000_000), D("0.01"), D(10_000), D(50)),
        Tier(D(4_000_000), None, D("0.015"), D(30_000), D(33)),
    ),
    partial_liquidation=True,
    liquidation_fee=D("0.001"),
)


def test_a_position_in_a_higher_tier_is_cut_to_the_tier_below():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(50000),
            quantity=D(60),
            leverage=D(25),
        ),
        rules=STEPPED,
    )
    price = evaluation.liquidation_price
    (step,) = evaluation.liquidation_steps
    assert (step.tier_before, step.tier_after) == (2, 1)
    assert same(step.quantity_after * price, D(2_000_000))  # cut to tier 1's cap
    assert same(step.fee, D("0.001") * (60 - step.quantity_after) * price)
    assert step.survives
    # what is left sits above its lower maintenance, and is liquidated again further away
    assert step.equity_after > step.maintenance_after
    assert step.next_liquidation_price < price


def test_a_position_in_the_first_tier_is_closed_in_one_go():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(50000),
            quantity=D(1),
            leverage=D(25),
        ),
        rules=STEPPED,
    )
    assert evaluation.liquidation_steps == ()


# --- settled at the bankruptcy price ---------------------------------------------------------


def test_kucoin_insurance_fund_example_settles_at_the_bankruptcy_price():
    # KuCoin Help Center, "Insurance Fund" (https://www.kucoin.com/support/26686139092889):
    # "a long position of 1000 contracts (1 BTC) in XBTUSDTM, with a position margin of 1000
    # USDT, an entry price of 40,000, a leverage of 40x, and a corresponding maintenance margin
    # rate of 0.4%. The forced liquidation price is calculated as: 40000 * [1 - (2.5% - 0.4%)]
    # = 39160. The bankruptcy price is calculated as: 40000 * (1 - 2.5%) = 39000. ... if it's
    # closed at 39,100, the remaining margin will be added to the insurance fund. ... closed
    # ... at 38850 USD, and the actual loss after forced liquidation is 150 USDT ... This loss
    # of 150 USDT will be compensated from the insurance fund."
    from engine import CoverageStep, Party, Scenario

    rules = Rules(
        maintenance_margin_rate=D("0.004"),
        maintenance_basis=MaintenanceBasis.ENTRY,
        settles_at_bankruptcy=True,
        waterfall=(
            CoverageStep(Party.INSURANCE_FUND),
            CoverageStep(Party.AUTO_DELEVERAGING),
        ),
    )
    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=D(40000),
        quantity=D(1),
        margin=D(1000),
    )
    better = evaluate(position=position, rules=rules, scenario=Scenario(fill_price=D(39100)))
    assert better.liquidation_price == D(39160)
    assert better.bankruptcy_price == D(39000)
    assert better.outcome.to_insurance_fund == D(100)  # the margin left at 39,100
    assert better.outcome.trader_result == 0
    worse = evaluate(position=position, rules=rules, scenario=Scenario(fill_price=D(38850)))
    assert worse.outcome.deficit == D(150)
    assert [(c.party, c.amount) for c in worse.outcome.coverage if c.amount] == [
        (Party.INSURANCE_FUND, D(150))
    ]


def test_bybit_learn_inverse_example_with_the_fee_to_close():
    # Bybit Learn, "What Is the Bybit Insurance Fund?"
    # (https://learn.bybit.com/trading/what-is-the-insurance-fund): "Ann opens a BTCUSD long
    # position contract at $11,383.50 with 10x leverage. Her liquidation price is $10,396.00
    # and bankruptcy price is $10,348.60." With Bybit's 0.5% on the entry value and the fee to
    # close both held in the margin and counted in maintenance (which cancels), the liquidation
    # price is 11,383.50 / (1 + 10% − 0.5%) = 10,395.89, 10,396.00 on Bybit's 0.5 tick. The
    # printed bankruptcy price is 4 cents off its own formula, E × L / (L + 1) = 10,348.64
    # (Bybit's "What is Bankruptcy Price? (Inverse Contract)"); we follow the formula.
    evaluation = evaluate(
        position=Position(
            contract=Contract.INVERSE,
            side=Side.LONG,
            entry_price=D("11383.5"),
            quantity=D(10000),
            leverage=D(10),
        ),
        rules=Rules(
            maintenance_margin_rate=D("0.005"),
            maintenance_basis=MaintenanceBasis.ENTRY,
            taker_fee=D("0.00075"),
            close_fee_reserved=True,
            close_fee_in_maintenance=True,
            fees_from_margin=False,
        ),
    )
    assert round(evaluation.liquidation_price * 2) / 2 == D("10396.0")
    assert round(evaluation.bankruptcy_price, 2) != D("10348.60")
    assert round(evaluation.bankruptcy_price, 2) == D("10348.64")


def test_bybit_settles_a_liquidation_at_the_bankruptcy_price():
    # Bybit Help Center, "Insurance Fund" (https://www.bybit.com/en/help-center/article/Insurance-Fund,
    # 2024-08-18): "When a position is liquidated, it will always be settled at the bankruptcy
    # price ... When liquidations can be executed in the market at a price better than the
    # bankruptcy price, the remaining margin will be added to the insurance fund." Ann's
    # position above, liquidated and filled at 10,370 (between her liquidation and bankruptcy
    # prices): she keeps nothing and what is left goes to the fund.
    from engine import Scenario

    evaluation = evaluate(
        position=Position(
            contract=Contract.INVERSE,
            side=Side.LONG,
            entry_price=D("11383.5"),
            quantity=D(10000),
            leverage=D(10),
        ),
        rules=Rules(
            maintenance_margin_rate=D("0.005"),
            maintenance_basis=MaintenanceBasis.ENTRY,
            taker_fee=D("0.00075"),
            close_fee_reserved=True,
            close_fee_in_maintenance=True,
            fees_from_margin=False,
            settles_at_bankruptcy=True,
        ),
        scenario=Scenario(fill_price=D(10370)),
    )
    outcome = evaluation.outcome
    assert outcome.liquidated and outcome.trader_result == 0 and outcome.deficit == 0
    assert outcome.to_insurance_fund > 0


def test_bybit_usdt_example_holds_with_the_fee_to_close():
    # The USDT example of tests/engine/test_published_examples.py (1 BTC at 20,000, 50x, MMR
    # 0.5%, LP 19,700) with Bybit's fee to close in both the margin and maintenance: the
    # liquidation price is unchanged, the trader puts up 400 plus the fee to close at the
    # bankruptcy price, 19,600 × 0.055% = 10.78.
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(20000),
            quantity=D(1),
            leverage=D(50),
        ),
        rules=Rules(
            maintenance_margin_rate=D("0.005"),
            maintenance_basis=MaintenanceBasis.ENTRY,
            taker_fee=D("0.00055"),
            close_fee_reserved=True,
            close_fee_in_maintenance=True,
            fees_from_margin=False,
        ),
    )
    assert evaluation.liquidation_price == D(19700)
    assert evaluation.close_fee_reserve == D("10.78")
    assert evaluation.opened.deposit == D("410.78")
    assert evaluation.bankruptcy_price == D(19600)


def test_past_bankruptcy_the_fee_to_close_is_paid_and_the_deficit_counts_from_there():
    # With the fee to close held in the margin (Bybit, Phemex), a liquidation filled past the
    # bankruptcy price pays that fee from the reserve, and the deficit is what the fill lies
    # beyond the bankruptcy price: D = Q·(P_bk − P_fill), Bybit's "contract loss".
    from engine import Scenario

    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=D(20000),
            quantity=D(1),
            leverage=D(50),
        ),
        rules=Rules(
            maintenance_margin_rate=D("0.005"),
            maintenance_basis=MaintenanceBasis.ENTRY,
            taker_fee=D("0.00055"),
            close_fee_reserved=True,
            close_fee_in_maintenance=True,
            fees_from_margin=False,
            settles_at_bankruptcy=True,
        ),
        scenario=Scenario(fill_price=D(19500)),
    )
    outcome = evaluation.outcome
    assert outcome.deficit == D(19600) - D(19500)
    assert outcome.closing_fee == D("10.78")
    assert outcome.to_insurance_fund == 0
