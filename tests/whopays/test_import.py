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
    # USDC, BTC and BNFCR pools have no fund of that currency in our profile, nor has OKX's ETH
    # option pool: reported, not guessed
    assert len(report.unmatched) == 4
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
        "/api/v5/public/insurance-fund": "okx_insurance_fund.json",
    }
    asked = []

    def answer(request):
        asked.append(str(request.url))
        return httpx.Response(200, content=(RECORDINGS / files[request.url.path]).read_bytes())

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        balances, risks = importers.from_platforms(client)
    assert "https://fapi.binance.com/fapi/v1/insuranceBalance?symbol=BTCUSDT" in asked
    assert len(balances) == 6 and len(risks) == 2
    assert any("instType=SWAP&instFamily=BTC-USDT" in url for url in asked)
    assert balances[0].url == "https://fapi.binance.com/fapi/v1/insuranceBalance"


def test_the_command_replays_the_recordings_and_the_profile_shows_them(who_pays, client):
    call_command("import_whopays", from_recording=True, verbosity=0)
    html = client.get("/platforms/binance/").content.decode()
    assert "Binance's own ADL risk rating, per symbol" in html
    assert "BTCUSDT:</strong> low" in html
    assert "793,930,579.32" in html and "2025-04-23" in html  # the imported balance's row


def test_bybits_published_adl_alert_is_read_and_meets_the_drawdown_rule():
    # bybit-exchange/docs docs/v5/market/adl-alert.mdx @ 0fbe838, "Response Example"
    (alert,) = importers.alerts_from_recordings()
    assert (alert.platform, alert.symbol, alert.coin) == ("bybit", "BTCUSDT", "USDT")
    assert alert.balance == Decimal("92203504694.99632")
    assert (alert.pnl_ratio, alert.trigger_ratio, alert.stop_ratio) == (
        Decimal("-0.560973"),
        Decimal("-0.3"),
        Decimal("-0.25"),
    )
    assert alert.trigger_balance == Decimal("10000")
    assert alert.as_of == dt.datetime(2025, 9, 13, 3, 26, tzinfo=dt.UTC)


def test_the_alert_rule_follows_bybits_worked_examples():
    from whopays.models import AlertState, alert_state

    one = Decimal(1)
    # example 1: pool 1M, drawdown -35% against -30%, trigger balance 1: ADL
    assert (
        alert_state(
            balance=Decimal(1_000_000),
            pnl_ratio=Decimal("-0.35"),
            trigger_ratio=Decimal("-0.3"),
            trigger_balance=one,
        )
        == AlertState.DRAWDOWN
    )
    # example 2: exactly -30% still triggers
    assert (
        alert_state(
            balance=Decimal(2_000_000),
            pnl_ratio=Decimal("-0.30"),
            trigger_ratio=Decimal("-0.3"),
            trigger_balance=one,
        )
        == AlertState.DRAWDOWN
    )
    # example 3: the pool at zero triggers whatever the drawdowns
    assert (
        alert_state(
            balance=Decimal(0),
            pnl_ratio=Decimal("-0.1"),
            trigger_ratio=Decimal("-0.3"),
            trigger_balance=one,
        )
        == AlertState.POOL_EMPTY
    )
    # a pool at or below the trigger balance: the drawdown rule does not apply
    assert (
        alert_state(
            balance=Decimal(5000),
            pnl_ratio=Decimal("-0.9"),
            trigger_ratio=Decimal("-0.3"),
            trigger_balance=Decimal(10000),
        )
        == AlertState.NONE
    )


def test_okxs_published_insurance_fund_is_read_and_not_guessed_onto_another_pool(who_pays):
    balances, _risks = importers.from_recordings()
    # JKorf/OKX.Net GetInsuranceFund.txt @ 6dd7bdd: OKX docs' example
    (okx,) = [b for b in balances if b.platform == "okx"]
    assert (okx.symbols, okx.currency, okx.amount) == (("ETH-USD",), "ETH", Decimal("1343.1308"))
    assert okx.as_of == dt.datetime(2024, 1, 10, 10, 38, 3, tzinfo=dt.UTC)
    assert okx.url.startswith("https://www.okx.com/docs-v5/")
    report = store([okx], [])
    assert report.balances == [] and "okx ETH pool for ETH-USD" in report.unmatched[0]


@pytest.mark.parametrize(
    "answer",
    [
        None,
        {},
        {"code": "50011", "data": []},
        {"code": "0", "data": [{"details": [{"balance": "-1", "ccy": "BTC", "ts": "1"}]}]},
        {"code": "0", "data": [{"details": [{"balance": "5", "ccy": "BTC", "ts": "9" * 30}]}]},
        {"retCode": 0, "result": {"updatedTime": "1", "list": [{"symbol": "X", "balance": ""}]}},
        "nonsense",
    ],
)
def test_odd_okx_and_alert_answers_give_no_readings(answer):
    assert importers._okx_balances(answer, "test", "https://example.org") == []
    assert importers._bybit_alerts(answer, "test") == []


def test_the_command_stores_the_alert_and_the_profile_shows_it(who_pays, client):
    from whopays.models import AdlAlertReading

    call_command("import_whopays", from_recording=True, verbosity=0)
    call_command("import_whopays", from_recording=True, verbosity=0)  # once per time
    alert = AdlAlertReading.objects.get()
    assert alert.state == "drawdown" and alert.platform.slug == "bybit"
    html = client.get("/platforms/bybit/").content.decode()
    assert "Bybit's ADL alert, per symbol" in html
    assert "8-hour drawdown -0.560973 against a trigger at -0.3 (stops above -0.25)" in html
    assert "ADL triggered by the drawdown rule" in html


def test_live_alerts_are_off_unless_asked(settings):
    settings.WHOPAYS_IMPORT_ENABLED = False
    with pytest.raises(importers.ImportUnavailable):
        importers.alerts_from_platforms()


def test_live_alerts_read_the_same_answer_through_httpx(settings):
    settings.WHOPAYS_IMPORT_ENABLED = True

    def answer(request):
        assert request.url.path == "/v5/market/adlAlert"
        return httpx.Response(200, content=(RECORDINGS / "bybit_adl_alert.json").read_bytes())

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        (alert,) = importers.alerts_from_platforms(client)
    assert alert.pnl_ratio == Decimal("-0.560973")
    assert alert.source.startswith("GET https://api.bybit.com/v5/market/adlAlert")
