"""Settings for scripts/loadtest.py: production settings, plus a trivial view as the floor."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "scripts.loadtest_urls"
