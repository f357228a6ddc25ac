"""The public comparison table and profile pages, as a visitor reads them."""

import datetime as dt

import pytest
from django.urls import reverse

from platforms.models import Citation, WaterfallStep
from tests.platforms import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_platforms():
    safe = factories.platform(slug="safe", name="Safe Exchange", kind="exchange")
    line = factories.product_line(safe, max_leverage=100)
    scope = factories.scope(line, protection="contractual_promise")
    WaterfallStep.objects.create(scope=scope, order=1, party="insurance_fund")
    WaterfallStep.objects.create(scope=scope, order=2, party="auto_deleveraging")
    Citation.objects.create(
        subject=scope,
        url="https://safe.example/terms",
        quote="Losing traders never owe more than the margin posted.",
        confidence="high",
    )
    Citation.objects.create(
        subject=scope,
        url="https://blog.example/guess",
        quote="Probably covered.",
        confidence="low",
        is_inference=True,
    )
    liable = factories.platform(slug="liable", name="Liable Broker", kind="broker")
    liable_line = factories.product_line(liable, max_leverage=20)
    factories.scope(liable_line, protection="user_liable")
    factories.platform(slug="draft", name="Hidden Draft", is_published=False)
    return safe, liable


def test_table_answers_can_you_owe_money(client, two_platforms):
    page = client.get(reverse("platforms:list")).content.decode()
    assert "Safe Exchange" in page and "Liable Broker" in page
    assert "Hidden Draft" not in page
    assert 'class="verdict verdict-no"' in page
    assert 'class="verdict verdict-yes"' in page
    assert "Insurance fund" in page and "Auto-deleveraging" in page


def test_table_filters_and_sorts_from_the_query_string(client, two_platforms):
    url = reverse("platforms:list")
    rows = client.get(url, {"owe": "yes"}).context["rows"]
    assert [r.platform.slug for r in rows] == ["liable"]
    rows = client.get(url, {"kind": "exchange"}).context["rows"]
    assert [r.platform.slug for r in rows] == ["safe"]
    rows = client.get(url, {"sort": "leverage"}).context["rows"]
    assert [r.platform.slug for r in rows] == ["safe", "liable"]
    rows = client.get(url, {"sort": "owe"}).context["rows"]
    assert [r.platform.slug for r in rows] == ["liable", "safe"]
    rows = client.get(url, {"q": "broker"}).context["rows"]
    assert [r.platform.slug for r in rows] == ["liable"]


def test_table_sorts_names_whatever_their_case(client, two_platforms):
    factories.platform(slug="dydx", name="dYdX", kind="exchange")
    rows = client.get(reverse("platforms:list")).context["rows"]
    assert [r.platform.name for r in rows] == ["dYdX", "Liable Broker", "Safe Exchange"]


def test_bad_filter_values_get_a_message_not_an_error(client, two_platforms):
    response = client.get(reverse("platforms:list"), {"kind": "spaceship", "sort": "<script>"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "<script>" not in page
    assert len(response.context["rows"]) == 2


def test_profile_page_shows_citations_and_marks_weak_ones(client, two_platforms):
    response = client.get(reverse("platforms:detail", args=["safe"]))
    page = response.content.decode()
    assert "Promised in the platform&#x27;s terms" in page
    assert "Losing traders never owe more than the margin posted." in page
    assert "Our inference, not stated by the source" in page
    assert "Low confidence" in page


def test_stale_profile_is_flagged_on_its_page(client):
    factories.platform(slug="old", last_verified=dt.date.today() - dt.timedelta(days=365))
    page = client.get(reverse("platforms:detail", args=["old"])).content.decode()
    assert "stale" in page


def test_unknown_or_unpublished_profile_is_a_404(client, two_platforms):
    assert client.get(reverse("platforms:detail", args=["nope"])).status_code == 404
    assert client.get(reverse("platforms:detail", args=["draft"])).status_code == 404


def test_only_get_is_allowed(client, two_platforms):
    assert client.post(reverse("platforms:list")).status_code == 405


def test_each_account_on_a_profile_page_opens_in_the_calculator(client, seeded):
    # Every account scope of every seeded profile links to the calculator on exactly that
    # account; the example answers, or the form names what the profile lacks (Bybit publishes
    # no liquidation margin level for UTA borrowing), and never fails.
    import html
    import re

    from platforms.models import Platform

    unanswered = []
    for platform in Platform.objects.published():
        page = client.get(f"/platforms/{platform.slug}/").content.decode()
        links = re.findall(r'<a href="(/\?[^"]+)">See what this account', page)
        assert len(links) == sum(line.scopes.count() for line in platform.product_lines.all())
        for link in links:
            response = client.get(html.unescape(link))
            assert response.status_code == 200
            context = response.context
            scope = re.search(r"scope=([^&]+)", html.unescape(link)).group(1).replace("%2F", "/")
            if context["valid"]:
                assert context["profile"].scope_key == scope
            else:
                unanswered.append((platform.slug, scope, dict(context["form"].errors)))
    assert [(slug, scope) for slug, scope, _ in unanswered] == [
        ("bybit", "uta-borrowing/cross"),
        ("bybit", "uta-borrowing/portfolio"),
    ]
    assert all(list(errors) == ["liquidation_margin_level"] for *_, errors in unanswered)
    bybit = client.get("/platforms/bybit/").content.decode()
    assert "it will ask for the liquidation margin level, which Bybit does not publish" in bybit
