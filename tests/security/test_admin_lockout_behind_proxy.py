"""Behind the documented nginx (DJANGO_TRUSTED_PROXY_COUNT=1) django-axes counts the client's
address, as the rate limits do, not the proxy's: a stranger cannot lock an admin out."""

import pytest
from django.test import override_settings

from config.ratelimit import client_id

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # nginx on the same host or network: every request comes from it
STRANGER = "203.0.113.9"
ADMIN = "198.51.100.7"


def login(client, password: str, forwarded_for: str):
    return client.post(
        "/admin/login/",
        {"username": "boss", "password": password},
        REMOTE_ADDR=PROXY,
        # nginx's $proxy_add_x_forwarded_for: what the client sent, then the address it saw
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {forwarded_for}",
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_strangers_failures_behind_the_proxy_do_not_lock_the_admin_out(client, django_user_model):
    django_user_model.objects.create_superuser("boss", "b@example.com", "right-Pass-1")
    statuses = [login(client, "wrong", STRANGER).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the stranger is locked out
    assert login(client, "right-Pass-1", STRANGER).status_code == 429
    admin = login(client, "right-Pass-1", ADMIN)
    assert admin.status_code == 302  # the admin, from their own address, gets in


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_axes_records_the_clients_address(client, django_user_model):
    from axes.models import AccessAttempt

    login(client, "wrong", STRANGER)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [STRANGER]


def test_axes_and_the_rate_limits_share_one_rule(settings, rf):
    from django.utils.module_loading import import_string

    assert settings.AXES_CLIENT_IP_CALLABLE == "config.ratelimit.login_client_ip"
    login_ip = import_string(settings.AXES_CLIENT_IP_CALLABLE)
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 1
    assert login_ip(request) == client_id(request) == "10.0.0.2"
    # a request without an address (the test client's login()) is stored as unknown, not as
    # text the PostgreSQL IP column refuses
    bare = rf.get("/")
    del bare.META["REMOTE_ADDR"]
    assert client_id(bare) == "unknown" and login_ip(bare) is None
