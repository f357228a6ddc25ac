"""Public pages: the comparison table and one page per profile with its citations."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from platforms.comparison import ComparisonFilterForm, comparison_rows
from platforms.models import AccountScope, Citation, Platform, ProductLine
from whopays.views import who_pays_context


@require_GET
def platform_list(request: HttpRequest) -> HttpResponse:
    form = ComparisonFilterForm(request.GET or None)
    rows = comparison_rows(form)
    return render(request, "platforms/list.html", {"form": form, "rows": rows})


@require_GET
def platform_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scopes = AccountScope.objects.prefetch_related("waterfall__citations", "citations")
    lines = ProductLine.objects.prefetch_related(
        "tiers", "citations", Prefetch("scopes", queryset=scopes)
    )
    platform = get_object_or_404(
        Platform.objects.published().prefetch_related(
            Prefetch("product_lines", queryset=lines), "citations"
        ),
        slug=slug,
    )
    weak = any(c.is_weak for c in _all_citations(platform))
    context = {"platform": platform, "has_weak_facts": weak, **who_pays_context(platform)}
    return render(request, "platforms/detail.html", context)


def _all_citations(platform: Platform) -> list[Citation]:
    found = list(platform.citations.all())
    for line in platform.product_lines.all():
        found += line.citations.all()
        for scope in line.scopes.all():
            found += scope.citations.all()
            for step in scope.waterfall.all():
                found += step.citations.all()
    return found
