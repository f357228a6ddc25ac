"""Test settings: production settings with a throwaway secret, fast hashing and plain static files.

Tests run with DEBUG off, as production does, so error pages and security settings are the real ones.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-not-used-anywhere-else-0123456789")
# Whatever the shell says (`make` exports DJANGO_DEBUG=1 for `make run`), tests see production.
os.environ["DJANGO_DEBUG"] = "0"
for name in (
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_HSTS_SECONDS",
    "CACHE_URL",
):
    os.environ.pop(name, None)

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic before tests: serve from the finders, un-hashed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": CACHES["template_fragments"],  # noqa: F405
}
SECURE_SSL_REDIRECT = False
# Generous limits for the suite; tests of the limiter override them.
RATE_LIMITS = {
    "api": (100_000, 60),
    "calculator": (100_000, 60),
    "simulate": (100_000, 60),
    "read": (100_000, 60),
    "report": (100_000, 3600),
}
AXES_ENABLED = True
# Tests never reach the platforms: respx replays recorded answers where a test switches this on.
MARKET_IMPORT_ENABLED = False
MARKET_IMPORT_RETRY_SECONDS = 0
# Nor do account readers: tests that read switch it on and replay recordings (tests/readers/).
ACCOUNT_READING_ENABLED = False
