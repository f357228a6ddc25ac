"""Browser fixtures: one Chromium for the session, a fresh context and page per test.

Playwright cannot download its own browser here, so the tests drive Debian's Chromium at
/usr/bin/chromium. Without it they skip, unless REQUIRE_BROWSER=1 (CI) says they must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from platforms.profiles import bump_profiles_version

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright waits up to this long for anything a visitor would see. Generous: on a busy two-core
# CI machine loading plotly.js and redrawing the charts can take several seconds.
TIMEOUT_MS = 30_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _browser_unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        _browser_unavailable(
            f"{CHROMIUM} is missing (install Debian's chromium: scripts/ensure_chromium.sh)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("the playwright package is not installed (requirements-dev.txt)")
    # Sync Playwright keeps an asyncio loop on this thread, and Django refuses database work
    # while a loop is running (SynchronousOnlyOperation). The tests themselves are synchronous,
    # so allow it for the session: seeding and flushing the test database between tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(request) -> Iterator:
    """pytest-django's live server, bound to 127.0.0.1 rather than "localhost".

    The first test checks that every request the page makes goes to 127.0.0.1 (no CDN), so the
    page itself must be served from there. --liveserver still wins when given.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(request.config.getvalue("liveserver") or "127.0.0.1")
    yield server
    server.stop()


@pytest.fixture
def seeded(transactional_db) -> None:
    """The seed profiles, committed, through the command `make run` uses, for every test.

    Overrides tests/conftest.py's `seeded` here: that one copies the first test's rows into later
    tests, but a transactional test's flush recreates the content types under new ids, so the
    copied citations point at content types that no longer exist (FOREIGN KEY constraint failed).
    """
    call_command("seed_profiles", verbosity=0)
    bump_profiles_version()


@pytest.fixture
def site(live_server, seeded) -> str:
    """The live server's address, with the seed profiles in its database.

    live_server runs in another thread, so it only sees committed rows: pytest-django gives a
    test that uses live_server a transactional database, and `seeded` above commits.
    """
    return live_server.url


PLOTLY_BUNDLE = "/static/vendor/plotly/plotly-basic.min.js"


def assert_plotly_waits_for_the_chart(browser, url: str, chart: str, drawn: str) -> None:
    """A phone's first visit to `url`: the answer shows and no plotly.js is fetched, even once
    the page has stood a moment; scrolled to `chart` (a selector), plotly.js is fetched once
    and `drawn` (a JavaScript predicate) comes true."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.locator("#answer").is_visible()
        page.wait_for_timeout(500)  # what would have been fetched on load has been asked for
        assert not [path for path in fetched if "plotly" in path]
        assert page.evaluate("typeof window.Plotly") == "undefined"

        page.locator(chart).scroll_into_view_if_needed()
        page.wait_for_function(drawn)
        assert [path for path in fetched if "plotly" in path] == [PLOTLY_BUNDLE]
    finally:
        context.close()


@pytest.fixture
def context(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Iterator:
    """A page that records console errors and uncaught exceptions in `page.errors`."""
    page = context.new_page()
    page.errors = []
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def history_restores(page) -> list[str]:
    """The addresses the page asks the server for when the back button restores one (htmx's
    history-restore requests), in order."""
    restores: list[str] = []
    page.on(
        "request",
        lambda request: (
            restores.append(request.url)
            if request.headers.get("hx-history-restore-request")
            else None
        ),
    )
    return restores


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
