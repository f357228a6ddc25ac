"""Timing figures for BENCHMARKS.md, "Whole accounts": an account of 20 positions with its
liquidation map, beside a single position on the same rules, in the same run.

Run with `.venv/bin/python scripts/bench_account.py`. Engine cases are pure Python; HTTP cases
go through Django's full stack with the test client on a throwaway database with the seeded
profiles, next to a trivial view measured in the same run.
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from bench import median_seconds, print_rows, seeded_rows, trivial  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402

from config.urls import urlpatterns as site_urlpatterns  # noqa: E402
from engine import (  # noqa: E402
    Account,
    AccountPosition,
    Contract,
    CoverageStep,
    MarginMode,
    Party,
    Position,
    Rules,
    Side,
    Tier,
    evaluate,
    evaluate_account,
    maintenance_amounts_from_rates,
)

# the site's own patterns as they are: they hold i18n_patterns, which include() refuses
urlpatterns = [path("__trivial", trivial), *site_urlpatterns]

RULES = Rules(
    tiers=maintenance_amounts_from_rates(
        tiers=(
            Tier(Decimal(0), Decimal(50_000), Decimal("0.004")),
            Tier(Decimal(50_000), Decimal(250_000), Decimal("0.005")),
            Tier(Decimal(250_000), Decimal(1_000_000), Decimal("0.01")),
            Tier(Decimal(1_000_000), None, Decimal("0.025")),
        )
    ),
    taker_fee=Decimal("0.0005"),
    waterfall=(CoverageStep(Party.INSURANCE_FUND), CoverageStep(Party.AUTO_DELEVERAGING)),
)


def positions(count: int) -> tuple[AccountPosition, ...]:
    """`count` positions on as many symbols, longs and shorts, marks off their entries."""
    return tuple(
        AccountPosition(
            Contract.LINEAR,
            Side.LONG if index % 2 == 0 else Side.SHORT,
            Decimal(1000 * (index + 1)),
            Decimal(index + 1) * 5,
            symbol=f"COIN{index}USDT",
            mark_price=Decimal(1000 * (index + 1)) * Decimal("1.01"),
        )
        for index in range(count)
    )


def engine_cases() -> list[tuple[str, float, str]]:
    single = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=Decimal(50_000),
        quantity=Decimal(2),
        margin_mode=MarginMode.CROSS,
        wallet_balance=Decimal(20_000),
    )
    one = Account(wallet_balance=Decimal(20_000), positions=positions(1), rules=RULES)
    five = Account(wallet_balance=Decimal(200_000), positions=positions(5), rules=RULES)
    twenty = Account(wallet_balance=Decimal(2_000_000), positions=positions(20), rules=RULES)
    single_time = median_seconds(lambda: evaluate(position=single, rules=RULES), runs=5000)
    one_time = median_seconds(lambda: evaluate_account(account=one), runs=500)
    five_time = median_seconds(lambda: evaluate_account(account=five), runs=200, warmup=5)
    twenty_time = median_seconds(lambda: evaluate_account(account=twenty), runs=60, warmup=3)
    return [
        ("engine: one cross position, `evaluate` (no map)", single_time, "the floor"),
        ("engine: account of 1 position with its map (2 series × 181 moves)", one_time, ""),
        ("engine: account of 5 positions with its map (6 series)", five_time, ""),
        (
            "engine: account of 20 positions with its map (21 series)",
            twenty_time,
            f"{twenty_time / single_time:.0f}× one position",
        ),
    ]


def request_body(count: int) -> str:
    return json.dumps(
        {
            "platform": "binance",
            "wallet_balance": "2000000",
            "positions": [
                {
                    "symbol": p.symbol,
                    "side": p.side.value,
                    "quantity": str(p.quantity),
                    "entry_price": str(p.entry_price),
                    "mark_price": str(p.mark_price),
                }
                for p in positions(count)
            ],
        }
    )


def page_query(count: int) -> str:
    query = {
        "wallet_balance": "200000",
        "positions-TOTAL_FORMS": str(count),
        "positions-INITIAL_FORMS": "0",
    }
    for index, p in enumerate(positions(count)):
        query.update(
            {
                f"positions-{index}-symbol": p.symbol,
                f"positions-{index}-side": p.side.value,
                f"positions-{index}-quantity": str(p.quantity),
                f"positions-{index}-entry_price": str(p.entry_price),
                f"positions-{index}-mark_price": str(p.mark_price),
            }
        )
    return urlencode(query)


def http_cases() -> list[tuple[str, float, str]]:
    client = Client()
    trivial_time = median_seconds(lambda: client.get("/__trivial"), runs=500)
    body20 = request_body(20)
    assert (
        client.post("/api/v1/account", body20, content_type="application/json").status_code == 200
    )

    def post(body: str) -> object:
        return client.post("/api/v1/account", body, content_type="application/json")

    body1 = request_body(1)
    api1 = median_seconds(lambda: post(body1), runs=100, warmup=5)
    api20 = median_seconds(lambda: post(body20), runs=30, warmup=3)
    query = page_query(5)
    headers = {"HX-Request": "true", "HX-Target": "account-results"}
    partial = median_seconds(
        lambda: client.get("/account/?" + query, headers=headers), runs=60, warmup=5
    )
    return [
        ("http: trivial Django view (floor)", trivial_time, ""),
        ("http: POST /api/v1/account, 1 position (Binance)", api1, ""),
        ("http: POST /api/v1/account, 20 positions (Binance)", api20, ""),
        ("http: account page redraw (htmx results), 5 positions", partial, ""),
    ]


def main() -> None:
    print_rows(seeded_rows(__name__, engine_cases, http_cases))


if __name__ == "__main__":
    main()
