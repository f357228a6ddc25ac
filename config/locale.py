"""The visitor's language: the URL's prefix decides (LocaleMiddleware); the browser's
Accept-Language only chooses where a visitor lands when arriving from another site.

No cookie remembers the choice (the site sets none on its public pages): the language lives in
the address, so a shared link opens in the language it was shared in, and the switch on every
page is a link to the same page under another prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language_from_path, get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header


def browser_language(request: HttpRequest) -> str:
    """The first language of Accept-Language that the site speaks, else the default."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def arrived_from_elsewhere(request: HttpRequest) -> bool:
    """No Referer from this site: a first visit, a bookmark or a link from elsewhere. A click
    on our own links (the language switch among them) carries this site's address."""
    referer = request.headers.get("Referer", "")
    return not referer or urlsplit(referer).netloc != request.get_host()


class FirstVisitLanguageMiddleware:
    """Send a visitor who arrives at an English address from elsewhere, and whose browser asks
    for another of our languages, to that language's address of the same page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        target = self._target(request)
        if target is not None:
            response: HttpResponseBase = HttpResponseRedirect(target)
            patch_vary_headers(response, ("Accept-Language",))
            patch_cache_control(response, private=True)
            return response
        return self.get_response(request)

    @staticmethod
    def _target(request: HttpRequest) -> str | None:
        if request.method not in ("GET", "HEAD") or "HX-Request" in request.headers:
            return None
        if "Accept-Language" not in request.headers or get_language_from_path(request.path_info):
            return None
        if not arrived_from_elsewhere(request):
            return None
        language = browser_language(request)
        if language == settings.LANGUAGE_CODE:
            return None
        url = request.get_full_path()
        translated = translate_url(url, language)
        return translated if translated != url else None


# Addresses with no language prefix whose text is still for people: the API's documentation
# and messages, and the widget's documentation. They keep one address (an API client or a
# snippet cannot follow a prefix), so the browser's or client's Accept-Language chooses.
ACCEPT_LANGUAGE_PREFIXES = ("/api/", "/embed/docs/")


class AcceptLanguageMiddleware:
    """Under ACCEPT_LANGUAGE_PREFIXES, speak the first language of Accept-Language that the
    site has (English otherwise): the API's error messages and sentences, and its docs. Numbers,
    field names and codes are the same in every language. Goes after LocaleMiddleware, which
    activates English on every unprefixed address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(ACCEPT_LANGUAGE_PREFIXES):
            return self.get_response(request)
        language = browser_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):  # the thread's language is left as it was
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
