"""The Learn pages on a 360 px phone in every language: Russian and Ukrainian run longest and
Chinese breaks lines differently, so each page must still not scroll sideways (#24)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse

from learn.views import TOPICS

from .test_small_screens import OVERFLOW, PHONE, phone  # noqa: F401

pytestmark = pytest.mark.browser

# A Learn table wider than its box: it still scrolls inside it, but a reader misses a column.
SCROLLING_TABLES = """() => [...document.querySelectorAll('.learn .table-scroll')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => box.querySelector('caption')?.textContent.trim() + ': ' + box.scrollWidth)"""

SCREENSHOTS = {"ru": "learn-360-ru", "zh-hans": "learn-360-zh-hans"}


def test_every_learn_page_fits_a_phone_in_every_language(site, phone, screenshots_dir):  # noqa: F811
    assert phone.viewport_size == PHONE
    paths = [reverse("learn:index"), *(reverse("learn:topic", args=[slug]) for slug in TOPICS)]
    wide = {}
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        for path in paths:
            phone.goto(f"{site}{prefix}{path}")
            phone.locator("h1").wait_for()
            assert phone.evaluate("document.documentElement.lang") == code
            overflow = phone.evaluate(OVERFLOW)
            if overflow:
                wide[f"{prefix}{path}"] = overflow
            tables = phone.evaluate(SCROLLING_TABLES)
            if tables:
                wide[f"{prefix}{path} tables"] = tables
            if code in SCREENSHOTS and path == reverse("learn:topic", args=["liquidation"]):
                name = SCREENSHOTS[code]
                phone.screenshot(path=str(screenshots_dir / f"{name}.png"), full_page=True)
                # and screen by screen, to read at full size
                height = phone.evaluate("document.documentElement.scrollHeight")
                for number, top in enumerate(range(0, height, PHONE["height"]), start=1):
                    clip = {"x": 0, "y": top, "width": PHONE["width"], "height": PHONE["height"]}
                    phone.screenshot(
                        path=str(screenshots_dir / f"{name}-{number:02d}.png"),
                        full_page=True,
                        clip=clip,
                    )
    assert wide == {}, json.dumps(wide, ensure_ascii=False, indent=1)
