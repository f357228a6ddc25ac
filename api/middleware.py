"""Under /api/ every error is JSON, as the API's own 400s are: a 404, a 405, a 500 from a bug.

A client parses one error format whatever went wrong; the site's HTML error pages stay for
everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from config.locale import browser_language

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
# exceptions Django answers with a 4xx of its own
CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)
MESSAGES = {
    404: _("No such endpoint: the API's endpoints are listed at /api/v1/openapi.json."),
    405: _("This endpoint does not answer %(method)s."),
    500: _(
        "Something went wrong on our side; it has been logged. The same request may work "
        "later: if not, please report it."
    ),
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


class JsonErrorsMiddleware:
    """An HTML error answered under /api/ (Django's 404 and 405, the 500 page) becomes
    {"errors": {"__all__": [message]}} with the same status and headers (Allow, Retry-After)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._as_json(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's unhandled exception: logged as Django logs it, answered as JSON. Other
        middleware's exceptions reach the 500 page, which `__call__` turns into JSON."""
        if not is_api(request) or isinstance(exception, CLIENT_ERRORS):
            return None  # Django answers these (404, 403, 400) and __call__ makes them JSON
        # as Django does for an unhandled exception: error reporters (and the test client,
        # which re-raises it) hear of it
        signals.got_request_exception.send(sender=None, request=request)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500, "request": request},
        )
        with translation.override(browser_language(request)):
            message = str(MESSAGES[500])
        return JsonResponse({"errors": {"__all__": [message]}}, status=500)

    @staticmethod
    def _as_json(request: HttpRequest, response: HttpResponse) -> JsonResponse:
        status = response.status_code
        with translation.override(browser_language(request)):  # in the client's language
            message = str(MESSAGES.get(status, response.reason_phrase)) % {"method": request.method}
        answer = JsonResponse({"errors": {"__all__": [message]}}, status=status)
        for header in ("Allow", "Retry-After"):
            if header in response:
                answer[header] = response[header]
        return answer
