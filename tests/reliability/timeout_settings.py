"""The project's settings with test_dbfail's URLs (which add a view that sleeps in the database),
for gunicorn in test_statement_timeout: DJANGO_SETTINGS_MODULE=tests.reliability.timeout_settings."""

from councilarchive.settings import *  # noqa: F403

ROOT_URLCONF = "tests.ops.dbfail_urls"
