"""Loads collateral schemes from the JSON files beside this module (one per platform), each
row checked with full_clean() and each fact with its citations (source, quote, date)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from platforms.models import Platform
from platforms.seed.loader import add_citations, pick, save_clean

from ..models import CollateralRatio, CollateralScheme

SEED_DIR = Path(__file__).resolve().parent
SCHEME_FIELDS = (
    "slug",
    "name",
    "kind",
    "tiered_by",
    "beyond_last_ratio",
    "minimum_collateral",
    "close_factor",
    "full_close_below",
    "is_default",
    "notes",
    "last_verified",
)
RATIO_FIELDS = ("asset", "floor", "cap", "ratio", "liquidation_threshold", "liquidation_bonus")


class CollateralSeedError(Exception):
    pass


def seed_files(directory: Path = SEED_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


@transaction.atomic
def load_schemes(files: list[Path] | None = None, *, reset: bool = False) -> tuple[int, int]:
    """(created, skipped). A scheme whose platform is not seeded yet is an error: run
    `seed_profiles` first."""
    created = skipped = 0
    for path in files if files is not None else seed_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        platform = Platform.objects.filter(slug=data["platform"]).first()
        if platform is None:
            raise CollateralSeedError(
                f"{path.name}: no platform {data['platform']!r}; run seed_profiles first."
            )
        for scheme_data in data["schemes"]:
            existing = CollateralScheme.objects.filter(
                platform=platform, slug=scheme_data["slug"]
            ).first()
            if existing is not None and not reset:
                skipped += 1
                continue
            if existing is not None:
                for row in existing.ratios.all():
                    row.citations.all().delete()
                existing.citations.all().delete()
                existing.delete()
            _create_scheme(platform, scheme_data, path.name)
            created += 1
    return created, skipped


def _create_scheme(platform: Platform, data: dict[str, Any], label: str) -> None:
    scheme = save_clean(
        CollateralScheme(platform=platform, **pick(data, SCHEME_FIELDS)), f"{label} scheme"
    )
    add_citations(scheme, data.get("citations", []), f"{label} {scheme.slug}")
    for number, row in enumerate(data["ratios"], start=1):
        ratio = save_clean(
            CollateralRatio(scheme=scheme, **pick(row, RATIO_FIELDS)), f"{label} ratio {number}"
        )
        add_citations(ratio, row.get("citations", []), f"{label} ratio {number}")
