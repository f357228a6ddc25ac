"""Generated positions on the platforms with an ADL rule: the API never answers 5xx, and every
ADL close it reports keeps and costs exactly its profit (to the 1e-8 the API rounds to)."""

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

queries = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(["binance", "bybit", "okx", "hyperliquid", "bitmex", "dydx"]),
        "contract": st.sampled_from(["linear", "inverse"]),
        "side": st.sampled_from(["long", "short"]),
        "entry_price": st.decimals(min_value=D("0.001"), max_value=D("1e6"), places=3).map(str),
        "margin": st.sampled_from(["1", "1000", "0.02"]),
        "leverage": st.decimals(min_value=D("0.5"), max_value=D("125"), places=1).map(str),
        "residence": st.sampled_from(["", "eu", "uk", "us", "other"]),
        "client_class": st.sampled_from(["", "retail", "professional"]),
    },
    optional={
        "crash": st.decimals(min_value=D(0), max_value=D(3), places=3).map(str),
        "gap": st.decimals(min_value=D(0), max_value=D(1), places=3).map(str),
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=queries)
def test_generated_positions(client, who_pays, query):
    response = client.get("/api/v1/evaluate", query)
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code != 200:
        return
    adl = response.json()["adl"]
    for side in ("yours", "other_side"):
        close = adl and adl[side]
        if close:
            kept, cost, profit = D(close["kept"]), D(close["cost"]), D(close["profit"])
            assert min(kept, cost, profit) >= 0
            assert abs(kept + cost - profit) <= D("2e-8")
