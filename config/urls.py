from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("platforms/", include("platforms.urls")),
    path("", include("calculator.urls")),
]
