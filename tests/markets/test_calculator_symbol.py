"""A market (symbol) in the calculator and the API: its defaults, its errors, its mark price.

The markets come from the shipped recordings (seed_markets); each test sets the quote it reads,
so the answers do not depend on which recordings ship.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from markets.importers import IMPORTERS
from markets.lookup import quotes_version
from markets.models import ImportRun, Market, MarketQuote
from markets.services import apply_readings
from platforms.profiles import profiles_version

pytestmark = pytest.mark.django_db

# $100,000 of ETH on Binance.
ETH_POSITION = {
    "platform": "binance",
    "entry_price": "3000",
    "margin": "10000",
    "leverage": "10",
    "gap": "0.05",
}
READ_AT = dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC)


# The recorded markets these tests read (the whole recordings take seconds to load).
WANTED = {"ETHUSDT", "ETHUSDC", "BTCUSDT", "BTCUSD", "SOL", "SOLUSDT", "BTC-USDT-SWAP"}


@pytest.fixture
def markets(seeded):
    for slug in ("binance", "bybit", "hyperliquid", "okx"):
        importer = IMPORTERS[slug]()
        readings, sources = importer.from_recordings()
        wanted = [reading for reading in readings if reading.symbol in WANTED]
        apply_readings(slug, wanted, sources=sources, mode=ImportRun.Mode.RECORDING)


def market(platform: str, symbol: str) -> Market:
    return Market.objects.get(product_line__platform__slug=platform, symbol=symbol)


def set_quote(found: Market, mark: str | None, funding: str | None = None, read_at=READ_AT):
    MarketQuote.objects.update_or_create(
        market=found,
        defaults={
            "mark_price": None if mark is None else Decimal(mark),
            "funding_rate": None if funding is None else Decimal(funding),
            "source": "test quote",
            "read_at": read_at,
        },
    )


def api(client, **fields):
    return client.get("/api/v1/evaluate", fields)


# --- The API -------------------------------------------------------------------------------


# $20,000 of SOL: the first tier of Binance's line table (BTCUSDT's brackets of the
# 2026-09-29 snapshot, 0.4%), and the first of SOLUSDT's own (0.5% up to $50,000). (ETHUSDT's
# brackets in that snapshot are BTCUSDT's, so ETH cannot show the difference.)
SOL_POSITION = {**ETH_POSITION, "entry_price": "150", "margin": "2000"}


def test_a_symbol_lends_its_own_tiers_and_only_when_named(client, markets):
    sol = market("binance", "SOLUSDT")
    without = api(client, **SOL_POSITION).json()
    named = api(client, **SOL_POSITION, symbol="SOLUSDT").json()
    assert without["market"] is None
    first_tier = sol.tiers.order_by("notional_floor").first()
    assert first_tier.maintenance_margin_rate == Decimal("0.005")
    assert Decimal(without["maintenance_margin_rate"]) == Decimal("0.004")
    assert Decimal(named["maintenance_margin_rate"]) == first_tier.maintenance_margin_rate
    assert named["liquidation_price"] != without["liquidation_price"]
    assert named["market"]["symbol"] == "SOLUSDT" and named["market"]["own_tiers"]
    assert named["market"]["contract"] == "linear"
    assert named["market"]["tiers_as_of"].startswith(str(sol.tiers_read_at.date()))


def test_the_platforms_own_spelling_is_found_whatever_the_case(client, markets):
    body = api(client, **ETH_POSITION, symbol="ethusdt").json()
    assert body["market"]["symbol"] == "ETHUSDT"


def test_a_visitor_override_beats_the_markets_default(client, markets):
    body = api(client, **ETH_POSITION, symbol="ETHUSDT", maintenance_margin_rate="0.02").json()
    assert Decimal(body["maintenance_margin_rate"]) == Decimal("0.02")


def test_an_unknown_symbol_is_a_field_error_naming_the_nearest_markets(client, markets):
    response = api(client, **ETH_POSITION, symbol="ETHUSDX")
    assert response.status_code == 400
    (message,) = response.json()["errors"]["symbol"]
    assert "Binance has no market “ETHUSDX”" in message
    assert "ETHUSDT" in message.split("nearest:")[1]


def test_a_base_asset_alone_names_its_markets(client, markets):
    (message,) = api(client, **ETH_POSITION, symbol="ETH").json()["errors"]["symbol"]
    nearest = message.split("nearest:")[1]
    assert "ETHUSDT" in nearest and "ETHUSDC" in nearest


def test_a_symbol_implies_its_contract_and_a_conflicting_one_is_a_field_error(client, markets):
    conflict = api(client, **ETH_POSITION, symbol="ETHUSDT", contract="inverse")
    assert conflict.status_code == 400
    assert list(conflict.json()["errors"]) == ["contract"]
    assert "ETHUSDT is a linear contract" in conflict.json()["errors"]["contract"][0]
    inverse = market("bybit", "BTCUSD")
    set_quote(inverse, "90000")
    body = api(client, platform="bybit", symbol="BTCUSD", margin="0.02", leverage="10").json()
    assert body["market"]["contract"] == "inverse"
    assert body["margin_currency"] == "coin"


def test_a_symbol_needs_its_platform(client, markets):
    response = api(client, symbol="ETHUSDT", entry_price="3000", margin="1000", leverage="10")
    assert response.json()["errors"]["symbol"] == ["Choose the platform whose market this is."]


def test_the_entry_price_defaults_to_the_mark_and_holding_costs_are_not_zero(client, markets):
    sol = market("hyperliquid", "SOL")
    set_quote(sol, "150", funding="0.0001")
    body = api(client, platform="hyperliquid", symbol="SOL", margin="1000", leverage="5").json()
    assert body["market"]["entry_from_mark"] is True
    assert body["market"]["mark_price"] == "150"
    assert Decimal(body["notional"]) == Decimal(5000)  # 1000 at 5×, entered at the mark
    holding = body["market"]["month_holding"]
    interval = Decimal(holding["funding_interval_hours"])
    # a long pays a positive rate: notional × rate × 720 h / interval
    assert Decimal(holding["funding"]) == Decimal(5000) * Decimal("0.0001") * 720 / interval
    typed = api(client, platform="hyperliquid", symbol="SOL", entry_price="140", margin="1000")
    assert typed.status_code == 400 or typed.json()["market"]["entry_from_mark"] is False
    given = api(
        client, platform="hyperliquid", symbol="SOL", entry_price="140", margin="1000", leverage="5"
    ).json()
    assert given["market"]["entry_from_mark"] is False and Decimal(given["notional"]) == 5000


def test_without_a_mark_price_the_entry_price_is_asked_for(client, markets):
    eth = market("binance", "ETHUSDT")
    MarketQuote.objects.filter(market=eth).delete()
    response = api(client, platform="binance", symbol="ETHUSDT", margin="1000", leverage="10")
    assert response.json()["errors"]["entry_price"] == [
        "Enter entry price: we have no mark price for ETHUSDT."
    ]


def test_without_a_symbol_the_entry_price_is_still_required(client, markets):
    response = api(client, platform="binance", margin="1000", leverage="10")
    assert response.json()["errors"]["entry_price"] == ["Enter entry price."]


# --- The page ------------------------------------------------------------------------------


def test_a_link_with_a_symbol_starts_at_the_mark_labelled_with_its_date(client, markets):
    sol = market("hyperliquid", "SOL")
    set_quote(sol, "150.5", funding="0.0001")
    Market.objects.filter(pk=sol.pk).update(from_snapshot=False)
    response = client.get("/", {"platform": "hyperliquid", "symbol": "SOL"})
    context = response.context
    assert context["valid"], dict(context["form"].errors)
    assert context["form"].data["entry_price"] == "150.5"  # not the example's BTC price
    page = response.content.decode()
    assert "SOL mark $150.50, read 6 Dec 2026" in page
    assert "Held for 30 days at the recent funding rate" in page
    assert 'id="symbol-options"' in page and 'value="SOL"' in page


def test_a_snapshot_quote_says_snapshot_of_its_date(client, markets):
    sol = market("hyperliquid", "SOL")
    set_quote(sol, "150.5")
    Market.objects.filter(pk=sol.pk).update(from_snapshot=True)
    page = client.get("/", {"platform": "hyperliquid", "symbol": "SOL"}).content.decode()
    assert "SOL mark $150.50, snapshot of 6 Dec 2026" in page


def test_the_answer_says_whose_tiers_as_of_when(client, markets):
    eth = market("binance", "ETHUSDT")
    set_quote(eth, "3000")
    page = client.get("/", {**ETH_POSITION, "symbol": "ETHUSDT"}).content.decode()
    assert f"tiers as of {eth.tiers_read_at:%-d %b %Y}" in page


def test_an_entry_far_from_the_mark_offers_to_start_from_it(client, markets):
    sol = market("hyperliquid", "SOL")
    set_quote(sol, "150")
    page = client.get(
        "/",
        {
            "platform": "hyperliquid",
            "symbol": "SOL",
            "entry_price": "50000",
            "margin": "1000",
            "leverage": "5",
        },
    ).content.decode()
    assert "Start from the mark" in page and "entry_price=150" in page


def test_the_symbols_of_a_platform_for_the_field(client, markets):
    options = client.get("/calculator/markets", {"platform": "binance"}).content.decode()
    assert 'value="ETHUSDT"' in options and 'label="ETH/USDT linear"' in options
    assert client.get("/calculator/markets", {"platform": "nosuch"}).content.strip() == b""


def test_a_page_without_a_symbol_is_as_before(client, markets):
    context = client.get("/", ETH_POSITION).context
    assert context["valid"] and context["market"] is None


# --- Quotes are market data, not policy ---------------------------------------------------


def test_a_quote_retires_cached_redraws_that_name_a_symbol_and_no_policy(client, markets):
    sol = market("hyperliquid", "SOL")
    set_quote(sol, "150", funding="0.0001")
    query = {
        "platform": "hyperliquid",
        "symbol": "SOL",
        "entry_price": "150",
        "margin": "1000",
        "leverage": "5",
    }
    first = client.get("/", query, headers={"HX-Request": "true"}).content.decode()
    policy, quotes = profiles_version(), quotes_version()
    set_quote(sol, "151", funding="-0.0002", read_at=timezone.now())
    assert profiles_version() == policy  # the policy snapshot and its cached results stay
    assert quotes_version() != quotes
    second = client.get("/", query, headers={"HX-Request": "true"}).content.decode()
    assert "pay $" in first.split('id="holding-cost"')[1].split("</p>")[0]
    assert "receive $" in second.split('id="holding-cost"')[1].split("</p>")[0]


def test_the_widget_takes_a_symbol_and_starts_at_its_mark(client, markets):
    sol = market("hyperliquid", "SOL")
    set_quote(sol, "150")
    response = client.get("/embed/", {"platform": "hyperliquid", "symbol": "SOL"})
    page = response.content.decode()
    assert response.context["valid"], response.context["errors"]
    assert 'name="entry_price" id="uw-entry" value="150"' in page
    assert '<input type="hidden" name="symbol" value="SOL">' in page
    assert "SOL: SOL mark $150.00" in page
    typed = client.get(
        "/embed/", {"platform": "hyperliquid", "symbol": "SOL", "entry_price": "140"}
    )
    assert 'id="uw-entry" value="140"' in typed.content.decode()


def test_an_account_position_whose_symbol_is_a_market_takes_its_tiers(client, markets):
    def maintenance(symbol: str, contract: str = "linear"):
        body = {
            "platform": "binance",
            "wallet_balance": "50000",
            "positions": [
                {
                    "symbol": symbol,
                    "contract": contract,
                    "side": "long",
                    "quantity": "100",
                    "entry_price": "150",
                }
            ],
        }
        return client.post("/api/v1/account", body, content_type="application/json").json()

    labelled, market_rules = maintenance("MY-SOL"), maintenance("SOLUSDT")
    # $15,000: the first tier of the line's table (0.4%), and of SOLUSDT's own (0.5%)
    assert Decimal(labelled["positions"][0]["maintenance_margin"]) == Decimal("60")
    assert Decimal(market_rules["positions"][0]["maintenance_margin"]) == Decimal("75")
    conflict = maintenance("SOLUSDT", contract="inverse")
    assert "SOLUSDT is a linear contract" in str(conflict["errors"])


def test_the_account_page_offers_the_platforms_symbols_per_position(client, markets):
    page = client.get("/account/").content.decode()  # the example account, on Binance
    assert '<datalist id="symbol-options">' in page and 'value="ETHUSDT"' in page
    assert 'list="symbol-options"' in page


def test_an_import_bumps_the_quotes_version_once_and_not_the_policy_version(seeded, monkeypatch):
    quotes, policy = [], []
    monkeypatch.setattr("markets.signals.quotes_changed", lambda: quotes.append(1))
    monkeypatch.setattr("markets.signals.policy_data_changed", lambda: policy.append(1))
    readings, sources = IMPORTERS["okx"]().from_recordings()
    apply_readings("okx", readings, sources=sources, mode=ImportRun.Mode.RECORDING)
    assert MarketQuote.objects.count() >= 1
    assert quotes == [1] and policy == [1]  # the first import writes policy too: once
    readings, sources = IMPORTERS["okx"]().from_recordings()
    apply_readings("okx", readings, sources=sources, mode=ImportRun.Mode.RECORDING)
    assert quotes == [1, 1] and policy == [1]  # read again: quotes only


def test_the_holding_cost_says_which_part_of_it_the_answer_already_counts(client, markets):
    """Opening a position pays its taker fee out of the margin, so the answer counts that part
    of the month's costs even with no holding period (the "Costs" key number names it)."""
    set_quote(market("bybit", "ETHUSDT"), "1825.87", funding="0.0001")
    query = {"platform": "bybit", "symbol": "ETHUSDT", "margin": "500", "leverage": "20"}

    def holding_line(extra: dict[str, str]) -> tuple[str, Any]:
        response = client.get("/", {**query, **extra})
        page = response.content.decode()
        return page.split('id="holding-cost"')[1].split("</p>")[0], response.context["evaluation"]

    with_fee, evaluation = holding_line({})
    assert evaluation.open_fee > 0
    assert "counts its opening fee but no funding" in with_fee
    assert "counts none of it" not in with_fee
    no_fee, evaluation = holding_line({"taker_fee": "0"})
    assert evaluation.open_fee == 0
    assert "counts none of it" in no_fee
    # Hyperliquid takes its fees from the wallet, not from the position's margin
    set_quote(market("hyperliquid", "SOL"), "150", funding="0.0001")
    elsewhere = client.get("/", {**query, "platform": "hyperliquid", "symbol": "SOL"})
    line = elsewhere.content.decode().split('id="holding-cost"')[1].split("</p>")[0]
    assert elsewhere.context["evaluation"].open_fee == 0
    assert "counts none of it" in line
    held, _ = holding_line({"holding_hours": "48"})
    assert "counts 48 h of it" in held


@pytest.mark.parametrize("platform", ["binance\x00", "bin ance", "../binance", "bínance"])
def test_a_platform_no_slug_can_be_asks_the_database_for_no_markets(
    seeded, client, django_assert_num_queries, platform
):
    """A NUL byte in the platform reached the markets' query and PostgreSQL refused it: a 500
    that Hypothesis found (tests/fuzz) on CI's PostgreSQL run. Text no slug can be names no
    platform: no markets, no query, and the page names the field's error."""
    from calculator.market import symbol_options

    with django_assert_num_queries(0):
        assert symbol_options(platform) == []
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/", {**ETH_POSITION, "platform": platform}, headers=headers)
        assert response.status_code == 200
        assert re.search(r'id="err-platform"[^>]*>[^<]+', response.content.decode())


def test_a_published_platforms_markets_are_still_listed(markets):
    from calculator.market import symbol_options

    symbols = {market.symbol for market in symbol_options("binance")}
    assert {"ETHUSDT", "BTCUSDT"} <= symbols
