"""rules_for_market: a market's own tiers, leverage, fee and funding over its product line's rules."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from engine import Contract, Position, Rules, Side, evaluate
from markets.models import Market
from markets.rules import market_tiers, rules_for_market
from platforms.profiles import load_platform, resolve, rules_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def markets(seeded):
    call_command("seed_markets", stdout=StringIO())


def binance_line_rules() -> Rules:
    platform = load_platform("binance")
    return rules_for(resolve(platform, contract="linear", margin_mode="isolated"))


def test_the_market_replaces_tiers_and_leverage_and_keeps_the_conventions(markets):
    base = binance_line_rules()
    eth = Market.objects.get(product_line__platform__slug="binance", symbol="ETHUSDT")
    rules = rules_for_market(eth, base)
    assert rules.tiers == market_tiers(eth) and rules.tiers != base.tiers
    assert rules.tiers[0].notional_floor == 0 and rules.tiers[0].maintenance_amount == 0
    assert rules.max_leverage == eth.max_leverage
    # Unread here (the bracket snapshot has no fees or funding): the line's values stay.
    assert rules.taker_fee == base.taker_fee
    assert rules.funding_interval_hours == base.funding_interval_hours
    for kept in ("maintenance_basis", "liquidation_fee", "settles_at_bankruptcy", "waterfall"):
        assert getattr(rules, kept) == getattr(base, kept)
    assert rules.negative_balance_protection == base.negative_balance_protection


def test_fees_and_funding_come_from_the_market_where_read(markets):
    btc = Market.objects.get(product_line__platform__slug="bybit", symbol="BTCUSDT")
    btc.funding_interval_hours = Decimal(8)
    rules = rules_for_market(btc, Rules(taker_fee=Decimal("0.001")), funding_rate=Decimal("0.0001"))
    assert rules.taker_fee == Decimal("0.0006")  # Bybit fee-rate recording
    assert rules.funding_interval_hours == 8 and rules.funding_rate == Decimal("0.0001")
    # gocryptotrader's recorded BTCUSDT risk limits (2023-08-16): the market's own table
    assert rules.tiers == market_tiers(btc) and len(rules.tiers) == 34
    assert (rules.tiers[0].notional_cap, rules.tiers[0].maintenance_margin_rate) == (
        2_000_000,
        Decimal("0.005"),
    )


def test_the_engine_liquidates_on_the_markets_own_table(markets):
    base = binance_line_rules()
    btc = Market.objects.get(product_line__platform__slug="binance", symbol="BTCUSDT")
    doge = Market.objects.get(product_line__platform__slug="binance", symbol="DOGEUSDT")
    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=Decimal(100),
        quantity=Decimal(100),
        leverage=Decimal(10),
    )
    on_btc = evaluate(position=position, rules=rules_for_market(btc, base))
    on_doge = evaluate(position=position, rules=rules_for_market(doge, base))
    # Same position, different first-tier maintenance rates: different liquidation prices.
    first_btc, first_doge = market_tiers(btc)[0], market_tiers(doge)[0]
    assert first_btc.maintenance_margin_rate != first_doge.maintenance_margin_rate
    assert (on_btc.liquidation_price > on_doge.liquidation_price) == (
        first_btc.maintenance_margin_rate > first_doge.maintenance_margin_rate
    )


def test_hyperliquid_maintenance_follows_each_assets_max_leverage(markets):
    platform = load_platform("hyperliquid")
    base = rules_for(resolve(platform, contract="linear", margin_mode="cross"))
    sol = Market.objects.get(product_line__platform__slug="hyperliquid", symbol="SOL")
    rules = rules_for_market(sol, base)
    # ccxt 4.5.90's metaAndAssetCtxs example: SOL maxLeverage 50; the line derives
    # mmr = 1 / (2 × max leverage) from it (Hyperliquid docs, as the product line cites).
    assert base.mmr_from_max_leverage and rules.mmr_from_max_leverage
    assert rules.max_leverage == 50
