"""Words the calculator's sentences share, in the visitor's language.

The engine names each party in English for its own sentences (engine/scenario.py) and knows no
languages; the pages name them through this table, whose entries are in the catalogues.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine import Party

PARTY_WORDS: dict[Party, Promise] = {
    Party.REMAINING_MARGIN: _("your remaining margin"),
    Party.INSURANCE_FUND: _("the insurance fund"),
    Party.LIQUIDITY_SUPPORT: _("the liquidity support programme"),
    Party.BACKSTOP_VAULT: _("the backstop liquidator vault"),
    Party.AUTO_DELEVERAGING: _("auto-deleveraging of profitable traders"),
    Party.SOCIALIZED_LOSS: _("a socialized loss shared by other traders"),
    Party.LP_POOL: _("the liquidity providers' pool"),
    Party.PROTOCOL_DEFICIT: _("the protocol, booked as bad debt"),
    Party.SAFETY_MODULE: _("the safety module's stakers"),
    Party.DAO_TREASURY: _("the DAO treasury"),
    Party.EXCHANGE_CAPITAL: _("the platform's own capital"),
    Party.TRADER_DEBT: _("you, as a debt to the platform"),
    Party.UNCOVERED: _("nobody the platform names (uncovered)"),
}


def party_words(party: Party) -> str:
    """Who pays, as a sentence names them ("the insurance fund")."""
    return str(PARTY_WORDS[party])
