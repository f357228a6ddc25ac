"""Loads the JSON incidents in seed/ into the database, all or nothing per run.

Same pattern as platforms.seed.loader: existing incidents are left alone (an admin's edits
survive `make run`) unless reset; every row goes through full_clean(); and every fact must
carry a citation, or the file is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from incidents.models import EngineStall, Impact, Incident, PricePoint
from platforms.models import Citation, Platform
from platforms.seed.loader import SeedError, SeedReport, add_citations, pick, save_clean

SEED_DIR = Path(__file__).resolve().parent

INCIDENT_FIELDS = (
    "name",
    "started_on",
    "ended_on",
    "asset",
    "what_happened",
    "move_size",
    "move_minutes",
    "move_note",
    "path_note",
    "path_asset",
)
POINT_FIELDS = ("minute", "clock", "time_is_approximate", "price", "gap", "note")
STALL_FIELDS = ("start_minute", "minutes", "clock", "what")
IMPACT_FIELDS = (
    "firm",
    "what_happened",
    "hole_amount",
    "hole_currency",
    "hole_measures",
    "size_as_reported",
    "covered_by",
    "users_billed",
    "users_billed_note",
)


def incident_files(directory: Path = SEED_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def facts_needing_citations(obj: Incident | Impact | PricePoint | EngineStall) -> set[str]:
    """The fields that state a sourced fact on this record (each needs a citation)."""
    if isinstance(obj, PricePoint):
        return {"price"}
    if isinstance(obj, EngineStall):
        return {"start_minute", "minutes"}
    if isinstance(obj, Incident):
        needed = {"what_happened"}
        if obj.move_size is not None:
            needed.add("move_size")
        if obj.move_minutes is not None:
            needed.add("move_minutes")
        return needed
    needed = {"covered_by", "users_billed"}
    needed.add("hole_amount" if obj.hole_amount is not None else "size_as_reported")
    return needed


def missing_citations(
    obj: Incident | Impact | PricePoint | EngineStall,
    citations: Iterable[Citation] | None = None,
) -> set[str]:
    cited = {c.field_name for c in (obj.citations.all() if citations is None else citations)}
    if "hole_amount" in cited or "size_as_reported" in cited:
        cited |= {"hole_amount", "size_as_reported"}
    return facts_needing_citations(obj) - cited


def load_incidents(files: Iterable[Path] | None = None, *, reset: bool = False) -> SeedReport:
    report = SeedReport()
    platforms = {p.slug: p for p in Platform.objects.all()}
    with transaction.atomic():
        for path in files if files is not None else incident_files():
            data = json.loads(path.read_text(encoding="utf-8"))
            slug = data["slug"]
            existing = Incident.objects.filter(slug=slug).first()
            if existing and not reset:
                try:
                    added = _complete(existing, data, platforms)
                except ValidationError as error:
                    raise SeedError(f"{path.name}: {error}") from error
                (report.completed if added else report.skipped).append(slug)
                continue
            if existing:
                delete_incident(existing)
            try:
                _create(data, platforms)
            except ValidationError as error:
                raise SeedError(f"{path.name}: {error}") from error
            report.created.append(slug)
    return report


def delete_incident(incident: Incident) -> None:
    """Remove an incident, its impacts and their citations (generic relations do not cascade)."""
    for impact in incident.impacts.all():
        impact.citations.all().delete()
    for point in incident.path.all():
        point.citations.all().delete()
    for stall in incident.engine_stalls.all():
        stall.citations.all().delete()
    incident.citations.all().delete()
    incident.delete()


def _cite(
    subject: Incident | Impact | PricePoint | EngineStall,
    citations: list[dict[str, Any]],
    label: str,
) -> None:
    made = add_citations(subject, citations, label)
    missing = missing_citations(subject, made)
    if missing:
        raise ValidationError(f"{label}: no citation for {', '.join(sorted(missing))}")


def _create(data: dict[str, Any], platforms: dict[str, Platform]) -> None:
    slug = data["slug"]
    incident = save_clean(Incident(slug=slug, **pick(data, INCIDENT_FIELDS)), slug)
    incident.platforms.set([platforms[s] for s in data.get("platforms", []) if s in platforms])
    _cite(incident, data.get("citations", []), slug)
    for order, impact_data in enumerate(data.get("impacts", []), start=1):
        label = f"{slug} impact {order}"
        impact = save_clean(
            Impact(
                incident=incident,
                order=order,
                platform=platforms.get(impact_data.get("platform") or ""),
                **pick(impact_data, IMPACT_FIELDS),
            ),
            label,
        )
        _cite(impact, impact_data.get("citations", []), label)
    _create_path(incident, data.get("path", []), slug)
    _create_stalls(incident, data, platforms)


def _complete(incident: Incident, data: dict[str, Any], platforms: dict[str, Platform]) -> bool:
    """Give an incident seeded before paths and engine stalls existed the ones its file now has,
    leaving everything an admin may have edited alone; True if anything was added."""
    added = False
    if data.get("path") and not incident.path.exists():
        _create_path(incident, data["path"], incident.slug)
        added = True
    if data.get("engine_stalls") and not incident.engine_stalls.exists():
        _create_stalls(incident, data, platforms)
        added = True
    return added


def _create_stalls(
    incident: Incident, data: dict[str, Any], platforms: dict[str, Platform]
) -> None:
    slug = incident.slug
    for order, stall_data in enumerate(data.get("engine_stalls", []), start=1):
        label = f"{slug} engine stall {order}"
        platform = platforms.get(stall_data.get("platform") or "")
        if platform is None:
            raise ValidationError(f"{label}: no platform {stall_data.get('platform')!r}")
        stall = save_clean(
            EngineStall(incident=incident, platform=platform, **pick(stall_data, STALL_FIELDS)),
            label,
        )
        _cite(stall, stall_data.get("citations", []), label)


def _create_path(incident: Incident, points: list[dict[str, Any]], slug: str) -> None:
    """Each published price with its source; minutes never go back (a path is in time order)."""
    previous = None
    for order, point_data in enumerate(points, start=1):
        label = f"{slug} price {order}"
        point = save_clean(
            PricePoint(incident=incident, order=order, **pick(point_data, POINT_FIELDS)), label
        )
        if previous is not None and point.minute < previous:
            raise ValidationError(f"{label}: minutes go back")
        previous = point.minute
        _cite(point, point_data.get("citations", []), label)
    if len(points) == 1:
        raise ValidationError(f"{slug}: a path needs at least two prices")
