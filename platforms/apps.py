from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = "Platform policy profiles"

    def ready(self) -> None:
        from platforms import signals  # noqa: F401  (connects the receivers)
        from platforms.profiles import finish_request, start_request

        # The profiles version is read at most once per request (platforms/profiles.py).
        request_started.connect(start_request, dispatch_uid="profiles-version-start")
        request_finished.connect(finish_request, dispatch_uid="profiles-version-finish")
