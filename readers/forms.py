"""The forms that name a public account: the page's "Read an address" and the API's `source`
object share these fields and their help texts (the OpenAPI document is built from them)."""

from __future__ import annotations

from typing import Any

from django import forms

from readers.dydx import MAX_SUBACCOUNT
from readers.paste import MAX_CHARS
from readers.service import PLATFORMS, clean_source
from readers.types import AddressError


class SourceForm(forms.Form):
    """Where the account lives. Checked here, before anything is sent to the platform."""

    platform = forms.ChoiceField(
        label="Platform",
        choices=list(PLATFORMS.items()),
        help_text="`hyperliquid` (any address's perpetuals account), `dydx` (a v4 subaccount) or "
        "`aave` (an Aave v3 account, read only where the site has an Ethereum endpoint).",
    )
    address = forms.CharField(
        label="Public address",
        max_length=100,
        help_text="The account's public address: `0x…` (40 hex characters) on Hyperliquid and "
        "Aave, `dydx1…` on dYdX. Read, never stored (a reading is cached for a few seconds).",
    )
    subaccount = forms.IntegerField(
        label="Subaccount",
        required=False,
        min_value=0,
        max_value=MAX_SUBACCOUNT - 1,
        help_text="dYdX only: the subaccount number (default 0).",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if self.errors:
            return data
        try:
            platform, address, subaccount = clean_source(
                data.get("platform"), data.get("address"), data.get("subaccount")
            )
        except AddressError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
            return data
        data.update(platform=platform, address=address, subaccount=subaccount)
        return data


class ReadForm(SourceForm):
    """The page's form: the same fields, and whether the address may go into the link."""

    share = forms.BooleanField(
        label="Put the address in the page's link (so I can share it)",
        required=False,
        help_text="Off: the address is sent by POST and appears in no address bar or log.",
    )


class PasteForm(forms.Form):
    """A pasted positions table or positions JSON, and what the preview needs to open it."""

    text = forms.CharField(
        label="Your positions",
        max_length=MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="A table with its header line (copied from the page, or a CSV export), or "
        "the positions JSON of Binance, Bybit or OKX.",
    )
