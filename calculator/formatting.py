"""Numbers as a person reads them, in the visitor's language: "$1,234.56", "9.64%",
"0.0213 coin" in English; "1 234,56 $" and "9,64%" in Russian. Display only: the API keeps
machine formats and never comes here.

The digits are worked out once, the English way; the visitor's locale (CLDR data through Babel)
then decides the decimal and group separators and where the currency symbol goes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, get_decimal_symbol, get_group_symbol
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from engine.scenario import coin as engine_coin
from engine.scenario import percent as engine_percent
from engine.scenario import times as engine_times

_CENT = Decimal("0.01")
_MICRO = Decimal("1e-6")
_ONE = Decimal(1)
_ENGLISH = "en"


@dataclass(frozen=True)
class LocaleNumbers:
    """How one locale writes a number and a dollar amount."""

    decimal: str
    group: str
    currency_prefix: str  # "$", "US$", "US$ " …
    currency_suffix: str  # "", " $", " US$" …

    @property
    def plotly_separators(self) -> str:
        """Plotly's `separators`: the decimal mark, then the thousands mark."""
        return self.decimal + self.group


@lru_cache(maxsize=16)
def locale_numbers(language: str) -> LocaleNumbers:
    """The separators and currency placement of a Django language code ("ru", "pt-br")."""
    locale = Locale.parse(to_locale(language))
    sample = format_currency(Decimal("1.00"), "USD", locale=locale)
    digits = re.search(r"1\D00", sample)
    assert digits is not None, sample
    return LocaleNumbers(
        decimal=get_decimal_symbol(locale),
        group=get_group_symbol(locale),
        currency_prefix=sample[: digits.start()],
        currency_suffix=sample[digits.end() :],
    )


def current() -> LocaleNumbers | None:
    """The active language's formats; None for English, which the digits are already in."""
    language = get_language() or _ENGLISH
    if language == _ENGLISH:
        return None
    return locale_numbers(language)


def localize(text: str, numbers: LocaleNumbers | None = None) -> str:
    """English digits ("1,234.5") in the active locale's separators ("1 234,5")."""
    numbers = numbers or current()
    if numbers is None:
        return text
    return "".join(
        numbers.group if char == "," else numbers.decimal if char == "." else char for char in text
    )


def _dollars(sign: str, digits: str) -> str:
    numbers = current()
    if numbers is None:
        return f"{sign}${digits}"
    return f"{sign}{numbers.currency_prefix}{localize(digits, numbers)}{numbers.currency_suffix}"


def coin(amount: Decimal) -> str:
    """A coin amount as the engine writes it, in the visitor's separators and words."""
    text = engine_coin(amount)
    if current() is None:
        return text
    return _("%(amount)s coin") % {"amount": localize(text.removesuffix(" coin"))}


def money(value: Decimal | float | None, currency: str = "quote") -> str:
    """Quote amounts as dollars with cents; coin amounts to 8 significant decimals."""
    if value is None:
        return "—"
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        return "—"
    if currency == "coin":
        return coin(amount)  # the engine's sentences write coin the same way
    sign = "−" if amount < 0 else ""
    magnitude = abs(amount)
    if _MICRO <= magnitude < _ONE:
        # prices of small coins need more than cents: up to 6 decimals, at least 2
        digits = f"{magnitude.quantize(_MICRO, rounding=ROUND_HALF_EVEN):f}"
        whole, decimals = digits.split(".")
        decimals = decimals.rstrip("0").ljust(2, "0")
        return _dollars(sign, f"{whole}.{decimals}")
    rounded = magnitude.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    if rounded == 0:
        return _dollars("", "0.00")
    return _dollars(sign, f"{rounded:,.2f}")


def chart_money(value: float) -> str:
    """A chart's float as dollars and cents, rounded as round(value, 2) rounds it.

    What money(Decimal(str(round(value, 2)))) prints, without the Decimal: chart tables and
    summaries print dozens of these on every redraw.
    """
    if not math.isfinite(value):
        return "—"
    text = f"{abs(value):,.2f}"
    if text == "0.00":
        return _dollars("", text)
    return _dollars("−" if value < 0 else "", text)


def pct(value: Decimal | float | None, places: int = 2) -> str:
    """A fraction as a percentage: 0.0964 → "9.64%" (the engine's sentences write it alike)."""
    if value is None:
        return "—"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():  # before multiplying: a signalling NaN ("sNaN") raises there
        return "—"
    try:
        return localize(engine_percent(number, places))
    except InvalidOperation:  # more digits than the context holds: no real rate
        return "—"


def times(value: Decimal | None) -> str:
    """Leverage: 10 → "10×", 2.5 → "2.5×", 50000 → "50,000×"."""
    return "—" if value is None else localize(engine_times(value, "×"))


def number(value: Decimal | float, places: int) -> str:
    """A plain number to fixed places, in the visitor's separators: 1.5 → "1.500" / "1,500"."""
    return localize(f"{value:,.{places}f}")


def long_date(value: date) -> str:
    """A day as a sentence writes it: "6 December 2026"; "6 декабря 2026 г." in Russian."""
    language = get_language() or _ENGLISH
    if language == _ENGLISH:
        return f"{value:%-d %B %Y}"
    return format_date(value, format="long", locale=Locale.parse(to_locale(language)))


def coin_and_usd(coin: Decimal | None, usd: Decimal) -> str:
    """An amount of an inverse contract as the exchange states it, in coin, with its dollar
    value beside it ("0.22404056 coin ($5,784.00)"); just dollars where there is no coin figure."""
    if coin is None:
        return money(usd)
    return f"{money(coin, 'coin')} ({money(usd)})"
