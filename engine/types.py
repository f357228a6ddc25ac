"""The engine's vocabulary: what goes in (a position, a platform's rules, a scenario) and what
comes out (an evaluation with an optional outcome). All money and prices are Decimal."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

ZERO = Decimal(0)


class Side(StrEnum):
    LONG = "long"
    SHORT = "short"


class Contract(StrEnum):
    LINEAR = "linear"  # USDT/USDC-margined futures and perpetuals
    INVERSE = "inverse"  # coin-margined: size in USD, margin in coin
    SPOT_MARGIN = "spot_margin"  # borrowing on a spot margin account
    LOAN = "loan"  # collateralised loan (CeFi loan, Aave-style DeFi lending)


class MarginMode(StrEnum):
    ISOLATED = "isolated"
    CROSS = "cross"


class MaintenanceBasis(StrEnum):
    MARK = "mark"  # Binance, Hyperliquid, dYdX: maintenance on the mark-price notional
    ENTRY = "entry"  # Bybit's published examples: maintenance on the entry notional


class CrossMarginSharing(StrEnum):
    """How a cross wallet backs each of its positions (docs/design.md, "Cross margin shared")."""

    # Binance USDⓈ-M FAQ: the position's margin is the wallet less the other positions'
    # maintenance plus their unrealized PnL (WB − TMM1 + UPNL1).
    WALLET = "wallet"
    # KuCoin "Liquidation Price in Cross Margin Mode": AMR = total margin / Σ|mark value|; each
    # position holds |its mark value| × AMR and is then liquidated like an isolated one.
    PROPORTIONAL = "proportional"


class Convention(StrEnum):
    """The conventions a product line records, by the name of the field that stores each; a
    line lists those whose result no published worked example checks (`Rules.unchecked`)."""

    MAINTENANCE_BASIS = "maintenance_basis"
    TAKER_FEE_IN_MAINTENANCE = "taker_fee_in_maintenance"
    CLOSE_FEE_RESERVED = "close_fee_reserved"
    CLOSE_FEE_IN_MAINTENANCE = "close_fee_in_maintenance"
    FEES_FROM_MARGIN = "fees_from_margin"
    CROSS_MARGIN_SHARING = "cross_margin_sharing"
    PARTIAL_LIQUIDATION = "partial_liquidation"
    LIQUIDATION_FEE = "liquidation_fee"
    SETTLEMENT = "settlement"


class Party(StrEnum):
    """Who can pay for a deficit, in the words platforms use."""

    REMAINING_MARGIN = "remaining_margin"
    INSURANCE_FUND = "insurance_fund"
    LIQUIDITY_SUPPORT = "liquidity_support"
    BACKSTOP_VAULT = "backstop_vault"
    AUTO_DELEVERAGING = "auto_deleveraging"
    SOCIALIZED_LOSS = "socialized_loss"
    LP_POOL = "lp_pool"
    PROTOCOL_DEFICIT = "protocol_deficit"
    SAFETY_MODULE = "safety_module"
    DAO_TREASURY = "dao_treasury"
    EXCHANGE_CAPITAL = "exchange_capital"
    TRADER_DEBT = "trader_debt"
    UNCOVERED = "uncovered"


class EngineInputError(ValueError):
    """A value the engine cannot work with; `field` names the input at fault.

    The engine writes English. `template` (with `%(name)s` placeholders filled from `params`)
    is what a caller translates, so a visitor reads the sentence in their own language with the
    same values: `message` is `template % written_params()`."""

    def __init__(self, field: str, template: str, **params: object) -> None:
        self.field = field
        self.template = template
        self.params = params
        self.message = template % self.written_params() if params else template
        super().__init__(f"{field}: {self.message}")

    def written_params(self) -> dict[str, object]:
        """The values as the sentence writes them: a Decimal in full, never with an exponent
        ("60000.5", not "6.00005E+4"), a float short ("1", not "1.0")."""
        return {name: _written(value) for name, value in self.params.items()}


def _written(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return format(value, "g")
    return value


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tier:
    """One row of a platform's published margin tier (bracket / risk limit) table.

    For linear contracts the bracket is the position's notional in quote currency; for inverse
    contracts it is the position value in coin (Binance COIN-M publishes brackets in BTC).
    """

    notional_floor: Decimal
    notional_cap: Decimal | None
    maintenance_margin_rate: Decimal
    maintenance_amount: Decimal = ZERO
    max_leverage: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CoverageStep:
    party: Party
    capacity: Decimal | None = None  # None = unlimited


@dataclass(frozen=True, slots=True)
class Rules:
    """A platform product line's conventions, or custom values typed by a visitor."""

    tiers: tuple[Tier, ...] = ()
    maintenance_margin_rate: Decimal | None = None
    maintenance_amount: Decimal = ZERO
    maintenance_basis: MaintenanceBasis = MaintenanceBasis.MARK
    max_leverage: Decimal | None = None
    mmr_from_max_leverage: bool = False
    taker_fee: Decimal = ZERO
    # Bitget keeps the fee to close inside maintenance: MM = value × (tier rate + taker fee)
    taker_fee_in_maintenance: bool = False
    liquidation_fee: Decimal = ZERO
    fees_from_margin: bool = True
    # Bybit, Phemex: an isolated position's margin also holds the fee to close at the
    # bankruptcy price, taker × Q × P_bk, which the trader puts up with the initial margin
    close_fee_reserved: bool = False
    # Bybit (UTA isolated): maintenance = value × mmr − deduction + estimated fee to close
    close_fee_in_maintenance: bool = False
    cross_margin_sharing: CrossMarginSharing = CrossMarginSharing.WALLET
    # Binance, Bybit, OKX: a position above the first tier is stepped down tier by tier
    partial_liquidation: bool = False
    settles_at_bankruptcy: bool = False
    # Conventions whose result follows the platform's formula with no published example to
    # check it: the answer says so.
    unchecked: tuple[Convention, ...] = ()
    funding_rate: Decimal = ZERO
    funding_interval_hours: Decimal = Decimal(8)
    borrow_rate_yearly: Decimal = ZERO
    liquidation_margin_level: Decimal | None = None
    # Kraken spot margin: used margin = position cost / this leverage; margin level = equity /
    # used margin (engine/spot_margin.py). None: margin level = assets / debt (Binance style)
    used_margin_leverage: Decimal | None = None
    liquidation_threshold: Decimal | None = None
    liquidation_penalty: Decimal = ZERO
    waterfall: tuple[CoverageStep, ...] = ()
    negative_balance_protection: bool = False
    # A platform's minimum collateral, in quote: liquidation when equity falls to it even where
    # the tiers ask for less (GMX v2's minCollateralUsd; engine/collateral.py)
    minimum_collateral: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Position:
    """What the trader holds.

    Sizes by contract:
    - linear: `quantity` in base units, `margin` in quote currency;
    - inverse: `quantity` is the USD face value (contracts × contract value), `margin` in coin;
    - spot_margin: `margin` is the trader's own deposit in quote; leverage = assets / own
      equity at entry (Binance "3x"). Long: borrow (L−1)·M quote and buy Q = L·M/E base.
      Short: borrow Q = (L−1)·M/E base and sell it, so assets are M + Q·E quote;
    - loan: `collateral` units of a volatile asset against `debt` in quote (a stablecoin);
      only `long` applies. Without `debt`, leverage L gives debt = C·E·(1 − 1/L).

    Isolated: give two of quantity / margin / leverage. Cross: give `wallet_balance` and
    either quantity or leverage; the margin is wallet − other maintenance + other PnL.
    """

    contract: Contract
    side: Side
    entry_price: Decimal
    quantity: Decimal | None = None
    margin_mode: MarginMode = MarginMode.ISOLATED
    margin: Decimal | None = None
    leverage: Decimal | None = None
    wallet_balance: Decimal | None = None
    other_maintenance_margin: Decimal = ZERO
    other_unrealized_pnl: Decimal = ZERO
    # Cross, where margin is shared in proportion to value (KuCoin): the other cross positions'
    # absolute value at their marks, in the margin currency
    other_position_value: Decimal = ZERO
    holding_hours: Decimal = ZERO
    collateral: Decimal | None = None
    debt: Decimal | None = None
    # Units of the traded coin held as collateral, counted at the platform's ratio: their value
    # is in the wallet or margin at entry and moves with the price (engine/collateral.py)
    coin_collateral: Decimal = ZERO
    # Loans: other collateral held beside the loan's coin, at fixed prices, as (value in quote,
    # liquidation threshold) pairs (engine/loan.py)
    other_collateral: tuple[tuple[Decimal, Decimal], ...] = ()


@dataclass(frozen=True, slots=True)
class Scenario:
    """A price move against the position. At most one of fill_price / gap / crash."""

    fill_price: Decimal | None = None
    gap: Decimal | None = None  # fraction beyond the liquidation price, against the position
    crash: Decimal | None = None  # fraction of entry, against the position
    stop_price: Decimal | None = None
    guaranteed_stop: bool = False
    insurance_fund_depleted: bool = False


# --- outputs ------------------------------------------------------------------------------


class _WrittenOnFirstRead:
    """A slot that may hold a zero-argument function instead of its value: the first read calls
    it and keeps the result. The sentence in `Outcome.explanation` costs more than the numbers
    behind it and the charts never read it; this way it stays a plain attribute with the same
    text (in repr, equality, pickling and `dataclasses.replace` too) but is only written when read.
    """

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot  # the member descriptor that `slots=True` made for the field

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.slot.__get__(instance, owner)
        if callable(value):
            value = value()
            self.slot.__set__(instance, value)
        return value

    def __set__(self, instance: object, value: object) -> None:
        self.slot.__set__(instance, value)  # only the frozen dataclass's __init__ gets here


@dataclass(frozen=True, slots=True)
class Warning:  # shadows the builtin on purpose: the name others code against
    """`message` is English; a page shows the sentence its `code` names in the visitor's
    language, filled in from `params` (the numbers the sentence needs)."""

    code: str
    message: str
    params: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    party: Party
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happens at the scenario's price. Amounts are in quote currency (USD for inverse).

    Amounts carry up to 40 significant digits: add coverage parts inside
    `decimal.localcontext(engine.CONTEXT)` to get the deficit back exactly
    (Python's default context keeps only 28).
    """

    fill_price: Decimal
    liquidated: bool
    equity_after: Decimal  # the position's equity at the fill, after closing fees; may be < 0
    deficit: Decimal  # what the trader's margin could not pay, ≥ 0
    coverage: tuple[Coverage, ...]  # sums exactly to `deficit`
    trader_owes: Decimal
    explanation: str  # one sentence, written on first read (below)
    closed_by: str | None  # "liquidation", "stop", "guaranteed_stop" or None (only marked)
    trader_result: Decimal  # what the trader ends with (≥ 0) or minus what they owe
    closing_fee: Decimal  # taker fee on a stop, liquidation fee on a liquidation
    to_insurance_fund: Decimal  # liquidation fee plus any surplus kept on bankruptcy settlement
    deficit_in_coin: Decimal | None = None  # inverse only
    equity_after_in_coin: Decimal | None = None  # inverse only
    trader_owes_in_coin: Decimal | None = None  # inverse only


# `outcome_at` passes a function that writes the sentence; reads get the text
Outcome.explanation = _WrittenOnFirstRead(Outcome.__dict__["explanation"])  # type: ignore[assignment, misc]


@dataclass(frozen=True, slots=True)
class LiquidationStep:
    """One step of a partial liquidation at `price`: the position is cut to `quantity_after`
    (base units; USD face for inverse), paying `fee` (margin currency) on the part closed.
    `survives` says whether what is left is above its maintenance: then `next_liquidation_price`
    is where it would be liquidated again; otherwise the next step follows."""

    price: Decimal
    tier_before: int  # 1-based, as platforms number their tiers
    tier_after: int
    quantity_before: Decimal
    quantity_after: Decimal  # 0: the rest was taken over (a full close)
    fee: Decimal
    equity_after: Decimal  # margin currency
    maintenance_after: Decimal  # margin currency
    survives: bool
    next_liquidation_price: Decimal | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything the page shows about a position, with the numbers behind it.

    Margins are in the margin currency (`margin_currency`: "quote", or "coin" for inverse);
    fees, funding and interest likewise. Prices are quote per base.
    """

    position: Position
    rules: Rules
    notional: Decimal  # quote (USD face value for inverse)
    leverage: Decimal | None
    initial_margin: Decimal
    margin: Decimal  # margin at stake, after fees, funding and interest
    maintenance_margin: Decimal  # at entry
    maintenance_margin_rate: Decimal  # the rate used, from the tier at the liquidation price
    maintenance_amount: Decimal  # the tier's maintenance amount (cum) used
    liquidation_price: Decimal | None
    bankruptcy_price: Decimal | None
    distance_to_liquidation: Decimal | None  # fraction of entry, positive = room
    health_factor: Decimal | None  # loans
    margin_level: Decimal | None  # spot margin
    open_fee: Decimal
    funding_paid: Decimal  # over holding_hours; negative = received
    interest_paid: Decimal  # borrow interest over holding_hours
    margin_currency: str
    warnings: tuple[Warning, ...]
    outcome: Outcome | None
    # The fee to close held in the margin (Bybit, Phemex), margin currency; 0 where none is
    close_fee_reserve: Decimal = ZERO
    # Partial liquidation at the liquidation price, tier by tier (empty: a full close)
    liquidation_steps: tuple[LiquidationStep, ...] = ()
    # The product line's conventions behind these numbers that no published worked example
    # checks: the result follows the platform's formula only
    unchecked: tuple[Convention, ...] = ()
    loan_to_value: Decimal | None = None  # loans: debt / collateral value, beside the HF
    # The sized position behind these numbers (opening.Opened), so that the chart curves do not
    # size it again; not part of what the evaluation says, so not compared or shown.
    opened: Any = field(default=None, repr=False, compare=False)
