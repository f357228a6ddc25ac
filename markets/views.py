"""Public pages: a platform's markets (with a filter) and one market's tiers, fees and funding."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from markets.queries import platform_markets
from platforms.models import Platform

LIST_ROWS = 20


@require_GET
def market_list(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_object_or_404(Platform.objects.published(), slug=slug)
    search = request.GET.get("market", "")[:40]
    # A page at a time: a phone shows twenty markets in a few screens.
    page = Paginator(platform_markets(platform, search), LIST_ROWS).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "markets/list.html",
        {"platform": platform, "markets": page.object_list, "page_obj": page, "search": search},
    )


@require_GET
def market_detail(request: HttpRequest, slug: str, symbol: str) -> HttpResponse:
    platform = get_object_or_404(Platform.objects.published(), slug=slug)
    market = platform_markets(platform).filter(symbol=symbol).first()
    if market is None:
        raise Http404(f"{platform.name} has no market {symbol} in our data.")
    return render(request, "markets/detail.html", {"platform": platform, "market": market})
