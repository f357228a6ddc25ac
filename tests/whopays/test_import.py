"""import_whopays: the platforms' own published responses replayed through the live readers
(whopays/recordings/README.md cites each), stored as dated, cited balances and ratings."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command

from whopays import importers
from whopays.models import AdlRiskReading, FundBalance
from whopays.services import store

pytestmark = pytest.mark.django_db
RECORDINGS = Path(importers.__file__).resolve().parent / "recordings"


def test_readers_read_the_published_examples():
    balances, risks = importers.from_recordings()
    binance = [b for b in balances if b.platform == "binance"]
    # Binance's docs: {"asset":"USDT","marginBalance":"793930579.315848","updateTime":1745366402000}
    usdt = next(b for b in binance if b.currency == "USDT")
    assert usdt.amount == Decimal("793930579.315848")
    assert usdt.as_of == dt.datetime(2025, 4, 23, 0, 0, 2, tzinfo=dt.UTC)
    assert "BTCUSDT" in usdt.symbols
    assert {b.currency for b in binance} == {"USDC", "USDT", "BTC", "BNFCR"}
    bybit = next(b for b in balances if b.platform == "bybit")
    assert bybit.amount == 0 and bybit.currency == "USD"  # the docs' ETH pool is worth "0"
    assert [(r.symbol, r.rating) for r in risks] == [("BTCUSDT", "low"), ("ETHUSDT", "high")]


def test_every_group_of_the_unfiltered_answer_is_read():
    answer = json.loads((RECORDINGS / "binance_insurance_balance_all.json").read_text())
    found = importers._binance_balances(answer, "test", "https://example.org")
    assert [b.amount for b in found] == [Decimal("314151411.06482935"), Decimal("5166686.84431694")]


@pytest.mark.parametrize(
    "answer",
    [
        None,
        [],
        {},
        {"retCode": 10001, "result": {}},
        [{"symbol": "X", "adlRisk": "??"}],
        "nonsense",
    ],
)
def test_odd_answers_give_no_readings(answer):
    for reader in (
        importers._binance_balances,
        importers._binance_risks,
        importers._bybit_balances,
    ):
        assert reader(answer, "test", "https://example.org") == []


def test_store_writes_cited_balances_and_ratings_once(who_pays):
    seeded_balances = FundBalance.objects.filter(fund__slug="usds-m-btcusdt").count()
    report = store(*importers.from_recordings())
    balance = FundBalance.objects.get(fund__slug="usds-m-btcusdt", as_of=dt.date(2025, 4, 23))
    assert balance.amount == Decimal("793930579.315848")
    citation = balance.citations.get()
    assert citation.url.startswith("https://developers.binance.com/")
    assert "793930579.315848" in citation.quote
    assert FundBalance.objects.get(fund__slug="all-pools", as_of=dt.date(2022, 12, 26)).amount == 0
    assert AdlRiskReading.objects.filter(platform__slug="binance").count() == 2
    # USDC, BTC and BNFCR pools have no fund of that currency in our profile: reported, not guessed
    assert len(report.unmatched) == 3
    again = store(*importers.from_recordings())
    assert len(again.balances) == len(report.balances)
    assert FundBalance.objects.filter(fund__slug="usds-m-btcusdt").count() == seeded_balances + 1
    assert balance.citations.count() == 1
    assert AdlRiskReading.objects.count() == 2


def test_live_import_is_off_unless_asked(who_pays, settings):
    settings.WHOPAYS_IMPORT_ENABLED = False
    with pytest.raises(CommandError, match="WHOPAYS_IMPORT_ENABLED"):
        call_command("import_whopays", verbosity=0)


def test_live_import_reads_the_same_answers_through_httpx(who_pays, settings):
    settings.WHOPAYS_IMPORT_ENABLED = True
    files = {
        "/fapi/v1/insuranceBalance": "binance_insurance_balance_btcusdt.json",
        "/fapi/v1/symbolAdlRisk": "binance_symbol_adl_risk.json",
        "/v5/market/insurance": "bybit_insurance.json",
    }
    asked = []

    def answer(request):
        asked.append(str(request.url))
        return httpx.Response(200, content=(RECORDINGS / files[request.url.path]).read_bytes())

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        balances, risks = importers.from_platforms(client)
    assert "https://fapi.binance.com/fapi/v1/insuranceBalance?symbol=BTCUSDT" in asked
    assert len(balances) == 5 and len(risks) == 2
    assert balances[0].url == "https://fapi.binance.com/fapi/v1/insuranceBalance"


def test_the_command_replays_the_recordings_and_the_profile_shows_them(who_pays, client):
    call_command("import_whopays", from_recording=True, verbosity=0)
    html = client.get("/platforms/binance/").content.decode()
    assert "Binance's own ADL risk rating, per symbol" in html
    assert "BTCUSDT:</strong> low" in html
    assert "793,930,579.32" in html and "2025-04-23" in html  # the imported balance's row
