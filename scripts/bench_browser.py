"""What a visitor waits for: from a changed field to the new answer and charts on screen.

    .venv/bin/python scripts/bench_browser.py [--runs 100] [--workers 2]

Starts gunicorn as the load test does (production settings, seeded SQLite, 127.0.0.1 only),
opens the calculator in Debian's Chromium (/usr/bin/chromium, headless) and changes the
leverage --runs times, each a scenario the server has not seen. For each change the page
itself records (performance.now()) when htmx sent the request, when the response arrived, when
the results were swapped in and settled, and the next frame after calculator.js redrew the three
Plotly charts. The wait htmx adds on purpose before it sends (50 ms after a change, 300 ms
after the last keystroke) is not counted: it is the same on any server.
"""

from __future__ import annotations

import argparse
import statistics

from loadtest import gunicorn_server  # scripts/ is on the path when this runs as a script
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
START = "/?platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05&compare=bitmex"

# Installed once: when each step of the last redraw ended. A capture listener on the document
# runs before calculator.js's afterSettle listener (which redraws the charts), the bubbling one
# after it; the frame after that is when the new charts can be on screen.
INSTRUMENT = """() => {
  window.__redraw = {};
  const mark = (name) => { window.__redraw[name] = performance.now(); };
  // the request's events carry its target; each swapped element gets its own after* events
  const ours = (e) => e.detail.target && e.detail.target.id === 'results';
  const results = (e) => e.target.id === 'results';
  document.addEventListener('htmx:beforeRequest', e => { if (ours(e)) mark('sent'); });
  document.addEventListener('htmx:beforeSwap', e => { if (ours(e)) mark('arrived'); }, true);
  document.addEventListener('htmx:afterSwap', e => { if (results(e)) mark('swapped'); }, true);
  document.addEventListener('htmx:afterSettle', e => { if (results(e)) mark('settled'); }, true);
  document.addEventListener('htmx:afterSettle', e => {
    if (!results(e)) return;
    mark('drawn');
    requestAnimationFrame(() => mark('painted'));
  });
}"""

CHANGE_LEVERAGE = """(value) => {
  window.__redraw = {};  // until htmx sends this change's request
  const field = document.getElementById('id_leverage');
  field.value = value;
  field.dispatchEvent(new Event('change', {bubbles: true}));
}"""


def measure(base: str, runs: int) -> list[dict[str, float]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + START)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')]"
            ".every(node => node.querySelector('.main-svg'))"
        )
        page.evaluate(INSTRUMENT)
        timings = []
        for run in range(runs + 5):  # the first five warm up the browser and the workers
            leverage = f"{10 + (run + 1) / 1000:.3f}"  # a new scenario every time
            page.evaluate(CHANGE_LEVERAGE, leverage)
            page.wait_for_function("() => window.__redraw.painted !== undefined")
            redraw = page.evaluate("window.__redraw")
            if run >= 5:
                timings.append(redraw)
        browser.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with gunicorn_server(args.workers) as port:
        timings = measure(f"http://127.0.0.1:{port}", args.runs)
    steps = [
        ("request and response (network, server)", "sent", "arrived"),
        ("history snapshot and swap (htmx)", "arrived", "swapped"),
        ("wait before settling (htmx)", "swapped", "settled"),
        ("three charts drawn (plotly.js)", "settled", "drawn"),
        ("to the next frame", "drawn", "painted"),
        ("in all, from request to new charts on screen", "sent", "painted"),
    ]
    print(f"{len(timings)} redraws, Chromium headless, gunicorn {args.workers} workers")
    print("| step | median | p90 |")
    print("|---|---|---|")
    for name, start, end in steps:
        spans = sorted(t[end] - t[start] for t in timings)
        p90 = spans[int(len(spans) * 0.9) - 1]
        print(f"| {name} | {statistics.median(spans):.1f} ms | {p90:.1f} ms |")


if __name__ == "__main__":
    main()
