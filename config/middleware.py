"""Response headers that Django's SecurityMiddleware does not set.

- Permissions-Policy: the calculator uses no camera, microphone, location, payment or sensor;
  saying so stops a script that got in (or a framed page) from asking for them.
- Cross-Origin-Resource-Policy: other sites may not load our responses into their pages
  (`same-origin`), except what is made to be embedded: the widget under /embed/ and the loader
  script /static/embed.js (`cross-origin`), which host pages load from their own origin.

First in MIDDLEWARE, so static files served by WhiteNoise carry the headers too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def embeddable(path: str) -> bool:
    """Whether other sites' pages load this path: the widget, and the loader (embed.js, or its
    hashed copy embed.<hash>.js)."""
    return path.startswith("/embed/") or path.startswith(
        f"/{settings.STATIC_URL.strip('/')}/embed."
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy",
            "cross-origin" if embeddable(request.path) else "same-origin",
        )
        return response
