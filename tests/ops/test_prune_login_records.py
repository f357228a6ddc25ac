"""`prune_login_records` clears expired django-axes attempts and old login records, and keeps
lockouts that are still in force."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def attempt(username: str, age: dt.timedelta) -> AccessAttempt:
    row = AccessAttempt.objects.create(
        username=username, ip_address="203.0.113.9", user_agent="", failures_since_start=5
    )
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)
    return row


def login_record(username: str, age: dt.timedelta) -> None:
    row = AccessLog.objects.create(username=username, ip_address="198.51.100.7", user_agent="")
    AccessLog.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)


def test_expired_attempts_and_old_records_go_and_live_lockouts_stay(capsys):
    attempt("expired", dt.timedelta(hours=2))
    attempt("locked-now", dt.timedelta(minutes=10))
    login_record("long-ago", dt.timedelta(days=40))
    login_record("yesterday", dt.timedelta(days=1))
    call_command("prune_login_records")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["locked-now"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["yesterday"]
    assert "Deleted 1 expired login attempt(s), 1 login record(s)" in capsys.readouterr().out


def test_days_is_a_choice():
    login_record("last-week", dt.timedelta(days=8))
    call_command("prune_login_records", "--days", "7", verbosity=0)
    assert not AccessLog.objects.exists()
