"""Parsing the platforms' recorded answers into an account (no Django, no network)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from readers import dydx, hyperliquid
from readers.types import AddressError, UpstreamRefused
from tests.readers.conftest import HL_ADDRESS, recording

NOW = dt.datetime(2026, 12, 6, 21, 0, tzinfo=dt.UTC)


def test_hyperliquid_reads_every_position_with_its_mark_and_the_cross_wallet():
    data = recording("hyperliquid_clearinghouse_state.json")
    account = hyperliquid.parse(data, HL_ADDRESS, NOW)
    assert len(account.positions) == 12
    btc = account.positions[0]
    assert (btc.symbol, btc.side, btc.quantity, btc.entry_price) == (
        "BTC",
        "short",
        Decimal("0.00785"),
        Decimal("26951.0"),
    )
    assert btc.margin_mode == "cross" and btc.leverage == 20
    # the mark is positionValue / |szi|, and it reproduces the stated PnL to the last digit
    assert btc.mark_price == Decimal("26961.2")
    for position in account.positions:
        sign = 1 if position.side == "long" else -1
        pnl = sign * position.quantity * (position.mark_price - position.entry_price)
        assert abs(pnl - position.unrealized_pnl) < Decimal("0.000001"), position.symbol
    # the wallet plus the cross PnL is Hyperliquid's cross account value
    total_pnl = sum(p.unrealized_pnl for p in account.positions)
    assert account.wallet_balance + total_pnl == Decimal("1182.312496")
    assert account.balances["withdrawable"] == Decimal("1010.57173")


def test_hyperliquid_account_fields_are_the_account_forms():
    account = hyperliquid.parse(recording("hyperliquid_clearinghouse_state.json"), HL_ADDRESS, NOW)
    data = account.form_data()
    assert data["platform"] == "hyperliquid"
    assert data["positions-TOTAL_FORMS"] == "12"
    assert data["positions-1-symbol"] == "ETH" and data["positions-1-side"] == "long"
    assert "margin" not in {k.split("-")[-1] for k in data if k.startswith("positions-0-")}
    assert HL_ADDRESS not in data.values()  # the address never goes into the page's query


def test_dydx_reads_the_position_the_oracle_mark_and_the_wallet_before_pnl():
    account = dydx.parse(
        recording("dydx_subaccount_open.json"),
        recording("dydx_perpetual_markets.json"),
        "dydx1x",
        0,
        NOW,
    )
    (btc,) = account.positions
    assert (btc.symbol, btc.side, btc.quantity, btc.entry_price) == (
        "BTC-USD",
        "long",
        Decimal("0.5"),
        Decimal("43000.0"),
    )
    assert btc.mark_price == Decimal("89919.2")  # the markets recording's oraclePrice
    # USDC 100000 + 0.5 × 43000: equity less unrealized PnL at any mark
    assert account.wallet_balance == Decimal("121500.0")
    assert account.balances["equity"] == Decimal("125000.50")


def test_dydx_subaccount_without_positions_is_an_empty_account():
    account = dydx.parse(recording("dydx_subaccount_flat.json"), {}, "dydx1x", 0, NOW)
    assert account.empty
    assert account.wallet_balance == Decimal("45.201296")


@pytest.mark.parametrize(
    "address",
    ["", "0x123", "0x" + "g" * 40, "5e9ee1089755c3435139848e47e6635505d5a13a", HL_ADDRESS + "0"],
)
def test_malformed_hyperliquid_addresses_are_refused_before_any_request(address):
    with pytest.raises(AddressError) as error:
        hyperliquid.clean_address(address)
    assert error.value.field == "address"


@pytest.mark.parametrize("address", ["dydx1short", "cosmos1" + "q" * 38, "dydx1" + "b" * 38])
def test_malformed_dydx_addresses_are_refused(address):
    with pytest.raises(AddressError):
        dydx.clean_address(address)


@pytest.mark.parametrize("value", ["-1", "x", "128000", "1.5"])
def test_malformed_subaccounts_are_refused(value):
    with pytest.raises(AddressError) as error:
        dydx.clean_subaccount(value)
    assert error.value.field == "subaccount"


@pytest.mark.parametrize("data", [None, [], {"assetPositions": "x"}, {"assetPositions": [1]}])
def test_an_unreadable_hyperliquid_answer_is_a_refusal_not_a_crash(data):
    with pytest.raises(UpstreamRefused):
        hyperliquid.parse(data, HL_ADDRESS, NOW)


def test_the_recorded_500_answer_is_unreadable():
    # hyperliquid-python-sdk recorded Hyperliquid answering HTTP 500 with the body `null`
    with pytest.raises(UpstreamRefused):
        hyperliquid.parse(recording("hyperliquid_info_500.json"), HL_ADDRESS, NOW)
