from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "markets"
    verbose_name = "Markets (per-symbol tiers, fees and funding)"

    def ready(self) -> None:
        from markets import signals  # noqa: F401  (connects the receivers)
