"""What a visitor waits for: from a changed field to the new answer and charts on screen.

    .venv/bin/python scripts/bench_browser.py [--runs 100] [--workers 2] [--phone]

Starts gunicorn as the load test does (production settings, seeded SQLite, 127.0.0.1 only),
opens the calculator in Debian's Chromium (/usr/bin/chromium, headless, 1280×900) and changes
the leverage --runs times, each a scenario the server has not seen: first with the page at its
top (the form and the answer in view, the charts below), then scrolled to the equity chart (a
visitor watching it move). For each change the page itself records (performance.now()) when
htmx sent the request, when the response arrived, when the results were swapped in, the next
frame after the results settled (the answer, and any chart in view, on screen), the task right
after that frame (its style, layout and paint done), and the frame
after the first chart on screen was drawn (the chart in view), and the frame after the last
chart the redraw drew. Charts out of reach (more than two screens away:
on a phone, below the form) are drawn only when the visitor scrolls near them: the run then
scrolls to the equity chart and records the time from the scroll to that chart drawn. The wait
htmx adds on purpose before it sends (50 ms after a change, 100 ms after the last keystroke) is
not counted: it is the same on any server. --phone measures a phone instead: a 360×780 screen
and the CPU slowed 4× (Chromium's own throttling, as its developer tools offer), where the
charts are all below the form.

--typing measures what that wait costs instead: with the charts seen once (plotly.js loaded)
and the page back at the form, it types a new leverage (five keys, "12.34", over the old value) --runs times at each of a few key intervals, and reports how many requests
htmx sent per typed number and the time from the last keystroke to the answer for the typed
number on screen (the next frame after its results settled), the wait included.
"""

from __future__ import annotations

import argparse
import statistics

from loadtest import gunicorn_server  # scripts/ is on the path when this runs as a script
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
START = "/?platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05&compare=bitmex"
# equity; "who pays the deficit" (HTML bars) and the crash chart (SVG) are in the answer's own
# HTML, so on screen in the answer's frame
CHARTS = 1

# Installed once: when each step of the last redraw ended. The listener on afterSettle is added
# after calculator.js's (which draws the charts in view), so it runs after them; Plotly.react is
# wrapped to note when each chart was drawn: `charts` is the frame after the last one drawn
# since the request. Charts far from the screen (on a phone, below the form) wait until the
# visitor scrolls near them, so a redraw may draw fewer than both.
INSTRUMENT = """() => {
  window.__redraw = {};
  const mark = (name) => { window.__redraw[name] = performance.now(); };
  const frame = (name) => requestAnimationFrame(() => mark(name));
  // the request's events carry its target; each swapped element gets its own after* events
  const ours = (e) => e.detail.target && e.detail.target.id === 'results';
  const results = (e) => e.target.id === 'results';
  document.addEventListener('htmx:beforeRequest', e => { if (ours(e)) mark('sent'); });
  document.addEventListener('htmx:beforeSwap', e => { if (ours(e)) mark('arrived'); }, true);
  document.addEventListener('htmx:afterSwap', e => { if (results(e)) mark('swapped'); }, true);
  document.addEventListener('htmx:afterSettle', e => { if (results(e)) frame('answer'); });
  // the task queued from that frame, ahead of any chart drawn after it (a capturing listener
  // runs before calculator.js's): the frame's style, layout and paint are done by then
  document.addEventListener('htmx:afterSettle', e => {
    if (results(e)) requestAnimationFrame(() => setTimeout(() => mark('painted'), 0));
  }, true);
  const react = window.Plotly.react;
  window.Plotly.react = function (node) {
    const redraw = window.__redraw;
    const box = node.getBoundingClientRect();
    const inView = box.bottom > 0 && box.top < window.innerHeight;
    const drawn = react.apply(this, arguments);
    redraw.draws = (redraw.draws || 0) + 1;
    const draws = redraw.draws;
    requestAnimationFrame(() => {
      if (redraw.draws === draws) redraw.charts = performance.now();
      if (inView && redraw.scrolled === undefined && redraw.inview === undefined)
        redraw.inview = performance.now();
      if (node.id === 'chart-equity' && redraw.scrolled !== undefined && redraw.seen === undefined)
        redraw.seen = performance.now();
    });
    return drawn;
  };
}"""

# The redraw is over once no chart has been drawn for this long after the answer.
QUIET_MS = 400
WAIT_FOR_REDRAW = """() => window.__redraw.answer !== undefined
  && (window.__redraw.draws === undefined || window.__redraw.charts !== undefined)"""

CHANGE_LEVERAGE = """(value) => {
  window.__redraw = {};  // until htmx sends this change's request
  const field = document.getElementById('id_leverage');
  field.value = value;
  field.dispatchEvent(new Event('change', {bubbles: true}));
}"""

POSITIONS = {
    "page at its top (charts below the answer)": "window.scrollTo(0, 0)",
    "scrolled to the equity chart": "document.getElementById('chart-equity').scrollIntoView()",
}
STEPS = [
    ("request and response (network, server)", "sent", "arrived"),
    ("history snapshot (before this change) and swap (htmx)", "arrived", "swapped"),
    ("**new answer on screen** (and any chart in view)", "sent", "answer"),
    ("that frame rendered (style, layout, paint)", "sent", "painted"),
    ("the first chart on screen drawn (the chart in view)", "sent", "inview"),
    ("the charts near the screen drawn", "sent", "near"),
    ("a chart out of reach, scrolled to after the redraw: from the scroll", "scrolled", "seen"),
]


PHONE_SLOWDOWN = 4

# For --typing: requests sent for the results, the last keystroke in the leverage field, and
# the frame after the results for the typed value (read from the request's address) settled.
INSTRUMENT_TYPING = """() => {
  window.__typing = {requests: 0};
  document.addEventListener('input', e => {
    if (e.target.id === 'id_leverage') window.__typing.lastKey = performance.now();
  }, true);
  document.addEventListener('htmx:beforeRequest', e => {
    if (e.detail.target && e.detail.target.id === 'results') window.__typing.requests += 1;
  });
  document.addEventListener('htmx:afterSettle', e => {
    if (e.target.id !== 'results') return;
    const sent = new URL(e.detail.xhr.responseURL).searchParams.get('leverage');
    if (sent === window.__typing.value) {
      requestAnimationFrame(() => { window.__typing.answer = performance.now(); });
    }
  });
}"""
KEY_INTERVALS_MS = [60, 120, 200]


def open_calculator(browser: Browser, base: str, phone: bool) -> Page:
    """The calculator on a desktop's screen, or on a phone's with its CPU slowed."""
    page = browser.new_page(
        viewport={"width": 360, "height": 780} if phone else {"width": 1280, "height": 900}
    )
    if phone:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_SLOWDOWN})
    page.goto(base + START)
    return page


def measure(base: str, runs: int, phone: bool) -> dict[str, list[dict[str, float]]]:
    timings: dict[str, list[dict[str, float]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = open_calculator(browser, base, phone)
        # plotly.js is fetched once a chart comes near the screen (below the form on a phone)
        page.evaluate("document.getElementById('chart-equity').scrollIntoView()")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')]"
            ".every(node => node.querySelector('.main-svg'))"
        )
        page.evaluate(INSTRUMENT)
        number = 0
        for position, scroll in POSITIONS.items():
            timings[position] = []
            for run in range(runs + 5):  # the first five warm up the browser and the workers
                number += 1
                page.evaluate(scroll)
                page.evaluate(CHANGE_LEVERAGE, f"{10 + number / 1000:.3f}")  # a new scenario
                page.wait_for_function(WAIT_FOR_REDRAW)
                draws = -1
                while draws != page.evaluate("window.__redraw.draws || 0"):
                    draws = page.evaluate("window.__redraw.draws || 0")
                    page.wait_for_timeout(QUIET_MS)
                page.evaluate(  # what the redraw itself drew, before any scrolling
                    "() => { const r = window.__redraw; r.drawnWithRedraw = r.draws || 0;"
                    " r.near = r.charts; }"
                )
                if draws < CHARTS:  # the rest wait for the visitor: scroll to them
                    page.evaluate(
                        "window.__redraw.scrolled = performance.now();"
                        "document.getElementById('chart-equity').scrollIntoView()"
                    )
                    page.wait_for_function("() => window.__redraw.seen !== undefined")
                    page.wait_for_timeout(QUIET_MS)  # the other charts near it
                if run >= 5:
                    timings[position].append(page.evaluate("window.__redraw"))
        browser.close()
    return timings


def measure_typing(base: str, runs: int, phone: bool) -> dict[int, list[dict[str, float]]]:
    timings: dict[int, list[dict[str, float]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = open_calculator(browser, base, phone)
        page.locator("#answer").wait_for()
        # a visitor who has seen the charts (plotly.js loaded) and gone back to the form
        page.evaluate("document.getElementById('chart-equity').scrollIntoView()")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')]"
            ".every(node => node.querySelector('.main-svg'))"
        )
        page.evaluate("window.scrollTo(0, 0)")
        page.evaluate(INSTRUMENT_TYPING)
        field = page.locator("#id_leverage")
        number = 0
        for interval in KEY_INTERVALS_MS:
            timings[interval] = []
            for run in range(runs + 3):  # the first three warm up
                number += 1
                value = f"{12 + number / 100:.2f}"  # a scenario the server has not seen
                field.focus()
                page.keyboard.press("ControlOrMeta+a")
                page.evaluate("value => { window.__typing = {requests: 0, value: value}; }", value)
                page.keyboard.type(value, delay=interval)
                page.wait_for_function("() => window.__typing.answer !== undefined")
                if run >= 3:
                    timings[interval].append(page.evaluate("window.__typing"))
        browser.close()
    return timings


def main_typing(args: argparse.Namespace) -> None:
    with gunicorn_server(args.workers) as port:
        timings = measure_typing(f"http://127.0.0.1:{port}", args.runs, args.phone)
    screen = f"360×780, CPU slowed {PHONE_SLOWDOWN}×" if args.phone else "1280×900"
    print(
        f"{args.runs} typed leverages (5 keys each) per key interval, Chromium headless "
        f"({screen}), gunicorn {args.workers} workers"
    )
    print_typing_table(timings)


def print_typing_table(timings: dict[int, list[dict[str, float]]]) -> None:
    """Per key interval: requests per typed number, and last keystroke → answer (median, p90).
    The account page's bench (bench_account.py --typing) prints the same table."""
    print("| key interval | requests per typed number | last keystroke → answer on screen |")
    print("|---|---|---|")
    for interval, runs in timings.items():
        requests = statistics.mean(t["requests"] for t in runs)
        spans = sorted(t["answer"] - t["lastKey"] for t in runs)
        p90 = spans[int(len(spans) * 0.9) - 1]
        print(
            f"| {interval} ms | {requests:.1f} | "
            f"{statistics.median(spans):.1f} ms (p90 {p90:.1f}) |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--phone", action="store_true", help="360×780, CPU slowed 4×")
    parser.add_argument("--typing", action="store_true", help="type leverages key by key")
    args = parser.parse_args()
    if args.typing:
        main_typing(args)
        return
    with gunicorn_server(args.workers) as port:
        timings = measure(f"http://127.0.0.1:{port}", args.runs, args.phone)
    screen = f"360×780, CPU slowed {PHONE_SLOWDOWN}×" if args.phone else "1280×900"
    print(
        f"{args.runs} redraws at each position, Chromium headless ({screen}), "
        f"gunicorn {args.workers} workers"
    )
    print("| from the request sent to | " + " | ".join(timings) + " |")
    print("|---|" + "---|" * len(timings))
    for name, start, end in STEPS:
        cells = []
        for runs in timings.values():
            spans = sorted(
                t[end] - t[start]
                for t in runs
                if t.get(start) is not None and t.get(end) is not None
            )
            if not spans:
                cells.append("–")
                continue
            p90 = spans[int(len(spans) * 0.9) - 1]
            cells.append(f"{statistics.median(spans):.1f} ms (p90 {p90:.1f})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    cells = [
        str(statistics.median(t["drawnWithRedraw"] for t in runs)) for runs in timings.values()
    ]
    print(f"| charts drawn with the redraw (median, of {CHARTS}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
