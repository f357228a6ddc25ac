"""The site's URLs and /__trivial: a view that does nothing, the load test's floor."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


# The site's patterns are added as they are, not through include(): they hold i18n_patterns,
# which Django allows only in the root URLconf.
urlpatterns = [path("__trivial", trivial), *site_urlpatterns]
