"""Hyperliquid perpetuals: each asset's max leverage (its maintenance rate is half the initial
margin at that leverage), mark price and funding rate, from one public request.

POST https://api.hyperliquid.xyz/info {"type": "metaAndAssetCtxs"}: the universe (name,
maxLeverage) and, in the same order, each asset's context (markPx, funding). The shipped
snapshot adds the perpetuals of an older recorded {"type": "meta"} answer (July 2023), each
dated by that answer: their max leverage only, no mark price or funding rate.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from markets.importers.base import (
    Endpoint,
    Importer,
    MarketReading,
    Read,
    Recording,
    add_unseen,
    ccxt_static_markets,
    decimal,
)

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
        ),
        "ccxt_markets": ccxt_static_markets(
            file="hyperliquid_ccxt_markets.json",
            endpoint=f'POST {INFO} {{"type": "metaAndAssetCtxs"}}',
            commit="09bbcae",
            exchange="hyperliquid",
            note="ccxt's static test markets: each perpetual's 'info' is Hyperliquid's universe "
            "row merged with its asset context; no time stated.",
        ),
        # The SDK's recorded answer to {"type": "meta"}: every perpetual listed that day, with
        # its max leverage (no asset contexts, so no mark price or funding rate).
        "meta_2023": Recording(
            file="hyperliquid_meta_2023-07-17.json",
            endpoint=f'POST {INFO} {{"type": "meta"}}',
            package="hyperliquid-python-sdk (GitHub)",
            version="commit 5cd9019",
            path="tests/cassettes/info_test/test_get_info.yaml",
            licence="MIT (hyperliquid-python-sdk); data excerpt with attribution",
            recorded_at=dt.datetime(2023, 7, 17, 21, 43, 21, tzinfo=dt.UTC),
            note="A VCR cassette of the SDK's tests: the response body of a live request, dated "
            "by the response's own Date header. The universe of July 2023.",
        ),
    }

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        answer = answers["meta"]
        if not (isinstance(answer, list) and len(answer) == 2):
            raise ValueError("Hyperliquid's metaAndAssetCtxs answer is not [meta, contexts].")
        meta, contexts = answer
        pairs = list(zip(meta.get("universe", []), contexts, strict=False))
        readings = self._read(pairs, reads["meta"])
        if "ccxt_markets" in answers:
            merged = [
                (market["info"], market["info"])
                for key, market in answers["ccxt_markets"].items()
                if key.endswith(":USDC")
            ]
            add_unseen(readings, self._read(merged, reads["ccxt_markets"]))
        if "meta_2023" in answers:  # older than the other recordings
            listed = [(asset, {}) for asset in answers["meta_2023"].get("universe", [])]
            add_unseen(readings, self._read(listed, reads["meta_2023"]))
        return readings

    def _read(self, pairs: list[tuple[dict, dict]], read: Read) -> list[MarketReading]:
        readings = []
        for asset, context in pairs:
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
                "funding_interval_hours": Decimal(1),
            }
            reading.read["instrument"] = read
            reading.mark_price = decimal(context.get("markPx"))
            reading.funding_rate = decimal(context.get("funding"))  # per hour
            if reading.mark_price is not None or reading.funding_rate is not None:
                reading.read["quote"] = read
            readings.append(reading)
        return readings
