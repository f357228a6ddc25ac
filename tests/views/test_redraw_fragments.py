"""Fragments of the calculator's answer that each process keeps (Django's `{% cache %}`): they
never outlive the data, the language or the day they were rendered for.

The profile line depends on the policy data and the language only, not on the scenario's
numbers, so a redraw for a new entry price reuses it; an admin's edit, another language, or the
day the profile turns stale must each show at once.
"""

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from platforms.choices import ProtectionStatus
from platforms.models import AccountScope, Platform
from tests.platforms.admin_forms import form_data
from tests.scenarios import BINANCE_TEXTBOOK

pytestmark = pytest.mark.django_db

SCENARIO = BINANCE_TEXTBOOK
HTMX = {"HX-Request": "true"}


def redraw(client, entry_price: str, prefix: str = "", **query: str) -> str:
    response = client.get(
        f"{prefix}/", {**SCENARIO, "entry_price": entry_price, **query}, headers=HTMX
    )
    assert response.status_code == 200
    return response.content.decode()


def rules_line(page: str) -> str:
    match = re.search(r'<p class="profile-line">.*?</p>', page, re.DOTALL)
    assert match, "no profile line"
    return match.group(0)


def test_the_profile_line_is_kept_and_is_what_an_empty_cache_renders(client, seeded):
    first = rules_line(redraw(client, "50000"))
    assert "Binance" in first
    kept = rules_line(redraw(client, "50001"))  # a new scenario: the line comes from the cache
    caches["template_fragments"].clear()
    fresh = rules_line(redraw(client, "50002"))
    assert kept == first == fresh


def test_an_admin_edit_shows_in_the_next_redraw(staff_client, seeded):
    assert "verified" in rules_line(redraw(staff_client, "50000"))
    platform = Platform.objects.get(slug="binance")
    url = reverse("admin:platforms_platform_change", args=[platform.pk])
    data = form_data(staff_client.get(url))
    data["last_verified"] = "2026-11-02"
    data["name"] = "Binance Renamed"
    assert staff_client.post(url, data).status_code == 302

    line = rules_line(redraw(staff_client, "50001"))
    assert "verified 2 Nov 2026" in line
    assert "Binance Renamed" in line


def test_an_edit_to_the_scope_shows_in_the_next_redraw(client, seeded):
    before = rules_line(redraw(client, "50000"))
    scope = AccountScope.objects.get(pk=client.get("/", SCENARIO).context["profile"].scope.pk)
    # a write outside the admin goes through the same signal
    scope.protection = (
        ProtectionStatus.UNKNOWN
        if scope.protection != ProtectionStatus.UNKNOWN
        else ProtectionStatus.USER_LIABLE
    )
    scope.save()
    after = rules_line(redraw(client, "50001"))
    assert after != before
    assert f">{scope.get_protection_display()}</span>" in after


def test_each_language_gets_its_own_line(client, seeded):
    english = rules_line(redraw(client, "50000"))
    russian = rules_line(redraw(client, "50001", prefix="/ru"))
    assert russian != english
    assert "verified" not in russian
    caches["template_fragments"].clear()
    assert rules_line(redraw(client, "50002", prefix="/ru")) == russian
    assert rules_line(redraw(client, "50003")) == english


def test_each_account_scope_gets_its_own_line(client, seeded):
    isolated = rules_line(redraw(client, "50000"))
    cross = rules_line(
        redraw(
            client, "50001", margin_mode="cross", margin="", quantity="0.1", wallet_balance="5000"
        )
    )
    assert isolated != cross
    assert "cross" in cross.lower()


def test_the_day_a_profile_turns_stale_shows_at_once(client, seeded):
    platform = Platform.objects.get(slug="binance")
    age = (dt.date.today() - platform.last_verified).days
    assert "badge-stale" not in rules_line(redraw(client, "50000"))
    # the same data a day later: the limit passed, with no write to bump the version
    with override_settings(PROFILE_STALE_AFTER_DAYS=max(age - 1, 0)):
        assert "badge-stale" in rules_line(redraw(client, "50001"))


def test_fragments_are_kept_in_each_process_memory(settings):
    """Not in the shared cache: a memory cache cannot fail or time out, so a Redis outage
    cannot break a redraw through `{% cache %}` (tests/ops/test_cache_failure.py), and a hit
    costs microseconds, not a network round trip."""
    backend = settings.CACHES["template_fragments"]["BACKEND"]
    assert backend == "django.core.cache.backends.locmem.LocMemCache"
