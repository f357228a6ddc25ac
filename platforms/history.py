"""Every recorded change to one platform's policy data: its own, and its product lines', tiers',
scopes', waterfall steps' and citations' (django-simple-history keeps one table per model).

Related records are found through their history, not the live rows, so a row deleted since
(a tier an admin removed, a profile the seed replaced under the same platform id) still shows.
Used by the platform's History page in the admin and by `seed_profiles --reset`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from platforms.models import (
    AccountScope,
    Citation,
    MarginTier,
    Platform,
    ProductLine,
    WaterfallStep,
)

CHANGE_WORDS = {"+": "Added", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    """One historical record, in words for the History page."""

    date: dt.datetime
    kind: str  # the model's verbose name: "margin tier", "citation", …
    label: str  # which one: "BTCUSDT 0–50,000", a scope's slug, a citation's URL…
    action: str  # Added / Changed / Deleted
    user: Any
    reason: str
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, old, new)


def related_histories(platform_id: int) -> list:
    """Querysets of the historical records of everything that belongs to the platform (not
    its own: the History page lists those already)."""
    lines = ProductLine.history.filter(platform_id=platform_id)
    line_ids = set(lines.values_list("id", flat=True))
    scopes = AccountScope.history.filter(product_line_id__in=line_ids)
    scope_ids = set(scopes.values_list("id", flat=True))
    steps = WaterfallStep.history.filter(scope_id__in=scope_ids)
    step_ids = set(steps.values_list("id", flat=True))
    types = ContentType.objects.get_for_models(Platform, ProductLine, AccountScope, WaterfallStep)
    subjects = Q(content_type=types[Platform], object_id=platform_id)
    for model, ids in (
        (ProductLine, line_ids),
        (AccountScope, scope_ids),
        (WaterfallStep, step_ids),
    ):
        if ids:
            subjects |= Q(content_type=types[model], object_id__in=ids)
    return [
        lines,
        MarginTier.history.filter(product_line_id__in=line_ids),
        scopes,
        steps,
        Citation.history.filter(subjects),
    ]


def all_histories(platform_id: int) -> list:
    return [Platform.history.filter(id=platform_id), *related_histories(platform_id)]


def edited_by_people_since_seeded(platform_id: int) -> bool:
    """Whether someone (a logged-in admin, not the seed) changed this platform's policy data
    since the seed last created it."""
    seeded = (
        Platform.history.filter(id=platform_id, history_type="+", history_user__isnull=True)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    for records in all_histories(platform_id):
        edits = records.filter(history_user__isnull=False)
        if seeded is not None:
            edits = edits.filter(history_date__gt=seeded)
        if edits.exists():
            return True
    return False


def related_changes(platform_id: int) -> list[Change]:
    """The changes to the platform's related records, newest first, each with what changed
    against the same record's previous version."""
    changes: list[Change] = []
    for records in related_histories(platform_id):
        previous: dict[int, Any] = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            changes.append(
                Change(
                    date=record.history_date,
                    kind=str(record.instance_type._meta.verbose_name),
                    label=_label(record),
                    action=CHANGE_WORDS.get(record.history_type, record.history_type),
                    user=record.history_user,
                    reason=record.history_change_reason or "",
                    fields=[
                        (c.field.replace("_", " "), c.old, c.new)
                        for c in (
                            record.diff_against(before).changes
                            if before is not None and record.history_type == "~"
                            else []
                        )
                    ],
                )
            )
            previous[record.id] = record
    changes.sort(key=lambda change: change.date, reverse=True)
    return changes


def _label(record) -> str:
    """A name for a historical record from its own fields (the models' __str__ would read
    their parents, one query per record)."""
    model = record.instance_type
    if model is ProductLine:
        return record.name
    if model is AccountScope:
        return f"{record.slug} ({record.margin_mode}, {record.client_class})"
    if model is Citation:
        return record.title or record.url
    if model is WaterfallStep:
        return f"step {record.order}: {record.party}"
    return str(record.instance)
