"""A slow or stuck database never holds a web worker (issue 16): a real gunicorn (the project's
wsgi.py) answers 503 with a clear page when a query runs past DB_STATEMENT_TIMEOUT_MS, when a
page waits on a lock, when the database accepts connections but never answers, and when it is
down, also for POSTs (the admin login, an upload). Management commands (the ingest worker, long
loads) have no statement timeout."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

import psycopg
import pytest

from tests.conftest import REPO
from tests.processes import (
    database_url,
    free_port,
    http_fetch,
    manage_env,
    start_gunicorn,
    stop_process,
    wait_for,
)

pytest.importorskip("gunicorn", reason="gunicorn is not installed")
pytestmark = pytest.mark.django_db

TIMEOUT_MS = 1000
CSRF = "a" * 32  # a CSRF secret of the right shape: cookie and form field, as a browser sends them


@pytest.fixture
def serve(tmp_path):
    """serve(**env) -> the port of a gunicorn on the test database with tests.reliability's
    URLs (which include /slow/<seconds>/); stopped after the test."""
    started = []

    def serve(**extra) -> int:
        env = {
            **manage_env(None, tmp_path / "media"),
            "DJANGO_SETTINGS_MODULE": "tests.reliability.timeout_settings",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DB_STATEMENT_TIMEOUT_MS": str(TIMEOUT_MS),
            "LOG_LEVEL": "ERROR",
            **extra,
        }
        port = free_port()
        log = open(tmp_path / f"gunicorn-{port}.log", "w+")  # noqa: SIM115 - closed below
        started.append((start_gunicorn(env, log, port, workers=1, threads=4), log))
        wait_for(_answers(port), 30, "gunicorn")
        return port

    yield serve
    for process, log in started:
        stop_process(process)
        log.close()


def _answers(port):
    """For wait_for: true once gunicorn answers anything (the database may be down)."""

    def check():
        try:
            return http_fetch(port, "/robots.txt", timeout_s=20)[0] > 0
        except OSError:
            return False

    return check


def timed(port, path, **request):
    started = time.monotonic()
    status, headers, body = http_fetch(port, path, timeout_s=30, **request)
    return status, headers, body.decode(), time.monotonic() - started


def test_a_query_slower_than_the_timeout_answers_503_with_a_page(serve):
    port = serve()

    assert timed(port, "/slow/0.1/")[0] == 200  # under the limit: answered
    status, headers, page, seconds = timed(port, "/slow/5/")

    assert status == 503
    assert seconds < 4  # cancelled after 1 s, not held for 5
    assert headers["Retry-After"] == "10"
    assert "took too long to answer this request (more than 1 seconds)" in page
    assert "<h1>The archive is briefly unavailable</h1>" in page
    assert "pg_sleep" not in page and "Traceback" not in page
    # The worker is free again at once.
    assert timed(port, "/slow/0.1/")[0] == 200


def test_pages_and_the_api_waiting_on_a_lock_answer_503_not_a_hung_worker(serve):
    port = serve()
    with psycopg.connect(database_url()) as blocker:
        # Another session holds the tables (a long migration, a stuck transaction).
        blocker.execute("LOCK TABLE archive_committee, archive_meeting IN ACCESS EXCLUSIVE MODE")

        status, _, page, seconds = timed(port, "/")
        assert (status, seconds < 4) == (503, True)
        assert "took too long" in page

        status, headers, body, seconds = timed(port, "/api/meetings/")
        assert (status, seconds < 4) == (503, True)
        assert headers["Content-Type"] == "application/json"
        assert '"error": "The database took too long to answer this request."' in body
        blocker.rollback()

    assert timed(port, "/api/meetings/")[0] == 200


def test_management_commands_and_the_worker_have_no_statement_timeout(tmp_path):
    """`manage.py` runs the ingest worker (db_worker) and long loads: the web limit is not
    theirs, even with DB_STATEMENT_TIMEOUT_MS in the environment they share with the web."""
    show = "from django.db import connection as c; print(c.cursor().execute('SHOW statement_timeout').fetchone()[0])"  # noqa: E501
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=REPO,
        env={**manage_env(None, tmp_path), "DB_STATEMENT_TIMEOUT_MS": str(TIMEOUT_MS)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0"


class SilentDatabase:
    """A TCP listener on loopback that accepts connections and never answers (a database host
    that hangs: a wedged server, a half-open firewall)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def login_post(port):
    form = urlencode({"username": "olive", "password": "pw", "csrfmiddlewaretoken": CSRF})
    return timed(
        port,
        "/admin/login/",
        method="POST",
        body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={CSRF}",
        },
    )


def upload_post(port):
    boundary = "----councilarchive-test"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{CSRF}\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="pack.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n",
        f"--{boundary}--\r\n",
    ]
    return timed(
        port,
        "/admin/archive/document/upload/",
        method="POST",
        body="".join(parts).encode(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": f"csrftoken={CSRF}; sessionid=an-officers-session-key",
        },
    )


def test_a_database_that_accepts_but_never_answers_gives_503_within_the_connect_timeout(serve):
    silent = SilentDatabase()
    try:
        port = serve(
            DATABASE_URL=f"postgresql://archive@127.0.0.1:{silent.port}/archive",
            DATABASE_CONNECT_TIMEOUT="2",
        )
        for status, _, page, seconds in (timed(port, "/"), login_post(port)):
            assert status == 503
            assert seconds < 8  # 2 s to give up connecting, not gunicorn's 30 s worker timeout
            assert "cannot reach its database just now" in page
        assert len(silent.held) >= 2  # the connections really were made, and hung
    finally:
        silent.close()


def test_posts_while_the_database_is_down_answer_503_not_500(serve):
    port = serve(DATABASE_URL=f"postgresql://archive@127.0.0.1:{free_port()}/archive")

    for status, headers, page, _ in (login_post(port), upload_post(port)):
        assert status == 503
        assert headers["Retry-After"] == "10"
        assert "<h1>The archive is briefly unavailable</h1>" in page
        assert "Traceback" not in page and "OperationalError" not in page
