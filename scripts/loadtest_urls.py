"""The site's URLs and /__trivial: a view that does nothing, the load test's floor."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("__trivial", trivial), path("", include("config.urls"))]
