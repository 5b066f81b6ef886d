"""With several gunicorn workers (or containers) each process must see what the others cached,
so the cache lives in the database. (Rate limits and the login throttle count in a table of their
own, councilarchive.archive.counters: see test_concurrent_limits.)"""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache

from tests.conftest import REPO
from tests.processes import database_url


@pytest.mark.django_db(transaction=True)
def test_a_count_made_in_one_process_is_seen_and_advanced_by_another():
    cache.set("ratelimit-probe", 41, 60)
    other = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.cache import cache; print(cache.incr('ratelimit-probe'))",
        ],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip().splitlines()[-1] == "42"
    assert cache.get("ratelimit-probe") == 42
