"""Turns a stored platform profile into the engine's Rules, and finds the account scope to use.

The engine knows nothing of Django; this is the one place that reads policy rows for it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.translation import get_language, gettext, ngettext

from config.cache_guard import cache_failed
from engine import (
    Convention,
    CoverageStep,
    CrossMarginSharing,
    MaintenanceBasis,
    Party,
    Rules,
    Tier,
)
from platforms.choices import CONTRACT_ACCOUNTS, CONTRACT_SHORT, LiquidationSettlement
from platforms.models import AccountScope, MarginTier, Platform, ProductLine

ZERO = Decimal(0)
T = TypeVar("T")


@dataclass(frozen=True)
class ResolvedProfile:
    """A platform's product line and account scope picked for one calculation."""

    platform: Platform
    product_line: ProductLine
    scope: AccountScope
    tier_symbol: str | None

    @property
    def scope_key(self) -> str:
        return scope_key(self.scope)


class ProfileLookupError(Exception):
    """The platform, its product for the contract, or the scope cannot be found."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def scope_key(scope: AccountScope) -> str:
    """The API's name for a scope (`AccountScope.key`)."""
    return scope.key


def published_platforms():
    """Platforms with everything the engine needs, in a fixed number of queries."""
    lines = ProductLine.objects.prefetch_related(
        Prefetch(
            "tiers",
            queryset=MarginTier.objects.order_by("symbol", "-effective_date", "notional_floor"),
        ),
        Prefetch("scopes", queryset=AccountScope.objects.prefetch_related("waterfall")),
    )
    return Platform.objects.published().prefetch_related(Prefetch("product_lines", queryset=lines))


VERSION_KEY = "underwater:profiles-version"


@dataclass
class Snapshot:
    """All published profiles, read once per version of the policy data.

    The calculator redraws on every keystroke; reading ~15 platforms with their tiers and scopes
    costs tens of queries. The snapshot is rebuilt whenever the version key in the shared cache
    changes (every write to policy data bumps it), so each process holds only a copy of what the
    database says, never state of its own.
    """

    version: str
    platforms: dict[str, Platform]
    rules: dict[int, Rules] = field(default_factory=dict)
    scope_choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    derived: dict[Hashable, Any] = field(default_factory=dict)


_lock = threading.Lock()
_snapshot: Snapshot | None = None


# The version as read once in the current request: "" in a request that has not read it yet,
# None outside requests. A redraw looks up the platform list, the platform, its rules, the
# compared platforms and the cache key; one shared-cache read serves them all (on Redis each
# read is a network round trip).
_request_version: ContextVar[str | None] = ContextVar("profiles_version", default=None)


def start_request(**_kwargs) -> None:
    _request_version.set("")


def finish_request(**_kwargs) -> None:
    _request_version.set(None)


# The version this process read last, and when (time.monotonic()). Within
# settings.PROFILES_VERSION_SECONDS it is used without asking the shared cache again: an
# admin's edit reaches other processes that much later, and a busy process reads the cache
# a few times a second instead of on every redraw. A write in this process is seen at once.
_last_read: tuple[str, float] | None = None


# Without the shared cache (down, full, unwritable) a process keeps the version it read last,
# or, if it never read one, a version of its own: pages keep being served from its snapshot.
# A write made meanwhile is seen at once in its own process and sent to the cache once it
# answers again; other processes see it then.
_offline_version = "offline-" + uuid.uuid4().hex
_unsent_version: str | None = None


def profiles_version() -> str:
    global _last_read
    memo = _request_version.get()
    if memo:
        return memo
    last = _last_read
    now = time.monotonic()
    if last is not None and now - last[1] < settings.PROFILES_VERSION_SECONDS:
        version = last[0]
    else:
        version = _read_shared_version(last[0] if last else _offline_version)
        _last_read = (version, now)
    if memo == "":
        _request_version.set(version)
    return version


def _read_shared_version(fallback: str) -> str:
    global _unsent_version
    try:
        if _unsent_version is not None:
            cache.set(VERSION_KEY, _unsent_version, timeout=None)
            _unsent_version = None
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY) or "uncached"
    except Exception as error:  # any backend's failure: carry on with what this process has
        cache_failed("policy-data version read from this process's copy", error)
        return fallback
    return version


def forget_profiles_version() -> None:
    """Drop this process's trusted copy of the version, so the next read asks the shared cache.

    For when the shared cache itself was emptied (tests do so between cases): a version
    trusted from before would point at a snapshot of data that may no longer exist.
    """
    global _last_read, _unsent_version
    _last_read = None
    _unsent_version = None


def bump_profiles_version() -> None:
    """Called after any write to policy data, so every process re-reads it."""
    global _last_read, _unsent_version
    version = uuid.uuid4().hex
    try:
        cache.set(VERSION_KEY, version, timeout=None)
    except Exception as error:  # the write stands; other processes learn of it later
        cache_failed("policy-data version kept until the cache answers", error)
        _unsent_version = version
    _last_read = (version, time.monotonic())
    if _request_version.get() is not None:
        _request_version.set(version)  # this request sees its own write


def snapshot() -> Snapshot:
    global _snapshot
    version = profiles_version()
    current = _snapshot
    if current is not None and current.version == version:
        return current
    with _lock:
        if _snapshot is None or _snapshot.version != version:
            _snapshot = Snapshot(version, {p.slug: p for p in published_platforms()})
        return _snapshot


def derived(key: Hashable, build: Callable[[], T]) -> T:
    """Something computed from the policy data alone (a rendered profile line, say), built once
    per snapshot: a write to policy data starts a new snapshot, so nothing here goes stale."""
    memo = snapshot().derived
    if key not in memo:
        memo[key] = build()
    return memo[key]


def platform_list() -> list[Platform]:
    return list(snapshot().platforms.values())


def scope_choices(slug: str) -> list[tuple[str, str]]:
    """(scope key, label) of each account scope of a platform; [] for an unknown one. Memoised
    per snapshot and language (the labels are in the visitor's): every redraw validates the
    chosen scope against them."""
    current = snapshot()
    memo_key = f"{slug}|{get_language()}"
    choices = current.scope_choices.get(memo_key)
    if choices is None:
        platform = current.platforms.get(slug)
        choices = current.scope_choices[memo_key] = (
            []
            if platform is None
            else [
                (scope_key(scope), str(scope))
                for line in platform.product_lines.all()
                for scope in line.scopes.all()
            ]
        )
    return choices


def offers_guaranteed_stop(profile: ResolvedProfile | None) -> bool:
    """Whether a stop may be guaranteed: where the product line says so, or on custom rules
    (the visitor's own; None), which assume nothing about the broker. The one rule: the page
    hands it to calculator.js through `guaranteed_stops`, the form and compare ask here."""
    return profile is None or profile.product_line.guaranteed_stop


def guaranteed_stops(platform: Platform) -> dict[str, str]:
    """The contracts on which a platform guarantees a stop, each with its terms ("" if none
    are stated): what `offers_guaranteed_stop` says of each of its product lines."""
    offered: dict[str, str] = {}
    for line in platform.product_lines.all():
        if line.guaranteed_stop:
            offered[line.contract] = offered.get(line.contract) or line.guaranteed_stop_note
    return offered


def no_guaranteed_stop(profile: ResolvedProfile | str) -> str:
    """Why a guaranteed stop is refused for a platform (a profile, or a platform's name), and
    what a stop there does instead."""
    name = profile if isinstance(profile, str) else profile.platform.name
    return gettext(
        "Our %(platform)s profile has no guaranteed stop: a stop there is an ordinary order, "
        "which in a gap fills at the gap price."
    ) % {"platform": name}


def load_platform(slug: str) -> Platform:
    platform = snapshot().platforms.get(slug)
    if platform is None:
        raise ProfileLookupError(
            "platform",
            gettext("We have no published profile called “%(slug)s”.") % {"slug": slug},
        )
    return platform


def resolve(
    platform: Platform, *, contract: str, margin_mode: str, scope: str | None = None
) -> ResolvedProfile:
    """Pick the product line and scope: the one asked for, else the default retail scope.

    Memoised per snapshot: every redraw resolves the visitor's platform and each compared one.
    """
    key = ("resolve", platform.pk, str(contract), str(margin_mode), scope or "")
    return derived(
        key,
        lambda: _resolve(platform, contract=contract, margin_mode=margin_mode, scope=scope),
    )


def _resolve(
    platform: Platform, *, contract: str, margin_mode: str, scope: str | None = None
) -> ResolvedProfile:
    lines = [line for line in platform.product_lines.all() if line.contract == contract]
    if scope:
        found = find_scope(platform, scope)
        if found is not None:
            line = found.product_line
            if line.contract != contract:
                raise ProfileLookupError(
                    "scope",
                    gettext("“%(scope)s” is %(account)s, not %(contract)s.")
                    % {
                        "scope": scope,
                        "account": CONTRACT_ACCOUNTS[line.contract],
                        "contract": CONTRACT_SHORT.get(contract, contract),
                    },
                )
            return _resolved(platform, line, found)
        choices = ", ".join(
            scope_key(s) for line in platform.product_lines.all() for s in line.scopes.all()
        )
        raise ProfileLookupError(
            "scope",
            gettext("%(platform)s has no account scope “%(scope)s”. Choose one of: %(choices)s.")
            % {"platform": platform.name, "scope": scope, "choices": choices},
        )
    if not lines:
        offered = sorted(
            {_in_sentence(line.get_contract_display()) for line in platform.product_lines.all()}
        )
        words = {
            "platform": platform.name,
            "contract": CONTRACT_SHORT.get(contract, contract),
            "products": ", ".join(offered),
        }
        if not offered:
            message = gettext("Our %(platform)s profile has no %(contract)s product.") % words
        else:
            message = (
                ngettext(
                    "Our %(platform)s profile has no %(contract)s product; its product: "
                    "%(products)s.",
                    "Our %(platform)s profile has no %(contract)s product; its products: "
                    "%(products)s.",
                    len(offered),
                )
                % words
            )
        raise ProfileLookupError("contract", message)
    candidates = [(index, line, s) for index, line in enumerate(lines) for s in line.scopes.all()]
    if not candidates:
        raise ProfileLookupError(
            "scope",
            gettext("Our %(platform)s profile has no account scope for this product yet.")
            % {"platform": platform.name},
        )
    # The retail default in the asked margin mode wins; the product line order breaks ties.
    _, line, best = min(
        candidates,
        key=lambda c: (
            c[2].margin_mode != margin_mode,
            not c[2].is_default,
            c[2].client_class not in ("retail", "any"),
            c[0],
        ),
    )
    return _resolved(platform, line, best)


def find_scope(platform: Platform, key: str | None) -> AccountScope | None:
    """The platform's account scope called `key` (see `scope_key`), or None. Its product line
    comes with it, from the snapshot's prefetch."""
    for line in platform.product_lines.all():
        for candidate in line.scopes.all():
            if scope_key(candidate) == key:
                return candidate
    return None


def _in_sentence(label: str) -> str:
    """A choice label inside a sentence: "Linear (USDT/USDC-margined) futures" reads "linear
    (USDT/USDC-margined) futures", not "(usdt/usdc-margined)"."""
    return label[:1].lower() + label[1:]


def _resolved(platform: Platform, line: ProductLine, scope: AccountScope) -> ResolvedProfile:
    tiers = list(line.tiers.all())
    return ResolvedProfile(
        platform=platform,
        product_line=line,
        scope=scope,
        tier_symbol=tiers[0].symbol if tiers else None,
    )


def engine_tiers(line: ProductLine, symbol: str | None) -> tuple[Tier, ...]:
    """The newest table for the symbol (tiers are prefetched newest first per symbol)."""
    rows = [t for t in line.tiers.all() if t.symbol == symbol]
    if not rows:
        return ()
    newest = rows[0].effective_date
    return tier_table(t for t in rows if t.effective_date == newest)


class TierRow(Protocol):
    """A stored tier: a product line's `MarginTier`, or a market's own."""

    @property
    def notional_floor(self) -> Decimal: ...
    @property
    def notional_cap(self) -> Decimal | None: ...
    @property
    def maintenance_margin_rate(self) -> Decimal: ...
    @property
    def maintenance_amount(self) -> Decimal: ...
    @property
    def max_leverage(self) -> Decimal | None: ...


def tier_table(rows: Iterable[TierRow]) -> tuple[Tier, ...]:
    """Stored tier rows as the engine's table, from the lowest notional up."""
    return tuple(
        Tier(
            notional_floor=t.notional_floor,
            notional_cap=t.notional_cap,
            maintenance_margin_rate=t.maintenance_margin_rate,
            maintenance_amount=t.maintenance_amount,
            max_leverage=t.max_leverage,
        )
        for t in sorted(rows, key=lambda t: t.notional_floor)
    )


def rules_for(profile: ResolvedProfile) -> Rules:
    """The engine's view of a product line and scope, before any visitor overrides (memoised
    per snapshot: Rules are immutable)."""
    memo = snapshot().rules
    rules = memo.get(profile.scope.pk)
    if rules is None:
        rules = memo[profile.scope.pk] = _build_rules(profile)
    return rules


def _build_rules(profile: ResolvedProfile) -> Rules:
    line = profile.product_line
    return Rules(
        tiers=engine_tiers(line, profile.tier_symbol),
        maintenance_margin_rate=line.maintenance_margin_rate,
        maintenance_basis=MaintenanceBasis(line.maintenance_basis),
        max_leverage=line.max_leverage,
        mmr_from_max_leverage=line.mmr_from_max_leverage,
        taker_fee=line.taker_fee or ZERO,
        taker_fee_in_maintenance=line.taker_fee_in_maintenance,
        liquidation_fee=line.liquidation_fee or ZERO,
        fees_from_margin=line.fees_from_margin,
        close_fee_reserved=line.close_fee_reserved,
        close_fee_in_maintenance=line.close_fee_in_maintenance,
        cross_margin_sharing=CrossMarginSharing(line.cross_margin_sharing),
        partial_liquidation=line.partial_liquidation,
        unchecked=tuple(Convention(name) for name in line.conventions_unchecked or ()),
        settles_at_bankruptcy=line.settlement == LiquidationSettlement.BANKRUPTCY_PRICE,
        funding_interval_hours=line.funding_interval_hours or Decimal(8),
        borrow_rate_yearly=line.borrow_rate_yearly or ZERO,
        liquidation_margin_level=line.liquidation_margin_level,
        used_margin_leverage=line.used_margin_leverage,
        liquidation_threshold=line.liquidation_threshold,
        liquidation_penalty=line.liquidation_penalty or ZERO,
        waterfall=tuple(
            CoverageStep(party=Party(step.party)) for step in profile.scope.waterfall.all()
        ),
        negative_balance_protection=profile.scope.is_protected,
    )
