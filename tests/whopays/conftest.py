import pytest
from django.core.management import call_command

from platforms.profiles import bump_profiles_version


@pytest.fixture
def who_pays(seeded):
    """The profiles and the who-pays seed data, loaded by the commands `make run` uses."""
    call_command("seed_whopays", verbosity=0)
    bump_profiles_version()
