"""Site-wide views: the health check, the privacy page, reports of wrong translations and
friendly error pages."""

from __future__ import annotations

import logging
import sys
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from config.forms import TranslationReportForm
from config.ratelimit import rate_limited

logger = logging.getLogger("underwater.health")
reports = logging.getLogger("underwater.translations")


HEALTH_KEY = "underwater:healthz"
RETRY_AFTER_SECONDS = 30


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Each dependency's state in the body; the status code follows the database alone.

    - 200 `{"status": "ok", "database": "ok", "cache": "ok"}`: all well.
    - 200 `{"status": "degraded", …, "cache": "unavailable"}`: the site keeps answering without
      its cache (rate limits fail open, pages come from each process's snapshot of the policy
      data, an admin's edit reaches other instances once the cache is back), so a load balancer
      must keep the instance: taking every instance out for a shared cache would turn a degraded
      site into a site that is down. Alert on "degraded" instead.
    - 503 `{"status": "unavailable", "database": "unavailable", …}`: pages that need the
      database answer 503 too; another instance may still reach it, so take this one out.
    - Once markets exist, `markets` says when each platform's import last succeeded and which
      markets are stale (`"status": "stale"`); stale data is "degraded" too, with a 200: the
      scheduled import needs a look, the instance is fine.
    """
    state: dict[str, Any] = {"database": _database_state(), "cache": _cache_state()}
    if state["database"] != "ok":
        return JsonResponse({"status": "unavailable", **state}, status=503)
    markets = _markets_state()
    if markets is not None:
        state["markets"] = markets
    healthy = state["cache"] == "ok" and (markets is None or markets["status"] == "ok")
    return JsonResponse({"status": "ok" if healthy else "degraded", **state})


def _markets_state() -> dict[str, Any] | None:
    from markets.health import market_health  # config knows the apps only here

    try:
        return market_health()
    except Exception:  # the health check never fails on its own report
        logger.exception("health check: market data could not be read")
        return {"status": "unknown"}


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "unavailable", whatever its type
        logger.exception("health check: database unavailable")
        return "unavailable"
    return "ok"


def _cache_state() -> str:
    token = uuid.uuid4().hex
    try:
        cache.set(HEALTH_KEY, token, timeout=30)
        if cache.get(HEALTH_KEY) != token:
            raise RuntimeError("the cache did not keep what was written to it")
    except Exception as error:  # any backend's failure
        logger.warning("health check: cache unavailable (%s: %s)", type(error).__name__, error)
        return "unavailable"
    return "ok"


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """What the site keeps about a visitor (nothing beyond logs), in plain words."""
    return render(request, "privacy.html")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Which addresses crawlers may fetch: the pages, not the fragments and API they call."""
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


# No CSRF token: it would need a cookie, and the public pages set none (see the privacy page). A
# forged report can only send the team a report, which the rate limit keeps to a trickle.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("report", methods=("POST",))
def translation_report(request: HttpRequest) -> HttpResponse:
    """A visitor reports a wrong term: logged and mailed to the site's admins, never stored.

    Used when TRANSLATION_REPORT_URL (an issue tracker, a mailto: link) is not set."""
    if request.method == "POST":
        form = TranslationReportForm(request.POST)
        if form.is_valid():
            report = form.cleaned_data
            text = "\n".join(f"{name}: {value}" for name, value in report.items())
            reports.info("translation report\n%s", text)
            mail_admins(f"Translation report ({report['language']})", text, fail_silently=True)
            return redirect(f"{reverse('translation_report')}?sent=1")
    else:
        language = get_language()
        form = TranslationReportForm(
            initial={
                "language": language if language != settings.LANGUAGE_CODE else None,
                "page": request.GET.get("page", "")[:300],
            }
        )
    return render(request, "translation_report.html", {"form": form, "sent": "sent" in request.GET})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


# Errors that mean "the database cannot be reached", not "our code is wrong".
DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """An unhandled error: 503 with a friendly page and Retry-After when the database cannot be
    reached (the site is unavailable for a while, not broken), else 500. Both pages render
    without database work: the error may be the database."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render(request, "500.html", status=500)
