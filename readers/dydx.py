"""dYdX v4: a subaccount from the public indexer.

`GET {DYDX_INDEXER_URL}/addresses/{address}/subaccountNumber/{n}` answers `{"subaccount": …}`
with `equity`, `openPerpetualPositions` (market, side, size, entryPrice, unrealizedPnl) and
`assetPositions` (USDC); `GET {DYDX_INDEXER_URL}/perpetualMarkets` answers each market's
`oraclePrice`, which dYdX uses as the mark (https://docs.dydx.xyz, Indexer API).

The cross wallet in the account form's sense (balance before unrealized PnL) is the USDC
position plus each position's signed size × entry price: the indexer's equity is USDC plus
signed size × oracle, so this is exact whatever the oracle was when the equity was computed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx
from django.utils.translation import gettext

from readers.types import AddressError, ReadAccount, ReadPosition, UpstreamRefused, decimal

SLUG = "dydx"
# bech32: "dydx1" then 38 characters of the bech32 alphabet (no 1, b, i, o)
ADDRESS = re.compile(r"^dydx1[02-9ac-hj-np-z]{38}$")
MAX_SUBACCOUNT = 128_000


def clean_address(address: str) -> str:
    address = address.strip().lower()
    if not ADDRESS.match(address):
        raise AddressError(
            "address",
            gettext("A dYdX address is dydx1 followed by 38 letters and digits (bech32)."),
        )
    return address


def clean_subaccount(value: object) -> int:
    if value in (None, ""):
        return 0
    try:
        number = int(str(value))
    except ValueError:
        number = -1
    if not 0 <= number < MAX_SUBACCOUNT:
        raise AddressError(
            "subaccount",
            gettext("A subaccount is a whole number from 0 to %(last)s.")
            % {"last": MAX_SUBACCOUNT - 1},
        )
    return number


def fetch(client: httpx.Client, url: str, address: str, subaccount: int) -> tuple[Any, Any]:
    base = url.rstrip("/")
    response = client.get(f"{base}/addresses/{address}/subaccountNumber/{subaccount}")
    if response.status_code == 404:  # the indexer knows no such subaccount: nothing is open
        return {"subaccount": {"openPerpetualPositions": {}, "assetPositions": {}}}, {}
    response.raise_for_status()
    subaccount_data = response.json()
    markets: Any = {}
    if (subaccount_data.get("subaccount") or {}).get("openPerpetualPositions"):
        answer = client.get(f"{base}/perpetualMarkets")
        answer.raise_for_status()
        markets = answer.json()
    return subaccount_data, markets


def parse(
    data: Any, markets: Any, address: str, subaccount: int, read_at: dt.datetime
) -> ReadAccount:
    account = data.get("subaccount") if isinstance(data, dict) else None
    if not isinstance(account, dict):
        raise UpstreamRefused(gettext("dYdX's answer has no subaccount."))
    open_positions = account.get("openPerpetualPositions") or {}
    assets = account.get("assetPositions") or {}
    if not isinstance(open_positions, dict) or not isinstance(assets, dict):
        raise UpstreamRefused(gettext("dYdX's answer has positions we cannot read."))
    market_rows = (markets or {}).get("markets") or {} if isinstance(markets, dict) else {}
    usdc = assets.get("USDC") or {}
    wallet = decimal(usdc.get("size", "0"), "USDC balance")
    if usdc.get("side") == "SHORT":
        wallet = -wallet
    positions = []
    for market, row in open_positions.items():
        if not isinstance(row, dict) or row.get("status", "OPEN") != "OPEN":
            continue
        size = abs(decimal(row.get("size"), "size"))
        if size == 0:
            continue
        side = "short" if row.get("side") == "SHORT" else "long"
        entry = decimal(row.get("entryPrice"), "entry price")
        signed = size if side == "long" else -size
        wallet += signed * entry
        oracle = (market_rows.get(market) or {}).get("oraclePrice")
        positions.append(
            ReadPosition(
                symbol=str(row.get("market") or market)[:30],
                side=side,
                quantity=size,
                entry_price=entry,
                mark_price=decimal(oracle, "oracle price") if oracle is not None else None,
                unrealized_pnl=decimal(row["unrealizedPnl"], "PnL")
                if row.get("unrealizedPnl") is not None
                else None,
            )
        )
    balances = {"equity": decimal(account.get("equity", "0"), "equity")}
    if account.get("freeCollateral") is not None:
        balances["free_collateral"] = decimal(account["freeCollateral"], "free collateral")
    balances["usdc"] = decimal(usdc.get("size", "0"), "USDC balance") * (
        -1 if usdc.get("side") == "SHORT" else 1
    )
    return ReadAccount(
        platform=SLUG,
        address=address,
        subaccount=subaccount,
        read_at=read_at,
        wallet_balance=wallet,
        positions=tuple(positions),
        balances=balances,
    )
