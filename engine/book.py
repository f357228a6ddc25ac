"""Equity and maintenance of one position as functions of price, and the prices where they meet.

Two shapes cover every contract:
- `AffineBook`: equity(P) = a + b·P in quote (linear futures, spot margin, loans);
- `InverseBook`: equity in coin = c0 − s·N/P (coin-margined contracts, docs/design.md).
Both solve "equity = maintenance" (liquidation) and "equity = 0" (bankruptcy) in closed form.
Plain classes with __slots__: these sit in the hot path of every evaluation.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from .tiers import Band, band_index
from .types import ZERO


@lru_cache(maxsize=1024)
def search_order(count: int, first: int) -> tuple[int, ...]:
    """Band indices to try for the liquidation price: the entry's band first, then the rest."""
    return (first, *(index for index in range(count) if index != first))


class AffineBook:
    """equity(P) = a + b·P (quote). Maintenance is either a constant or rate·|b|·P − amount,
    with the rate taken from the band that |b|·P falls in (the notional at the mark price)."""

    __slots__ = (
        "a",
        "b",
        "bands",
        "constant_maintenance",
        "entry_index",
        "entry_price",
        "maintenance_floor",
        "size",
    )

    def __init__(
        self,
        *,
        a: Decimal,
        b: Decimal,
        entry_price: Decimal,
        bands: tuple[Band, ...],
        constant_maintenance: Decimal | None = None,
        size: Decimal | None = None,
        maintenance_floor: Decimal = ZERO,
    ) -> None:
        self.a = a
        self.b = b
        # The position's size in base units; differs from |b| only when the traded coin is
        # also collateral (engine/collateral.py), whose value moves equity but needs no margin.
        self.size = abs(b) if size is None else size
        # A platform's minimum collateral: maintenance never falls below it (GMX v2).
        self.maintenance_floor = maintenance_floor
        self.entry_price = entry_price
        self.bands = bands
        self.constant_maintenance = constant_maintenance
        self.entry_index = self.band_at(entry_price)  # read by every evaluation, twice

    def equity(self, price: Decimal) -> Decimal:
        return self.a + self.b * price

    def quote_line(self) -> tuple[Decimal, Decimal]:
        """(intercept, slope) of equity in quote against price: the charts' closed form."""
        return self.a, self.b

    def equity_in_coin(self, price: Decimal) -> Decimal | None:
        return None

    def band_at(self, price: Decimal) -> int:
        return band_index(self.bands, self.size * price)

    def maintenance(self, price: Decimal, index: int | None = None) -> Decimal:
        if self.constant_maintenance is not None:
            return max(self.constant_maintenance, self.maintenance_floor)
        _floor, _cap, rate, amount, _lev = self.bands[
            self.band_at(price) if index is None else index
        ]
        return max(self.size * price * rate - amount, self.maintenance_floor)

    def bankruptcy_price(self) -> Decimal | None:
        # equity = 0 → P = −a / b (linear: E − s·M/Q, docs/design.md)
        if not self.b:
            return None  # equity does not move with the price (a fully hedged collateral)
        price = -self.a / self.b
        return price if price > ZERO else None

    def price_at_equity(self, equity: Decimal) -> Decimal | None:
        """Where equity falls to `equity`: a + b·P = k → P = (k − a) / b."""
        price = (equity - self.a) / self.b
        return price if price > ZERO else None

    def liquidation_price(self) -> tuple[Decimal | None, int]:
        """Price where equity meets maintenance, and the band used there.

        With a constant maintenance K: a + b·P = K → P = (K − a) / b.
        Otherwise a + b·P = |b|·P·mmr − cum → P = (a + cum) / (|b|·mmr − b)
        (linear: P = (M − s·Q·E + cum) / (Q·(mmr − s)), Binance USDⓈ-M FAQ / docs/design.md),
        with the band taken at the liquidation price itself (Binance FAQ: "calculate at the
        liquidation price"). A minimum-collateral floor F is met first where the tiers'
        maintenance at their own liquidation price is below F: then a + b·P = F.
        """
        price, index = self._liquidation_without_floor()
        floor = self.maintenance_floor
        if floor and self.b and (price is None or self.equity(price) < floor):
            at_floor = (floor - self.a) / self.b
            return (at_floor if at_floor > ZERO else None), index
        return price, index

    def _liquidation_without_floor(self) -> tuple[Decimal | None, int]:
        entry_index = self.entry_index
        if self.constant_maintenance is not None:
            if not self.b:
                return None, entry_index
            price = (self.constant_maintenance - self.a) / self.b
            return (price if price > ZERO else None), entry_index
        for index in search_order(len(self.bands), entry_index):
            _floor, _cap, rate, amount, _lev = self.bands[index]
            denominator = self.size * rate - self.b
            if not denominator:
                continue
            price = (self.a + amount) / denominator
            if price > ZERO and self.band_at(price) == index:
                return price, index
        return self._liquidation_at_band_edge(entry_index)

    def _liquidation_at_band_edge(self, entry_index: int) -> tuple[Decimal | None, int]:
        # Tiers typed without continuous maintenance amounts can make maintenance jump at a band
        # edge; then liquidation happens at the edge nearest to entry where equity ≤ maintenance.
        best: Decimal | None = None
        best_index = entry_index
        for index, (floor, *_rest) in enumerate(self.bands):
            if floor <= ZERO:
                continue
            price = floor / self.size
            if self.equity(price) <= self.maintenance(price, index):
                distance = abs(price - self.entry_price)
                if self.b * (price - self.entry_price) <= ZERO and (
                    best is None or distance < abs(best - self.entry_price)
                ):
                    best, best_index = price, index
        return best, best_index


class InverseBook:
    """Coin-margined: size N in USD, margin in coin. equity_coin(P) = c0 − s·N/P with
    c0 = M + s·N/E; in USD that is c0·P − s·N (the collateral itself moves). docs/design.md."""

    __slots__ = (
        "bands",
        "c0",
        "constant_maintenance",
        "entry_index",
        "entry_price",
        "face",
        "sign",
    )

    def __init__(
        self,
        *,
        c0: Decimal,
        face: Decimal,
        sign: int,
        entry_price: Decimal,
        bands: tuple[Band, ...],
        constant_maintenance: Decimal | None = None,
    ) -> None:
        self.c0 = c0
        self.face = face
        self.sign = sign
        self.entry_price = entry_price
        self.bands = bands
        self.constant_maintenance = constant_maintenance
        self.entry_index = self.band_at(entry_price)  # read by every evaluation, twice

    def equity(self, price: Decimal) -> Decimal:
        return self.c0 * price - self.sign * self.face

    def quote_line(self) -> tuple[Decimal, Decimal]:
        """(intercept, slope) of equity in quote against price: in USD the coin equity is
        affine, c0·P − s·N, because the collateral moves with the price."""
        return -self.sign * self.face, self.c0

    def equity_in_coin(self, price: Decimal) -> Decimal | None:
        return self.c0 - self.sign * self.face / price if price > ZERO else None

    def band_at(self, price: Decimal) -> int:
        return band_index(self.bands, self.face / price)

    def maintenance_in_coin(self, price: Decimal, index: int | None = None) -> Decimal:
        if self.constant_maintenance is not None:
            return self.constant_maintenance
        _floor, _cap, rate, amount, _lev = self.bands[
            self.band_at(price) if index is None else index
        ]
        return self.face / price * rate - amount

    def maintenance(self, price: Decimal, index: int | None = None) -> Decimal:
        return self.maintenance_in_coin(price, index) * price

    def bankruptcy_price(self) -> Decimal | None:
        # c0 − s·N/P = 0 → P = s·N / c0 = 1 / (1/E + s·M/N); none for a short at ≤ 1x
        if not self.c0:
            return None
        price = self.sign * self.face / self.c0
        return price if price > ZERO else None

    def price_at_equity(self, equity: Decimal) -> Decimal | None:
        """Where coin equity falls to `equity`: c0 − s·N/P = k → P = s·N / (c0 − k)."""
        if self.c0 == equity:
            return None
        price = self.sign * self.face / (self.c0 - equity)
        return price if price > ZERO else None

    def liquidation_price(self) -> tuple[Decimal | None, int]:
        """c0 − s·N/P = (N/P)·mmr − cum → P = N·(mmr + s) / (c0 + cum) (docs/design.md; Binance
        COIN-M FAQ). With a constant maintenance K (entry basis): P = s·N / (c0 − K)."""
        entry_index = self.entry_index
        if self.constant_maintenance is not None:
            denominator = self.c0 - self.constant_maintenance
            if not denominator:
                return None, entry_index
            price = self.sign * self.face / denominator
            return (price if price > ZERO else None), entry_index
        for index in search_order(len(self.bands), entry_index):
            _floor, _cap, rate, amount, _lev = self.bands[index]
            denominator = self.c0 + amount
            if not denominator:
                continue
            price = self.face * (rate + self.sign) / denominator
            if price > ZERO and self.band_at(price) == index:
                return price, index
        best: Decimal | None = None
        best_index = entry_index
        for index, (floor, *_rest) in enumerate(self.bands):
            if floor <= ZERO:
                continue
            price = self.face / floor
            if self.equity_in_coin(price) <= self.maintenance_in_coin(price, index):  # type: ignore[operator]
                moved_against = self.sign * (price - self.entry_price) <= ZERO
                if moved_against and (
                    best is None or abs(price - self.entry_price) < abs(best - self.entry_price)
                ):
                    best, best_index = price, index
        return best, best_index
