"""Inverse (coin-margined) contracts: size N is a USD face value, margin M is in coin.

equity in coin = M + s·N·(1/E − 1/P); in USD it is that times P (docs/design.md). Maintenance in
coin = (N/P)·mmr − cum on the mark basis (Binance COIN-M FAQ), (N/E)·mmr − cum on the entry
basis (Bybit, "Liquidation Price Calculation under Isolated Mode": Position Value = Contract
Quantity / Average Entry Price). Tier brackets are position values in coin.
"""

from __future__ import annotations

from decimal import Decimal

from .book import InverseBook
from .opening import FuturesTerms, Opened, open_futures
from .types import Position, Rules


def open_inverse(*, position: Position, rules: Rules, entry: Decimal) -> Opened:
    return open_futures(position=position, rules=rules, entry=entry, coin=True, book=_book)


def _book(terms: FuturesTerms) -> InverseBook:
    """equity in coin = M + s·N/E − s·N/P."""
    return InverseBook(
        c0=terms.margin_at_stake + terms.sign * terms.value,
        face=terms.size,
        sign=terms.sign,
        entry_price=terms.entry,
        bands=terms.bands,
        constant_maintenance=terms.constant_maintenance,
    )
