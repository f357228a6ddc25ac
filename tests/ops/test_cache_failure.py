"""Without its cache the site keeps answering: rate limits fail open (logged), pages come from
each process's snapshot, /healthz says "degraded" with a 200, and the site recovers by itself."""

import logging
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings

from config import cache_guard
from platforms import profiles
from platforms.models import Platform

pytestmark = pytest.mark.django_db

# The shared cache fails; each process's memory cache for template fragments (settings.py) is
# not a service and cannot, and the settings always define it.
FRAGMENTS = {"template_fragments": settings.CACHES["template_fragments"]}
REDIS_DOWN = {"default": {"BACKEND": "tests.ops.broken_cache.BrokenCache"}, **FRAGMENTS}
SCENARIO = "platform=binance&entry_price=50000&margin=1000&leverage=10&gap=0.05"
PAGES = [
    ("/?" + SCENARIO, {}),
    ("/?" + SCENARIO, {"HX-Request": "true"}),  # the calculator's partial
    ("/api/v1/evaluate?" + SCENARIO, {}),
    ("/embed/?" + SCENARIO, {}),
    ("/platforms/binance/", {}),
]


@pytest.fixture(autouse=True)
def fresh_reports():
    cache_guard.forget_failures()
    yield
    cache_guard.forget_failures()


def unwritable_file_cache(tmp_path):
    """A file cache whose directory cannot be created (a file is in the way): every write
    fails with an OSError, as a full disk or a read-only volume does."""
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocker / "inside"),
        },
        **FRAGMENTS,
    }


@pytest.mark.parametrize(("path", "headers"), PAGES)
def test_pages_answer_while_redis_is_down(client, seeded, path, headers):
    with override_settings(CACHES=REDIS_DOWN):
        profiles.forget_profiles_version()
        response = client.get(path, headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize(("path", "headers"), PAGES)
def test_pages_answer_with_an_unwritable_file_cache(client, seeded, tmp_path, path, headers):
    with override_settings(CACHES=unwritable_file_cache(tmp_path)):
        profiles.forget_profiles_version()
        response = client.get(path, headers=headers)
    assert response.status_code == 200


@override_settings(RATE_LIMITS={"api": (1, 60), "calculator": (1, 60), "simulate": (1, 60)})
def test_rate_limits_fail_open_and_say_so_in_the_log(client, caplog):
    url = "/api/v1/evaluate?entry_price=50000&leverage=10&margin=1000"
    with override_settings(CACHES=REDIS_DOWN), caplog.at_level(logging.WARNING, "underwater.cache"):
        statuses = [client.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.name == "underwater.cache" and "rate limits" in r.getMessage()
    ]
    # logged once, not once per request (the policy-data version logs its own line)
    assert len(warnings) == 1
    assert "rate limits fail open" in warnings[0]
    assert "ConnectionError" in warnings[0]
    # the cache is back: the limit holds again
    assert [client.get(url).status_code for _ in range(2)] == [200, 429]


def test_an_edit_while_the_cache_is_down_is_seen_here_at_once_and_everywhere_once_it_is_back(
    client, seeded, settings
):
    settings.PROFILES_VERSION_SECONDS = 0
    headers = {"HX-Request": "true"}
    with override_settings(CACHES=REDIS_DOWN):
        profiles.forget_profiles_version()
        assert client.get("/?" + SCENARIO, headers=headers).status_code == 200
        platform = Platform.objects.get(slug="binance")
        platform.name = "Binance (edited during the outage)"
        platform.save()  # the signal bumps the version: no 500 from the cache
        edited = client.get("/?" + SCENARIO + "&leverage=11", headers=headers)
        assert "Binance (edited during the outage)" in edited.content.decode()
        written = profiles.profiles_version()
    # back: the version this process made meanwhile reaches the shared cache for the others
    assert profiles.profiles_version() == written
    assert profiles.cache.get(profiles.VERSION_KEY) == written


def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_is_degraded_but_200_without_the_cache(client):
    with override_settings(CACHES=REDIS_DOWN):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_healthz_is_503_without_the_database(client):
    with mock.patch("config.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
