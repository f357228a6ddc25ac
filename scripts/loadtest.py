"""Load test: gunicorn on 127.0.0.1, driven by a bounded number of requests for a bounded time.

    .venv/bin/python scripts/loadtest.py [--seconds 10] [--max-requests 20000] [--clients 4]
                                         [--workers 2]

It builds a throwaway SQLite database with the seeded profiles, collects static files, starts
gunicorn (production settings: DEBUG off) on a free loopback port, then drives each endpoint in
turn: a trivial view (the floor: /__trivial from scripts/loadtest_urls.py), /healthz, the API,
and the calculator's htmx results partial, for the same scenario and for a new one on every
request. Each phase stops after --seconds or --max-requests, whichever comes first; gunicorn is
stopped at the end. It reports throughput, median and p99 latency and errors, for each number of
concurrent clients asked for. Only 127.0.0.1 is ever contacted. Rate limits are switched off for
the run: it measures the app, not the limiter.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCENARIO = "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
REQUEST_NUMBERS = itertools.count(1)  # never repeats, so warm-ups cannot pre-fill the cache
PARTIAL = "/?" + SCENARIO + "&compare=offshore-broker-example"
HTMX = {"HX-Request": "true"}
# Each phase's path is a function of the request number, so a phase can ask for a new scenario
# on every request (as a visitor typing does) instead of the same one.
PHASES = [
    ("floor: a trivial view", lambda n: "/__trivial", {}),
    ("health check: /healthz", lambda n: "/healthz", {}),
    ("API: /api/v1/evaluate", lambda n: "/api/v1/evaluate?" + SCENARIO, {}),
    ("calculator partial, same scenario (from memory)", lambda n: PARTIAL, HTMX),
    (
        "calculator partial, a new scenario each request",
        lambda n: PARTIAL.replace("entry_price=50000", f"entry_price={50000 + n}"),
        HTMX,
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["seed_profiles"], ["collectstatic", "--noinput"]):
        subprocess.run([PYTHON, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True)


def wait_until_up(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def drive(port: int, path, headers: dict, seconds: float, max_requests: int, clients: int):
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    budget = [max_requests]

    def worker() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        local: list[float] = []
        local_errors = 0
        while time.perf_counter() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
                number = next(REQUEST_NUMBERS)
            start = time.perf_counter()
            try:
                connection.request("GET", path(number), headers={"Host": "127.0.0.1", **headers})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    local_errors += 1
            except OSError:
                local_errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            local.append(time.perf_counter() - start)
        connection.close()
        with lock:
            latencies.extend(local)
            errors += local_errors

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "throughput": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": errors,
    }


@contextlib.contextmanager
def gunicorn_server(workers: int) -> Iterator[int]:
    """gunicorn with production settings on a free loopback port, over a throwaway SQLite
    database with the seeded profiles; yields the port and stops gunicorn afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="underwater-load-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scripts.loadtest_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "load-test-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "CACHE_URL": f"file://{workdir / 'cache'}",
        "RATE_LIMIT_API": "0",
        "RATE_LIMIT_CALCULATOR": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    prepare(env)
    command = [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(port, time.time() + 30)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument(
        "--clients",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[4],
        help="concurrent clients; a comma-separated list runs every phase at each (e.g. 1,2,4,8)",
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with gunicorn_server(args.workers) as port:
        runs = []
        for clients in args.clients:
            results = []
            for name, path, headers in PHASES:
                drive(port, path, headers, 1.0, 200, clients)  # warm-up
                results.append(
                    (name, drive(port, path, headers, args.seconds, args.max_requests, clients))
                )
            runs.append((clients, results))
    for clients, results in runs:
        report(args, clients, results)


def report(args: argparse.Namespace, clients: int, results: list) -> None:
    floor = results[0][1]
    print(
        f"gunicorn {args.workers} workers, {clients} clients, {args.seconds:g} s per phase "
        f"(at most {args.max_requests} requests), {os.cpu_count()} cores"
    )
    print("| endpoint | requests | throughput (req/s) | median | p99 | errors | vs floor |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results:
        vs = (
            f"median {r['median_ms'] / floor['median_ms']:.1f}×, "
            f"throughput {r['throughput'] / floor['throughput']:.0%}"
        )
        print(
            f"| {name} | {r['requests']} | {r['throughput']:.0f} | {r['median_ms']:.2f} ms | "
            f"{r['p99_ms']:.2f} ms | {r['errors']} | {vs} |"
        )
    print()


if __name__ == "__main__":
    main()
