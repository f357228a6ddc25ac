"""Shared fixtures: seeded profiles for tests that read them, and a logged-in staff client."""

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: rolled-back data must not linger in snapshots."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """All seed profiles, loaded through the same command `make run` uses."""
    call_command("seed_profiles", verbosity=0)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "x-Pass-123")
    client.force_login(user)
    client.user = user
    return client
