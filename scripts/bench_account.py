"""Timing figures for BENCHMARKS.md, "Whole accounts": an account of 20 positions with its
liquidation map, beside a single position on the same rules, in the same run.

Run with `.venv/bin/python scripts/bench_account.py`. Engine cases are pure Python; HTTP cases
go through Django's full stack with the test client on a throwaway database with the seeded
profiles, next to a trivial view measured in the same run.

    .venv/bin/python scripts/bench_account.py --browser [--runs 30] [--phone]

measures what a visitor waits for instead, as scripts/bench_browser.py does for the calculator:
gunicorn with production settings, Debian's Chromium (1280×900, or with --phone 360×780 and the
CPU slowed 4×), the 5-position account of the HTTP case, and position 4's mark changed --runs
times (each a new account), with the page at the edited row, at the answer and at the map. The
page records when htmx sent the request, when the response arrived, when it was swapped in, the
frame after the results settled (the new answer on screen), the task after that frame (its
style, layout and paint done) and the frame after the map was drawn. The wait htmx adds after
the last keystroke is not counted. With --typing instead, it types new marks key by key at a few
key intervals and reports the requests sent per typed number and the time from the last
keystroke to the answer on screen, the wait included.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
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
    numbers = itertools.count(1)  # a wallet balance never asked for before: a new account

    def new_account() -> object:
        wallet = f"wallet_balance={200000 + next(numbers)}"
        return client.get(
            "/account/?" + query.replace("wallet_balance=200000", wallet), headers=headers
        )

    partial = median_seconds(new_account, runs=60, warmup=5)
    again = median_seconds(
        lambda: client.get("/account/?" + query, headers=headers), runs=60, warmup=5
    )
    return [
        ("http: trivial Django view (floor)", trivial_time, ""),
        ("http: POST /api/v1/account, 1 position (Binance)", api1, ""),
        ("http: POST /api/v1/account, 20 positions (Binance)", api20, ""),
        ("http: account page redraw (htmx results), 5 positions, a new account", partial, ""),
        ("http: the same redraw again (from memory where kept)", again, ""),
    ]


# Installed once in the page: when each step of the last redraw ended (as bench_browser.py).
INSTRUMENT = """() => {
  window.__redraw = {};
  const mark = (name) => { window.__redraw[name] = performance.now(); };
  const ours = (e) => e.detail.target && e.detail.target.id === 'account-results';
  const results = (e) => e.target.id === 'account-results';
  document.addEventListener('htmx:beforeRequest', e => { if (ours(e)) mark('sent'); });
  document.addEventListener('htmx:beforeSwap', e => { if (ours(e)) mark('arrived'); }, true);
  document.addEventListener('htmx:afterSwap', e => { if (results(e)) mark('swapped'); }, true);
  document.addEventListener('htmx:afterSettle', e => {
    if (results(e)) requestAnimationFrame(() => mark('answer'));
  });
  document.addEventListener('htmx:afterSettle', e => {
    if (results(e)) requestAnimationFrame(() => setTimeout(() => mark('painted'), 0));
  }, true);
  const react = window.Plotly.react;
  window.Plotly.react = function (node) {
    const redraw = window.__redraw;
    const drawn = react.apply(this, arguments);
    const done = () => requestAnimationFrame(() => { redraw.map = performance.now(); });
    if (drawn && typeof drawn.then === 'function') drawn.then(done); else done();
    return drawn;
  };
}"""

CHANGE_MARK = """(value) => {
  window.__redraw = {};
  const field = document.getElementById('id_positions-3-mark_price');
  field.value = value;
  field.dispatchEvent(new Event('input', {bubbles: true}));
}"""

BROWSER_POSITIONS = {
    "at the edited row": "document.getElementById('position-3').scrollIntoView()",
    "at the answer": "document.getElementById('answer').scrollIntoView()",
    "at the map": "document.getElementById('chart-map').scrollIntoView()",
}
# Then at the edited row again, scrolling to the map as soon as the new answer is on screen:
# the map out of view is drawn once it comes into view (or once the answer has stood a moment).
SCROLL_TO_MAP = "at the edited row, then straight to the map"
SCROLL_WHEN_ANSWERED = """() => new Promise(resolve => {
  const wait = () => {
    if (window.__redraw.answer === undefined) { requestAnimationFrame(wait); return; }
    window.__redraw.scrolled = performance.now();
    document.getElementById('chart-map').scrollIntoView();
    resolve();
  };
  wait();
})"""
BROWSER_STEPS = [
    ("request and response (network, server)", "sent", "arrived"),
    ("swap (htmx)", "arrived", "swapped"),
    ("**new answer on screen**", "sent", "answer"),
    ("that frame rendered (style, layout, paint)", "sent", "painted"),
    ("**the map drawn**", "sent", "map"),
    ("the map drawn, from the scroll to it", "scrolled", "map"),
]
PHONE_SLOWDOWN = 4


def open_with_map(page, base: str) -> None:
    """The 5-position account with its map drawn, at the page's top: plotly.js is fetched once
    the map is near the screen (on a phone, below the form), so the run scrolls to it first."""
    page.goto(base + "/account/?" + page_query(5))
    page.evaluate("document.getElementById('chart-map').scrollIntoView()")
    page.wait_for_function("() => document.querySelector('[data-figure=map] .main-svg') !== null")
    page.evaluate("window.scrollTo(0, 0)")


def measure_browser(base: str, runs: int, phone: bool) -> dict[str, list[dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    timings: dict[str, list[dict[str, float]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(
            viewport={"width": 360, "height": 780} if phone else {"width": 1280, "height": 900}
        )
        if phone:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_SLOWDOWN})
        open_with_map(page, base)
        page.evaluate(INSTRUMENT)
        number = 0
        for position, scroll in [*BROWSER_POSITIONS.items(), (SCROLL_TO_MAP, "")]:
            timings[position] = []
            for run in range(runs + 5):  # the first five warm up the browser and the workers
                number += 1
                page.evaluate(scroll or BROWSER_POSITIONS["at the edited row"])
                page.evaluate(CHANGE_MARK, f"{4040 + number / 100:.2f}")  # a new account
                if not scroll:
                    page.evaluate(SCROLL_WHEN_ANSWERED)
                page.wait_for_function(
                    "() => window.__redraw.map !== undefined"
                    " && window.__redraw.painted !== undefined"
                )
                page.wait_for_timeout(100)
                if run >= 5:
                    timings[position].append(page.evaluate("window.__redraw"))
        browser.close()
    return timings


# For --typing: requests sent for the results, the last keystroke in the mark field, and the
# frame after the results for the typed value (read from the request's address) settled.
INSTRUMENT_TYPING = """() => {
  window.__typing = {requests: 0};
  document.addEventListener('input', e => {
    if (e.target.id === 'id_positions-3-mark_price') window.__typing.lastKey = performance.now();
  }, true);
  document.addEventListener('htmx:beforeRequest', e => {
    if (e.detail.target && e.detail.target.id === 'account-results') window.__typing.requests += 1;
  });
  document.addEventListener('htmx:afterSettle', e => {
    if (e.target.id !== 'account-results') return;
    const url = new URL(e.detail.xhr.responseURL);
    if (url.searchParams.get('positions-3-mark_price') === window.__typing.value) {
      requestAnimationFrame(() => { window.__typing.answer = performance.now(); });
    }
  });
}"""
KEY_INTERVALS_MS = [60, 120, 200]


def measure_typing(base: str, runs: int, phone: bool) -> dict[int, list[dict[str, float]]]:
    """Types a new mark for position 4 ("4123.4", six keys) --runs times at each key interval,
    at the edited row: requests per typed number, and the last keystroke to the answer."""
    from playwright.sync_api import sync_playwright

    timings: dict[int, list[dict[str, float]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(
            viewport={"width": 360, "height": 780} if phone else {"width": 1280, "height": 900}
        )
        if phone:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_SLOWDOWN})
        open_with_map(page, base)
        page.evaluate(INSTRUMENT_TYPING)
        field = page.locator("#id_positions-3-mark_price")
        number = 0
        for interval in KEY_INTERVALS_MS:
            timings[interval] = []
            for run in range(runs + 3):  # the first three warm up
                number += 1
                value = f"{4000 + number}.{number % 10}"  # an account the server has not seen
                field.focus()
                page.keyboard.press("ControlOrMeta+a")
                page.evaluate("value => { window.__typing = {requests: 0, value: value}; }", value)
                page.keyboard.type(value, delay=interval)
                page.wait_for_function("() => window.__typing.answer !== undefined")
                page.wait_for_timeout(400)  # any map drawing done before the next number
                if run >= 3:
                    timings[interval].append(page.evaluate("window.__typing"))
        browser.close()
    return timings


def main_typing(args: argparse.Namespace) -> None:
    from bench_browser import print_typing_table
    from loadtest import gunicorn_server

    with gunicorn_server(args.workers) as port:
        timings = measure_typing(f"http://127.0.0.1:{port}", args.runs, args.phone)
    screen = f"360×780, CPU slowed {PHONE_SLOWDOWN}×" if args.phone else "1280×900"
    print(
        f"{args.runs} typed marks (6 keys each) per key interval, Chromium headless ({screen}), "
        f"gunicorn {args.workers} workers, load average {os.getloadavg()[0]:.1f}"
    )
    print_typing_table(timings)


def main_browser(args: argparse.Namespace) -> None:
    from loadtest import gunicorn_server

    with gunicorn_server(args.workers) as port:
        timings = measure_browser(f"http://127.0.0.1:{port}", args.runs, args.phone)
    screen = f"360×780, CPU slowed {PHONE_SLOWDOWN}×" if args.phone else "1280×900"
    print(
        f"{args.runs} redraws of a 5-position account at each position, Chromium headless "
        f"({screen}), gunicorn {args.workers} workers, load average {os.getloadavg()[0]:.1f}"
    )
    print("| from the request sent to | " + " | ".join(timings) + " |")
    print("|---|" + "---|" * len(timings))
    for name, start, end in BROWSER_STEPS:
        cells = []
        for runs in timings.values():
            spans = sorted(t[end] - t[start] for t in runs if start in t and end in t)
            if not spans:
                cells.append("–")
                continue
            p90 = spans[int(len(spans) * 0.9) - 1]
            cells.append(f"{statistics.median(spans):.1f} ms (p90 {p90:.1f})")
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="the page in Chromium")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--phone", action="store_true", help="360×780, CPU slowed 4×")
    parser.add_argument("--typing", action="store_true", help="type marks key by key")
    args = parser.parse_args()
    if args.typing:
        main_typing(args)
        return
    if args.browser:
        main_browser(args)
        return
    print_rows(seeded_rows(__name__, engine_cases, http_cases))


if __name__ == "__main__":
    main()
