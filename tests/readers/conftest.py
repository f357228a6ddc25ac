"""Readers replay real recorded answers (readers/recordings/README.md cites each) with respx:
no test reaches the network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import respx

RECORDINGS = Path(__file__).resolve().parents[2] / "readers" / "recordings"
HL_URL = "https://api.hyperliquid.xyz/info"
DYDX_URL = "https://indexer.dydx.trade/v4"
# The address the Hyperliquid recording was made with (hyperliquid-python-sdk's cassette).
HL_ADDRESS = "0x5e9ee1089755c3435139848e47e6635505d5a13a"
# The address in nautilus_trader's recorded empty subaccount.
DYDX_FLAT_ADDRESS = "dydx1n56z5fhmemtffzkt2eqyf9kuc7ycjfs86mvqy7"
# A well-formed dYdX address to serve the open-positions recording under (the recording's own,
# dydx1abc123…, is a placeholder that is not valid bech32).
DYDX_ADDRESS = "dydx1n56z5fhmemtffzkt2eqyf9kuc7ycjfs86mvqy8"


def recording(name: str):
    return json.loads((RECORDINGS / name).read_text())


@pytest.fixture
def reading_on(settings):
    settings.ACCOUNT_READING_ENABLED = True
    settings.HYPERLIQUID_INFO_URL = HL_URL
    settings.DYDX_INDEXER_URL = DYDX_URL
    return settings


@pytest.fixture
def platforms():
    """respx serving the recordings; any other request fails the test."""
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        router.post(HL_URL).respond(json=recording("hyperliquid_clearinghouse_state.json"))
        router.get(f"{DYDX_URL}/addresses/{DYDX_ADDRESS}/subaccountNumber/0").respond(
            json=recording("dydx_subaccount_open.json")
        )
        router.get(f"{DYDX_URL}/addresses/{DYDX_FLAT_ADDRESS}/subaccountNumber/0").respond(
            json=recording("dydx_subaccount_flat.json")
        )
        router.get(f"{DYDX_URL}/perpetualMarkets").respond(
            json=recording("dydx_perpetual_markets.json")
        )
        yield router
