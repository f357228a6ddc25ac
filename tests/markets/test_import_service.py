"""Importing recorded markets: the admin's rules, pinned fields, history, dry runs, the version.

Replays the shipped recordings (markets/recordings/README.md: freqtrade 2026.9
freqtrade/exchange/binance_leverage_tiers.json; nautilus_trader 1.221.0
crates/adapters/{bybit,okx}/test_data/*.json).
"""

import dataclasses
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from markets.importers import IMPORTERS
from markets.models import ImportRun, Market, MarketQuote, MarketTier
from markets.services import apply_readings, run_import
from platforms.profiles import profiles_version

pytestmark = pytest.mark.django_db


def binance():
    return Market.objects.get(product_line__platform__slug="binance", symbol="BTCUSDT")


def test_seed_markets_loads_every_recording_labelled_as_a_snapshot(seeded):
    out = StringIO()
    call_command("seed_markets", stdout=out)
    assert "binance (recording): created 46" in out.getvalue()
    for slug in ("binance", "bybit", "okx", "hyperliquid"):
        markets = Market.objects.filter(product_line__platform__slug=slug)
        assert markets.exists() and all(m.from_snapshot for m in markets)
    btc = binance()
    assert btc.tiers.count() == 12  # BTC/USDT:USDT has 12 brackets in the recording
    assert btc.tiers_source.startswith("snapshot of GET https://fapi.binance.com")
    assert "freqtrade 2026.9 (freqtrade/exchange/binance_leverage_tiers.json)" in btc.tiers_source
    run = ImportRun.objects.filter(platform_slug="binance").latest()
    assert run.succeeded and run.mode == "recording" and run.created == 46
    assert "freqtrade 2026.9" in run.sources


def test_the_importers_change_is_in_the_history_with_its_reason(seeded):
    call_command("import_markets", platform="binance", from_recording=True, stdout=StringIO())
    record = binance().history.latest()
    assert record.history_type == "+"
    assert record.history_change_reason.startswith("import_markets binance (recording), run ")
    assert record.history_user is None
    assert MarketTier.history.filter(market_id=binance().pk).count() == binance().tiers.count()


def test_a_second_import_changes_nothing_and_keeps_the_version(seeded):
    call_command("seed_markets", stdout=StringIO())
    version, records = profiles_version(), Market.history.count()
    out = StringIO()
    call_command("seed_markets", stdout=out)
    assert "created 0, updated 0, unchanged 46" in out.getvalue()
    assert Market.history.count() == records
    assert profiles_version() == version


def test_an_import_that_writes_bumps_the_policy_version_once(seeded, monkeypatch):
    bumps = []
    monkeypatch.setattr("markets.signals.policy_data_changed", lambda: bumps.append(1))
    call_command("import_markets", platform="binance", from_recording=True, stdout=StringIO())
    assert bumps == [1]


def test_quotes_are_not_policy_no_history_no_bump(seeded, monkeypatch):
    call_command("import_markets", platform="okx", from_recording=True, stdout=StringIO())
    quote = MarketQuote.objects.get(market__symbol="BTC-USDT-SWAP")
    assert quote.mark_price == Decimal("84660.1")
    assert not hasattr(MarketQuote, "history")
    bumps = []
    monkeypatch.setattr("markets.signals.policy_data_changed", lambda: bumps.append(1))
    monkeypatch.setattr("platforms.signals.policy_data_changed", lambda: bumps.append(1))
    quote.mark_price = Decimal("90000")
    quote.save()
    assert bumps == []


def test_dry_run_prints_the_diff_and_writes_nothing(seeded):
    out = StringIO()
    call_command("import_markets", platform="bybit", from_recording=True, dry_run=True, stdout=out)
    text = out.getvalue()
    assert "created   BTCUSDT" in text and "taker_fee: — → 0.0006" in text
    assert "dry run: nothing written" in text
    assert not Market.objects.exists() and not ImportRun.objects.exists()


def test_a_pinned_field_is_kept_and_reported(seeded):
    call_command("import_markets", platform="bybit", from_recording=True, stdout=StringIO())
    market = Market.objects.get(product_line__platform__slug="bybit", symbol="BTCUSDT")
    market.taker_fee = Decimal("0.00055")
    market.pinned_fields = ["taker_fee"]
    market.full_clean()
    market.save()
    out = StringIO()
    call_command("import_markets", platform="bybit", from_recording=True, stdout=out)
    market.refresh_from_db()
    assert market.taker_fee == Decimal("0.00055")
    assert "conflict: taker_fee is pinned at 0.00055; the platform says 0.0006." in out.getvalue()
    run = ImportRun.objects.latest()
    assert "BTCUSDT: taker_fee is pinned" in run.conflicts


def test_a_pinned_tier_table_is_kept(seeded):
    importer = IMPORTERS["binance"]()
    readings, sources = importer.from_recordings()
    apply_readings("binance", readings, sources=sources, mode="recording")
    market = binance()
    market.pinned_fields = ["tiers"]
    market.save()
    btc = next(r for r in readings if r.symbol == "BTCUSDT")
    btc.tiers = (*btc.tiers[:-1], dataclasses.replace(btc.tiers[-1], maintenance_amount=Decimal(1)))
    report = apply_readings("binance", [btc], sources=sources, mode="recording")
    assert "the tier table is pinned" in report.conflicts[0]
    assert market.tiers.order_by("notional_floor").last().maintenance_amount != 1


@pytest.mark.parametrize(
    "broken, message",
    [
        (
            lambda t: (dataclasses.replace(t[0], notional_floor=Decimal(10)), *t[1:]),
            "start at a notional of 0",
        ),
        (
            lambda t: (
                t[0],
                dataclasses.replace(t[1], notional_floor=t[1].notional_floor + 1),
                *t[2:],
            ),
            "gap between",
        ),
        (
            lambda t: (
                t[0],
                dataclasses.replace(t[1], maintenance_margin_rate=Decimal("0.001")),
                *t[2:],
            ),
            "must not fall",
        ),
        (
            lambda t: (dataclasses.replace(t[0], maintenance_margin_rate=Decimal("1.5")), *t[1:]),
            "maintenance_margin_rate",
        ),
    ],
)
def test_a_wrong_table_is_refused_whole(seeded, broken, message):
    importer = IMPORTERS["binance"]()
    readings, sources = importer.from_recordings()
    apply_readings("binance", readings, sources=sources, mode="recording")
    before = list(binance().tiers.values_list("notional_floor", "maintenance_margin_rate"))
    btc = next(r for r in readings if r.symbol == "BTCUSDT")
    btc.tiers = broken(btc.tiers)
    btc.values["max_leverage"] = Decimal(20)  # a change that must not land either
    report = apply_readings("binance", [btc], sources=sources, mode="recording")
    change = report.changes[0]
    assert change.action == "refused" and message in " ".join(change.errors)
    market = binance()
    assert market.max_leverage == 150
    assert list(market.tiers.values_list("notional_floor", "maintenance_margin_rate")) == before
    assert "BTCUSDT" in ImportRun.objects.latest().refused


def test_a_market_under_the_wrong_kind_of_line_is_refused(seeded):
    readings, sources = IMPORTERS["bybit"]().from_recordings()
    inverse = next(r for r in readings if r.symbol == "BTCUSD")
    inverse.product_line = "derivatives-linear"
    report = apply_readings("bybit", [inverse], sources=sources, mode="recording")
    assert report.changes[0].action == "refused"
    assert not Market.objects.filter(symbol="BTCUSD").exists()


def test_an_unknown_product_line_is_refused(seeded):
    readings, sources = IMPORTERS["okx"]().from_recordings()
    readings[0].product_line = "options"
    report = apply_readings("okx", readings[:1], sources=sources, mode="recording")
    assert "no product line “options”" in report.refused[0]


def test_live_import_is_off_by_default_and_changes_nothing(seeded):
    err = StringIO()
    with pytest.raises(CommandError, match="Not imported: bybit"):
        call_command("import_markets", platform="bybit", stdout=StringIO(), stderr=err)
    assert "MARKET_IMPORT_ENABLED" in err.getvalue()
    assert not Market.objects.exists() and not ImportRun.objects.exists()


def test_binance_live_needs_an_api_key(seeded, settings):
    settings.MARKET_IMPORT_ENABLED = True
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_markets", platform="binance", stdout=StringIO(), stderr=err)
    assert "API key" in err.getvalue()


def test_a_dry_run_after_an_import_finds_nothing_to_change(seeded):
    importer = IMPORTERS["binance"]()
    report = run_import(importer, from_recording=True, dry_run=False)
    assert report.count("created") == 46
    again = run_import(importer, from_recording=True, dry_run=True)
    assert again.count("unchanged") == 46
