"""The engine's decimal context and input checks.

40 significant digits keep prices of 1e-12 and notionals of 1e15 exact enough to compare
against exchanges' published figures; traps turn any undefined operation into an exception
that `evaluate` reports as EngineInputError instead of NaN or Infinity.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import wraps
from typing import ParamSpec, TypeVar

from .types import ZERO, EngineInputError

CONTEXT = Context(
    prec=40, Emax=10_000, Emin=-10_000, traps=[InvalidOperation, DivisionByZero, Overflow]
)

# Beyond these the numbers stop meaning anything for a trader; refusing them keeps every
# intermediate result far from the context's limits.
LARGEST = Decimal("1e24")
SMALLEST = Decimal("1e-18")
HOURS_PER_YEAR = Decimal(8760)

P = ParamSpec("P")
R = TypeVar("R")


def to_decimal(value: object, field: str) -> Decimal:
    if type(value) is Decimal and value.is_finite() and -LARGEST <= value <= LARGEST:
        return value  # the common case, kept cheap: this runs a dozen times per evaluation
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        raise EngineInputError(field, "Expected a number.")
    elif isinstance(value, int | str):
        try:
            number = Decimal(value)
        except (ArithmeticError, ValueError):
            raise EngineInputError(field, "Expected a number.") from None
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        raise EngineInputError(field, "Expected a number.")
    if not number.is_finite():
        raise EngineInputError(field, "Expected a finite number.")
    if abs(number) > LARGEST:
        raise EngineInputError(field, "This number is too large to be a real position.")
    return number


def positive(value: object, field: str) -> Decimal:
    if type(value) is Decimal and value.is_finite() and SMALLEST <= value <= LARGEST:
        return value  # the common case in one test; anything else gets the checks below
    number = to_decimal(value, field)
    if number <= ZERO:
        raise EngineInputError(field, "Must be greater than zero.")
    if number < SMALLEST:
        raise EngineInputError(field, "This number is too small to be a real position.")
    return number


def non_negative(value: object, field: str) -> Decimal:
    if type(value) is Decimal and value.is_finite() and ZERO <= value <= LARGEST:
        return value  # the common case in one test; anything else gets the checks below
    number = to_decimal(value, field)
    if number < ZERO:
        raise EngineInputError(field, "Cannot be negative.")
    return number


def optional_positive(value: object, field: str) -> Decimal | None:
    return None if value is None else positive(value, field)


def fraction(value: object, field: str, *, upper: Decimal = Decimal(1)) -> Decimal:
    number = non_negative(value, field)
    if number > upper:
        raise EngineInputError(field, "Must be a fraction between 0 and %(upper)s.", upper=upper)
    return number


def in_engine_context(function: Callable[P, R]) -> Callable[P, R]:
    """Run a public engine function in CONTEXT, as `evaluate` does: 40 digits, and any
    undefined operation reported on the inputs instead of returned as NaN or Infinity."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(CONTEXT):
            try:
                return function(*args, **kwargs)
            except EngineInputError:
                raise
            except ArithmeticError:
                # Trapped by CONTEXT (division by zero, overflow, undefined results): the
                # inputs combine into numbers the engine cannot represent.
                raise EngineInputError(
                    "position", "These values combine into numbers the calculator cannot work with."
                ) from None

    return wrapper
