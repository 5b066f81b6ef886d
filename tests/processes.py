"""Helpers for tests that run the project's own processes (a `db_worker`, `manage.py` commands)
against the test database: the child gets a DATABASE_URL built from this process's connection
(host may be the embedded server's socket directory, percent-encoded)."""

from __future__ import annotations

import subprocess
import sys
import time
from urllib.parse import quote

from tests.conftest import REPO


def database_url() -> str:
    """A URL for the database this test process is using (the test database)."""
    from django.db import connection

    s = connection.settings_dict
    host = quote(s["HOST"] or "localhost", safe="")
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgresql://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(env, log) -> subprocess.Popen:
    """`manage.py db_worker` polling every 0.5 s, in its own process group (the worker and its
    extraction pool) so a test can kill all of it with os.killpg."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"]
        + ["--no-startup-delay"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(check, timeout_s, what="the condition"):
    """Poll `check()` every 0.2 s until it returns something true; fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
