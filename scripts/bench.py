"""Timing figures for BENCHMARKS.md: the engine, the chart curve, the API and the calculator partial.

Run with `make bench` (or `.venv/bin/python scripts/bench.py`). It builds a throwaway test
database, seeds the profiles, and times each case with the median of many runs. Each HTTP case
goes through Django's full stack via the test client, next to a trivial view measured in the
same run, so the ratio holds whatever the machine's speed.
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import path  # noqa: E402

from config.urls import urlpatterns as site_urlpatterns  # noqa: E402
from engine import (  # noqa: E402
    Contract,
    CoverageStep,
    Party,
    Position,
    Rules,
    Scenario,
    Side,
    Tier,
    equity_curve,
    evaluate,
    outcome_by_crash,
)


def trivial(request):
    return HttpResponse("ok")


# the site's own patterns as they are: they hold i18n_patterns, which include() refuses
urlpatterns = [path("__trivial", trivial), *site_urlpatterns]

SCENARIO = "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
PAGE = SCENARIO + "&compare=offshore-broker-example"


def median_seconds(fn: Callable[[], object], *, runs: int, warmup: int = 20) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def engine_cases() -> list[tuple[str, float, str]]:
    tiers = (
        Tier(Decimal(0), Decimal(50000), Decimal("0.004"), Decimal(0), Decimal(125)),
        Tier(Decimal(50000), Decimal(250000), Decimal("0.005"), Decimal(50), Decimal(100)),
        Tier(Decimal(250000), None, Decimal("0.01"), Decimal(1300), Decimal(50)),
    )
    rules = Rules(
        tiers=tiers,
        taker_fee=Decimal("0.0005"),
        liquidation_fee=Decimal("0.005"),
        funding_rate=Decimal("0.0001"),
        waterfall=(CoverageStep(Party.INSURANCE_FUND), CoverageStep(Party.AUTO_DELEVERAGING)),
    )
    position = Position(
        contract=Contract.LINEAR,
        side=Side.LONG,
        entry_price=Decimal(50000),
        margin=Decimal(1000),
        leverage=Decimal(10),
        holding_hours=Decimal(24),
    )
    scenario = Scenario(gap=Decimal("0.05"))
    evaluation = evaluate(position=position, rules=rules)
    crashes = [i / 100 for i in range(101)]
    return [
        (
            "engine: one full evaluation (tiers, fees, funding, gap, waterfall)",
            median_seconds(
                lambda: evaluate(position=position, rules=rules, scenario=scenario), runs=20000
            ),
            "≤ 20 µs",
        ),
        (
            "engine: evaluation without a scenario",
            median_seconds(lambda: evaluate(position=position, rules=rules), runs=20000),
            "",
        ),
        (
            "engine: 2,000-point equity curve",
            median_seconds(
                lambda: equity_curve(
                    evaluation=evaluation, price_from=40000, price_to=60000, points=2000
                ),
                runs=5000,
            ),
            "≤ 1 ms",
        ),
        (
            "engine: outcome_by_crash, 101 crash sizes",
            median_seconds(
                lambda: outcome_by_crash(position=position, rules=rules, crashes=crashes), runs=1000
            ),
            "",
        ),
    ]


def http_cases() -> list[tuple[str, float, str]]:
    client = Client()
    trivial_time = median_seconds(lambda: client.get("/__trivial"), runs=2000)
    api_time = median_seconds(lambda: client.get("/api/v1/evaluate?" + SCENARIO), runs=1000)
    partial_time = median_seconds(
        lambda: client.get("/?" + PAGE, headers={"HX-Request": "true"}), runs=500
    )
    # A visitor typing sends a new scenario every time: no cache can answer it.
    prices = itertools.count(50001)
    fresh_partial_time = median_seconds(
        lambda: client.get(
            "/?" + PAGE.replace("entry_price=50000", f"entry_price={next(prices)}"),
            headers={"HX-Request": "true"},
        ),
        runs=500,
    )
    page_time = median_seconds(lambda: client.get("/?" + PAGE), runs=300)
    return [
        ("http: trivial Django view (floor)", trivial_time, ""),
        (
            "http: API GET /api/v1/evaluate (Binance, gap)",
            api_time,
            f"{api_time / trivial_time:.1f}× the trivial view",
        ),
        (
            "http: calculator partial, same scenario again (served from memory)",
            partial_time,
            f"{partial_time / trivial_time:.1f}× the trivial view (target ≤ 2×)",
        ),
        (
            "http: calculator partial, a new scenario each time (computed)",
            fresh_partial_time,
            f"{fresh_partial_time / trivial_time:.1f}× the trivial view (target ≤ 2×)",
        ),
        ("http: calculator full page", page_time, ""),
    ]


Row = tuple[str, float, str]


def seeded_rows(urlconf: str, *cases: Callable[[], list[Row]]) -> list[Row]:
    """The cases' rows, measured on a throwaway test database with the seeded profiles and
    `urlconf` (which adds the trivial view to the site's urls)."""
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed_profiles", verbosity=0)
        with override_settings(ROOT_URLCONF=urlconf, ALLOWED_HOSTS=["testserver"]):
            return [row for case in cases for row in case()]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def print_rows(rows: list[Row], note: str = "note") -> None:
    """The rows as BENCHMARKS.md's table, under a line naming the machine."""
    print(
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"{os.cpu_count()} cores"
    )
    print(f"| case | median | {note} |")
    print("|---|---|---|")
    for name, seconds, text in rows:
        print(f"| {name} | {fmt(seconds)} | {text} |")


def main() -> None:
    print_rows(seeded_rows(__name__, engine_cases, http_cases), "target / note")


if __name__ == "__main__":
    main()
