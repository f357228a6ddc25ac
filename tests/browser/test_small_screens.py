"""Every public page on a 360 px phone: nothing wider than the screen, so nothing scrolls sideways.

A wide table may scroll inside its own box (.table-scroll); the page itself must not.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.urls import reverse

from incidents.models import Incident
from learn.views import TOPICS
from platforms.models import Platform

from .conftest import SCREENSHOTS, TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}

# Elements that stick out past the right edge of the screen, for the failure message.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll('body *')]
    .filter(node => node.getBoundingClientRect().right > width + 0.5)
    .filter(node => !node.closest('.table-scroll, pre'))
    .slice(0, 5)
    .map(node => node.tagName.toLowerCase() + (node.className ? '.' + node.className : '')
      + ' ' + JSON.stringify((node.textContent || '').trim().slice(0, 40)));
  return {scrollWidth: document.documentElement.scrollWidth, width, wide};
}"""


def public_paths() -> list[str]:
    paths = [
        reverse("calculator:home"),
        reverse("platforms:list"),
        *(p.get_absolute_url() for p in Platform.objects.published()),
        reverse("incidents:list"),
        *(reverse("incidents:detail", args=[i.slug]) for i in Incident.objects.all()[:2]),
        reverse("incidents:chance") + "?platform=binance&entry_price=50000&margin=1000&leverage=10",
        reverse("learn:index"),
        *(reverse("learn:topic", args=[slug]) for slug in TOPICS),
        reverse("api:docs"),
        reverse("embed:docs"),
        reverse("privacy"),
    ]
    return paths


@pytest.fixture
def phone(browser) -> Iterator:
    # not is_mobile: a mobile viewport widens itself to fit the page, hiding the overflow
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_no_public_page_scrolls_sideways_at_360_px(site, phone):
    call_command("seed_incidents", verbosity=0)
    paths = public_paths()
    assert any(path.startswith("/incidents/chance/") for path in paths)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wide = {}
    for path in paths:
        response = phone.goto(site + path)
        assert response.status == 200, path
        phone.wait_for_load_state("load")
        overflow = phone.evaluate(OVERFLOW)
        if overflow:
            wide[path] = overflow
            name = path.strip("/").replace("/", "_").split("?")[0] or "home"
            phone.screenshot(path=str(SCREENSHOTS / f"overflow-360-{name}.png"), full_page=True)
    assert wide == {}, wide


# Links in the Learn tables' row headers smaller than a finger's 24 × 24 px (WCAG 2.5.8): each
# header holds two, the platform and "Open", one above the other.
SMALL_TABLE_LINKS = """() => [...document.querySelectorAll('.learn-table th a')]
  .map(link => ({text: link.textContent.trim(), box: link.getBoundingClientRect()}))
  .filter(({box}) => box.width < 24 || box.height < 24)
  .map(({text, box}) => `${text}: ${box.width.toFixed(1)} × ${box.height.toFixed(1)}`)"""


@pytest.mark.parametrize("language", ["", "/ru", "/zh-hans"])
def test_the_learn_tables_links_are_a_fingers_size_at_360_px(site, phone, language):
    checked = 0
    for path in (reverse("learn:index"), reverse("learn:topic", args=["do-exchanges-protect-you"])):
        assert phone.goto(site + language + path).status == 200, path
        checked += phone.locator(".learn-table th a").count()
        assert phone.evaluate(SMALL_TABLE_LINKS) == [], path
    assert checked >= 10
