"""Template context shared by every page."""

from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict:
    """The CSP nonce under the name django-htmx's {% htmx_script %} looks for."""
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
