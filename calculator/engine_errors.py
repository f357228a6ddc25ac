"""The engine's input errors in the visitor's language. The engine writes English (it knows
nothing of Django) and keeps each sentence's template and values apart (`EngineInputError`), so
a page or an API answer shows the catalogue's sentence with the same values. Every template the
engine (and the code that raises on its behalf) can write is listed here for the catalogues;
tests/i18n/test_engine_errors.py keeps the list complete."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

from calculator.formatting import localize
from engine import EngineInputError

TEMPLATES = (
    gettext_noop(
        "An account holds futures: linear (USDT/USDC-margined) or inverse (coin-margined)."
    ),
    gettext_noop("Side must be long or short."),
    gettext_noop("Add at least one position."),
    gettext_noop(
        "One cross account settles in one currency: USDT/USDC for linear positions or a "
        "coin for that coin's inverse positions. Margin them apart (isolated) or in two "
        "accounts."
    ),
    gettext_noop("Unknown contract type."),
    gettext_noop("Give the size of each cross position (its leverage follows from the wallet)."),
    gettext_noop("A cross position's margin follows from the wallet; leave this out."),
    gettext_noop("A cross position's leverage follows from the wallet; leave this out."),
    gettext_noop(
        "In one-way mode a symbol has one margin mode: positions[%(first)s] holds "
        "%(symbol)s in isolated margin."
    ),
    gettext_noop(
        "In one-way mode a symbol has one margin mode: positions[%(first)s] holds "
        "%(symbol)s in cross margin."
    ),
    gettext_noop(
        "In one-way mode a long and a short of %(symbol)s net into one position; isolated, "
        "choose hedge mode to hold both."
    ),
    gettext_noop(
        "Coin-margined positions share a cross wallet only in the same coin (%(coins)s "
        "here): a multi-asset mode is not modelled yet."
    ),
    gettext_noop("These values combine into numbers the calculator cannot work with."),
    gettext_noop("%(symbol)s has one mark price: positions[%(first)s] gives %(mark)s."),
    gettext_noop("must be more than 0"),
    gettext_noop("must be a positive price"),
    gettext_noop(
        "Coin-margined contracts already hold their collateral in the coin: give the margin "
        "in coin instead."
    ),
    gettext_noop("%(asset)s is not accepted as collateral on this platform."),
    gettext_noop("%(asset)s: a tier's cap must be above its floor."),
    gettext_noop("Give an evaluation, or a position and rules."),
    gettext_noop("The price range must run upwards from 0 or more."),
    gettext_noop("Between 2 and 100,000 points."),
    gettext_noop("Expected a number."),
    gettext_noop("Must be a fraction between 0 and %(upper)s."),
    gettext_noop("Expected a finite number."),
    gettext_noop("A loan is volatile collateral against stable debt: only 'long' applies."),
    gettext_noop("A loan needs the collateral's liquidation threshold."),
    gettext_noop("Must be greater than zero."),
    gettext_noop("A liquidation must repay some of the debt."),
    gettext_noop("Give the debt (or the leverage)."),
    gettext_noop("A loan's leverage is above 1x."),
    gettext_noop("This number is too large to be a real position."),
    gettext_noop("This number is too small to be a real position."),
    gettext_noop("Cannot be negative."),
    gettext_noop("Give exactly two of quantity, margin and leverage."),
    gettext_noop("Leverage must be above %(least)sx here."),
    gettext_noop("Cross margin needs the wallet balance."),
    gettext_noop(
        "Your other positions already take the whole wallet (its balance less their "
        "maintenance margin, plus their unrealized PnL, is not above zero): the account "
        "would be liquidated before this position opens."
    ),
    gettext_noop(
        "The opening fee (taker fee × position size) takes all of this margin: the platform "
        "would not open the position. Lower the leverage or the size."
    ),
    gettext_noop("Give the position size or the leverage."),
    gettext_noop("too many liquidation steps"),
    gettext_noop("needs at least two prices"),
    gettext_noop("every price must be positive"),
    gettext_noop("minutes start at 0"),
    gettext_noop("minutes must not go back"),
    gettext_noop("a stall ends after it starts"),
    gettext_noop("Give at most one of fill price, gap and crash."),
    gettext_noop("The maintenance rule needs numbers."),
    gettext_noop("A maintenance rate cannot be negative."),
    gettext_noop(
        "At this size the platform's maintenance rule reaches 100%: the "
        "position is larger than the platform allows."
    ),
    gettext_noop("Spot margin is modelled per position: use isolated with your deposit."),
    gettext_noop("Spot margin needs the platform's liquidation margin level (e.g. 1.1)."),
    gettext_noop("The liquidation margin level must be above 1."),
    gettext_noop("Spot margin needs a loan: leverage above 1x."),
    gettext_noop(
        "Here the taker fee counts in maintenance, and with it a maintenance rate reaches "
        "100%: lower the taker fee."
    ),
    gettext_noop("A maintenance rate must be at least 0 and below 100%."),
    gettext_noop("Each tier needs a floor below its cap."),
    gettext_noop("A maintenance amount cannot be negative."),
    gettext_noop("A maximum leverage must be positive."),
    gettext_noop(
        "Our %(platform)s profile stores no multi-asset collateral: give the wallet balance "
        "instead."
    ),
    gettext_noop(
        "For a loan, `collateral` is the loan's own coin: give %(asset)s's price (e.g. "
        "%(asset)s:1@60000)."
    ),
    gettext_noop("%(asset)s is not accepted as collateral in our %(profile)s profile."),
    gettext_noop("No closing price could be evaluated."),
)


def engine_error_text(error: EngineInputError) -> str:
    """The error's sentence in the active language, its values filled in (a number in the
    locale's separators: "60000,5" in Russian)."""
    sentence = gettext(error.template)
    if not error.params:
        return sentence
    return sentence % {
        # a number as the engine writes it, in the locale's separators; a name, a symbol or a
        # position's index as it is
        name: localize(str(written)) if isinstance(error.params[name], Decimal | float) else written
        for name, written in error.written_params().items()
    }
