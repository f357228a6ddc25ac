"""Prune django-axes' tables, which grow with every admin login attempt: run it daily.

- AccessAttempt (failed attempts, which lock an account): rows older than the cool-off
  (AXES_COOLOFF_TIME, an hour) lock nobody any more. Axes removes them itself only when
  someone next tries to log in, so after a burst of failures nothing clears them.
- AccessLog (each login and logout) and AccessFailureLog: rows older than --days (30).

A lockout still in force is never removed.
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Delete expired django-axes login attempts and login records older than --days."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=30, help="Keep login records this many days (30)."
        )

    def handle(self, *args, days: int, **options) -> None:
        now = timezone.now()
        cool_off: object = settings.AXES_COOLOFF_TIME
        if isinstance(cool_off, int | float):
            cool_off = dt.timedelta(hours=cool_off)
        attempts = 0
        if isinstance(cool_off, dt.timedelta):  # without a cool-off, lockouts never expire
            attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - cool_off).delete()
        cutoff = now - dt.timedelta(days=days)
        logs, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
        failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
        self.stdout.write(
            f"Deleted {attempts} expired login attempt(s), {logs} login record(s) and "
            f"{failures} failure record(s) older than {days} days."
        )
