"""Collateral, spot margin and loan conventions against the platforms' own worked examples.

Each test names its source. Where a printed figure disagrees with the platform's own formula,
the test says so and follows the formula.
"""

from decimal import Decimal as D

import pytest

from engine import Contract, Position, Rules, Side, evaluate
from engine.collateral import (
    CollateralRule,
    Holding,
    RatioTier,
    TieredBy,
    flat_rule,
    moving_units,
    value_basket,
)
from engine.loan import LoanCollateral, liquidate_stepwise, loan_state
from engine.types import EngineInputError


def same(a: D | None, b: D) -> bool:
    """Equal to 20 places: the engine keeps 40 digits, Python's default context 28."""
    return a is not None and abs(a - b) < D("1e-20")


# --- Binance USDⓈ-M Multi-Assets mode: a flat haircut per asset ---------------------------


def test_binance_multi_assets_haircut_example():
    # Binance FAQ "What Is Multi-Assets Mode and What Assets Does It Support" (2021-04-19):
    # "BTC, ETH and BNB used as margin in the Multi-Assets Mode will receive a 5% value haircut.
    # XRP, DOT and ADA used as margin will receive a 10% value haircut. For example, BNB with a
    # market value of $1,000 will be valued at $950 and ADA with a market value of $1,000 will
    # be valued at $900".
    rules = {"BNB": flat_rule("BNB", D("0.95")), "ADA": flat_rule("ADA", D("0.90"))}
    basket = value_basket(
        holdings=[Holding("BNB", D(2), D(500)), Holding("ADA", D(2000), D("0.5"))], rules=rules
    )
    assert [h.collateral_value for h in basket.holdings] == [D(950), D(900)]
    assert basket.market_value == D(2000)
    assert basket.haircut == D(150)


# --- Bybit unified account: collateral ratio tiered by coin amount --------------------------


def test_bybit_tiered_collateral_ratio_api_example():
    # Bybit V5 API docs, "Get Tiered Collateral Ratio" (GET /v5/spot-margin-trade/collateral),
    # response example (time 1739848984945, 2025-02-18): BTC {"minQty": "0", "maxQty":
    # "1000000", "collateralRatio": "0.85"}, {"minQty": "1000000", "maxQty": "",
    # "collateralRatio": "0"}. Slices in coin: 2 BTC at 60,000 count 2 × 0.85 × 60,000.
    rule = CollateralRule(
        "BTC",
        (RatioTier(D(0), D(1000000), D("0.85")), RatioTier(D(1000000), None, D(0))),
    )
    basket = value_basket(holdings=[Holding("BTC", D(2), D(60000))], rules={"BTC": rule})
    assert basket.collateral_value == D(102000)
    # past the first tier nothing more counts
    big = value_basket(holdings=[Holding("BTC", D(1000010), D(1))], rules={"BTC": rule})
    assert big.collateral_value == D(850000)


# --- OKX multi-currency margin: discount rate tiered by coin amount -------------------------


def test_okx_discount_rate_api_example():
    # OKX API v5 docs, "Get discount rate and interest-free quota"
    # (GET /api/v5/public/discount-rate-interest-free-quota), response example: BTC tier 1
    # minAmt 0, maxAmt 20, discountRate 0.98; tier 2 minAmt 20, maxAmt 25, discountRate 0.9775;
    # minDiscountRate 0. 22 BTC count 20 × 0.98 + 2 × 0.9775 = 21.555 BTC.
    rule = CollateralRule(
        "BTC", (RatioTier(D(0), D(20), D("0.98")), RatioTier(D(20), D(25), D("0.9775")))
    )
    basket = value_basket(holdings=[Holding("BTC", D(22), D(1))], rules={"BTC": rule})
    assert basket.collateral_value == D("21.555")
    # The same example prints disCcyEq "1000" and "2000" ("discounted equity at the tier's
    # cap"): at one price, 20 × 0.98 = 19.6 and 19.6 + 5 × 0.9775 = 24.4875 BTC cannot be 1000
    # and 2000 (their ratio would be 1.249, not 2). The placeholders contradict OKX's own
    # formula; we follow the formula.
    at_caps = [
        value_basket(holdings=[Holding("BTC", amount, D(1))], rules={"BTC": rule}).collateral_value
        for amount in (D(20), D(25))
    ]
    assert at_caps == [D("19.6"), D("24.4875")]
    assert at_caps[1] / at_caps[0] != D(2)


# --- Binance cross margin: collateral ratio tiered by USD value -----------------------------


def test_binance_cross_margin_pro_collateral_value_example():
    # Binance FAQ "How to Calculate the Maximum Borrow Limit on Cross Margin Pro", Example 1:
    # collateral ratio BTC, USDC: 0–1,000,000 → 1, 1,000,000–2,000,000 → 0.975 …. User holds
    # 2 BTC (index 10,000) and borrows 79,928 USDC: ∑Collateral Value = 99,928.
    usd_tiers = (
        RatioTier(D(0), D(1000000), D(1)),
        RatioTier(D(1000000), D(2000000), D("0.975")),
    )
    rules = {
        "BTC": CollateralRule("BTC", usd_tiers, TieredBy.USD),
        "USDC": CollateralRule("USDC", usd_tiers, TieredBy.USD),
    }
    basket = value_basket(
        holdings=[Holding("BTC", D(2), D(10000)), Holding("USDC", D(79928), D(1))], rules=rules
    )
    assert basket.collateral_value == D(99928)


def test_binance_usd_tiers_count_each_slice_at_its_ratio():
    # Same table: 1,500,000 USD of BTC counts 1,000,000 × 1 + 500,000 × 0.975.
    rule = CollateralRule(
        "BTC",
        (RatioTier(D(0), D(1000000), D(1)), RatioTier(D(1000000), D(2000000), D("0.975"))),
        TieredBy.USD,
    )
    basket = value_basket(holdings=[Holding("BTC", D(30), D(50000))], rules={"BTC": rule})
    assert basket.collateral_value == D(1487500)
    # the price slope at entry: the marginal tier's ratio
    assert moving_units(Holding("BTC", D(30), D(50000)), rule) == D("29.25")


# --- Kraken spot margin: the whole position borrowed, the deposit kept as collateral --------


def kraken_spot(*, side: Side, entry: D, quantity: D, balance: D, level: D):
    """Kraken spot margin at 5:1, liquidated when equity / used margin reaches `level`."""
    return evaluate(
        position=Position(
            contract=Contract.SPOT_MARGIN,
            side=side,
            entry_price=entry,
            quantity=quantity,
            margin=balance,
        ),
        rules=Rules(liquidation_margin_level=level, used_margin_leverage=D(5)),
    )


def test_kraken_long_margin_call_price_example():
    # Kraken Support, "Margin call level and margin liquidation level": 1 BTC bought with 5:1
    # leverage at 20,000 USD, trade balance 10,000 USD, used margin 4,000, margin level 250%;
    # "for your margin level to drop to 80%, the price of BTC would have to fall to
    # approximately 13,200 USD".
    evaluation = kraken_spot(
        side=Side.LONG, entry=D(20000), quantity=D(1), balance=D(10000), level=D("0.8")
    )
    assert evaluation.liquidation_price == D(13200)
    assert evaluation.margin_level == D("2.5")


def test_kraken_long_margin_call_example_two():
    # Same article: $10,000 in the account, 1.5 BTC at $30,000 (cost $45,000), 5:1 → used
    # margin $9,000; at $28,133.3 the unrealised loss is -$2,800.05, equity $7,199.95,
    # "7,199.95 / 9,000 = 79.999%": the 80% level is reached at 28,133.33 (the printed price
    # is rounded to a tenth).
    evaluation = kraken_spot(
        side=Side.LONG, entry=D(30000), quantity=D("1.5"), balance=D(10000), level=D("0.8")
    )
    assert same(evaluation.margin_level, D(10000) / D(9000))  # 111.1% at entry
    assert same(evaluation.liquidation_price, D(42200) / D("1.5"))
    assert round(evaluation.liquidation_price, 1) == D("28133.3")


def test_kraken_short_example():
    # Kraken Support, "Margin trading examples": $5,000 funds, a $10,000 short at 5x with
    # BTC/USD at 50,000 (0.2 BTC borrowed), used margin 0.04 BTC, margin level 250%. At 65,200
    # the loss is $3,040, equity $1,960, used margin 0.04 × 65,200 = $2,608, margin level
    # "($1,960 ÷ $2,608)×100 = 75%" (75.15%, printed rounded): at that level, 65,200 is where
    # the engine liquidates the short.
    evaluation = kraken_spot(
        side=Side.SHORT,
        entry=D(50000),
        quantity=D("0.2"),
        balance=D(5000),
        level=D(1960) / D(2608),
    )
    assert evaluation.margin_level == D("2.5")
    assert same(evaluation.liquidation_price, D(65200))


# --- Aave v3: health factor, loan-to-value, close factor and bonus -------------------------


def test_aave_health_factor_example():
    # Aave docs, "Liquidations" (aave.com/docs/developers/liquidations): "if a user supplies
    # $10,000 in ETH with an 80% liquidation threshold and borrows $6,000 in GHO, the health
    # factor would be 1.333."
    state = loan_state(
        collateral=[LoanCollateral("ETH", D(5), D(2000), D("0.8"), D("0.05"), D("0.75"))],
        debt=D(6000),
    )
    assert state.health_factor is not None
    assert round(state.health_factor, 3) == D("1.333")
    assert state.loan_to_value == D("0.6")
    assert state.borrow_limit == D(7500)


def test_single_asset_loan_shows_loan_to_value_beside_health_factor():
    evaluation = evaluate(
        position=Position(
            contract=Contract.LOAN,
            side=Side.LONG,
            entry_price=D(2000),
            collateral=D(5),
            debt=D(6000),
        ),
        rules=Rules(liquidation_threshold=D("0.8")),
    )
    assert evaluation.loan_to_value == D("0.6")
    assert round(evaluation.health_factor, 3) == D("1.333")


def test_aave_liquidation_call_formula():
    # Aave docs, "Liquidations" (V3 developers guide): between CLOSE_FACTOR_HF_THRESHOLD (0.95)
    # and 1 "only a maximum of 50% (i.e. DEFAULT_LIQUIDATION_CLOSE_FACTOR) of the debt can be
    # liquidated per valid liquidationCall()"; "maxAmountOfCollateralToLiquidate =
    # (debtAssetPrice * debtToCover * liquidationBonus) / collateralPrice". No numbers are
    # published with it: these follow the formula. 5 ETH at 1,450 (7,250), LT 0.8, bonus 5%,
    # debt 6,000 → HF 0.9667: one call repays 3,000 and takes 3,150 / 1,450 ETH.
    result = liquidate_stepwise(
        collateral=[LoanCollateral("ETH", D(5), D(1450), D("0.8"), D("0.05"))], debt=D(6000)
    )
    first = result.calls[0]
    assert first.repaid == D(3000)
    assert same(first.seized, D(3150) / D(1450))
    assert round(first.bonus_value, 20) == D(150)
    assert len(result.calls) == 1 and result.healthy
    # HF after: (7,250 − 3,150) × 0.8 / 3,000
    assert same(first.health_factor_after, D(4100) * D("0.8") / D(3000))


def test_aave_full_close_below_threshold_and_bad_debt():
    # Below HF 0.95 all of the debt may be repaid in one call; where the collateral cannot
    # cover debt plus bonus, all of it is seized and the rest of the debt is bad debt
    # (Aave v3.3 "Bad Debt Management": burned and accounted to the reserve as a deficit).
    result = liquidate_stepwise(
        collateral=[LoanCollateral("ETH", D(5), D(1000), D("0.8"), D("0.05"))], debt=D(6000)
    )
    assert len(result.calls) == 1
    assert result.calls[0].seized == D(5)
    assert same(result.calls[0].repaid, D(5000) / D("1.05"))
    assert same(result.bad_debt, D(6000) - D(5000) / D("1.05"))
    assert not result.healthy


def test_several_collateral_assets_largest_first():
    result = liquidate_stepwise(
        collateral=[
            LoanCollateral("ETH", D(2), D(1000), D("0.8"), D("0.05")),
            LoanCollateral("WBTC", D("0.1"), D(30000), D("0.75"), D("0.1")),
        ],
        debt=D(4400),
    )
    assert result.calls[0].asset == "WBTC"
    assert result.healthy


# --- collateral in the traded coin and a minimum-collateral floor (GMX v2) ------------------


def test_gmx_long_with_the_index_token_as_collateral():
    # Cyfrin Updraft, "GMX perpetuals — closing a long" (GMX UI): ETH/USD 2x long, collateral
    # 0.0099880 WETH, size $38.28, entry $1,917.50, "Liq. Price … $1,312.31". GMX liquidates
    # when remaining collateral < max(minCollateralUsd $1, size × minCollateralFactor) and the
    # GMX SDK's same-token formula is (size + liq collateral + fees) / (size tokens + collateral
    # tokens). With the $1 floor and no fee we get 1,311.45; GMX also reserves the closing fee
    # (≈0.07% of size), which our engine charges at the fill instead: within 0.1%.
    entry = D("1917.50")
    collateral = D("0.0099880")
    size_tokens = D("38.28") / entry
    evaluation = evaluate(
        position=Position(
            contract=Contract.LINEAR,
            side=Side.LONG,
            entry_price=entry,
            quantity=size_tokens,
            margin=collateral * entry,
            coin_collateral=collateral,
        ),
        rules=Rules(maintenance_margin_rate=D("0.005"), minimum_collateral=D(1)),
    )
    assert evaluation.liquidation_price is not None
    expected = (D("38.28") + 1) / (size_tokens + collateral)
    assert round(evaluation.liquidation_price, 20) == round(expected, 20)
    assert abs(evaluation.liquidation_price / D("1312.31") - 1) < D("0.001")


def test_coin_collateral_moves_with_the_price():
    # The same long backed by dollars instead is liquidated lower: its collateral holds value.
    def liquidation(coin: D) -> D:
        result = evaluate(
            position=Position(
                contract=Contract.LINEAR,
                side=Side.LONG,
                entry_price=D(100),
                quantity=D(10),
                margin=D(500),
                coin_collateral=coin,
            ),
            rules=Rules(maintenance_margin_rate=D("0.01")),
        )
        assert result.liquidation_price is not None
        return result.liquidation_price

    assert liquidation(D(5)) > liquidation(D(0))


def test_unknown_collateral_asset_is_a_field_error():
    with pytest.raises(EngineInputError) as error:
        value_basket(holdings=[Holding("DOGE", D(1), D(1))], rules={})
    assert error.value.field == "collateral_assets"


def test_loan_with_other_collateral_follows_the_weighted_health_factor():
    # Aave's health factor over several assets, HF = Σ value × threshold / debt (docs,
    # "Health Factor"), with the loan's own coin moving and the rest at fixed prices:
    # 5 ETH at 2,000 (LT 0.8) and 10,000 of WBTC (LT 0.75) against 12,000:
    # HF = (8,000 + 7,500) / 12,000; liquidation where 5 × P × 0.8 + 7,500 = 12,000, P = 1,125.
    evaluation = evaluate(
        position=Position(
            contract=Contract.LOAN,
            side=Side.LONG,
            entry_price=D(2000),
            collateral=D(5),
            debt=D(12000),
            other_collateral=((D(10000), D("0.75")),),
        ),
        rules=Rules(liquidation_threshold=D("0.8")),
    )
    assert same(evaluation.health_factor, D(15500) / D(12000))
    assert same(evaluation.loan_to_value, D(12000) / D(20000))
    assert same(evaluation.liquidation_price, D(1125))
    # bankrupt where all the collateral is worth the debt: 5 × P + 10,000 = 12,000
    assert same(evaluation.bankruptcy_price, D(400))
