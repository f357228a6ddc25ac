from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class CalculatorConfig(AppConfig):
    name = "calculator"
    verbose_name = "Calculator"

    def ready(self) -> None:
        from calculator.profiles import finish_request, start_request

        # The profiles version is read at most once per request (calculator/profiles.py).
        request_started.connect(start_request, dispatch_uid="profiles-version-start")
        request_finished.connect(finish_request, dispatch_uid="profiles-version-finish")
