"""Writes what an importer read, through the same rules as the admin.

Each market is checked whole before anything is written: the model's full_clean() (field
validators, constraints, clean()) and the tier-table rule the admin applies
(platforms.models.tier_table_errors: first floor 0, no gaps or overlaps, rates never falling). A
market that fails is refused whole and reported; the others go ahead, each in its own
transaction. A field an admin pinned is never overwritten: a different value is reported as a
conflict. Each write is recorded in the history with the import as its reason, and the policy
version is bumped once at the end; quotes (mark price, funding rate) are written without either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from markets.importers.base import Importer, MarketReading, TierRow
from markets.models import GROUP_FIELDS, ImportRun, Market, MarketQuote, MarketTier
from markets.signals import one_bump
from platforms.models import Platform, tier_table_errors

TIER_FIELDS = (
    "notional_floor",
    "notional_cap",
    "max_leverage",
    "maintenance_margin_rate",
    "maintenance_amount",
)


@dataclass
class MarketChange:
    symbol: str
    action: str = "unchanged"  # "created", "updated", "unchanged", "refused"
    diff: list[tuple[str, Any, Any]] = field(default_factory=list)
    tiers_before: int = 0
    tiers_after: int | None = None  # None: the table is not changed
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = f"{self.action:9} {self.symbol}"
        out = [head]
        out += [f"    {name}: {_show(old)} → {_show(new)}" for name, old, new in self.diff]
        if self.tiers_after is not None:
            out.append(f"    tiers: {self.tiers_before} rows → {self.tiers_after} rows (new table)")
        out += [f"    conflict: {text}" for text in self.conflicts]
        out += [f"    refused: {text}" for text in self.errors]
        out += [f"    warning: {text}" for text in self.warnings]
        return out


@dataclass
class ImportReport:
    platform: str
    mode: str
    dry_run: bool
    sources: list[str]
    changes: list[MarketChange] = field(default_factory=list)
    run: ImportRun | None = None

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def conflicts(self) -> list[str]:
        return [f"{c.symbol}: {text}" for c in self.changes for text in c.conflicts]

    @property
    def refused(self) -> list[str]:
        return [f"{c.symbol}: {'; '.join(c.errors)}" for c in self.changes if c.errors]

    def summary(self) -> str:
        verb = "would create" if self.dry_run else "created"
        return (
            f"{self.platform} ({self.mode}{', dry run: nothing written' if self.dry_run else ''}): "
            f"{verb} {self.count('created')}, updated {self.count('updated')}, unchanged "
            f"{self.count('unchanged')}, refused {self.count('refused')}, "
            f"{len(self.conflicts)} conflict(s) with pinned fields."
        )


def run_import(importer: Importer, *, from_recording: bool, dry_run: bool) -> ImportReport:
    """Read (live or from the shipped recording) and apply; ImportUnavailable changes nothing."""
    mode = ImportRun.Mode.RECORDING if from_recording else ImportRun.Mode.LIVE
    if from_recording:
        readings, sources = importer.from_recordings()
    else:
        readings, sources = importer.from_platform()
    return apply_readings(
        importer.platform_slug, readings, sources=sources, mode=mode, dry_run=dry_run
    )


def apply_readings(
    platform_slug: str,
    readings: list[MarketReading],
    *,
    sources: list[str],
    mode: str,
    dry_run: bool = False,
) -> ImportReport:
    platform = Platform.objects.get(slug=platform_slug)
    lines = {line.slug: line for line in platform.product_lines.all()}
    report = ImportReport(platform_slug, mode, dry_run, sources)
    run = None
    if not dry_run:
        run = ImportRun.objects.create(
            platform_slug=platform_slug, mode=mode, sources="\n".join(sources)
        )
    # The history's reason holds 100 characters: it names the run, which lists its sources.
    reason = f"import_markets {platform_slug} ({mode}), run {run.pk if run else '(dry run)'}"
    with one_bump():
        for reading in readings:
            line = lines.get(reading.product_line)
            if line is None:
                change = MarketChange(reading.symbol, "refused")
                change.errors.append(
                    f"{platform.name} has no product line “{reading.product_line}” in our profile."
                )
                report.changes.append(change)
                continue
            try:
                with transaction.atomic():
                    change = _apply_one(line, reading, reason=reason, dry_run=dry_run)
            except ValidationError as error:
                change = MarketChange(reading.symbol, "refused", errors=_messages(error))
            report.changes.append(change)
    if run is not None:
        run.finished_at = timezone.now()
        run.succeeded = True
        run.created = report.count("created")
        run.updated = report.count("updated")
        run.unchanged = report.count("unchanged")
        run.refused = "\n".join(report.refused)
        run.conflicts = "\n".join(report.conflicts)
        run.save()
        report.run = run
    return report


def _apply_one(line, reading: MarketReading, *, reason: str, dry_run: bool) -> MarketChange:
    market = Market.objects.filter(product_line=line, symbol=reading.symbol).first()
    created = market is None
    if created:
        market = Market(product_line=line, symbol=reading.symbol)
    change = MarketChange(reading.symbol, warnings=list(reading.warnings))
    pinned = set(market.pinned_fields or ())

    # Policy values, group by group, with their source.
    read_times: dict[str, dt.datetime | None] = {}
    for group, names in GROUP_FIELDS.items():
        if group not in reading.read:
            continue
        for name in names:
            if name not in reading.values:
                continue
            old, new = getattr(market, name), reading.values[name]
            if _same(old, new):
                continue
            if name in pinned and not created:
                change.conflicts.append(
                    f"{name} is pinned at {_show(old)}; the platform says {_show(new)}."
                )
                continue
            change.diff.append((name, old, new))
            setattr(market, name, new)
        _set_source(market, change, group, reading)
        read_times[group] = reading.read[group].read_at

    # The tier table, whole.
    new_tiers: list[MarketTier] | None = None
    if reading.tiers is not None and "tiers" in reading.read:
        old_rows = [] if created else [_row(t) for t in market.tiers.order_by("notional_floor")]
        change.tiers_before = len(old_rows)
        wanted = [_row(t) for t in reading.tiers]
        if old_rows != wanted:
            if "tiers" in pinned and not created:
                change.conflicts.append(
                    f"the tier table is pinned ({len(old_rows)} rows); the platform's has "
                    f"{len(wanted)} rows, different."
                )
            else:
                new_tiers = [MarketTier(market=market, **_fields(t)) for t in reading.tiers]
                change.tiers_after = len(new_tiers)
        _set_source(market, change, "tiers", reading)
        read_times["tiers"] = reading.read["tiers"].read_at

    market.from_snapshot = all(r.source.startswith("snapshot") for r in reading.read.values())
    # The same checks as the admin's, on the whole market, before anything is written.
    market.full_clean()
    if new_tiers is not None:
        errors = []
        for tier in new_tiers:
            try:
                tier.full_clean(exclude=["market"])
            except ValidationError as error:
                errors += [f"tier from {tier.notional_floor}: {m}" for m in _messages(error)]
        errors += tier_table_errors(new_tiers)
        if errors:
            raise ValidationError(errors)

    change.action = (
        "created" if created else ("updated" if change.diff or new_tiers else "unchanged")
    )
    if dry_run:
        return change

    if created or change.diff:
        market._change_reason = reason
        for group, read_at in read_times.items():
            setattr(market, f"{group}_read_at", read_at)
        market.save()
    else:
        # Read again, nothing changed: refresh the times only (no history entry, no version bump).
        Market.objects.filter(pk=market.pk).update(
            **{f"{group}_read_at": read_at for group, read_at in read_times.items()},
            **{f"{g}_source": getattr(market, f"{g}_source") for g in read_times},
            from_snapshot=market.from_snapshot,
        )
    if new_tiers is not None:
        for old in market.tiers.all():
            old._change_reason = reason
            old.delete()
        for tier in new_tiers:
            tier.market = market
            tier._change_reason = reason
            tier.save()
    if "quote" in reading.read and (
        reading.mark_price is not None or reading.funding_rate is not None
    ):
        MarketQuote.objects.update_or_create(
            market=market,
            defaults={
                "mark_price": reading.mark_price,
                "funding_rate": reading.funding_rate,
                "source": reading.read["quote"].source,
                "read_at": reading.read["quote"].read_at,
            },
        )
    return change


def _set_source(market: Market, change: MarketChange, group: str, reading: MarketReading) -> None:
    source = reading.read[group].source
    if getattr(market, f"{group}_source") != source:
        setattr(market, f"{group}_source", source)


def _row(tier: MarketTier | TierRow) -> tuple:
    return tuple(_norm(getattr(tier, name)) for name in TIER_FIELDS)


def _fields(tier: TierRow) -> dict[str, Any]:
    return {name: getattr(tier, name) for name in TIER_FIELDS}


def _norm(value: Any) -> Any:
    return value.normalize() if isinstance(value, Decimal) else value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is new
        return Decimal(old) == Decimal(new)
    return (old or "") == (new or "") if isinstance(new, str) else old == new


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{name}: {m}" for name, ms in error.message_dict.items() for m in ms]
    return list(error.messages)
