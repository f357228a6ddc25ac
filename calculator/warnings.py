"""The engine's warnings in the visitor's language: the engine writes English and a code (it
knows nothing of Django); pages show the sentence the code names, from the catalogues."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from calculator.formatting import times
from engine import Warning

SENTENCES: dict[str, Promise] = {
    "liquidated_on_entry": _(
        "The margin is already at or below the maintenance margin at the entry price: the "
        "position would be liquidated as soon as it opens."
    ),
    "no_liquidation_price": _(
        "No price move can liquidate this position: its margin covers any move against it."
    ),
    "no_bankruptcy_price": _(
        "There is no bankruptcy price: at no price does the position lose more than its margin."
    ),
    "size_beyond_last_tier": _(
        "The position is larger than the platform's last margin tier; the last tier's rates are "
        "used, and the platform may not accept it."
    ),
    "bankrupt_on_liquidation": _(
        "The liquidation fee is at least the maintenance margin, so the position is already "
        "bankrupt when liquidation starts: expect to lose all of the margin."
    ),
    "no_maintenance_rate": _(
        "No maintenance margin rate is set, so liquidation is shown at the bankruptcy price."
    ),
    "protection_overrides_trader_debt": _(
        "The waterfall lists the trader, but negative balance protection means the trader never "
        "pays: the platform's capital takes that part."
    ),
    "gap_without_liquidation_price": _(
        "A gap is measured from the liquidation price, and this position has none: try a crash "
        "size instead."
    ),
    "leverage_above_platform_max": _(
        "Leverage of %(leverage)s is above the platform's maximum of %(max_leverage)s for this "
        "size."
    ),
    "stop_not_between_entry_and_liquidation": _(
        "The stop is not between the entry and liquidation prices, so it is ignored: liquidation "
        "would come first or the stop would fire at once."
    ),
    "account_liquidated": _(
        "At these marks the account's margin balance is at or below its maintenance margin: the "
        "platform would be liquidating it now."
    ),
    "netted_to_nothing": _(
        "In one-way mode the long and the short of this symbol cancel out: no position is left, "
        "and the difference of their entries is realized into the wallet."
    ),
}


def warning_text(warning: Warning) -> str:
    """The warning's sentence in the active language (the engine's English for a code this
    module does not know yet). The engine's params are leverages."""
    sentence = SENTENCES.get(warning.code)
    if sentence is None:
        return warning.message
    return str(sentence) % {name: times(value) for name, value in warning.params}
