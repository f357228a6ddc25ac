"""Hyperliquid: any address's perpetuals account from the public info API.

`POST {HYPERLIQUID_INFO_URL} {"type": "clearinghouseState", "user": "0x…"}` answers the margin
summaries and every open position (`assetPositions`) with its signed size `szi`, `entryPx`,
`leverage` (`type` cross or isolated), `positionValue`, `unrealizedPnl` and `marginUsed`
(https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals,
"Retrieve user's perpetuals account summary").

The mark of each position is `positionValue ÷ |szi|`: Hyperliquid values a position at its mark,
in the same answer as the sizes, so marks and positions are of one instant (checked on the
recording: BTC −0.00785 at entry 26951 with value 211.64542 gives mark 26961.2 and exactly the
stated PnL −0.08007). No second request (metaAndAssetCtxs) is needed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import httpx
from django.utils.translation import gettext

from readers.types import AddressError, ReadAccount, ReadPosition, UpstreamRefused, decimal

SLUG = "hyperliquid"
ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


def clean_address(address: str) -> str:
    address = address.strip()
    if not ADDRESS.match(address):
        raise AddressError(
            "address", gettext("A Hyperliquid address is 0x followed by 40 hexadecimal characters.")
        )
    return address.lower()


def fetch(client: httpx.Client, url: str, address: str) -> Any:
    response = client.post(url, json={"type": "clearinghouseState", "user": address})
    response.raise_for_status()
    return response.json()


def parse(data: Any, address: str, read_at: dt.datetime) -> ReadAccount:
    """The clearinghouse state as an account: cross wallet = cross account value less the cross
    positions' unrealized PnL; an isolated position's margin = its `marginUsed` less its PnL
    (the margin it was opened with, as the account form takes it)."""
    if not isinstance(data, dict) or not isinstance(data.get("assetPositions"), list):
        raise UpstreamRefused(gettext("Hyperliquid's answer has no positions list."))
    positions = []
    cross_pnl = Decimal(0)
    for item in data["assetPositions"]:
        position = item.get("position") if isinstance(item, dict) else None
        if not isinstance(position, dict):
            raise UpstreamRefused(gettext("Hyperliquid's answer has a position we cannot read."))
        size = decimal(position.get("szi"), "size")
        if size == 0:
            continue  # a closed position can stay listed at size zero
        quantity = abs(size)
        value = decimal(position.get("positionValue"), "position value")
        pnl = decimal(position.get("unrealizedPnl"), "unrealized PnL")
        raw_leverage = position.get("leverage")
        leverage: dict[str, Any] = raw_leverage if isinstance(raw_leverage, dict) else {}
        mode = "isolated" if leverage.get("type") == "isolated" else "cross"
        margin = None
        if mode == "isolated":
            margin = decimal(position.get("marginUsed"), "margin") - pnl
        else:
            cross_pnl += pnl
        positions.append(
            ReadPosition(
                symbol=str(position.get("coin", ""))[:30],
                side="long" if size > 0 else "short",
                quantity=quantity,
                entry_price=decimal(position.get("entryPx"), "entry price"),
                mark_price=(value / quantity).normalize() if value > 0 else None,
                margin_mode=mode,
                margin=margin,
                leverage=decimal(leverage["value"], "leverage") if "value" in leverage else None,
                unrealized_pnl=pnl,
                stated_liquidation_price=decimal(position["liquidationPx"], "liquidation price")
                if position.get("liquidationPx") is not None
                else None,
            )
        )
    cross = data.get("crossMarginSummary") or data.get("marginSummary") or {}
    whole = data.get("marginSummary") or cross
    balances = {"account_value": decimal(whole.get("accountValue", "0"), "account value")}
    balances["cross_account_value"] = decimal(cross.get("accountValue", "0"), "account value")
    if "withdrawable" in data:
        balances["withdrawable"] = decimal(data["withdrawable"], "withdrawable")
    if "crossMaintenanceMarginUsed" in data:
        balances["cross_maintenance_margin"] = decimal(
            data["crossMaintenanceMarginUsed"], "maintenance margin"
        )
    return ReadAccount(
        platform=SLUG,
        address=address,
        subaccount=None,
        read_at=read_at,
        wallet_balance=balances["cross_account_value"] - cross_pnl,
        positions=tuple(positions),
        balances=balances,
    )
