"""Aave v3: any address's account on one market, from an Ethereum JSON-RPC endpoint.

One `eth_call` of the market's Pool, `getUserAccountData(address user)` (Aave v3 IPool; Aave's
docs, "Pool", https://aave.com/docs/aave-v3/smart-contracts/pool), answers six uint256 words:
total collateral and total debt in the market's base currency, the borrowing power left, the
collateral-weighted liquidation threshold and LTV in basis points, and the health factor in
units of 1e18 (the largest uint256 when there is no debt). The base currency of Aave v3's
markets is USD with 8 decimals (the oracle's BASE_CURRENCY_UNIT, 1e8); `AAVE_BASE_DECIMALS`
changes it for a market priced otherwise.

The call is encoded by hand (no web3 dependency): the selector `0xbf92857c` is the first four
bytes of keccak256("getUserAccountData(address)"), as Aave's own ABI lists it, followed by the
address left-padded to 32 bytes (the Solidity ABI specification, "Formal Specification of the
Encoding": an address is encoded as uint160).

Reading stops at the account's figures: the per-reserve balances (UiPoolDataProvider) are not
read, so the calculator opens the account as one loan of its whole collateral against its whole
debt at the weighted threshold (every collateral asset moving together, the debt stable).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import httpx
from django.utils.translation import gettext

from readers.types import AddressError, ReadLoan, UpstreamRefused

SLUG = "aave"
ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
SELECTOR = "0xbf92857c"  # getUserAccountData(address)
WORDS = 6
MAX_UINT256 = 2**256 - 1
BASIS_POINTS = Decimal(10_000)
WAD = Decimal(10) ** 18


def clean_address(address: str) -> str:
    address = address.strip()
    if not ADDRESS.match(address):
        raise AddressError(
            "address",
            gettext("An Aave (Ethereum) address is 0x followed by 40 hexadecimal characters."),
        )
    return address.lower()


def call_data(address: str) -> str:
    """The calldata of getUserAccountData(address): selector, then the address as one word."""
    return SELECTOR + address.lower().removeprefix("0x").rjust(64, "0")


def request_body(pool: str, address: str) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "eth_call",
        "params": [{"to": pool, "data": call_data(address)}, "latest"],
    }


def fetch(client: httpx.Client, url: str, pool: str, address: str) -> Any:
    response = client.post(url, json=request_body(pool, address))
    response.raise_for_status()
    return response.json()


def decode_words(result: object) -> list[int]:
    """The six uint256 words of the answer; UpstreamRefused for anything else."""
    if not isinstance(result, str) or not re.fullmatch(r"0x[0-9a-fA-F]*", result):
        raise UpstreamRefused(gettext("The Ethereum endpoint's answer is not ABI-encoded data."))
    body = result[2:]
    if len(body) != 64 * WORDS:
        # "0x" is what a node answers when the address called holds no contract
        raise UpstreamRefused(
            gettext(
                "The Ethereum endpoint's answer is not Aave's account data (is the Pool address "
                "right for this network?)."
            )
        )
    return [int(body[i : i + 64], 16) for i in range(0, len(body), 64)]


def parse(
    data: Any, address: str, read_at: dt.datetime, *, pool: str, base_decimals: int = 8
) -> ReadLoan:
    if not isinstance(data, dict):
        raise UpstreamRefused(gettext("The Ethereum endpoint's answer is not a JSON-RPC response."))
    if data.get("error") is not None:
        raise UpstreamRefused(gettext("The Ethereum endpoint refused the call."))
    collateral, debt, available, threshold, ltv, health = decode_words(data.get("result"))
    unit = Decimal(10) ** base_decimals
    return ReadLoan(
        platform=SLUG,
        address=address,
        pool=pool.lower(),
        read_at=read_at,
        collateral_value=Decimal(collateral) / unit,
        debt=Decimal(debt) / unit,
        available_borrows=Decimal(available) / unit,
        liquidation_threshold=Decimal(threshold) / BASIS_POINTS,
        loan_to_value=Decimal(ltv) / BASIS_POINTS,
        health_factor=None if health == MAX_UINT256 else Decimal(health) / WAD,
    )
