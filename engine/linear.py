"""Linear (USDT/USDC-margined) futures and perpetuals.

equity(P) = M + s·Q·(P − E); maintenance(P) = Q·P·mmr − cum (docs/design.md, Binance USDⓈ-M FAQ);
with the entry basis (Bybit's examples) maintenance = Q·E·mmr − cum, a constant.
"""

from __future__ import annotations

from decimal import Decimal

from .book import AffineBook
from .opening import FuturesTerms, Opened, open_futures
from .types import Position, Rules


def open_linear(*, position: Position, rules: Rules, entry: Decimal) -> Opened:
    return open_futures(position=position, rules=rules, entry=entry, coin=False, book=_book)


def _book(terms: FuturesTerms) -> AffineBook:
    """equity = M + s·Q·(P − E) = (M − s·Q·E) + s·Q·P."""
    return AffineBook(
        a=terms.margin_at_stake - terms.sign * terms.size * terms.entry,
        b=terms.sign * terms.size,
        entry_price=terms.entry,
        bands=terms.bands,
        constant_maintenance=terms.constant_maintenance,
    )
