"""Every seeded citation carries a date, and says what kind of date it is.

A source that shows its own date keeps it ("published"); one that shows none carries the day the
fact was last verified against it, labelled as that ("verified"), never a guessed source date.
"""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from platforms.models import Citation, DateKind, Platform
from platforms.seed.loader import profile_files

pytestmark = pytest.mark.django_db


def _citations(obj):
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "citations":
                yield from value
            yield from _citations(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from _citations(item)


def test_no_seeded_profile_citation_lacks_a_date(seeded):
    assert Citation.objects.count() > 500
    assert not Citation.objects.filter(source_date__isnull=True).exists()
    assert Citation.objects.filter(date_kind=DateKind.VERIFIED).exists()
    assert Citation.objects.filter(date_kind=DateKind.PUBLISHED).exists()


def test_every_profile_citation_has_a_date_and_a_verified_one_says_so():
    for path in profile_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        today = dt.date.today().isoformat()
        for citation in _citations(data):
            assert citation.get("source_date"), f"{path.name}: {citation['url']} has no date"
            if citation.get("date_kind") == "verified":
                # a day someone checked it: never in the future
                assert citation["source_date"] <= today, path.name
                assert "last verified" in citation["date_note"], path.name


def test_the_label_tells_a_verified_day_from_a_source_date(seeded):
    verified = Citation.objects.filter(date_kind=DateKind.VERIFIED).first()
    verified.date_note = ""
    assert verified.date_label.startswith("last verified ")
    published = Citation.objects.filter(date_kind=DateKind.PUBLISHED).first()
    published.date_note = ""
    assert "verified" not in published.date_label


def test_a_verified_date_kind_needs_the_day(seeded):
    citation = Citation(
        subject=Platform.objects.get(slug="okx"),
        url="https://www.okx.com/help",
        quote="x",
        confidence="high",
        date_kind=DateKind.VERIFIED,
    )
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "source_date" in error.value.message_dict
    citation.source_date = dt.date(2026, 12, 6)
    citation.full_clean()


def test_no_citation_of_any_seed_lacks_a_date(seeded):
    """Profiles, who-pays records and incidents: every citation `make seed` loads is dated."""
    from django.core.management import call_command

    call_command("seed_whopays", verbosity=0)
    call_command("seed_incidents", verbosity=0)
    assert Citation.objects.count() > 700
    undated = Citation.objects.filter(source_date__isnull=True)
    assert not undated.exists(), [c.url for c in undated[:5]]
