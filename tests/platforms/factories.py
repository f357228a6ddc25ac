"""Small builders for valid profile rows; each test changes only what it is about."""

import datetime as dt
from decimal import Decimal

from platforms.models import AccountScope, MarginTier, Platform, ProductLine


def platform(**overrides) -> Platform:
    values = {
        "slug": "acme",
        "name": "Acme Exchange",
        "kind": "exchange",
        "summary": "A test platform.",
        "source_url": "https://acme.example/insurance-fund",
        "last_verified": dt.date(2026, 11, 1),
        "is_published": True,
    }
    values.update(overrides)
    return Platform.objects.create(**values)


def product_line(owner: Platform, *, save: bool = True, **overrides) -> ProductLine:
    values = {"slug": "perps", "name": "USDT perpetuals", "contract": "linear"}
    values.update(overrides)
    line = ProductLine(platform=owner, **values)
    if save:
        line.save()
    return line


def tier(line: ProductLine, floor: str, cap: str | None, mmr: str, **overrides) -> MarginTier:
    return MarginTier(
        product_line=line,
        symbol=overrides.pop("symbol", "BTCUSDT"),
        notional_floor=Decimal(floor),
        notional_cap=None if cap is None else Decimal(cap),
        max_leverage=Decimal(overrides.pop("max_leverage", "100")),
        maintenance_margin_rate=Decimal(mmr),
        effective_date=overrides.pop("effective_date", dt.date(2021, 3, 18)),
        **overrides,
    )


def scope(line: ProductLine, **overrides) -> AccountScope:
    values = {
        "slug": "retail-isolated",
        "margin_mode": "isolated",
        "client_class": "retail",
        "protection": "mechanism_only",
        "max_loss": "Your margin.",
        "is_default": True,
    }
    values.update(overrides)
    return AccountScope.objects.create(product_line=line, **values)
