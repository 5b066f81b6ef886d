"""Council Archive settings: one file, read from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# Under pytest the settings are production-like (DEBUG off) but need no secret and no HTTPS.
TESTING = "PYTEST_VERSION" in os.environ
# A developer's local, git-ignored `.env` (`make run` writes DEBUG=1 and a generated SECRET_KEY),
# read only where it exists; a variable already in the environment wins over the file. ENV_FILE
# names another file, or none when empty: the tests read none, so no developer's .env changes them.
ENV_FILE = os.environ.get("ENV_FILE", "" if TESTING else str(BASE_DIR / ".env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example)")
    SECRET_KEY = "insecure-key-only-for-DEBUG-or-tests"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "councilarchive.archive",
    "councilarchive.ingest",
    "councilarchive.search",
    "councilarchive.browse",
    "councilarchive.officers",
    "councilarchive.api",
    "councilarchive.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database unreachable (a PostgreSQL restart): 503 + Retry-After instead of 500. Before
    # anything that uses the database (sessions, the rate limiter's database cache).
    "councilarchive.ops.dbfail.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "councilarchive.ops.security.ContentSecurityPolicyMiddleware",
    "councilarchive.ops.security.RateLimitMiddleware",
    # Public pages for anonymous visitors from the "pages" cache, with ETag, Last-Modified and
    # Cache-Control. Last: after the rate limits (a cached search still counts), and innermost,
    # so it sees whether the view touched the session or the CSRF token (then nothing is stored).
    "councilarchive.ops.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "councilarchive.urls"
WSGI_APPLICATION = "councilarchive.wsgi.application"

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
                "councilarchive.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL when set; otherwise the embedded PostgreSQL in EMBEDDED_DB_DIR.
DATABASE_URL = env("DATABASE_URL")
EMBEDDED_DB_DIR = Path(env("EMBEDDED_DB_DIR", str(BASE_DIR / "var")))
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgresql://...)")
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))
    }
else:
    from councilarchive.ops.embedded_db import ensure_server

    DATABASES = {
        "default": ensure_server(EMBEDDED_DB_DIR, env("EMBEDDED_DB_NAME", "councilarchive"))
    }
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
# Surviving a database restart without restarting the web process (issue #7): a connection kept
# between requests (CONN_MAX_AGE > 0) dies with the server, so each request's first query checks
# it first (CONN_HEALTH_CHECKS) and reconnects; while the server is down the connection attempt
# fails within connect_timeout seconds and councilarchive.ops.dbfail answers 503.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
)
# Web requests only (issue 16): a statement running longer than this is cancelled and the request
# answers 503 (councilarchive.ops.dbfail), so a slow query or a lock cannot hold a worker. Applied
# by wsgi.py and asgi.py (runserver's too); manage.py commands and the ingest worker run long loads
# and have no limit. 0: no limit.
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 20_000)
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "test_councilarchive")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    # Uploaded PDFs. Swap for object storage in production by naming another backend here.
    "default": {"BACKEND": env("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Background jobs: django-tasks with the database backend (`manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Ingest limits (issue #3): larger files are refused with a clear reason.
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 200 * 1024 * 1024)
INGEST_MAX_PAGES = env_int("INGEST_MAX_PAGES", 3000)
COUNCIL_NAME = env("COUNCIL_NAME", "Kent County Council")
# A job running longer than this is taken as a killed worker's and re-queued (or failed after the
# last attempt) by `manage.py recover_stale`, which `make run` and docker-compose run at start.
INGEST_STALE_MINUTES = env_int("INGEST_STALE_MINUTES", 30)
INGEST_MAX_ATTEMPTS = env_int("INGEST_MAX_ATTEMPTS", 3)

# The most rows one CSV/JSON export of a search holds, all kinds of record together.
SEARCH_EXPORT_CAP = env_int("SEARCH_EXPORT_CAP", 10_000)

# Admin (issues #6, #16): failed logins per username from one address, and from one address for
# any usernames, in a window of ADMIN_LOGIN_LOCKOUT_SECONDS; a username alone is never locked.
ADMIN_LOGIN_MAX_FAILURES = env_int("ADMIN_LOGIN_MAX_FAILURES", 5)
ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
ADMIN_LOGIN_LOCKOUT_SECONDS = env_int("ADMIN_LOGIN_LOCKOUT_SECONDS", 15 * 60)
ADMIN_STATUS_REFRESH_SECONDS = env_int("ADMIN_STATUS_REFRESH_SECONDS", 3)

# Security: HTTPS-ready; SECURE_* default on when DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", "same-origin")
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# councilarchive.ops.security: no inline script anywhere; inline styles are allowed (the admin
# uses style attributes). frame-ancestors 'none' is the CSP form of X_FRAME_OPTIONS = DENY.
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
# Shared by every web process: a table in the archive's own database, created by migration
# archive 0006. CACHE_LOCATION names the table. (Rate limits and the login throttle count in
# their own table, councilarchive.archive.counters, atomically.)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": env("CACHE_LOCATION", "councilarchive_cache"),
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100000)},
    },
    # Rendered public pages (councilarchive.ops.pagecache), in a table of their own (migration
    # archive 0011) so that many distinct searches cull old pages, never the rate limits above.
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": env("PAGE_CACHE_LOCATION", "councilarchive_page_cache"),
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", 10000)},
    },
    # In front of "pages", in each process: the pages it served last, under the same versioned
    # keys (never stale: the version is still read from the database on every request).
    "pages-local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_LOCAL_ENTRIES", 300)},
    },
}
# The page cache: keys carry the archive's content version (archive/versioning.py), so a page is
# stored until PAGE_CACHE_SECONDS pass or anything is ingested, corrected, merged or deleted.
# Browsers and proxies may keep a page PAGE_CACHE_MAX_AGE seconds (Cache-Control: public), then
# revalidate it with its ETag / Last-Modified. Off under pytest unless a test turns it on.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", not TESTING)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 60)
# Requests per client address: "count/seconds" ("0" = no limit); off under pytest unless a test
# turns it on. Counted in the database (councilarchive.archive.counters).
RATE_LIMIT_ENABLED = env_bool("RATE_LIMIT_ENABLED", not TESTING)
RATE_LIMITS = {
    "search": env("RATE_LIMIT_SEARCH", "120/60"),  # /search/, /search/resolutions/, /api/
    "export": env("RATE_LIMIT_EXPORT", "20/60"),  # /search/export.csv|.json, /search/feed/
}
# Behind a reverse proxy the client is the last X-Forwarded-For address (only if the proxy sets it)
RATE_LIMIT_TRUST_FORWARDED_FOR = env_bool("RATE_LIMIT_TRUST_FORWARDED_FOR", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
