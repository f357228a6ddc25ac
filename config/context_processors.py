"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def csp_nonce(request: HttpRequest) -> dict:
    """The CSP nonce under the name django-htmx's {% htmx_script %} looks for."""
    return {"csp_nonce": getattr(request, "csp_nonce", None)}


def languages(request: HttpRequest) -> dict:
    """This page in every language, for the switch and the hreflang links.

    Only pages under a language prefix have versions; the API's and the widget's pages have
    one address, so they get no switch. The query string is kept: the scenario is the query.
    """
    path = request.get_full_path()
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        versions.append({"code": code, "name": name, "url": url})
    if len({version["url"] for version in versions}) == 1:
        return {"language_versions": []}
    return {
        "language_versions": versions,
        "translation_report_url": settings.TRANSLATION_REPORT_URL,
    }
