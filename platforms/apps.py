from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = "Platform policy profiles"

    def ready(self) -> None:
        from platforms import signals  # noqa: F401  (connects the receivers)
