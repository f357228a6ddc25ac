"""Shared fixtures: seeded profiles for tests that read them, and a logged-in staff client.

Also the Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (`dev` unless it says `ci`).
"""

import os
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model
from django.utils import translation
from hypothesis import HealthCheck, settings

from platforms.models import (
    AccountScope,
    Citation,
    MarginTier,
    Platform,
    ProductLine,
    WaterfallStep,
)
from platforms.profiles import bump_profiles_version, forget_profiles_version

# Example counts are Hypothesis's 100 in both; tests that need more say so with @settings.
# dev: a one-second deadline still flags an engine call gone slow (ours take microseconds to
# milliseconds), with room for a busy laptop; fresh examples each run and a local example database,
# so a failure found once is tried first next time.
settings.register_profile("dev", max_examples=100, deadline=timedelta(seconds=1))
# ci: CI shares two cores with the other jobs, so timing is no test of correctness there (speed has
# its own figures, BENCHMARKS.md): no deadline and no too-slow health check. Derandomized, so a red
# build fails the same way when it is run again, and no example database in the fresh clone.
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches (the shared one, and each process's template fragments):
    rolled-back data must not linger in snapshots or fragments."""
    for each in (cache, caches["template_fragments"]):
        each.clear()
    forget_profiles_version()
    yield
    for each in (cache, caches["template_fragments"]):
        each.clear()
    forget_profiles_version()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in English: a request to /ru/… leaves Russian active in the thread, and
    reverse() in the next test would otherwise answer with /ru/ addresses."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


_seed_rows: list[tuple[type[Model], list[dict]]] | None = None


@pytest.fixture
def seeded(db):
    """All seed profiles, loaded through the same command `make run` uses.

    The command (full_clean on every row, history records) runs once per session; later tests
    get the same rows copied back in bulk, which is what they read, in a fraction of the time.
    """
    global _seed_rows
    models = [Platform, ProductLine, MarginTier, AccountScope, WaterfallStep, Citation]
    if _seed_rows is None or Platform.objects.exists():
        call_command("seed_profiles", verbosity=0)
        _seed_rows = [(model, list(model.objects.values())) for model in models]
        for row in _seed_rows[-1][1]:  # citations: remember their subject's model, not its id
            row["content_type_id"] = ContentType.objects.get_for_id(
                row["content_type_id"]
            ).natural_key()
    else:
        # a transactional test's flush recreates content types under new ids
        ContentType.objects.clear_cache()
        for model, rows in _seed_rows:
            if model is Citation:
                rows = [
                    {
                        **row,
                        "content_type_id": ContentType.objects.get_by_natural_key(
                            *row["content_type_id"]
                        ).pk,
                    }
                    for row in rows
                ]
            model.objects.bulk_create([model(**row) for row in rows])
        # explicit ids do not move PostgreSQL's sequences: move them past the copied rows
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    bump_profiles_version()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "x-Pass-123")
    client.force_login(user)
    client.user = user
    return client
