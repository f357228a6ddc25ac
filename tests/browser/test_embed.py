"""The widget embedded in a page from another origin, as a site that pastes the snippet would.

A tiny http.server on another 127.0.0.1 port serves a host page with the snippet twice (and an
iframe of the admin login page, which must be refused); the widgets come from the live server.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.morph import nodes_kept, note_nodes
from tests.browser.test_account_page import DRAWN_MARKS

pytestmark = pytest.mark.browser

INITIAL_HEIGHT = "560px"  # the loader's height before the widget reports its own
WIDGETS = "iframe[data-underwater-widget]"

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A blog about trading</title></head>
<body style="margin: 2rem auto; max-width: 760px">
<h1>Can you lose more than you put in?</h1>
<p>Try it:</p>
<script async src="{app}/static/embed.js" data-platform="bybit" data-leverage="10"></script>
<p id="between">And on BitMEX, in the dark:</p>
<script async src="{app}/static/embed.js" data-platform="bitmex" data-theme="dark" data-chart="crash"></script>
<p>The admin login, which must refuse to be framed:</p>
{admin}
</body></html>
"""
ADMIN_FRAME = '<iframe id="admin-frame" src="{app}/admin/login/" width="600" height="300"></iframe>'
BLANK_PAGE = '<!doctype html><html><head><link rel="icon" href="data:,"><title>blank</title></head><body><p>x</p></body></html>'


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def other_origin(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(URL, folder) of a static server on another port: another origin than the live server."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    server.shutdown()
    server.server_close()


def host_page(folder: Path, app: str, *, admin: bool = True) -> None:
    admin_frame = ADMIN_FRAME.format(app=app) if admin else ""
    (folder / "index.html").write_text(HOST_PAGE.format(app=app, admin=admin_frame))
    (folder / "blank.html").write_text(BLANK_PAGE)


def widget_frame(page, index: int):
    return page.locator(WIDGETS).nth(index).element_handle().content_frame()


def wait_for_resize(page, index: int) -> None:
    page.wait_for_function(
        "([selector, index, initial]) => {"
        "  const frame = document.querySelectorAll(selector)[index];"
        "  return frame && frame.style.height && frame.style.height !== initial; }",
        arg=[WIDGETS, index, INITIAL_HEIGHT],
    )


def test_widget_from_another_origin_renders_resizes_and_answers(site, page, other_origin):
    host, folder = other_origin
    assert host != site
    host_page(folder, site, admin=False)  # the admin page sets a CSRF cookie of its own

    page.goto(host + "/blank.html")
    globals_before = set(page.evaluate("Object.keys(window)"))
    page.goto(host + "/index.html")

    widgets = page.locator(WIDGETS)
    widgets.first.wait_for(state="attached")
    assert widgets.count() == 2
    ids = [widgets.nth(i).get_attribute("data-underwater-widget") for i in range(2)]
    assert len(set(ids)) == 2
    for i in range(2):
        src = widgets.nth(i).get_attribute("src")
        assert src.startswith(site + "/embed/?") and f"id={ids[i]}" in src
        assert widgets.nth(i).get_attribute("loading") == "lazy"
    # Each iframe stands where its script stood.
    assert (
        page.evaluate("() => document.getElementById('between').previousElementSibling.tagName")
        == "SCRIPT"
    )
    assert (
        page.evaluate(
            "() => document.getElementById('between').previousElementSibling"
            ".previousElementSibling.tagName"
        )
        == "IFRAME"
    )

    # The first widget renders the answer for Bybit and sizes its iframe to its content.
    wait_for_resize(page, 0)
    first = widget_frame(page, 0)
    first.locator("#answer").wait_for()
    answer = first.locator("#answer").inner_text()
    assert "Bybit" in answer
    content_height = first.evaluate(
        "Math.ceil(document.querySelector('.uw').getBoundingClientRect().height)"
    )
    frame_height = widgets.first.evaluate("node => node.getBoundingClientRect().height")
    assert abs(frame_height - content_height) <= 2
    first.wait_for_function("() => !!document.querySelector('#chart-equity .main-svg')")

    # Input inside the iframe redraws the answer there (htmx, no cookies, no CSRF token).
    redraws = []
    page.on(
        "request",
        lambda request: redraws.append(request.url) if request.headers.get("hx-request") else None,
    )
    first.locator("#uw-leverage").fill("50")
    first.wait_for_function(
        "old => document.querySelector('#answer') &&"
        " document.querySelector('#answer').textContent.trim() !== old",
        arg=answer.strip(),
    )
    assert "At 50×" in first.locator(".uw-answer").inner_text()
    first.locator("#uw-leverage").press("Tab")  # leaving the field fires "change" too
    page.wait_for_timeout(500)  # longer than the form's delays
    assert len(redraws) == 1 and "leverage=50" in redraws[0], redraws  # not asked twice

    # The second widget (lazy, below the first) loads when scrolled to, in its own theme.
    widgets.nth(1).scroll_into_view_if_needed()
    wait_for_resize(page, 1)
    second = widget_frame(page, 1)
    second.locator("#answer").wait_for()
    assert "BitMEX" in second.locator("#answer").inner_text()
    assert second.evaluate("document.body.classList.contains('theme-dark')")
    # its crash chart is SVG in the widget's page: drawn with the answer, recoloured for the
    # dark theme by the widget's stylesheet, and no chart library fetched for it
    line = second.locator("#chart-crash polyline").first
    assert line.is_visible()
    assert line.evaluate("node => getComputedStyle(node).stroke") == "rgb(108, 192, 255)"
    assert second.evaluate("typeof window.Plotly") == "undefined"

    # The loader left no globals behind (window[0], window[1]… are the frames), and no cookies.
    added = set(page.evaluate("Object.keys(window)")) - globals_before
    assert {name for name in added if not name.isdigit()} == set()
    assert page.context.cookies() == []
    assert page.errors == []


def test_loader_ignores_forged_resize_messages(site, page, other_origin):
    host, folder = other_origin
    host_page(folder, site, admin=False)
    page.goto(host + "/index.html")
    wait_for_resize(page, 0)
    widget = page.locator(WIDGETS).first
    before = widget.evaluate("node => node.style.height")
    widget_id = widget.get_attribute("data-underwater-widget")
    # From the host page itself (wrong origin and source), then from the widget with bad shapes.
    page.evaluate(
        "id => window.postMessage({type: 'underwater:resize', id: id, height: 999}, '*')",
        widget_id,
    )
    frame = widget_frame(page, 0)
    for payload in (
        "{type: 'underwater:resize', id: ID, height: '900'}",
        "{type: 'underwater:resize', id: ID, height: 99999}",
        "{type: 'underwater:resize', id: 'someone-else', height: 901}",
        "{type: 'other', id: ID, height: 902}",
    ):
        frame.evaluate(f"ID => window.parent.postMessage({payload}, '*')", widget_id)
    page.wait_for_timeout(300)  # messages are async; nothing visible to wait for when ignored
    assert widget.evaluate("node => node.style.height") == before
    # A well-formed message from the widget is obeyed.
    frame.evaluate(
        "ID => window.parent.postMessage({type: 'underwater:resize', id: ID, height: 640}, '*')",
        widget_id,
    )
    page.wait_for_function(
        "selector => document.querySelector(selector).style.height === '640px'", arg=WIDGETS
    )


def test_admin_login_refuses_to_be_framed_by_another_origin(site, page, other_origin):
    host, folder = other_origin
    host_page(folder, site)
    refused = []
    page.on(
        "response",
        lambda response: (
            refused.append(response.headers) if "/admin/login/" in response.url else None
        ),
    )
    page.goto(host + "/index.html")
    page.locator("#admin-frame").scroll_into_view_if_needed()
    page.wait_for_function("() => document.readyState === 'complete'")
    page.wait_for_timeout(500)  # a blocked frame shows nothing: there is no event to wait for
    assert refused, "the admin page was requested"
    assert refused[0].get("x-frame-options") == "DENY"
    assert "frame-ancestors 'none'" in refused[0].get("content-security-policy", "")
    frame = page.locator("#admin-frame").element_handle().content_frame()
    assert frame is not None
    try:
        admin_fields = frame.locator("#id_username, #login-form").count()
        text = frame.evaluate("document.body ? document.body.innerText : ''")
    except Exception:  # Chromium's error page for a blocked frame may not be scriptable
        admin_fields, text = 0, ""
    assert admin_fields == 0
    assert "Username" not in text and "Django administration" not in text


# The boxes plotly.js drew for the price labels of the equity chart (each its line's own
# label), by label.
PRICE_LABEL_BOXES = """() => Object.fromEntries(
  [...document.querySelectorAll('#chart-equity .shape-label-text')].map(node => {
    const box = node.getBoundingClientRect();
    return [node.textContent.trim(), [box.left, box.top, box.right, box.bottom]];
  }))"""


def overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("path", "width"), [("/embed/bitget/", 420), ("/?platform=bitget", 1280)])
def test_liquidation_and_bankruptcy_labels_do_not_print_over_each_other(site, page, path, width):
    # Bitget at 10×: the two prices lie 0.4% apart, so their labels share one spot on the axis;
    # on the widget's short chart a tenth of its height was less than a label's.
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + path)
    page.wait_for_function(
        "() => document.querySelectorAll('#chart-equity .shape-label-text').length >= 3"
    )
    boxes = page.evaluate(PRICE_LABEL_BOXES)
    assert {"Liquidation", "Bankruptcy", "Entry"} <= boxes.keys()
    assert not overlaps(boxes["Liquidation"], boxes["Bankruptcy"]), boxes
    assert page.errors == []


def test_the_widget_draws_its_chart_once_per_answer(site, page):
    # htmx sends afterSettle to each element a response swaps, out-of-band ones too; on the
    # main page drawing on each drew every chart three times (tested there as well)
    page.goto(site + "/embed/bybit/")
    page.wait_for_function("() => document.querySelector('[data-figure] .main-svg') !== null")
    page.evaluate(
        """() => {
          window.__draws = 0;
          const react = window.Plotly.react;
          window.Plotly.react = function () { window.__draws += 1; return react.apply(this, arguments); };
          // #23: when the new answer settles, nothing is drawn yet, and the earlier drawing
          // stands in the chart's place rather than "Loading the chart…"
          document.addEventListener('htmx:afterSettle', e => {
            if (e.target.id !== 'uw-results') return;
            const node = document.querySelector('[data-figure]');
            window.__atSettle = {draws: window.__draws, shows: !!node.querySelector('.main-svg'),
                                 waits: !!node.querySelector('.uw-chart-wait')};
          });
          // and htmx's swap walked none of the earlier drawing's SVG (two events per node)
          window.__cleanedDrawing = 0;
          document.addEventListener('htmx:beforeCleanupElement', e => {
            if (e.target.closest && e.target.closest('.plot-container')) window.__cleanedDrawing += 1;
          });
        }"""
    )
    old = page.locator("[data-testid=liquidation-price]").inner_text()
    page.fill("#uw-leverage", "20")
    page.wait_for_function(
        "old => document.querySelector('[data-testid=liquidation-price]').textContent !== old",
        arg=old,
    )
    page.wait_for_function("() => window.__draws === 1")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__draws") == 1
    assert page.evaluate("window.__atSettle") == {"draws": 0, "shows": True, "waits": False}
    assert page.evaluate("window.__cleanedDrawing") == 0
    assert page.errors == []


def test_a_redraw_morphs_the_widget_in_place_and_keeps_the_drawing(site, page):
    """#23, as on the calculator: the results are morphed into the new answer (idiomorph,
    htmx's morph extension, from static/vendor/), not replaced: the nodes that did not change
    stay, htmx cleans up none of the old results, and the chart's node keeps its drawing until
    plotly.js draws the new answer in it."""
    page.goto(site + "/embed/bybit/")
    page.wait_for_function("() => document.querySelector('[data-figure] .main-svg') !== null")
    note_nodes(
        page,
        "#uw-results",
        same={"chart": "[data-figure]", "title": "#uw-fig-title"},
        shown={"svgShown": "[data-figure] .main-svg"},
    )
    earlier = page.evaluate(DRAWN_MARKS, "chart-equity")["drawn"]
    old = page.locator("[data-testid=liquidation-price]").inner_text()
    page.fill("#uw-leverage", "20")
    page.wait_for_function(
        "old => document.querySelector('[data-testid=liquidation-price]').textContent !== old",
        arg=old,
    )
    assert nodes_kept(page) == {"chart": True, "title": True, "svgShown": True, "cleaned": 0}
    # the drawing is then the new answer's (the widget recolours it, its marks stay where they are)
    page.wait_for_function(
        f"([id, earlier]) => {{ const m = ({DRAWN_MARKS})(id);"
        " return m.drawn === m.answer && m.drawn !== earlier; }",
        arg=["chart-equity", earlier],
    )
    scripts = page.evaluate("[...document.scripts].map(s => s.src).filter(Boolean)")
    assert any("/static/vendor/idiomorph/" in src for src in scripts)
    assert all(src.startswith(site + "/static/") for src in scripts), scripts
    assert page.errors == []


def test_the_dark_widget_shades_the_area_below_zero_so_it_shows(site, page):
    # the light page's 18% dark red all but vanished on the dark background
    page.goto(site + "/embed/bybit/?theme=dark&leverage=25")
    page.wait_for_function("() => document.querySelector('#chart-equity .main-svg') !== null")
    fills = page.evaluate(
        "document.getElementById('chart-equity').layout.shapes.map(shape => shape.fillcolor)"
    )
    assert "rgba(255,141,152,0.45)" in fills
    assert "rgba(161,17,31,0.18)" not in fills
    assert page.errors == []


def test_the_who_pays_widget_shows_its_bars_with_the_answer_and_fetches_no_chart_library(
    site, page
):
    """#23: "who pays a deficit" is HTML bars, on screen with the answer: the widget asks for
    no plotly.js (some 330 KB) for it, and the dark theme colours the bars as its own."""
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(site + "/embed/bybit/?chart=coverage&gap=0.3&theme=dark")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#chart-coverage .bars-row")
    assert rows.count() >= 1 and rows.first.is_visible()
    assert "Insurance fund" in rows.first.inner_text()
    fill = page.evaluate(
        "getComputedStyle(document.querySelector('#chart-coverage .bars-fill')).fill"
    )
    assert fill == "rgb(108, 192, 255)"  # the dark theme's accent, not the light page's
    assert not any("plotly" in url for url in loaded), loaded
    # a redraw keeps the bars in step with the answer, still with no chart library
    old = rows.first.inner_text()
    page.fill("#uw-leverage", "20")
    page.wait_for_function(
        "old => document.querySelector('#chart-coverage .bars-row').innerText !== old", arg=old
    )
    page.wait_for_load_state("networkidle")
    assert not any("plotly" in url for url in loaded), loaded
    assert page.errors == []


def test_the_crash_widget_draws_its_lines_with_the_answer_and_reads_them_out(site, page):
    """#23: the crash chart is SVG in the widget's page: no plotly.js is fetched for it, a
    redraw brings the new answer's lines, and a pointer over it reads out the result at that
    move in the page's language."""
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(site + "/embed/binance/?chart=crash&theme=dark&lang=ru")
    page.wait_for_load_state("networkidle")
    line = page.locator("#chart-crash polyline")
    assert line.count() == 1 and line.is_visible()
    old = line.get_attribute("points")
    page.fill("#uw-leverage", "20")
    page.wait_for_function(
        "old => document.querySelector('#chart-crash polyline').getAttribute('points') !== old",
        arg=old,
    )
    plot = page.locator("#chart-crash .lines-plot")
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    page.mouse.move(box["x"] + box["width"], box["y"] + box["height"] / 2)  # a 100% move
    readout = page.locator("#chart-crash .lines-readout")
    readout.wait_for()
    move, result = readout.locator("dd").all_inner_texts()
    assert move == "100%"
    assert result.endswith("$") and result[0] in "−0123456789", result  # "0,00 $" in Russian
    assert line.evaluate("node => getComputedStyle(node).stroke") == "rgb(108, 192, 255)"
    assert not any("plotly" in url for url in loaded), loaded
    assert page.errors == []
