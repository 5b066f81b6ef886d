"""Settings read from the environment, with safe fallbacks; each case runs in a fresh process."""

import json
import os
import shutil
import stat
import subprocess
import sys

import pytest

from tests.conftest import REPO

PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'engine': db['ENGINE'], "
    "'name': db['NAME'], 'host': db.get('HOST'), 'media': str(s.MEDIA_ROOT), "
    "'hsts': s.SECURE_HSTS_SECONDS}))"
)


# PYTEST_VERSION would switch on the settings' test mode in the child process.
CLEARED = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "PYTEST_VERSION", "ALLOWED_HOSTS", "MEDIA_ROOT"}


def run(code, **env):
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base.update(env, DJANGO_SETTINGS_MODULE="councilarchive.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_secret_key_required_when_debug_is_off():
    result = run(PROBE, DEBUG="false", DATABASE_URL="postgresql://u:p@db.example:5432/archive")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_runs_without_secret_key_and_allows_localhost():
    result = run(PROBE, DEBUG="true", DATABASE_URL="postgresql://u:p@db.example:5432/archive")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["debug"] is True
    assert out["hosts"] == ["127.0.0.1", "localhost"]


def test_database_url_is_parsed_when_set():
    result = run(
        PROBE,
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="archive.example.gov.uk, www.example.gov.uk",
        MEDIA_ROOT="/srv/media",
        DATABASE_URL="postgresql://u:p@db.example:6543/archive",
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["engine"] == "django.db.backends.postgresql"
    assert (out["name"], out["host"]) == ("archive", "db.example")
    assert out["hosts"] == ["archive.example.gov.uk", "www.example.gov.uk"]
    assert out["media"] == "/srv/media"
    assert out["hsts"] == 31536000


def test_non_postgresql_database_url_is_refused():
    result = run(PROBE, SECRET_KEY="k" * 50, DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr


def test_bad_boolean_is_a_clear_error():
    result = run(PROBE, DEBUG="maybe", DATABASE_URL="postgresql://u:p@h/d")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="tests the embedded fallback")
def test_embedded_postgresql_is_the_fallback_over_a_unix_socket():
    result = run(PROBE, SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["engine"] == "django.db.backends.postgresql"
    assert out["host"].startswith("/"), "embedded server is used over its unix socket"


def test_check_deploy_is_clean_with_production_settings():
    env = dict(
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DEBUG="false",
        ALLOWED_HOSTS="archive.example.gov.uk",
        DATABASE_URL="postgresql://u:p@db.example:5432/archive",
    )
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# -- a developer's .env (written by `make run`) -------------------------------------------------
PRODUCTION_DB = "postgresql://u:p@db.example:5432/archive"


def test_the_tests_read_no_developers_env_file():
    from django.conf import settings

    # settings under pytest, and every process the tests start, read no .env (tests/conftest.py)
    assert settings.ENV_FILE == "" and os.environ["ENV_FILE"] == ""


def test_make_writes_a_private_env_once_and_settings_read_it(tmp_path):
    make = shutil.which("make")
    if not make:
        pytest.skip("make is not installed")
    target = [make, "-s", "-f", str(REPO / "Makefile"), "-C", str(tmp_path), ".env"]
    first = subprocess.run([*target, f"PYTHON={sys.executable}"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    env_file = tmp_path / ".env"
    written = env_file.read_text()
    lines = dict(line.split("=", 1) for line in written.splitlines())
    assert lines["DEBUG"] == "1" and len(lines["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    # a second run keeps the key (sessions survive)
    assert subprocess.run(target, capture_output=True).returncode == 0
    assert env_file.read_text() == written

    result = run(PROBE, ENV_FILE=str(env_file), DATABASE_URL=PRODUCTION_DB)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is True
    # a variable in the environment wins over the file; the file's SECRET_KEY still serves
    result = run(PROBE, ENV_FILE=str(env_file), DEBUG="false", DATABASE_URL=PRODUCTION_DB)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


def test_env_file_is_read_only_where_it_exists(tmp_path):
    result = run(PROBE, ENV_FILE=str(tmp_path / "absent.env"), DATABASE_URL=PRODUCTION_DB)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_env_file_without_a_secret_key_still_refuses_production(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=0\nALLOWED_HOSTS=archive.example.gov.uk\n")
    result = run(PROBE, ENV_FILE=str(env_file), DATABASE_URL=PRODUCTION_DB)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
