"""/api/v1/stress and /api/v1/simulate compare platforms as /api/v1/evaluate does."""

import pytest
from django.core.management import call_command

POSITION = {"platform": "binance", "entry_price": "50000", "margin": "1000", "leverage": "10"}


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


def test_a_stress_replay_compares_platforms(incidents, client):
    # compare was documented on stress and refused as an unknown field (issue #17)
    query = {**POSITION, "incident": "binance-may-2020", "compare": "bitmex,aave"}
    stress = client.get("/api/v1/stress", query).json()
    assert stress["evaluation"]["profile"]["platform"] == "binance"
    bitmex, aave = stress["compared"]
    assert (bitmex["platform"], aave["platform"]) == ("bitmex", "aave")
    assert aave["error"]  # Aave lends against collateral: no USDT-margined futures
    alone = client.get(
        "/api/v1/evaluate", {**POSITION, "platform": "bitmex", "crash": stress["crash"]}
    ).json()
    assert bitmex["crash"] == stress["crash"]
    assert bitmex["evaluation"]["outcome"] == alone["outcome"]


def test_a_simulation_reads_the_same_paths_for_each_compared_platform(incidents, client):
    query = {**POSITION, "paths": "2000", "seed": "5"}
    alone = client.get("/api/v1/simulate", query).json()
    compared = client.get("/api/v1/simulate", {**query, "compare": "bitmex"}).json()
    assert alone["compared"] == []
    # the main platform's numbers do not change with what it is compared to
    assert {k: v for k, v in compared.items() if k != "compared"} == {
        k: v for k, v in alone.items() if k != "compared"
    }
    (bitmex,) = compared["compared"]
    assert bitmex["platform"] == "bitmex" and bitmex["paths"] == 2000
    assert 0 <= float(bitmex["chance_liquidation"]) <= 1
