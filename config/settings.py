"""Settings read from environment variables; every variable is listed in .env.example.

Defaults are safe for a laptop: DEBUG is off unless asked for, SQLite lives in ./var, and a
development secret is generated only when DEBUG is on. Production refuses to start without a secret.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from config.env import cache_from_url, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (see .env.example), or set DJANGO_DEBUG=1 for local use."
        )
    SECRET_KEY = "dev-only-" + get_random_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "platforms",
    "calculator",
    "incidents",
    "api",
    "learn",
    "embed",
    "config",  # management commands: prune_login_records
    "markets",
    "whopays",
    "collateral",
]

MIDDLEWARE = [
    "config.middleware.SecurityHeadersMiddleware",  # Permissions- and Cross-Origin-Resource-Policy
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.JsonErrorsMiddleware",  # every error under /api/ is JSON
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the language from the URL's prefix
    "config.locale.FirstVisitLanguageMiddleware",  # Accept-Language on arriving from elsewhere
    "config.locale.AcceptLanguageMiddleware",  # /api/ and /embed/docs/: Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "embed.security.FrameAncestorsMiddleware",  # CSP frame-ancestors (after django-csp)
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.csp_nonce",
                "config.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: a bare host means https.

# One machine: a file cache shared by all worker processes. Production: CACHE_URL=redis://…
# so that every instance sees the same profile version and rate-limit counters.
# Without it the site keeps answering (config/cache_guard.py); CACHE_TIMEOUT_SECONDS bounds
# what a Redis that does not answer costs each request.
CACHES = {
    "default": cache_from_url(
        env_str("CACHE_URL"),
        default_dir=VAR_DIR / "cache",
        timeout=env_float("CACHE_TIMEOUT_SECONDS", 0.5),
    ),
    # Django's `{% cache %}` tag uses this alias: fragments of a redraw that depend on the
    # policy data and the language only (the profile line, the who-pays cards' sources), kept
    # in each process's memory (at most MAX_ENTRIES of a few kilobytes each: one per scope or
    # cited record and language).
    # Their keys hold the policy-data version, so an admin's edit retires them everywhere
    # with the snapshot they were rendered from. Memory, not the shared cache: a read costs
    # microseconds and cannot fail, where the file cache lists its directory on every write
    # and Redis would add a network round trip to what it saves.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Nine languages (issue 24). English is the default and keeps its unprefixed URLs; the others
# live under /ru/…, /zh-hans/…; the API, health check, admin and widget stay unprefixed.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ru", "Русский"),
    ("ko", "한국어"),
    ("tr", "Türkçe"),
    ("vi", "Tiếng Việt"),
    ("es", "Español"),
    ("pt-br", "Português (Brasil)"),
    ("uk", "Українська"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Where a visitor reports a wrong term in a translation (an issue tracker or a mailto: link).
# Empty: the site's own form (/translations/report/), which logs each report and mails ADMINS.
TRANSLATION_REPORT_URL = env_str("TRANSLATION_REPORT_URL", "")
# Who receives the site's mail (reports of wrong translations): DJANGO_ADMINS="a@x.org,b@y.org".
ADMINS = [("", address) for address in env_list("DJANGO_ADMINS")]
SERVER_EMAIL = env_str("DJANGO_SERVER_EMAIL", "underwater@localhost")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",  # htmx from django-htmx
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed file names are cached forever by WhiteNoise regardless; this is for the unhashed ones,
# such as /static/embed.js that other sites link to: an hour, so loader updates reach them.
WHITENOISE_MAX_AGE = 0 if DEBUG else 60 * 60

# Only the embed widget may be framed (its views opt out and send CSP frame-ancestors instead).
X_FRAME_OPTIONS = "DENY"
# Origins allowed to frame /embed/… ("*" = any site). Comma-separated, e.g. https://blog.example
EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS", ["*"])

ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# A profile not re-verified for this many days is flagged as stale in the admin and on its page.
PROFILE_STALE_AFTER_DAYS = env_int("PROFILE_STALE_AFTER_DAYS", 180)
# How long a process trusts the policy-data version it last read from the shared cache:
# an admin's edit reaches every process within this many seconds (calculator/profiles.py).
PROFILES_VERSION_SECONDS = env_float("PROFILES_VERSION_SECONDS", 1.0)

# Markets (markets/): live import from the platforms' public APIs is off unless asked for, so
# tests, CI and a laptop never reach out; `import_markets --from-recording` needs no network.
MARKET_IMPORT_ENABLED = env_bool("MARKET_IMPORT_ENABLED", False)
MARKET_IMPORT_TIMEOUT_SECONDS = env_float("MARKET_IMPORT_TIMEOUT_SECONDS", 10.0)
MARKET_IMPORT_RETRY_SECONDS = env_float("MARKET_IMPORT_RETRY_SECONDS", 1.0)
# Who pays (whopays/): live import of insurance-fund balances and ADL ratings, off unless asked.
WHOPAYS_IMPORT_ENABLED = env_bool("WHOPAYS_IMPORT_ENABLED", False)
WHOPAYS_IMPORT_TIMEOUT_SECONDS = env_float("WHOPAYS_IMPORT_TIMEOUT_SECONDS", 10.0)
# A market's tiers, fees or leverage read longer ago than this are flagged as stale.
MARKET_POLICY_STALE_DAYS = env_int("MARKET_POLICY_STALE_DAYS", 7)
# A mark price or funding rate read longer ago than this is flagged as stale.
MARKET_QUOTE_STALE_HOURS = env_int("MARKET_QUOTE_STALE_HOURS", 1)

# Reading an account from a public address (readers/): Hyperliquid's info API, dYdX's indexer.
# Off: the page and the API say reading is turned off (a deployment without network).
ACCOUNT_READING_ENABLED = env_bool("ACCOUNT_READING_ENABLED", True)
ACCOUNT_READING_TIMEOUT_SECONDS = env_float("ACCOUNT_READING_TIMEOUT_SECONDS", 5.0)
# How long one address's reading is reused (the per-address cache; nothing else is kept).
ACCOUNT_READING_CACHE_SECONDS = env_int("ACCOUNT_READING_CACHE_SECONDS", 30)
HYPERLIQUID_INFO_URL = env_str("HYPERLIQUID_INFO_URL", "https://api.hyperliquid.xyz/info")
DYDX_INDEXER_URL = env_str("DYDX_INDEXER_URL", "https://indexer.dydx.trade/v4")
# Aave v3: read only where an Ethereum JSON-RPC endpoint is given (empty: off, the default).
# The Pool is Aave v3's Ethereum market (bgd-labs/aave-address-book, AaveV3Ethereum.POOL); a
# market on another network needs that network's endpoint and Pool. Its base currency is USD
# with 8 decimals on Aave v3's markets.
AAVE_RPC_URL = env_str("AAVE_RPC_URL", "")
AAVE_POOL_ADDRESS = env_str("AAVE_POOL_ADDRESS", "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2")
AAVE_BASE_DECIMALS = env_int("AAVE_BASE_DECIMALS", 8)

# --- Security -------------------------------------------------------------------------------
# Production defaults (DEBUG off) pass `manage.py check --deploy`; each can be relaxed by env.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (nginx, a load balancer).
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For (for per-client rate limits).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Content Security Policy: scripts only from this site or with the per-request nonce (no
# 'unsafe-inline' for scripts). Plotly and htmx set inline styles, so styles allow them.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "frame-src": [SELF],
    }
}

# Admin login throttling (django-axes): 5 failures lock that user and address for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours; `manage.py prune_login_records` (daily) clears what has expired
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address by the same trusted-proxy rule as the rate limits: behind nginx,
# REMOTE_ADDR is the proxy's, and counting it would let anyone lock an admin out.
AXES_CLIENT_IP_CALLABLE = "config.ratelimit.login_client_ip"

# Requests per client per window, counted in the cache: (requests, seconds); 0 disables.
RATE_LIMITS = {
    "api": (env_int("RATE_LIMIT_API", 120), 60),
    "calculator": (env_int("RATE_LIMIT_CALCULATOR", 300), 60),
    # Monte Carlo runs cost up to a second of CPU each.
    "simulate": (env_int("RATE_LIMIT_SIMULATE", 20), 60),
    # Each read calls a platform: the site must never become an open proxy (fails closed).
    "read": (env_int("RATE_LIMIT_READ", 10), 60),
    # A report of a wrong translation mails the admins: a few an hour per client is plenty.
    "report": (env_int("RATE_LIMIT_REPORT", 5), 3600),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # httpx logs each request's URL at INFO, and a dYdX reading's URL holds the visitor's address
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}
