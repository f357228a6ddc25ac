"""robots.txt: crawlers may fetch every page for people, and not what the pages fetch for themselves."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def disallowed(robots: str, path: str) -> bool:
    """RFC 9309 for a file with one group and only Disallow lines: a rule matches a path that
    starts with its pattern, where * stands for any run of characters and a final $ for the end."""
    for line in robots.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() != "disallow" or not value.strip():
            continue
        pattern = value.strip()
        anchored = pattern.endswith("$")
        regex = ".*".join(map(re.escape, pattern.rstrip("$").split("*")))
        if re.match(regex + ("$" if anchored else ""), path):
            return True
    return False


@pytest.fixture
def robots(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("User-agent: *\n")
    return text


def test_the_matcher_follows_the_rfc():
    rules = "User-agent: *\nDisallow: /*/calculator/\nDisallow: /a$\n"
    assert disallowed(rules, "/ru/calculator/table?x=1")
    assert not disallowed(rules, "/calculator/table")
    assert disallowed(rules, "/a") and not disallowed(rules, "/ab")


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_pages_for_people_may_be_crawled(robots, language):
    with translation.override(language):
        pages = [
            reverse("calculator:home"),
            reverse("calculator:home") + "?platform=binance&entry_price=50000&margin=1000",
            reverse("calculator:account"),
            reverse("platforms:list"),
            reverse("learn:index"),
            reverse("privacy"),
        ]
    pages += [reverse("api:docs"), reverse("embed:docs")]
    for page in pages:
        assert not disallowed(robots, page), page


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_fragments_api_and_outside_calls_are_not_crawled(robots, language):
    with translation.override(language):
        kept_off = [
            reverse(name)
            for name in (
                "calculator:table",
                "calculator:maths",
                "calculator:scope_options",
                "calculator:market_options",
                "calculator:account_table",
                "readers:read",
                "translation_report",
            )
        ]
    kept_off += [reverse(f"api:{name}") for name in ("evaluate", "stress", "account", "openapi")]
    for path in kept_off:
        assert disallowed(robots, path), path


def test_the_admin_address_is_not_advertised(robots):
    assert settings.ADMIN_URL.strip("/") not in robots
