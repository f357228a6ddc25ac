"""The collateral-assets input: one field for the page, its links and the API.

On the page and in a query string it is text, `BTC:0.5@60000, USDT:1000`; in a JSON body it may
also be a list of objects, `[{"asset": "BTC", "amount": 0.5, "price": 60000}]`. A stablecoin
without a price counts at 1 USD; any other asset without a price is the coin being traded,
valued at the entry price and moving with the price.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django import forms

MAX_ASSETS = 10
MAX_AMOUNT = Decimal("1e13")
MAX_PRICE = Decimal("1e12")
STABLECOINS = frozenset({"USD", "USDT", "USDC", "FDUSD", "DAI", "USDE"})
ASSET = re.compile(r"^[A-Z0-9]{1,20}$")
ENTRY = re.compile(r"^\s*([A-Za-z0-9]{1,20})\s*:\s*([^@\s]+)\s*(?:@\s*(\S+))?\s*$")


@dataclass(frozen=True)
class AssetEntry:
    asset: str
    amount: Decimal
    price: Decimal | None  # None: a stablecoin at 1, or the traded coin at the entry price

    @property
    def is_traded_coin(self) -> bool:
        return self.price is None and self.asset not in STABLECOINS


def _number(text: Any, what: str, asset: str, limit: Decimal) -> Decimal:
    if isinstance(text, bool) or not isinstance(text, int | float | str):
        raise forms.ValidationError(f"{asset}: the {what} must be a number.")
    try:
        value = Decimal(repr(text) if isinstance(text, float) else str(text))
    except InvalidOperation:
        raise forms.ValidationError(f"{asset}: the {what} must be a number.") from None
    if not value.is_finite() or value <= 0:
        raise forms.ValidationError(f"{asset}: the {what} must be a number above zero.")
    if value > limit:
        raise forms.ValidationError(f"{asset}: the {what} cannot be above {limit:,f}.")
    return value


def _entry(asset: Any, amount: Any, price: Any) -> AssetEntry:
    if not isinstance(asset, str) or not ASSET.match(asset.strip().upper()):
        raise forms.ValidationError("Each asset is a ticker of letters and digits, e.g. BTC.")
    name = asset.strip().upper()
    return AssetEntry(
        name,
        _number(amount, "amount", name, MAX_AMOUNT),
        None if price in (None, "") else _number(price, "price", name, MAX_PRICE),
    )


class CollateralAssetsField(forms.CharField):
    """Parses the assets into `AssetEntry` rows; every mistake is a message on this field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[AssetEntry]:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return []
        reader = self._from_json if text.lstrip().startswith("[") else self._from_text
        entries = reader(text)
        if len(entries) > MAX_ASSETS:
            raise forms.ValidationError(f"At most {MAX_ASSETS} collateral assets.")
        names = [entry.asset for entry in entries]
        if len(set(names)) != len(names):
            raise forms.ValidationError("Give each asset once.")
        if sum(entry.is_traded_coin for entry in entries) > 1:
            raise forms.ValidationError(
                "Only the coin you trade may leave out its price: give the others' prices "
                "(e.g. ETH:2@3000)."
            )
        return entries

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def _from_text(self, text: str) -> list[AssetEntry]:
        entries = []
        for part in text.split(","):
            match = ENTRY.match(part)
            if not match:
                raise forms.ValidationError(
                    f"Could not read {part.strip()!r}: write ASSET:AMOUNT or "
                    "ASSET:AMOUNT@PRICE, e.g. BTC:0.5@60000, USDT:1000."
                )
            entries.append(_entry(*match.groups()))
        return entries

    def _from_json(self, text: str) -> list[AssetEntry]:
        try:
            items = json.loads(text)
        except ValueError:
            raise forms.ValidationError("Expected a list of {asset, amount, price}.") from None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise forms.ValidationError("Expected a list of {asset, amount, price}.")
        for item in items:
            unknown = set(item) - {"asset", "amount", "price"}
            if unknown:
                raise forms.ValidationError(f"Unknown key(s): {', '.join(sorted(unknown))}.")
            if "asset" not in item or "amount" not in item:
                raise forms.ValidationError("Each entry needs an asset and an amount.")
        return [_entry(item["asset"], item["amount"], item.get("price")) for item in items]


def collateral_assets_field() -> CollateralAssetsField:
    return CollateralAssetsField(
        label="Collateral assets",
        help_text="Cross margin: the wallet as several assets, each counted at the platform's "
        "haircut (Binance Multi-Assets mode, Bybit unified account, OKX multi-currency margin; "
        "custom rules count them in full). Text `BTC:0.5@60000, USDT:1000`, or in JSON a list "
        '`[{"asset": "BTC", "amount": 0.5, "price": 60000}]`. Stablecoins without a price '
        "count at 1 USD; the coin you trade may leave out its price: it is valued at the entry "
        "price and its value moves with the price. Send it instead of `wallet_balance` (cross "
        "margin, linear contracts); for a loan it lists the collateral beside `collateral`.",
    )


class CollateralInputMixin:
    """For a page form with `platform` and `collateral_assets`: whether the page shows the
    collateral-assets input, and for which platforms the page's JavaScript shows it."""

    data: Any
    errors: Any

    @cached_property
    def collateral_platforms(self) -> list[str]:
        from .lookup import platforms_with_collateral  # models load after the forms module

        return platforms_with_collateral()

    def shows_collateral(self) -> bool:
        """Shown on custom rules, where the platform counts several assets, or while it holds
        a value or a message (without JavaScript it follows the submitted platform)."""
        platform = self.data.get("platform") or ""
        return (
            not platform
            or platform in self.collateral_platforms
            or bool(self.data.get("collateral_assets"))
            or "collateral_assets" in self.errors
        )
