"""A whole account: one wallet and several positions sharing its cross margin.

Cross margin (Binance USDⓈ-M FAQ, "How to Calculate Liquidation Price"): the account is
liquidated when its margin balance (wallet + unrealized PnL of every cross position) falls to
the sum of their maintenance margins; margin ratio = maintenance margin ÷ margin balance, so
100% means liquidation. A position's liquidation price "with every other mark held" is the
one-position cross formula with the others' maintenance (TMM1) and PnL (UPNL1) held at their
marks, so it comes from `evaluate` itself, and one position alone gives today's answer.

The liquidation map moves marks by the same fraction f. In t = 1 + f (linear, settled in
quote) or t = 1 / (1 + f) (inverse, settled in coin) every cross position's PnL is affine,
α + β·t, and its maintenance γ·t·rate − amount within a tier band (γ·t is the notional in the
band's unit), so the account's equity less maintenance is piecewise affine in t and every
crossing is found exactly, segment by segment between the band edges.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext
from enum import StrEnum
from typing import Any

from .coverage import cover, payers
from .evaluate import evaluate, open_position
from .numbers import CONTEXT, non_negative, optional_positive, positive
from .opening import Opened, size_from_two
from .tiers import Band, band_index
from .types import (
    ZERO,
    Contract,
    Coverage,
    CrossMarginSharing,
    EngineInputError,
    Evaluation,
    MarginMode,
    Party,
    Position,
    Rules,
    Side,
    Warning,
)

ONE = Decimal(1)
# Sums over positions are exact at this precision, so their order (the order positions were
# typed in) cannot change the last digit of any result.
_EXACT = Context(
    prec=200, Emax=10_000, Emin=-10_000, traps=[InvalidOperation, DivisionByZero, Overflow]
)
# The map's moves: −90% to +90% in 1% steps.
MAP_MOVES: tuple[Decimal, ...] = tuple(Decimal(k) / 100 for k in range(-90, 91))


class PositionMode(StrEnum):
    ONE_WAY = "one_way"  # one position per symbol: same side merges, opposite sides net
    HEDGE = "hedge"  # a long and a short of one symbol stay apart


@dataclass(frozen=True, slots=True)
class AccountPosition:
    """One position of an account. Cross positions need `quantity` (base units for linear,
    USD face value for inverse); isolated ones two of quantity, margin and leverage, as a
    single position does. `mark_price` defaults to the entry price; `rules` to the account's."""

    contract: Contract
    side: Side
    entry_price: Decimal
    quantity: Decimal | None = None
    symbol: str = ""
    mark_price: Decimal | None = None
    margin_mode: MarginMode = MarginMode.CROSS
    margin: Decimal | None = None
    leverage: Decimal | None = None
    rules: Rules | None = None


@dataclass(frozen=True, slots=True)
class CoinCollateral:
    """A coin in the wallet (Binance Multi-Assets, Bybit UTA, OKX multi-currency): `units` are
    its counted units (amount at the platform's ratio, collateral.moving_units), valued into the
    wallet balance at `price`. Where the coin is the base of the account's linear cross
    positions (BTC for BTCUSDT, BTC-USDT-SWAP), its price moves with their mark: by the same
    fraction, so at the marks the wallet is unchanged and at mark × (1 + f) it has gained
    units × price × f."""

    asset: str
    units: Decimal
    price: Decimal


@dataclass(frozen=True, slots=True)
class Account:
    """A wallet in one settlement currency and its positions. `rules` are the platform's: the
    positions' default and the waterfall that pays a deficit."""

    wallet_balance: Decimal
    positions: tuple[AccountPosition, ...]
    rules: Rules = field(default_factory=Rules)
    position_mode: PositionMode = PositionMode.ONE_WAY
    insurance_fund_depleted: bool = False
    coin_collateral: tuple[CoinCollateral, ...] = ()


@dataclass(frozen=True, slots=True)
class PositionResult:
    """One position after one-way merging. Money is in the account's settlement currency
    (quote, or coin for inverse); prices in quote per base."""

    merged: tuple[int, ...]  # the account's positions (indices) that make this one
    name: str  # "BTCUSDT long", or "position 2 long" without a symbol
    symbol: str
    contract: Contract
    side: Side
    margin_mode: MarginMode
    quantity: Decimal  # 0 where opposite sides netted to nothing
    entry_price: Decimal
    mark_price: Decimal
    unrealized_pnl: Decimal
    maintenance_margin: Decimal  # at the mark
    liquidation_price: Decimal | None  # every other mark held
    bankruptcy_price: Decimal | None  # account equity 0, every other mark held
    distance_to_liquidation: Decimal | None  # fraction of the mark; ≤ 0: at or past it
    liquidation_price_alone: Decimal | None  # were it the only position on the wallet
    evaluation: Evaluation | None  # the one-position evaluation behind the liquidation price
    warnings: tuple[Warning, ...] = ()
    margin_currency: str = "quote"  # "coin" for an inverse position: its PnL and maintenance


@dataclass(frozen=True, slots=True)
class MapPoint:
    move: Decimal
    equity: Decimal  # the cross account's margin balance; < 0 is a deficit
    maintenance: Decimal


@dataclass(frozen=True, slots=True)
class Shortfall:
    """The deepest deficit on a series of the map, and who pays it on the platform."""

    move: Decimal
    deficit: Decimal
    coverage: tuple[Coverage, ...]  # adds up to `deficit` exactly
    trader_owes: Decimal


@dataclass(frozen=True, slots=True)
class MapSeries:
    key: str  # "all", or a symbol
    label: str
    points: tuple[MapPoint, ...]
    liquidation_move: Decimal | None  # nearest move where equity meets maintenance
    bankruptcy_move: Decimal | None  # move where equity is zero
    shortfall: Shortfall | None


@dataclass(frozen=True, slots=True)
class AccountEvaluation:
    currency: str  # "quote", or "coin" for a coin-margined account
    wallet_balance: Decimal
    realized_pnl: Decimal  # from opposite sides netted in one-way mode
    opening_fees: Decimal  # taker fees of the cross positions, out of the wallet
    positions: tuple[PositionResult, ...]
    equity: Decimal  # margin balance: wallet − fees + realized + unrealized PnL (cross)
    maintenance_margin: Decimal  # of the cross positions, at their marks
    margin_ratio: Decimal | None  # maintenance ÷ equity; None when equity ≤ 0
    liquidation_map: tuple[MapSeries, ...]
    payers: tuple[Party, ...]  # who pays a deficit, in the platform's order
    warnings: tuple[Warning, ...] = ()
    # how each cross position's liquidation price shares the margin (the platform's rule)
    cross_margin_sharing: CrossMarginSharing = CrossMarginSharing.WALLET
    # the wallet's coins whose value moves with the mark of positions in that coin
    moving_collateral: tuple[str, ...] = ()


def evaluate_account(*, account: Account) -> AccountEvaluation:
    """Each position's prices, the account's equity, maintenance and margin ratio, and its
    liquidation map. Raises EngineInputError (its field names the position, e.g.
    "positions[2].entry_price"); never returns NaN or Infinity."""
    with localcontext(CONTEXT):
        try:
            return _evaluate_account(account)
        except EngineInputError:
            raise
        except ArithmeticError:
            raise EngineInputError(
                "positions", "These values combine into numbers the calculator cannot work with."
            ) from None


# --- merging ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Merged:
    merged: list[int]
    symbol: str
    contract: Contract
    side: Side
    margin_mode: MarginMode
    quantity: Decimal
    entry_price: Decimal
    mark_price: Decimal | None
    margin: Decimal | None  # isolated only
    rules: Rules

    def on_wallet(
        self,
        wallet: Decimal,
        *,
        other_maintenance_margin: Decimal = ZERO,
        other_unrealized_pnl: Decimal = ZERO,
        coin_collateral: Decimal = ZERO,
    ) -> Position:
        """This merged position cross-margined on the account's wallet, with what the rest of
        the account contributes to it (Position's own defaults: nothing)."""
        return Position(
            contract=self.contract,
            side=self.side,
            entry_price=self.entry_price,
            quantity=self.quantity,
            margin_mode=MarginMode.CROSS,
            wallet_balance=wallet,
            other_maintenance_margin=other_maintenance_margin,
            other_unrealized_pnl=other_unrealized_pnl,
            coin_collateral=coin_collateral,
        )


def _field(index: int, name: str) -> str:
    return f"positions[{index}].{name}"


def _checked(index: int, position: AccountPosition, default: Rules) -> _Merged:
    """Validate one position, and size an isolated one (two of quantity, margin, leverage)."""
    try:
        contract = Contract(position.contract)
    except ValueError:
        raise EngineInputError(_field(index, "contract"), "Unknown contract type.") from None
    if contract not in (Contract.LINEAR, Contract.INVERSE):
        raise EngineInputError(
            _field(index, "contract"),
            "An account holds futures: linear (USDT/USDC-margined) or inverse (coin-margined).",
        )
    if position.side not in (Side.LONG, Side.SHORT):
        raise EngineInputError(_field(index, "side"), "Side must be long or short.")
    mode = MarginMode(position.margin_mode)
    entry = _in(index, "entry_price", positive, position.entry_price)
    mark = _in(index, "mark_price", optional_positive, position.mark_price)
    rules = position.rules or default
    if mode == MarginMode.CROSS:
        if position.quantity is None:
            raise EngineInputError(
                _field(index, "quantity"),
                "Give the size of each cross position (its leverage follows from the wallet).",
            )
        if position.margin is not None:
            raise EngineInputError(
                _field(index, "margin"),
                "A cross position's margin follows from the wallet; leave this out.",
            )
        if position.leverage is not None:
            raise EngineInputError(
                _field(index, "leverage"),
                "A cross position's leverage follows from the wallet; leave this out.",
            )
        quantity = _in(index, "quantity", positive, position.quantity)
        margin = None
    else:
        single = Position(
            contract=contract,
            side=Side(position.side),
            entry_price=entry,
            quantity=position.quantity,
            margin=position.margin,
            leverage=position.leverage,
        )
        per_unit = entry if contract == Contract.LINEAR else ONE / entry
        try:
            quantity, margin, _leverage = size_from_two(position=single, per_unit=per_unit)
        except EngineInputError as error:
            raise EngineInputError(
                _field(index, error.field), error.template, **error.params
            ) from None
    return _Merged(
        [index],
        position.symbol.strip(),
        contract,
        Side(position.side),
        mode,
        quantity,
        entry,
        mark,
        margin,
        rules,
    )


def _in(index: int, name: str, check: Callable[[object, str], Any], value: object) -> Any:
    """A checked input, its error named after the position it belongs to."""
    try:
        return check(value, name)
    except EngineInputError as error:
        raise EngineInputError(_field(index, name), error.template, **error.params) from None


def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    total = ZERO
    for value in values:
        total = _EXACT.add(total, value)
    return total


def _average_entry(contract: Contract, parts: Sequence[_Merged]) -> Decimal:
    """Exchanges' average entry price: Σ Q·E ÷ Σ Q (linear); Σ N ÷ Σ (N/E) for inverse, the
    price at which the coin value of the merged contracts is unchanged."""
    quantity = _exact_sum(p.quantity for p in parts)
    if contract == Contract.LINEAR:
        return +(_exact_sum(_EXACT.multiply(p.quantity, p.entry_price) for p in parts) / quantity)
    with localcontext(_EXACT):
        coin = _exact_sum(p.quantity / p.entry_price for p in parts)
    return +(quantity / coin)


def _merge(account: Account) -> tuple[list[_Merged], Decimal]:
    """Positions after merging, in order of first appearance, and the PnL realized by netting."""
    checked = [_checked(i, p, account.rules) for i, p in enumerate(account.positions)]
    marks: dict[str, tuple[int, Decimal]] = {}
    modes: dict[tuple[str, Contract], tuple[int, MarginMode]] = {}
    for item in checked:
        index = item.merged[0]
        if not item.symbol:
            continue
        if item.mark_price is not None:
            first = marks.setdefault(item.symbol, (index, item.mark_price))
            if first[1] != item.mark_price:
                raise EngineInputError(
                    _field(index, "mark_price"),
                    "%(symbol)s has one mark price: positions[%(first)s] gives %(mark)s.",
                    symbol=item.symbol,
                    first=first[0],
                    mark=first[1],
                )
        mode = modes.setdefault((item.symbol, item.contract), (index, item.margin_mode))
        if account.position_mode == PositionMode.ONE_WAY and mode[1] != item.margin_mode:
            raise EngineInputError(
                _field(index, "margin_mode"),
                "In one-way mode a symbol has one margin mode: positions[%(first)s] holds "
                "%(symbol)s in isolated margin."
                if mode[1] == MarginMode.ISOLATED
                else "In one-way mode a symbol has one margin mode: positions[%(first)s] holds "
                "%(symbol)s in cross margin.",
                first=mode[0],
                symbol=item.symbol,
            )
    for item in checked:
        if item.symbol and item.mark_price is None and item.symbol in marks:
            item.mark_price = marks[item.symbol][1]

    groups: dict[tuple[object, ...], list[_Merged]] = {}
    for item in checked:
        if not item.symbol:
            key: tuple[object, ...] = ("#", item.merged[0])
        elif account.position_mode == PositionMode.HEDGE:
            key = (item.symbol, item.contract, item.margin_mode, item.side)
        else:
            key = (item.symbol, item.contract, item.margin_mode)
        groups.setdefault(key, []).append(item)

    realized = ZERO
    result: list[_Merged] = []
    for parts in groups.values():
        if len(parts) == 1:
            result.append(parts[0])
            continue
        head = parts[0]
        by_side = {side: [p for p in parts if p.side == side] for side in (Side.LONG, Side.SHORT)}
        if head.margin_mode == MarginMode.ISOLATED and all(by_side.values()):
            late = max(
                p.merged[0] for p in by_side[Side.SHORT if head.side == Side.LONG else Side.LONG]
            )
            raise EngineInputError(
                _field(late, "side"),
                "In one-way mode a long and a short of %(symbol)s net into one position; "
                "isolated, choose hedge mode to hold both.",
                symbol=head.symbol,
            )
        sides = {}
        for side, members in by_side.items():
            if members:
                sides[side] = (
                    _exact_sum(p.quantity for p in members),
                    _average_entry(head.contract, members),
                    None
                    if head.margin_mode == MarginMode.CROSS
                    else _exact_sum(p.margin for p in members if p.margin is not None),
                )
        merged = sorted(i for p in parts for i in p.merged)
        mark = next((p.mark_price for p in parts if p.mark_price is not None), None)
        if len(sides) == 1:
            side, (quantity, entry, margin) = next(iter(sides.items()))
        else:
            (long_q, long_e, _m), (short_q, short_e, _n) = sides[Side.LONG], sides[Side.SHORT]
            closed = min(long_q, short_q)
            # the closed part is realized at the other side's entry; what remains keeps its own
            if head.contract == Contract.LINEAR:
                realized = _EXACT.add(realized, _EXACT.multiply(closed, short_e - long_e))
            else:
                realized = _EXACT.add(realized, closed * (ONE / long_e - ONE / short_e))
            side = Side.LONG if long_q >= short_q else Side.SHORT
            quantity = _EXACT.subtract(long_q, short_q).copy_abs()
            entry = long_e if side == Side.LONG else short_e
            margin = None
        result.append(
            _Merged(
                merged,
                head.symbol,
                head.contract,
                side,
                head.margin_mode,
                quantity,
                entry,
                mark,
                margin,
                head.rules,
            )
        )
    result.sort(key=lambda m: m.merged[0])
    return result, +realized


# --- the account as functions of t ----------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Leg:
    """A cross position on the map: PnL = α + β·t, maintenance = γ·t·rate − amount (band by
    γ·t) or a constant (entry basis); fee = its opening fee out of the wallet."""

    item: _Merged
    opened: Opened
    mark: Decimal
    alpha: Decimal
    beta: Decimal
    gamma: Decimal
    bands: tuple[Band, ...]
    constant: Decimal | None
    fee: Decimal

    def band(self, t: Decimal) -> int:
        return band_index(self.bands, self.gamma * t)

    def pnl(self, t: Decimal) -> Decimal:
        return self.alpha + self.beta * t

    def maintenance(self, t: Decimal, index: int | None = None) -> Decimal:
        if self.constant is not None:
            return self.constant
        _floor, _cap, rate, amount, _lev = self.bands[self.band(t) if index is None else index]
        return self.gamma * t * rate - amount


def _leg(item: _Merged, wallet: Decimal, inverse: bool) -> _Leg:
    position = item.on_wallet(wallet)
    try:
        opened, _entry, sign = open_position(position, item.rules)
    except EngineInputError as error:
        raise EngineInputError(
            _field(item.merged[0], error.field), error.template, **error.params
        ) from None
    mark = item.mark_price or item.entry_price
    book = opened.book
    constant = book.constant_maintenance
    if inverse:
        face = item.quantity
        alpha = sign * face / item.entry_price
        beta = -sign * face / mark
        gamma = face / mark
    else:
        alpha = -sign * item.quantity * item.entry_price
        beta = sign * item.quantity * mark
        gamma = item.quantity * mark
    # the book's bands: maintenance as the platform counts it (with a fee to close, where it does)
    return _Leg(item, opened, mark, alpha, beta, gamma, book.bands, constant, opened.open_fee)


def _t_of(move: Decimal, inverse: bool) -> Decimal:
    return ONE / (ONE + move) if inverse else ONE + move


with localcontext(CONTEXT):
    # t at each of the map's moves, linear and inverse (see the module's docstring)
    _MAP_T = {inverse: tuple(_t_of(m, inverse) for m in MAP_MOVES) for inverse in (False, True)}


def _move_of(t: Decimal, inverse: bool) -> Decimal:
    return ONE / t - ONE if inverse else t - ONE


def _maintenance_segments(
    legs: Sequence[_Leg], fixed: Decimal
) -> list[tuple[Decimal, Decimal, Decimal]]:
    """The summed maintenance of `legs` (plus `fixed`) as segments (start t, A, B): A + B·t from
    each start to the next. A position's band is the last whose floor its notional γ·t has
    reached (tiers.band_index), so each floor is an edge where its rate and amount change."""
    intercept, slope = fixed, ZERO
    events: list[tuple[Decimal, Decimal, Decimal]] = []
    for leg in legs:
        if leg.constant is not None:
            intercept = _EXACT.add(intercept, leg.constant)
            continue
        bands = leg.bands
        first = leg.band(ZERO) if leg.gamma > ZERO else 0
        _floor, _cap, rate, amount, _lev = bands[first]
        intercept = _EXACT.subtract(intercept, amount)
        slope = _EXACT.add(slope, _EXACT.multiply(leg.gamma, rate))
        previous = bands[first]
        for band in bands[first + 1 :]:
            if band[0] <= previous[0]:
                continue  # not above the previous floor: never reached along t
            events.append(
                (
                    band[0] / leg.gamma,
                    _EXACT.subtract(previous[3], band[3]),
                    _EXACT.multiply(leg.gamma, _EXACT.subtract(band[2], previous[2])),
                )
            )
            previous = band
    events.sort(key=lambda event: event[0])
    segments = [(ZERO, intercept, slope)]
    for start, change, change_slope in events:
        intercept = _EXACT.add(intercept, change)
        slope = _EXACT.add(slope, change_slope)
        if segments[-1][0] == start:
            segments[-1] = (start, intercept, slope)
        else:
            segments.append((start, intercept, slope))
    return [(start, +a, +b) for start, a, b in segments]


def _crossings(
    equity: tuple[Decimal, Decimal], segments: Sequence[tuple[Decimal, Decimal, Decimal]]
) -> list[Decimal]:
    """Every t > 0 where equity (intercept, slope) meets the segmented maintenance, including
    an edge where maintenance jumps over equity (amounts typed without continuity)."""
    intercept, slope = equity
    roots: list[Decimal] = []
    for number, (start, a, b) in enumerate(segments):
        end = segments[number + 1][0] if number + 1 < len(segments) else None
        gap_slope = slope - b
        if gap_slope:
            t = (a - intercept) / gap_slope
            if t > start and (end is None or t < end):
                roots.append(t)
        if number and start > ZERO:
            before = segments[number - 1]
            left = intercept + slope * start - (before[1] + before[2] * start)
            right = intercept + slope * start - (a + b * start)
            if (left > ZERO) != (right > ZERO) or not right:
                roots.append(start)
    return roots


def _nearest_move(roots: Iterable[Decimal], inverse: bool) -> Decimal | None:
    moves = [_move_of(t, inverse) for t in roots if t > ZERO]
    return min(moves, key=lambda m: (abs(m), m)) if moves else None


# --- evaluation ---------------------------------------------------------------------------


def _name(item: _Merged) -> str:
    return f"{item.symbol or f'position {item.merged[0] + 1}'} {item.side.value}"


def _evaluate_account(account: Account) -> AccountEvaluation:
    wallet = positive(account.wallet_balance, "wallet_balance")
    if not account.positions:
        raise EngineInputError("positions", "Add at least one position.")
    merged, realized = _merge(account)
    cross = [m for m in merged if m.margin_mode == MarginMode.CROSS and m.quantity > ZERO]
    contracts = {m.contract for m in cross}
    if len(contracts) > 1:
        late = next(m for m in cross if m.contract != cross[0].contract)
        raise EngineInputError(
            _field(late.merged[0], "contract"),
            "One cross account settles in one currency: USDT/USDC for linear positions or a coin "
            "for that coin's inverse positions. Margin them apart (isolated) or in two accounts.",
        )
    inverse = contracts == {Contract.INVERSE}
    if inverse:
        coins = {_coin(m.symbol) for m in cross if m.symbol}
        if len(coins) > 1:
            late = next(
                m
                for m in cross
                if m.symbol and _coin(m.symbol) != _coin(cross[0].symbol or m.symbol)
            )
            raise EngineInputError(
                _field(late.merged[0], "symbol"),
                "Coin-margined positions share a cross wallet only in the same coin "
                "(%(coins)s here): a multi-asset mode is not modelled yet.",
                coins=", ".join(sorted(coins)),
            )

    legs = [_leg(item, wallet, inverse) for item in cross]
    moving = _moving_collateral(account.coin_collateral, legs, inverse)
    fees = _exact_sum(leg.fee for leg in legs)
    base = _exact_sum([wallet, realized, -fees])
    pnl_now = [leg.pnl(ONE) for leg in legs]
    maintenance_now = [leg.maintenance(ONE) for leg in legs]
    equity = +_exact_sum([base, *pnl_now])
    maintenance = +_exact_sum(maintenance_now)
    ratio = maintenance / equity if equity > ZERO else None

    results: list[PositionResult] = []
    warnings: list[Warning] = []
    # KuCoin shares the cross margin in proportion to each position's value at its mark
    proportional = account.rules.cross_margin_sharing == CrossMarginSharing.PROPORTIONAL
    total_value = _exact_sum(leg.gamma for leg in legs)
    for item in merged:
        if item.quantity == ZERO:
            results.append(_flat(item))
        elif item.margin_mode == MarginMode.ISOLATED:
            results.append(_isolated(item))
    for number, leg in enumerate(legs):
        others = [j for j in range(len(legs)) if j != number]
        results.append(
            _cross_result(
                leg,
                wallet=wallet,
                inverse=inverse,
                # everything but this position's own PnL and fee: realized PnL, the other
                # positions' fees and their PnL at the marks
                held=_exact_sum([realized, *(pnl_now[j] - legs[j].fee for j in others)]),
                held_maintenance=_exact_sum(maintenance_now[j] for j in others),
                allocated=+(equity * leg.gamma / total_value) if proportional else None,
                collateral=_exact_sum(value for _a, value, legs_ in moving if number in legs_),
            )
        )
    results.sort(key=lambda r: r.merged[0])

    rules = account.rules
    series: list[MapSeries] = []
    if legs:
        groups: dict[str, list[int]] = {}
        for number, leg in enumerate(legs):
            groups.setdefault(leg.item.symbol or _name(leg.item), []).append(number)
        series.append(
            _series(
                "all", "Every mark", legs, list(range(len(legs))), base, inverse, account, moving
            )
        )
        for key, members in groups.items():
            series.append(_series(key, key, legs, members, base, inverse, account, moving))
    if equity <= maintenance:
        warnings.append(
            Warning(
                "account_liquidated",
                "At these marks the account's margin balance is at or below its maintenance "
                "margin: the platform would be liquidating it now.",
            )
        )
    return AccountEvaluation(
        currency="coin" if inverse else "quote",
        wallet_balance=wallet,
        realized_pnl=realized,
        opening_fees=+fees,
        positions=tuple(results),
        equity=equity,
        maintenance_margin=maintenance,
        margin_ratio=ratio,
        liquidation_map=tuple(series),
        payers=payers(
            waterfall=rules.waterfall,
            negative_balance_protection=rules.negative_balance_protection,
            insurance_fund_depleted=account.insurance_fund_depleted,
        ),
        warnings=tuple(warnings),
        cross_margin_sharing=CrossMarginSharing(account.rules.cross_margin_sharing),
        moving_collateral=tuple(asset for asset, _value, _legs in moving),
    )


_QUOTES = ("USDT", "USDC", "FDUSD", "BUSD", "USD", "PERP")


def _base(symbol: str) -> str:
    """The base coin of a linear symbol: BTCUSDT, BTC-USDT-SWAP, BTC/USDT, BTCUSDC, BTC → BTC."""
    text = symbol.strip().upper()
    for cut in ("-", "_", "/", ":"):
        text = text.split(cut)[0]
    for quote in _QUOTES:
        if text.endswith(quote) and len(text) > len(quote):
            return text[: -len(quote)]
    return text


def _moving_collateral(
    coins: Sequence[CoinCollateral], legs: Sequence[_Leg], inverse: bool
) -> list[tuple[str, Decimal, frozenset[int]]]:
    """Each wallet coin that is the base of linear cross positions: (asset, its counted value
    units × price, the legs whose mark it moves with). A coin-margined account's wallet is
    already in its coin; other coins keep the value they were given."""
    if inverse:
        return []
    moving = []
    for coin in coins:
        units = non_negative(coin.units, "collateral_assets")
        price = positive(coin.price, "collateral_assets")
        asset = coin.asset.strip().upper()
        members = frozenset(
            number
            for number, leg in enumerate(legs)
            if leg.item.symbol and _base(leg.item.symbol) == asset
        )
        if members and units:
            moving.append((asset, +(units * price), members))
    return moving


def _coin(symbol: str) -> str:
    """The coin of an inverse symbol: BTCUSD, BTCUSD_PERP, BTC-USD-SWAP → BTC."""
    text = symbol.upper()
    for cut in ("-", "_", "USD", "/"):
        if cut in text:
            text = text.split(cut)[0]
    return text or symbol.upper()


def _result(
    item: _Merged,
    *,
    mark: Decimal,
    unrealized_pnl: Decimal,
    maintenance_margin: Decimal,
    liquidation_price: Decimal | None,
    bankruptcy_price: Decimal | None,
    liquidation_price_alone: Decimal | None,
    evaluation: Evaluation | None,
    warnings: tuple[Warning, ...],
    margin_currency: str,
    quantity: Decimal | None = None,
) -> PositionResult:
    """A merged position's result: what it is, from the merged item, and the numbers given."""
    return PositionResult(
        merged=tuple(item.merged),
        name=_name(item),
        symbol=item.symbol,
        contract=item.contract,
        side=item.side,
        margin_mode=item.margin_mode,
        quantity=item.quantity if quantity is None else quantity,
        entry_price=item.entry_price,
        mark_price=mark,
        unrealized_pnl=unrealized_pnl,
        maintenance_margin=maintenance_margin,
        liquidation_price=liquidation_price,
        bankruptcy_price=bankruptcy_price,
        distance_to_liquidation=_distance(item.side, mark, liquidation_price),
        liquidation_price_alone=liquidation_price_alone,
        evaluation=evaluation,
        warnings=warnings,
        margin_currency=margin_currency,
    )


def _flat(item: _Merged) -> PositionResult:
    return _result(
        item,
        quantity=ZERO,
        mark=item.mark_price or item.entry_price,
        unrealized_pnl=ZERO,
        maintenance_margin=ZERO,
        liquidation_price=None,
        bankruptcy_price=None,
        liquidation_price_alone=None,
        evaluation=None,
        warnings=(
            Warning(
                "netted_to_nothing",
                "In one-way mode the long and the short of this symbol cancel out: no position "
                "is left, and the difference of their entries is realized into the wallet.",
            ),
        ),
        margin_currency="coin" if item.contract == Contract.INVERSE else "quote",
    )


def _distance(side: Side, mark: Decimal, liquidation: Decimal | None) -> Decimal | None:
    if liquidation is None:
        return None
    sign = 1 if side == Side.LONG else -1
    distance = sign * (mark - liquidation) / mark
    return ZERO if distance.is_zero() else distance


def _isolated(item: _Merged) -> PositionResult:
    """An isolated position stands alone: today's one-position answer, at its own margin."""
    position = Position(
        contract=item.contract,
        side=item.side,
        entry_price=item.entry_price,
        quantity=item.quantity,
        margin=item.margin,
    )
    try:
        evaluation = evaluate(position=position, rules=item.rules)
    except EngineInputError as error:
        raise EngineInputError(
            _field(item.merged[0], error.field), error.template, **error.params
        ) from None
    mark = item.mark_price or item.entry_price
    opened = evaluation.opened
    book = opened.book
    if item.contract == Contract.INVERSE:
        pnl = book.equity_in_coin(mark) - opened.margin
        maintenance = book.maintenance_in_coin(mark)
    else:
        pnl = book.equity(mark) - opened.margin
        maintenance = book.maintenance(mark)
    return _result(
        item,
        mark=mark,
        unrealized_pnl=pnl,
        maintenance_margin=maintenance,
        liquidation_price=evaluation.liquidation_price,
        bankruptcy_price=evaluation.bankruptcy_price,
        liquidation_price_alone=evaluation.liquidation_price,
        evaluation=evaluation,
        warnings=evaluation.warnings,
        margin_currency=evaluation.margin_currency,
    )


def _proportional(leg: _Leg, allocated: Decimal) -> Evaluation | None:
    """KuCoin, "Liquidation Price in Cross Margin Mode": the position holds |its mark value| ×
    AMR (AMR = total margin / Σ|mark value|) and is liquidated like an isolated position opened
    at the mark with that margin. None when the account has no margin left to allocate."""
    item = leg.item
    if allocated <= ZERO:
        return None
    # its own fees are already out of the wallet; the fee to close counts in maintenance
    # (opening.maintenance_rules)
    rules = replace(
        item.rules,
        fees_from_margin=False,
        close_fee_reserved=False,
        taker_fee_in_maintenance=True,
    )
    try:
        return evaluate(
            position=Position(
                contract=item.contract,
                side=item.side,
                entry_price=leg.mark,
                quantity=item.quantity,
                margin=allocated,
            ),
            rules=rules,
        )
    except EngineInputError:
        return None


def _cross_result(
    leg: _Leg,
    *,
    wallet: Decimal,
    inverse: bool,
    held: Decimal,
    held_maintenance: Decimal,
    allocated: Decimal | None = None,
    collateral: Decimal = ZERO,
) -> PositionResult:
    """`collateral`: the value of wallet coins that move with this position's price (C at the
    mark, C × P / mark at P). For the one-position evaluation that is coin_collateral C / mark
    units, which engine/collateral.with_collateral counts from the entry E, so the held PnL
    carries the difference C / mark × (E − mark): the wallet is unchanged at the mark."""
    item = leg.item
    book = leg.opened.book
    units = collateral / leg.mark if collateral else ZERO
    shift = units * (item.entry_price - leg.mark)
    alone_position = item.on_wallet(wallet, coin_collateral=units, other_unrealized_pnl=shift)
    try:
        alone: Evaluation | None = evaluate(position=alone_position, rules=item.rules)
    except EngineInputError:
        if not collateral:
            raise
        alone = None  # the coin's value at the entry: the wallet would not open it alone
    evaluation: Evaluation | None
    if allocated is not None:
        evaluation = _proportional(leg, allocated)
    elif not held and not held_maintenance and not collateral:
        evaluation = alone  # alone on the wallet: exactly the one-position answer
    else:
        try:
            evaluation = evaluate(
                position=item.on_wallet(
                    wallet,
                    other_maintenance_margin=+held_maintenance,
                    other_unrealized_pnl=+(held + shift),
                    coin_collateral=units,
                ),
                rules=item.rules,
            )
        except EngineInputError:
            evaluation = None  # the others take the whole wallet: solved below instead
    if evaluation is not None:
        liquidation = evaluation.liquidation_price
        warnings = tuple(w for w in evaluation.warnings if w.code != "liquidated_on_entry")
    elif allocated is not None:
        liquidation, warnings = None, ()
    else:
        constant = _exact_sum([wallet, held, -leg.fee, leg.alpha, -collateral])
        segments = _maintenance_segments([leg], held_maintenance)
        move = _nearest_move(_crossings((constant, leg.beta + collateral), segments), inverse)
        liquidation = None if move is None else _price_at(leg.mark, move)
        warnings = ()
    # Bankruptcy: the account's equity is zero. The position's book, opened on the whole
    # wallet, is worth wallet − its fee + its PnL; the rest of the account adds `held`.
    if inverse:
        denominator = book.c0 + held  # type: ignore[union-attr]
        bankruptcy = (
            book.sign * book.face / denominator  # type: ignore[union-attr]
            if denominator
            else None
        )
    else:
        bankruptcy = -(book.a + held - collateral) / (book.b + units)  # type: ignore[union-attr]
    if bankruptcy is not None and bankruptcy <= ZERO:
        bankruptcy = None
    return _result(
        item,
        mark=leg.mark,
        unrealized_pnl=leg.pnl(ONE),
        maintenance_margin=leg.maintenance(ONE),
        liquidation_price=liquidation,
        bankruptcy_price=bankruptcy,
        liquidation_price_alone=None if alone is None else alone.liquidation_price,
        evaluation=evaluation,
        warnings=warnings,
        margin_currency="coin" if inverse else "quote",
    )


def _price_at(mark: Decimal, move: Decimal) -> Decimal:
    return mark * (ONE + move)


def _series(
    key: str,
    label: str,
    legs: Sequence[_Leg],
    moving: Sequence[int],
    base: Decimal,
    inverse: bool,
    account: Account,
    collateral: Sequence[tuple[str, Decimal, frozenset[int]]] = (),
) -> MapSeries:
    moving_legs = [legs[i] for i in moving]
    held = [leg for i, leg in enumerate(legs) if i not in set(moving)]
    # wallet coins that move with these marks: worth C × t, C at the marks
    coins = _exact_sum(value for _a, value, members in collateral if members & set(moving))
    held_pnl = _exact_sum(leg.pnl(ONE) for leg in held)
    held_maintenance = _exact_sum(leg.maintenance(ONE) for leg in held)
    # Equity is affine in t and maintenance affine between band edges: each point costs a few
    # operations, and every crossing is solved exactly.
    intercept = +_exact_sum([base, held_pnl, -coins, *(leg.alpha for leg in moving_legs)])
    slope = +_exact_sum([coins, *(leg.beta for leg in moving_legs)])
    segments = _maintenance_segments(moving_legs, held_maintenance)
    starts = [segment[0] for segment in segments]
    points = []
    for move, t in zip(MAP_MOVES, _MAP_T[inverse], strict=True):
        _start, a, b = segments[bisect_right(starts, t) - 1]
        points.append(MapPoint(move, intercept + slope * t, a + b * t))
    # the exact crossings, also where the marks are already past them (then the move back)
    liquidation = _nearest_move(_crossings((intercept, slope), segments), inverse)
    bankruptcy = _nearest_move(_crossings((intercept, slope), [(ZERO, ZERO, ZERO)]), inverse)
    worst = points[0]
    for point in points:  # the lowest equity; on a tie, the smaller move
        if point.equity < worst.equity or (
            point.equity == worst.equity and abs(point.move) < abs(worst.move)
        ):
            worst = point
    shortfall = None
    if worst.equity < ZERO:
        rules = account.rules
        coverage = cover(
            deficit=-worst.equity,
            waterfall=rules.waterfall,
            negative_balance_protection=rules.negative_balance_protection,
            insurance_fund_depleted=account.insurance_fund_depleted,
        )
        owes = _exact_sum(p.amount for p in coverage if p.party == Party.TRADER_DEBT)
        shortfall = Shortfall(worst.move, -worst.equity, coverage, owes)
    return MapSeries(
        key,
        label,
        tuple(points),
        None if liquidation is None else +liquidation,
        None if bankruptcy is None else +bankruptcy,
        shortfall,
    )


__all__ = [
    "MAP_MOVES",
    "Account",
    "AccountEvaluation",
    "AccountPosition",
    "CoinCollateral",
    "MapPoint",
    "MapSeries",
    "PositionMode",
    "PositionResult",
    "Shortfall",
    "evaluate_account",
]
