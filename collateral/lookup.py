"""Reading collateral schemes for the engine: one place, so the form and the API agree."""

from __future__ import annotations

from collections import defaultdict

from engine.collateral import CollateralRule, RatioTier, TieredBy

from .models import CollateralScheme, SchemeKind


def default_scheme(platform_slug: str) -> CollateralScheme | None:
    """The scheme the calculator uses for a platform; None where it offers no multi-asset
    collateral (or we have not stored it)."""
    return (
        CollateralScheme.objects.filter(
            platform__slug=platform_slug, platform__is_published=True, is_default=True
        )
        .exclude(kind=SchemeKind.LENDING)
        .prefetch_related("ratios")
        .first()
    )


def lending_scheme(platform_slug: str) -> CollateralScheme | None:
    """A lender's liquidation rules (close factor) and per-asset thresholds, where stored."""
    return (
        CollateralScheme.objects.filter(
            platform__slug=platform_slug, platform__is_published=True, kind=SchemeKind.LENDING
        )
        .prefetch_related("ratios")
        .first()
    )


def rules_for(scheme: CollateralScheme) -> dict[str, CollateralRule]:
    tiers: dict[str, list[RatioTier]] = defaultdict(list)
    for row in scheme.ratios.all():
        tiers[row.asset.upper()].append(RatioTier(row.floor, row.cap, row.ratio))
    return {
        asset: CollateralRule(
            asset=asset,
            tiers=tuple(sorted(rows, key=lambda tier: tier.floor)),
            tiered_by=TieredBy(scheme.tiered_by),
            beyond_last=scheme.beyond_last_ratio,
        )
        for asset, rows in tiers.items()
    }


def platforms_with_collateral() -> list[str]:
    """Slugs of the platforms whose page shows the collateral-assets input."""
    return sorted(
        CollateralScheme.objects.filter(is_default=True, platform__is_published=True)
        .exclude(kind=SchemeKind.LENDING)
        .values_list("platform__slug", flat=True)
        .distinct()
    )
