"""A redraw's own cost: Django's WSGI handler called directly, with production settings.

    .venv/bin/python scripts/bench_wsgi.py [--cpu] [--quick] [--all-data]

No HTTP server and no client, so nothing but the app is timed: a trivial view (the floor),
/healthz, the API, and the calculator's htmx partial for the same scenario and for a new one
each time. Builds a throwaway SQLite database with the seeded profiles; each figure is the best
of five medians of 1,000 requests. BENCHMARKS.md has the figures.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="underwater-wsgi-"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "scripts.loadtest_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{WORKDIR / 'db.sqlite3'}",
        "CACHE_URL": f"file://{WORKDIR / 'cache'}",
        "RATE_LIMIT_API": "0",
        "RATE_LIMIT_CALCULATOR": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
)
sys.path.insert(0, str(ROOT))

SCENARIO = "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
PARTIAL = SCENARIO + "&compare=offshore-broker-example"


# What `make seed` adds to the profiles: a production database has them, and a redraw then also
# draws the who-pays cards (ADL, insurance fund) with their sources.
ALL_DATA = ["seed_collateral", "seed_whopays", "seed_incidents", "seed_markets"]


def prepare(all_data: bool = False) -> None:
    commands = [["migrate", "--noinput"], ["seed_profiles"]]
    if all_data:
        commands += [[command] for command in ALL_DATA]
    for command in commands:
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, check=True)


def requester(application) -> Callable[..., None]:
    def get(path: str, query: str = "", htmx: bool = False) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if htmx:
            environ["HTTP_HX_REQUEST"] = "true"
        status = []
        b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}?{query} answered {status[0]}")

    return get


def best_median(
    fn: Callable[[], None],
    *,
    rounds: int = 5,
    runs: int = 1000,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    for _ in range(200):
        fn()
    medians = []
    for _ in range(rounds):
        samples = []
        for _ in range(runs):
            start = clock()
            fn()
            samples.append(clock() - start)
        medians.append(statistics.median(samples))
    return min(medians)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the CPU this process used (time.process_time) instead of the wall clock: "
        "on a machine other work keeps busy, a request longer than a time slice is "
        "interrupted, which the wall clock counts and the CPU clock does not",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only the floor and the new-scenario partial, best of three medians of 500: short "
        "enough to run two checkouts turn about, so that both meet the same load",
    )
    parser.add_argument(
        "--all-data",
        action="store_true",
        help="seed everything `make seed` does, not only the profiles: the who-pays cards and "
        "their sources are then in every redraw, as on the production site",
    )
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    prepare(all_data=args.all_data)
    from config.wsgi import application

    get = requester(application)
    prices = itertools.count(50001)
    cases = [
        ("floor: a trivial view", lambda: get("/__trivial")),
        ("health check: /healthz", lambda: get("/healthz")),
        ("API: /api/v1/evaluate", lambda: get("/api/v1/evaluate", SCENARIO)),
        ("calculator partial, same scenario (from memory)", lambda: get("/", PARTIAL, True)),
        (
            "calculator partial, a new scenario each request",
            lambda: get("/", PARTIAL.replace("50000", str(next(prices)), 1), True),
        ),
    ]
    if args.quick:
        cases = [cases[0], cases[-1]]
    rounds, runs = (3, 500) if args.quick else (5, 1000)
    results = [(name, best_median(fn, rounds=rounds, runs=runs, clock=clock)) for name, fn in cases]
    floor = results[0][1]
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"{'CPU time' if args.cpu else 'wall clock'}, load average {os.getloadavg()[0]:.1f}"
        f"{', all seed data' if args.all_data else ''}"
    )
    print("| case | median | vs floor |")
    print("|---|---|---|")
    for name, seconds in results:
        print(f"| {name} | {seconds * 1e6:.0f} µs | {seconds / floor:.1f}× |")


if __name__ == "__main__":
    main()
