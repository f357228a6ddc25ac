"""Learn cites the Citation records the profiles show, so an admin's correction reaches Learn."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from learn.topics import SOURCES, TOPICS
from platforms.models import Citation

pytestmark = pytest.mark.django_db

PAGES = ["/learn/", *(f"/learn/{slug}/" for slug in TOPICS)]


@pytest.fixture
def incidents(seeded):
    call_command("seed_incidents", verbosity=0)


class Outbound(HTMLParser):
    """External links, and the ids of the citation records a page shows."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: set[str] = set()
        self.records: set[int] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and re.match(r"https?://", attributes.get("href") or ""):
            self.hrefs.add(attributes["href"])
        if "data-citation" in attributes:
            self.records.add(int(attributes["data-citation"]))


def outbound(client, path: str) -> Outbound:
    response = client.get(path)
    assert response.status_code == 200
    page = Outbound()
    page.feed(response.content.decode())
    return page


def test_each_learn_source_is_exactly_one_seeded_record(incidents):
    counts = {key: source.records().count() for key, source in SOURCES.items()}

    assert counts == dict.fromkeys(SOURCES, 1)


def test_every_source_a_page_names_is_one_it_declares(client, incidents):
    """A template that asks for a source its topic does not list would show no record."""
    for slug, topic in TOPICS.items():
        page = outbound(client, f"/learn/{slug}/")
        declared = {SOURCES[key].records().get().pk for key in topic.sources}
        assert page.records == declared, slug


def test_every_outside_link_is_a_shown_record(client, incidents):
    """Learn types no source URL of its own: each link out is a record's."""
    for path in PAGES:
        page = outbound(client, path)
        urls = set(Citation.objects.filter(pk__in=page.records).values_list("url", flat=True))

        assert page.hrefs <= urls, (path, page.hrefs - urls)


def test_an_admin_correction_reaches_the_learn_pages(client, incidents):
    record = SOURCES["binance_insurance_fund"].records().get()
    record.quote = "Corrected: the fund covers bankrupt positions only while it has money."
    record.title = "Binance FAQ (corrected title)"
    record.date_note = "Last updated 1 December 2026"
    record.save()

    for path in ("/learn/do-exchanges-protect-you/", "/learn/glossary/"):
        html = client.get(path).content.decode()
        assert "Corrected: the fund covers bankrupt positions only while it has money." in html
        assert "Binance FAQ (corrected title)" in html
        assert "Last updated 1 December 2026" in html
        assert "To the extent possible, the Futures Insurance Funds" not in html


def test_an_inference_record_is_marked_as_ours(client, seeded):
    html = client.get("/learn/do-exchanges-protect-you/").content.decode()
    record = SOURCES["hyperliquid_reading"].records().get()
    assert record.is_inference

    shown = re.search(rf'data-citation="{record.pk}">(.*?)</div>', html, re.S)
    assert shown and "badge-inference" in shown.group(1)


def test_without_records_a_source_points_to_the_profile(client):
    html = client.get("/learn/do-exchanges-protect-you/").content.decode()

    assert 'Source: see <a href="/platforms/bitmex/">the profile</a>' in html
