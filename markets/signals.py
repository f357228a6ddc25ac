"""Writes to a market's policy fields bump the policy version, as platforms/signals.py does for
the profiles; quotes (mark price, funding rate) and import runs do not. A quote bumps only the
quotes version (markets/lookup.py), which retires nothing but results that name a symbol.

An import writes hundreds of rows: inside `one_bump()` the receivers only note that something
changed, and the version is bumped once when the block ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from markets.models import Market, MarketQuote, MarketTier
from platforms.signals import policy_data_changed

MARKET_POLICY_MODELS = (Market, MarketTier)

# None outside a batch; inside one, a one-item list that says whether anything was written.
_pending: ContextVar[list[bool] | None] = ContextVar("market_policy_pending", default=None)
# The same for quotes, whose version is bumped once a batch too.
_pending_quotes: ContextVar[list[bool] | None] = ContextVar("market_quotes_pending", default=None)


@contextmanager
def one_bump() -> Iterator[None]:
    pending, quotes = [False], [False]
    token, quotes_token = _pending.set(pending), _pending_quotes.set(quotes)
    try:
        yield
    finally:
        _pending.reset(token)
        _pending_quotes.reset(quotes_token)
        if pending[0]:
            policy_data_changed()
        if quotes[0]:
            quotes_changed()


def quotes_changed() -> None:
    from markets.lookup import bump_quotes_version  # late: lookup reads the profiles' snapshot

    bump_quotes_version()


@receiver(post_save)
@receiver(post_delete)
def on_market_policy_write(sender, **kwargs) -> None:
    if sender not in MARKET_POLICY_MODELS:
        return
    pending = _pending.get()
    if pending is None:
        policy_data_changed()
    else:
        pending[0] = True


@receiver(post_save, sender=MarketQuote)
@receiver(post_delete, sender=MarketQuote)
def on_quote_write(sender, **kwargs) -> None:
    pending = _pending_quotes.get()
    if pending is None:
        quotes_changed()
    else:
        pending[0] = True
