"""Hyperliquid perpetuals: each asset's max leverage (its maintenance rate is half the initial
margin at that leverage), mark price and funding rate, from one public request.

POST https://api.hyperliquid.xyz/info {"type": "metaAndAssetCtxs"}: the universe (name,
maxLeverage) and, in the same order, each asset's context (markPx, funding).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from markets.importers.base import Endpoint, Importer, MarketReading, Read, Recording, decimal

INFO = "https://api.hyperliquid.xyz/info"


class HyperliquidImporter(Importer):
    platform_slug = "hyperliquid"
    endpoints = (Endpoint("meta", INFO, body={"type": "metaAndAssetCtxs"}),)
    recordings = {
        "meta": Recording(
            file="hyperliquid_meta_and_asset_ctxs.json",
            endpoint=f'POST {INFO} {{"type": "metaAndAssetCtxs"}}',
            package="ccxt",
            version="4.5.90",
            path="python/ccxt/hyperliquid.py",
            licence="MIT (ccxt); data excerpt with attribution",
            recorded_at=None,
            note="The example response in the comment of fetch_swap_markets: one asset, no time.",
        )
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        answer = answers["meta"]
        if not (isinstance(answer, list) and len(answer) == 2):
            raise ValueError("Hyperliquid's metaAndAssetCtxs answer is not [meta, contexts].")
        meta, contexts = answer
        readings = []
        for asset, context in zip(meta.get("universe", []), contexts, strict=False):
            if asset.get("isDelisted"):
                continue
            reading = MarketReading(product_line="perpetuals", symbol=asset["name"])
            reading.values = {
                "base": asset["name"],
                # Hyperliquid's perpetuals are margined and settled in USDC (its profile).
                "quote": "USDC",
                "settle": "USDC",
                "kind": "linear",
                "contract_size": Decimal(1),
                "max_leverage": decimal(asset.get("maxLeverage")),
            }
            reading.read["instrument"] = reads["meta"]
            reading.mark_price = decimal(context.get("markPx"))
            reading.funding_rate = decimal(context.get("funding"))  # per hour
            reading.read["quote"] = reads["meta"]
            readings.append(reading)
        return readings
