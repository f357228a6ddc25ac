"""Loads the who-pays data in seed/data/ (ADL rules, insurance funds with dated balances,
residence rules, platforms' terms on residences), all or nothing per run.

Rows point at platforms by slug; a platform that is not seeded is skipped, so this runs after
`seed_profiles`. Every row goes through full_clean() (platforms.seed.loader.save_clean), like
the profiles. Existing rows are left alone, so an admin's edits survive `make run`; `reset`
replaces them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from platforms.models import Citation, Platform
from platforms.seed.loader import SeedError, pick, save_cited
from whopays.models import (
    WHO_PAYS_MODELS,
    AdlRule,
    FundBalance,
    InsuranceFund,
    PlatformResidence,
    ResidenceRule,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

ADL_FIELDS = (
    "ranking",
    "ranking_formula",
    "indicator",
    "positions_public",
    "trigger",
    "trigger_note",
    "pool_loss_threshold",
    "loss_window_hours",
    "close_price",
    "close_note",
    "last_verified",
)
FUND_FIELDS = ("name", "kind", "covers", "symbols", "currency", "note")
BALANCE_FIELDS = ("amount", "as_of", "is_approximate")
RESIDENCE_RULE_FIELDS = (
    "regulator",
    "protection",
    "leverage_cap",
    "margin_close_out",
    "applies_to",
    "answer",
    "uncertainty",
    "in_force_from",
)
PLATFORM_RESIDENCE_FIELDS = ("serves", "note")


@dataclass
class WhoPaysReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _read(name: str, directory: Path) -> list[dict[str, Any]]:
    return json.loads((directory / name).read_text(encoding="utf-8"))


def _delete_all() -> None:
    """Remove every who-pays row and the citations on them (generic relations do not cascade)."""
    for model in WHO_PAYS_MODELS:
        Citation.objects.filter(
            content_type__app_label="whopays", content_type__model=model._meta.model_name
        ).delete()
    for model in (FundBalance, InsuranceFund, AdlRule, PlatformResidence, ResidenceRule):
        model.objects.all().delete()


def load_who_pays(directory: Path = DATA_DIR, *, reset: bool = False) -> WhoPaysReport:
    report = WhoPaysReport()
    platforms = {p.slug: p for p in Platform.objects.all()}
    with transaction.atomic():
        if reset:
            _delete_all()
        try:
            _load(directory, platforms, report)
        except ValidationError as error:
            raise SeedError(str(error)) from error
    return report


def _load(directory: Path, platforms: dict[str, Platform], report: WhoPaysReport) -> None:
    for item in _read("adl_rules.json", directory):
        label = f"adl {item['platform']}"
        platform = platforms.get(item["platform"])
        if platform is None or AdlRule.objects.filter(platform=platform).exists():
            report.skipped.append(label)
            continue
        save_cited(AdlRule(platform=platform, **pick(item, ADL_FIELDS)), label, item["citations"])
        report.created.append(label)
    for item in _read("insurance_funds.json", directory):
        label = f"fund {item['platform']}/{item['slug']}"
        platform = platforms.get(item["platform"])
        if (
            platform is None
            or InsuranceFund.objects.filter(platform=platform, slug=item["slug"]).exists()
        ):
            report.skipped.append(label)
            continue
        fund = save_cited(
            InsuranceFund(platform=platform, slug=item["slug"], **pick(item, FUND_FIELDS)),
            label,
            item["citations"],
        )
        for balance in item.get("balances", []):
            save_cited(
                FundBalance(fund=fund, **pick(balance, BALANCE_FIELDS)),
                f"{label} balance {balance['as_of']}",
                balance["citations"],
            )
        report.created.append(label)
    for item in _read("residence_rules.json", directory):
        label = f"residence {item['residence']}/{item['client_class']}"
        if ResidenceRule.objects.filter(
            residence=item["residence"], client_class=item["client_class"]
        ).exists():
            report.skipped.append(label)
            continue
        rule = ResidenceRule(
            residence=item["residence"],
            client_class=item["client_class"],
            **pick(item, RESIDENCE_RULE_FIELDS),
        )
        save_cited(rule, label, item["citations"])
        report.created.append(label)
    for item in _read("platform_residences.json", directory):
        label = f"terms {item['platform']}/{item['residence']}"
        platform = platforms.get(item["platform"])
        if (
            platform is None
            or PlatformResidence.objects.filter(
                platform=platform, residence=item["residence"]
            ).exists()
        ):
            report.skipped.append(label)
            continue
        save_cited(
            PlatformResidence(
                platform=platform,
                residence=item["residence"],
                **pick(item, PLATFORM_RESIDENCE_FIELDS),
            ),
            label,
            item["citations"],
        )
        report.created.append(label)
