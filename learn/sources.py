"""The sources Learn cites, read from the Citation records the platform profiles show.

Learn stores no URL, quote or date of its own: a `Source` says where the record is (a platform,
one of its product lines or account scopes, or a platform's part in an incident; the URL; the
field it supports), and the page shows the record. An admin's correction reaches Learn too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from incidents.models import Impact
from platforms.citations import citations_on
from platforms.models import AccountScope, Citation, Platform, ProductLine


@dataclass(frozen=True)
class Source:
    """Where a cited record is stored. `on` is "" (the platform itself), a product line's slug
    or "<product line>/<scope>"; with `incident`, the platform's part in that incident."""

    platform: str
    url: str
    field_name: str = ""
    on: str = ""
    incident: str = ""

    def subjects(self) -> QuerySet:
        if self.incident:
            return Impact.objects.filter(incident__slug=self.incident, platform__slug=self.platform)
        line, _, scope = self.on.partition("/")
        if scope:
            return AccountScope.objects.filter(
                product_line__platform__slug=self.platform, product_line__slug=line, slug=scope
            )
        if line:
            return ProductLine.objects.filter(platform__slug=self.platform, slug=line)
        return Platform.objects.filter(slug=self.platform)

    def records(self) -> QuerySet[Citation]:
        return citations_on(self.subjects(), url=self.url, field_name=self.field_name)

    @property
    def page(self) -> str:
        """Where a reader finds the whole record: the incident, or the platform's profile."""
        if self.incident:
            return reverse("incidents:detail", args=[self.incident])
        return reverse("platforms:detail", args=[self.platform])


@dataclass(frozen=True)
class Cited:
    """A source and its record; `record` is None where the profiles are not loaded."""

    source: Source
    record: Citation | None

    @property
    def page(self) -> str:
        return self.source.page


def cite(sources: dict[str, Source], keys: Iterable[str]) -> dict[str, Cited]:
    """The records of the named sources, one query each (a page cites a handful)."""
    return {key: Cited(sources[key], sources[key].records().first()) for key in keys}
