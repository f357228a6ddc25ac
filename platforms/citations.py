"""Stored sources by what they support, for pages that show a source outside its profile.

A page that cites a platform's (or an incident's) source reads the Citation record itself, not
a copy of its URL and quote, so an admin's correction to the record reaches that page too.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from platforms.models import Citation


def citations_on(subjects: QuerySet, *, url: str, field_name: str = "") -> QuerySet[Citation]:
    """The Citations with this URL that support `field_name` ("" for the whole record) of the
    records `subjects` selects (platforms, product lines, scopes, incidents…): one query."""
    return Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(subjects.model),
        object_id__in=subjects.values("pk"),
        url=url,
        field_name=field_name,
    )
