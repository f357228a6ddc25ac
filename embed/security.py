"""Who may frame a response: nobody, except the embed widget's pages.

X-Frame-Options: DENY is global (XFrameOptionsMiddleware). CSP `frame-ancestors` supersedes it in
current browsers, so every response carries one too: `'none'`, or for the widget the origins in
settings.EMBED_ALLOWED_ORIGINS. With django-csp installed, the embed views replace its
`frame-ancestors` directive (the rest of its policy still applies); without it, the middleware
below writes the directive itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"
# An origin as CSP source syntax allows it: scheme://host[:port], with an optional leading "*."
# in the host. Anything else (spaces, ";" or ",", quotes) could smuggle in another directive.
_ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$")


def frame_ancestors() -> list[str]:
    """The CSP sources allowed to frame the widget, from settings.EMBED_ALLOWED_ORIGINS.

    "*" allows any site. A list of origins also allows this site itself, so the embed docs page
    can show a live preview.
    """
    origins = [origin.strip().rstrip("/") for origin in settings.EMBED_ALLOWED_ORIGINS]
    if "*" in origins:
        return ["*"]
    return ["'self'", *(origin for origin in origins if _ORIGIN.match(origin))]


def allow_framing(response: HttpResponseBase) -> HttpResponseBase:
    """Let the configured origins frame this response where django-csp is not in the way (see
    FrameAncestorsMiddleware), and send no X-Frame-Options."""
    # Attributes that Django's and the middleware below read; the stubs do not declare them.
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    response.frame_ancestors = " ".join(frame_ancestors())  # type: ignore[attr-defined]
    return response


def embeddable(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A view whose every response (a 429 too) may be framed by the configured origins.

    The origins are read from the settings on each request, so django-csp's `csp_replace`
    decorator is applied then rather than once at import.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        framed = csp_replace({"frame-ancestors": frame_ancestors()})(view)
        return allow_framing(framed(request, *args, **kwargs))

    return wrapper


class FrameAncestorsMiddleware:
    """Adds `frame-ancestors` to every response that has no such directive yet.

    Sits above django-csp in MIDDLEWARE, so it sees that middleware's header and only fills a gap.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        directive = "frame-ancestors " + getattr(response, "frame_ancestors", "'none'")
        policy = response.get(HEADER)
        if not policy:
            response[HEADER] = directive
        elif "frame-ancestors" not in policy:
            response[HEADER] = policy.rstrip("; ") + "; " + directive
        return response
