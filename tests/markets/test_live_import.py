"""Live imports with respx replaying real recorded responses (no network).

Replayed: nautilus_trader 1.221.0 crates/adapters/bybit/test_data/http_get_instruments_linear.json
and http_get_instruments_inverse.json (Bybit GET /v5/market/instruments-info), and
crates/adapters/okx/test_data/http_get_instruments_swap.json and http_get_mark_price.json
(OKX GET /api/v5/public/instruments and /mark-price), ccxt 4.5.90 python/ccxt/hyperliquid.py's
metaAndAssetCtxs response (Hyperliquid POST /info), and gocryptotrader (GitHub, commit c7b3ace)
testdata/http_mock/bybit/bybit.json's GET /v5/market/tickers?category=linear|inverse answers of
2023-08-16, as shipped in markets/recordings/.
"""

import json
from decimal import Decimal
from io import StringIO

import httpx
import pytest
import respx
from django.core.management import call_command
from django.core.management.base import CommandError

from markets.importers import IMPORTERS
from markets.importers.base import RECORDINGS_DIR
from markets.models import ImportRun, Market

pytestmark = pytest.mark.django_db

BYBIT = "https://api.bybit.com/v5/market/instruments-info"
BYBIT_TICKERS = "https://api.bybit.com/v5/market/tickers"


def recorded(name):
    return httpx.Response(200, content=(RECORDINGS_DIR / name).read_bytes())


def mock_bybit_tickers(router):
    for category in ("linear", "inverse"):
        router.get(BYBIT_TICKERS, params={"category": category}).mock(
            return_value=recorded(f"bybit_v5_tickers_{category}_2023-08-16.json")
        )


@pytest.fixture
def live(settings):
    settings.MARKET_IMPORT_ENABLED = True
    settings.MARKET_IMPORT_RETRY_SECONDS = 0


@respx.mock(assert_all_called=True)
def test_bybit_live_reads_instruments_and_cites_the_endpoint(seeded, live, respx_mock):
    respx_mock.get(BYBIT, params={"category": "linear"}).mock(
        return_value=recorded("bybit_instruments_linear.json")
    )
    respx_mock.get(BYBIT, params={"category": "inverse"}).mock(
        return_value=recorded("bybit_instruments_inverse.json")
    )
    mock_bybit_tickers(respx_mock)
    out = StringIO()
    call_command("import_markets", platform="bybit", stdout=out)
    assert "bybit (live): created 3" in out.getvalue()
    btc = Market.objects.get(product_line__platform__slug="bybit", symbol="BTCUSDT")
    assert btc.max_leverage == 100 and not btc.from_snapshot
    assert btc.instrument_source == f"GET {BYBIT}?category=linear"
    assert btc.instrument_read_at is not None and not btc.is_stale
    assert btc.taker_fee is None  # the fee rate is a signed endpoint: not read live
    # the tickers answer: BTCUSDT "markPrice": "29197.40", as of the answer's own "time"
    quote = btc.latest_quote
    assert quote.mark_price == Decimal("29197.40") and quote.funding_rate == Decimal("0.0001")
    assert quote.source == f"GET {BYBIT_TICKERS}?category=linear"
    assert ImportRun.objects.latest().mode == "live"


@respx.mock(assert_all_called=True)
def test_okx_live_reads_instruments_and_mark_prices(seeded, live, respx_mock):
    respx_mock.get(
        "https://www.okx.com/api/v5/public/instruments", params={"instType": "SWAP"}
    ).mock(return_value=recorded("okx_instruments_swap.json"))
    respx_mock.get(
        "https://www.okx.com/api/v5/public/mark-price", params={"instType": "SWAP"}
    ).mock(return_value=recorded("okx_mark_price_swap.json"))
    call_command("import_markets", platform="okx", stdout=StringIO())
    market = Market.objects.get(symbol="BTC-USDT-SWAP")
    assert market.latest_quote.mark_price == Decimal("84660.1")
    assert market.latest_quote.source.startswith("GET https://www.okx.com/api/v5/public/mark-price")


@respx.mock(assert_all_called=True)
def test_hyperliquid_live_posts_for_meta_and_contexts(seeded, live, respx_mock):
    route = respx_mock.post("https://api.hyperliquid.xyz/info").mock(
        return_value=recorded("hyperliquid_meta_and_asset_ctxs.json")
    )
    call_command("import_markets", platform="hyperliquid", stdout=StringIO())
    assert json.loads(route.calls.last.request.content) == {"type": "metaAndAssetCtxs"}
    sol = Market.objects.get(product_line__platform__slug="hyperliquid", symbol="SOL")
    assert sol.max_leverage == 50 and not sol.from_snapshot
    assert (
        sol.instrument_source
        == 'POST https://api.hyperliquid.xyz/info {"type": "metaAndAssetCtxs"}'
    )
    assert sol.latest_quote.funding_rate == Decimal("0.0000198")
    assert sol.latest_quote.read_at is not None and not sol.latest_quote.is_stale


@respx.mock
def test_busy_answers_are_retried(seeded, live):
    route = respx.get(BYBIT, params={"category": "linear"})
    route.side_effect = [httpx.Response(503), recorded("bybit_instruments_linear.json")]
    respx.get(BYBIT, params={"category": "inverse"}).mock(
        return_value=recorded("bybit_instruments_inverse.json")
    )
    mock_bybit_tickers(respx)
    call_command("import_markets", platform="bybit", stdout=StringIO())
    assert route.call_count == 2
    assert Market.objects.filter(product_line__platform__slug="bybit").count() == 3


@respx.mock
def test_without_network_it_says_so_and_changes_nothing(seeded, live):
    respx.get(url__startswith=BYBIT).mock(
        side_effect=httpx.ConnectError("Name or service not known")
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing changed"):
        call_command("import_markets", platform="bybit", stdout=StringIO(), stderr=err)
    assert "Cannot reach https://api.bybit.com/v5/market/instruments-info" in err.getvalue()
    assert not Market.objects.exists() and not ImportRun.objects.exists()


@respx.mock
def test_an_error_status_changes_nothing(seeded, live):
    respx.get(url__startswith=BYBIT).mock(return_value=httpx.Response(403))
    with pytest.raises(CommandError):
        call_command("import_markets", platform="bybit", stdout=StringIO(), stderr=StringIO())
    assert not Market.objects.exists()


def test_the_live_endpoints_are_the_recorded_ones():
    for importer in IMPORTERS.values():
        for endpoint in importer.endpoints:
            recording = importer.recordings[endpoint.name]
            assert recording.endpoint == str(endpoint)
