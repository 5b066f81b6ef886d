"""Scratch databases on the test server for the reliability tests: named after the test database
(so parallel runs do not collide), created and dropped by the test, never the shared test database
whose sample archive other tests read; and `manage.py` run against one of them in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

from tests.conftest import REPO


def server_settings() -> dict:
    from django.db import connection

    return connection.settings_dict


def server_connection(dbname: str = "postgres"):
    """An autocommit psycopg connection to `dbname` on the server the tests use."""
    import psycopg

    s = server_settings()
    return psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def scratch_name(suffix: str) -> str:
    """`<test database name>_<suffix>`: per helper/CI run, like the test database itself."""
    from django.conf import settings

    return f"{settings.DATABASES['default']['TEST']['NAME']}_{suffix}"[:63]


def drop_database(name: str) -> None:
    from psycopg import sql

    with server_connection() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create_database(name: str, template: str | None = None) -> None:
    from psycopg import sql

    drop_database(name)
    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with server_connection() as conn:
        conn.execute(query)


@contextmanager
def scratch_databases(*names: str):
    try:
        yield names
    finally:
        for name in names:
            drop_database(name)


def manage(*args: str, env: dict, timeout: float = 600) -> str:
    """`manage.py ARGS` in a subprocess; its output (stdout and stderr), or a failure showing it."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"manage.py {' '.join(args)} exited {done.returncode}:\n{output}"
    return output
