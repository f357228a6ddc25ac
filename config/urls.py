from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config import views

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"

# Machine and operator routes: one address whatever the language.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("api.urls")),
    path("embed/", include("embed.urls")),
]
# Pages for people: English at /…, every other language under its prefix (/ru/…, /zh-hans/…).
urlpatterns += i18n_patterns(
    path("privacy/", views.privacy, name="privacy"),
    path("translations/report/", views.translation_report, name="translation_report"),
    path("platforms/", include("platforms.urls")),
    path("platforms/", include("markets.urls")),
    path("incidents/", include("incidents.urls")),
    path("learn/", include("learn.urls")),
    path("account/", include("readers.urls")),
    path("", include("calculator.urls")),
    prefix_default_language=False,
)
