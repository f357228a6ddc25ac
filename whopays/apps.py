from django.apps import AppConfig


class WhoPaysConfig(AppConfig):
    name = "whopays"
    verbose_name = "Who pays: ADL, insurance funds, the law where you live"

    def ready(self) -> None:
        from whopays import signals  # noqa: F401  (connects the receivers)
