from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import views

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("platforms/", include("platforms.urls")),
    path("platforms/", include("markets.urls")),
    path("incidents/", include("incidents.urls")),
    path("api/", include("api.urls")),
    path("learn/", include("learn.urls")),
    path("embed/", include("embed.urls")),
    path("account/", include("readers.urls")),
    path("", include("calculator.urls")),
]
