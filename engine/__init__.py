"""Underwater's margin engine: pure Python, no Django.

Can a leveraged position lose more than its deposit, and on a given platform who pays the
deficit? `evaluate` answers for one position; `equity_curve` and `outcome_by_crash` feed the
charts. Formulas and their sources: docs/design.md, and each module.
"""

from .account import (
    Account,
    AccountEvaluation,
    AccountPosition,
    CoinCollateral,
    MapSeries,
    PositionMode,
    PositionResult,
    evaluate_account,
)
from .coverage import may_leave_uncovered, payers, uncovered
from .curve import CrashSizes, equity_curve, outcome_by_crash
from .evaluate import evaluate
from .numbers import CONTEXT
from .opening import balance_fee, fees_reduce_margin, maintenance_rules
from .scenario import party_words
from .size_margin import (
    position_size_in_coins,
    size_dependent_rate,
    with_size_dependent_maintenance,
)
from .tiers import fee_in_maintenance, maintenance_amounts_from_rates
from .types import (
    Contract,
    Convention,
    Coverage,
    CoverageStep,
    CrossMarginSharing,
    EngineInputError,
    Evaluation,
    LiquidationStep,
    MaintenanceBasis,
    MarginMode,
    Outcome,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    Tier,
    Warning,
)

__all__ = [
    "CONTEXT",
    "Account",
    "AccountEvaluation",
    "AccountPosition",
    "CoinCollateral",
    "Contract",
    "Convention",
    "Coverage",
    "CoverageStep",
    "CrashSizes",
    "CrossMarginSharing",
    "EngineInputError",
    "Evaluation",
    "LiquidationStep",
    "MaintenanceBasis",
    "MapSeries",
    "MarginMode",
    "Outcome",
    "Party",
    "Position",
    "PositionMode",
    "PositionResult",
    "Rules",
    "Scenario",
    "Side",
    "Tier",
    "Warning",
    "balance_fee",
    "equity_curve",
    "evaluate",
    "evaluate_account",
    "fee_in_maintenance",
    "fees_reduce_margin",
    "maintenance_amounts_from_rates",
    "maintenance_rules",
    "may_leave_uncovered",
    "outcome_by_crash",
    "party_words",
    "payers",
    "position_size_in_coins",
    "size_dependent_rate",
    "uncovered",
    "with_size_dependent_maintenance",
]
