"""Loads the JSON profiles in seed/profiles/ into the database, all or nothing per run.

Each file is one platform (schema: the files themselves and README "Where the numbers come from").
Every row goes through full_clean(), so seed data obeys the same rules as the admin.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from platforms.models import (
    PRODUCT_LINE_SECTIONS,
    AccountScope,
    Citation,
    MarginTier,
    Platform,
    ProductLine,
    WaterfallStep,
    tier_table_errors,
)
from platforms.signals import policy_data_changed

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

PLATFORM_FIELDS = (
    "name",
    "kind",
    "website",
    "summary",
    "jurisdiction",
    "source_url",
    "last_verified",
    "is_illustrative",
)
PRODUCT_FIELDS = (
    "name",
    "contract",
    "settlement_asset",
    *(
        name
        for _title, fields in PRODUCT_LINE_SECTIONS
        for row in fields
        for name in ((row,) if isinstance(row, str) else row)
    ),
)
SCOPE_FIELDS = (
    "margin_mode",
    "client_class",
    "jurisdiction",
    "is_default",
    "protection",
    "max_loss",
    "exceptions",
)
STEP_FIELDS = ("party", "description", "settlement_price")
CITATION_FIELDS = (
    "field_name",
    "url",
    "title",
    "quote",
    "source_date",
    "date_kind",
    "date_note",
    "confidence",
    "is_inference",
    "note",
)


class SeedError(Exception):
    """A seed file breaks a model rule; the message names the file and the record."""


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)  # existing, given parts they lacked


def profile_files(directory: Path = PROFILES_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def derived_maintenance_amounts(rows: list[list[Any]]) -> list[Decimal]:
    """Fill missing maintenance amounts so maintenance margin is continuous at each boundary.

    Exchanges publish this column computed as cum_i = cum_(i-1) + floor_i × (mmr_i − mmr_(i-1))
    (Binance "Leverage and Margin" tables); a seed row with null gets the same number.
    """
    amounts: list[Decimal] = []
    for index, (floor, _cap, _lev, mmr, amount) in enumerate(rows):
        if amount is not None:
            amounts.append(Decimal(amount))
        elif index == 0:
            amounts.append(Decimal(0))
        else:
            previous_mmr = Decimal(rows[index - 1][3])
            amounts.append(amounts[-1] + Decimal(floor) * (Decimal(mmr) - previous_mmr))
    return amounts


def load_profiles(files: Iterable[Path] | None = None, *, reset: bool = False) -> SeedReport:
    """Create the platforms in `files` that do not exist yet (or replace them all with reset).

    Existing platforms are left alone by default so that an admin's edits survive `make run`.
    """
    report = SeedReport()
    with transaction.atomic():
        for path in files if files is not None else profile_files():
            data = json.loads(path.read_text(encoding="utf-8"))
            slug = data["slug"]
            existing = Platform.objects.filter(slug=slug).first()
            if existing and not reset:
                report.skipped.append(slug)
                continue
            # the same id: the platform's History page goes on from its old records
            keep_id = existing.pk if existing else None
            if existing:
                _delete_profile(existing)
            try:
                _create_platform(data, pk=keep_id)
            except ValidationError as error:
                raise SeedError(f"{path.name}: {error}") from error
            report.created.append(slug)
    if report.created:
        # bulk-created tiers send no signals: tell cached snapshots the data changed
        policy_data_changed()
    return report


def _delete_profile(platform: Platform) -> None:
    """Remove a platform, its children and their citations (generic relations do not cascade)."""
    lines = list(platform.product_lines.all())
    scopes = list(AccountScope.objects.filter(product_line__in=lines))
    steps = list(WaterfallStep.objects.filter(scope__in=scopes))
    for objects in ([platform], lines, scopes, steps):
        for obj in objects:
            obj.citations.all().delete()
    platform.delete()


ModelT = TypeVar("ModelT", bound=models.Model)


def save_clean(obj: ModelT, label: str) -> ModelT:
    """full_clean() then save; a failure names the record, so a seed file's error is findable."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ValidationError(f"{label}: {error.message_dict}") from error
    obj.save()
    return obj


def pick(data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: data[name] for name in names if name in data and data[name] is not None}


def add_citations(
    subject: models.Model, citations: list[dict[str, Any]], label: str
) -> list[Citation]:
    """Save each citation of `subject`, checked like every other row; returns them."""
    return [
        save_clean(
            Citation(subject=subject, **pick(item, CITATION_FIELDS)), f"{label} citation {number}"
        )
        for number, item in enumerate(citations, start=1)
    ]


def save_cited(obj: ModelT, label: str, citations: list[dict[str, Any]]) -> ModelT:
    """`save_clean`, then the record's citations, checked the same way."""
    save_clean(obj, label)
    add_citations(obj, citations, label)
    return obj


def _create_platform(data: dict[str, Any], *, pk: int | None = None) -> None:
    slug = data["slug"]
    platform = save_cited(
        Platform(pk=pk, slug=slug, is_published=True, **pick(data, PLATFORM_FIELDS)),
        slug,
        data.get("citations", []),
    )
    for line_data in data.get("product_lines", []):
        label = f"{slug}/{line_data['slug']}"
        line = save_cited(
            ProductLine(
                platform=platform, slug=line_data["slug"], **pick(line_data, PRODUCT_FIELDS)
            ),
            label,
            line_data.get("citations", []),
        )
        _create_tiers(line, line_data.get("tiers", []), label)
        for scope_data in line_data.get("scopes", []):
            scope_label = f"{label}/{scope_data['slug']}"
            scope = save_cited(
                AccountScope(
                    product_line=line, slug=scope_data["slug"], **pick(scope_data, SCOPE_FIELDS)
                ),
                scope_label,
                scope_data.get("citations", []),
            )
            for order, step_data in enumerate(scope_data.get("waterfall", []), start=1):
                save_cited(
                    WaterfallStep(scope=scope, order=order, **pick(step_data, STEP_FIELDS)),
                    f"{scope_label} step {order}",
                    step_data.get("citations", []),
                )


def _create_tiers(line: ProductLine, tables: list[dict[str, Any]], label: str) -> None:
    created: list[MarginTier] = []
    for table in tables:
        amounts = derived_maintenance_amounts(table["rows"])
        for (floor, cap, max_leverage, mmr, _amount), amount in zip(
            table["rows"], amounts, strict=True
        ):
            tier = MarginTier(
                product_line=line,
                symbol=table["symbol"],
                effective_date=table["effective_date"],
                notional_floor=Decimal(floor),
                notional_cap=None if cap is None else Decimal(cap),
                max_leverage=Decimal(max_leverage),
                maintenance_margin_rate=Decimal(mmr),
                maintenance_amount=amount,
            )
            tier.full_clean(exclude=["product_line"])
            created.append(tier)
        # Tier tables cite their source once, on the product line, with field_name "tiers".
        add_citations(
            line, [dict(c, field_name="tiers") for c in table.get("citations", [])], label
        )
    problems = tier_table_errors(created)
    if problems:
        raise ValidationError(f"{label} tiers: {'; '.join(problems)}")
    bulk_create_with_history(created, MarginTier)
