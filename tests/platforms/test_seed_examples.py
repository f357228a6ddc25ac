"""The seeded profiles, through the API, give the figures the exchanges publish for them."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def evaluated(client, **fields: str) -> dict:
    """The API's answer for these fields, with the seeded profiles."""
    return client.get("/api/v1/evaluate", fields).json()


def test_bitmex_linear_reproduces_karens_cross_margin_example(client, seeded):
    # BitMEX, "Isolated and Cross Margin Examples", Example one
    # (https://www.bitmex.com/app/isolatedMarginExamples): "Karen's BitMEX account wallet has
    # 10,000 USDT. She buys 20 contracts of ETHUSDT at the price of $1,000 at 50x Cross Margin.
    # The required initial margin is 2% = 400 USDT, and the maintenance margin is 1% = 200 USDT.
    # [...] Her liquidation and bankruptcy prices are 510 and 500, respectively."
    body = evaluated(
        client,
        platform="bitmex",
        contract="linear",
        margin_mode="cross",
        wallet_balance="10000",
        entry_price="1000",
        quantity="20",
    )
    assert Decimal(body["maintenance_margin"]) == 200
    assert Decimal(body["liquidation_price"]) == 510
    assert Decimal(body["bankruptcy_price"]) == 500


def test_bitget_btcusdt_maintenance_follows_its_tiered_worked_example(client, seeded):
    # Bitget, "Bitget to update maintenance margin calculation for classic account futures"
    # (https://www.bitget.cloud/support/articles/12560603841952, 2025-11-07): "Maintenance
    # margin = 200,000 × (0.40% + 0.06%) + (330,000 − 200,000) × (0.50% + 0.06%) = 920 + 728 =
    # 1648 USDT". 6.6 BTC at $50,000 is the example's 330,000 USDT position.
    body = evaluated(client, platform="bitget", entry_price="50000", quantity="6.6", leverage="10")
    assert Decimal(body["maintenance_margin"]) == Decimal("1648")


def test_binance_coin_m_maintenance_amounts_match_its_liquidation_faq(client, seeded):
    # Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts"
    # (https://www.binance.com/es/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46, English text):
    # "BTCUSD Maintenance Amount on Level 5 = 50 BTC * (5% -2.5%) + 0.56 BTC = 1.81 BTC".
    # 75 BTC of notional (3,750,000 USD of contracts at $50,000) is in level 5 (50-100 BTC);
    # its maintenance margin is 75 x 5% - 1.81 = 1.94 BTC.
    body = evaluated(
        client,
        platform="binance",
        contract="inverse",
        entry_price="50000",
        quantity="3750000",
        leverage="5",
    )
    assert Decimal(body["maintenance_margin"]) == Decimal("1.94")


def test_tier_tables_say_which_currency_their_notional_is_in(client, seeded):
    # Binance's COIN-M brackets are in BTC (0-10 BTC at 125x), its USDⓈ-M ones in USDT.
    page = client.get("/platforms/binance/").content.decode()
    assert "Margin tiers, notional and maintenance amount in USDT" in page
    assert "Margin tiers, notional and maintenance amount in the underlying coin" in page


def test_bitget_tier_table_reads_as_published_and_says_the_fee_is_added(client, seeded):
    # Bitget's BTCUSDT table (announcement of 2025-09-26) lists 0.40% for the first tier; its
    # maintenance adds the 0.06% "transaction fee rate" (notice of 2025-11-07, quoted above).
    page = client.get("/platforms/bitget/").content.decode()
    first_row = page[page.index("<td>BTCUSDT</td>") :].split("</tr>")[0]
    assert "150×" in first_row and ">0.4%<" in first_row
    assert "notional × (rate + taker fee) − maintenance amount" in page
    assert "the taker fee (0.06%) is added to every maintenance rate" in page
    assert "paid from the account balance, not the position's margin" in page


def test_bitget_maths_shows_the_published_rate_and_the_fee(client, seeded):
    scenario = {"platform": "bitget", "entry_price": "50000", "quantity": "6.6", "leverage": "10"}
    steps = client.get("/calculator/maths", scenario, headers={"HX-Request": "true"})
    text = steps.content.decode()
    assert "MM = notional × (tier rate + taker fee) − cum" in text
    assert "mmr = 0.5% + 0.06% taker fee = 0.56%, cum = $200.00" in text
    assert "at entry MM = $1,648.00" in text
    # Bitget takes the $198 opening fee (0.06% of $330,000) from the balance: M is not less by it
    assert "M = $33,000.00 (leverage 10×; the $198.00 opening fee came from the balance" in text
    # the same fee on custom rules, where fees come out of the margin: M is less by it
    custom = {**scenario, "platform": "", "taker_fee": "0.0006"}
    steps = client.get("/calculator/maths", custom, headers={"HX-Request": "true"})
    assert "M = $32,802.00 (leverage 10×, after opening fee $198.00)" in steps.content.decode()


def test_gate_btcusdt_maintenance_is_worked_out_tier_by_tier(client, seeded):
    # Gate, "Leverage and Margin": maintenance "first calculates it using the maintenance margin
    # ratio (MMR) of the lowest tier, applying the next tier's MMR only to the portion exceeding
    # the previous limit"; Gate Help Center "Risk Limit Explanation" (2025-09-30) gives BTCUSDT
    # 0.40% to 20,000, 0.45% to 50,000, 0.50% to 100,000, 0.70% to 200,000. A 150,000 USDT
    # position (3 BTC at $50,000): 20,000 × 0.40% + 30,000 × 0.45% + 50,000 × 0.50%
    # + 50,000 × 0.70% = 80 + 135 + 250 + 350 = 815 USDT, and Gate's liquidation formula
    # adds the taker rate (0.05%) to the maintenance ratio: 150,000 × 0.05% = 75 more.
    body = evaluated(client, platform="gate", entry_price="50000", quantity="3", leverage="20")
    assert Decimal(body["maintenance_margin"]) == Decimal("815") + Decimal("75")


@pytest.mark.parametrize(("side", "sign"), [("long", 1), ("short", -1)])
def test_gate_liquidation_price_follows_gates_formula(client, seeded, side, sign):
    # Gate Help Center, "Liquidation price and bankruptcy price" (help article 27724, as quoted
    # in freqtrade's code, 2022-12-31): "Liquidation Price = (Entry Price ± Margin / Contract
    # Multiplier / Size) / [ 1 ± (Maintenance Margin Ratio + Taker Rate)] ... '-' for long,
    # and '+' for short". 0.2 BTC at $50,000 (first tier, 0.40%) at 10x; Gate takes its 0.05%
    # taker fee from the position margin, so $1,000 − $5 is left behind the position.
    margin, size, entry = Decimal(995), Decimal("0.2"), Decimal(50000)
    published = (entry - sign * margin / size) / (1 - sign * (Decimal("0.004") + Decimal("0.0005")))
    body = evaluated(
        client, platform="gate", side=side, entry_price="50000", margin="1000", leverage="10"
    )
    assert Decimal(body["open_fee"]) == 5 and Decimal(body["margin"]) == margin
    assert Decimal(body["liquidation_price"]) == published.quantize(Decimal("1e-8"))


@pytest.mark.parametrize(("side", "direction"), [("long", 1), ("short", -1)])
def test_bitget_isolated_liquidation_price_follows_bitgets_formula(client, seeded, side, direction):
    # Bitget, "Bitget futures: Estimated liquidation price" (support article 12560603808759,
    # 2025-09-18): "Estimated liquidation price = [position margin + pre-calculated offset −
    # position size × average entry price × position direction] ÷ [position size × (MMR +
    # taker fee ratio − position direction)]". 0.2 BTC at $50,000 with $1,000 of margin is in
    # the first BTCUSDT tier (0.40%, offset 0); the standard taker fee is 0.06%. Bitget takes
    # the opening fee from the balance, so the position margin stays $1,000.
    margin, size, entry = Decimal(1000), Decimal("0.2"), Decimal(50000)
    published = (margin + 0 - size * entry * direction) / (
        size * (Decimal("0.004") + Decimal("0.0006") - direction)
    )
    body = evaluated(
        client, platform="bitget", side=side, entry_price="50000", margin="1000", quantity="0.2"
    )
    assert Decimal(body["liquidation_price"]) == published.quantize(Decimal("1e-8"))
