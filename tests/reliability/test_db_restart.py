"""PostgreSQL restarts while the site is under load (issue #7): requests fail cleanly (503 with
Retry-After, never a 500 or a dropped connection) while it is down, and succeed again after it is
back, from the same gunicorn master and workers (nothing restarts the web process).

A throwaway PostgreSQL cluster of its own (tests.processes.ThrowawayPostgres), migrated, behind a
real gunicorn on a free loopback port; two client threads keep requesting a page that reads the
database and a search (whose rate limiter counts in the database cache, in middleware). About 20 s,
most of it the migration."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

from tests.conftest import REPO
from tests.processes import (
    ThrowawayPostgres,
    free_port,
    http_fetch,
    http_get,
    start_gunicorn,
    stop_process,
    url_ready,
    wait_for,
)

PATHS = ["/", "/search/?q=budget", "/councillors/"]
PHASES = ("before", "stopping", "down", "starting", "after", "changing")


def worker_pids(master_pid: int) -> set[int]:
    import psutil

    return {child.pid for child in psutil.Process(master_pid).children()}


class Clock:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name] = round(now - self._last, 1)
        self._last = now


class Load:
    """Client threads requesting PATHS in turn; each answer is filed under the current phase."""

    def __init__(self, port: int, threads: int = 2):
        self.port = port
        self.phase = "before"
        self.results: list[tuple[str, str, object]] = []  # (phase, path, status or error)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, offset: int) -> None:
        turn = offset
        while not self._stop.is_set():
            path = PATHS[turn % len(PATHS)]
            turn += 1
            started = self.phase
            try:
                outcome: object = http_get(self.port, path)
            except OSError as error:  # a refused, reset or timed-out connection
                outcome = f"{type(error).__name__}: {error}"
            # A request in flight as the phase changed belongs to neither phase.
            phase = started if started == self.phase else "changing"
            self.results.append((phase, path, outcome))
            time.sleep(0.02)

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(15)

    def outcomes(self, phase: str) -> Counter:
        return Counter(outcome for p, _, outcome in self.results if p == phase)

    def count_in(self, phase: str) -> int:
        return sum(1 for p, _, _ in self.results if p == phase)


def test_postgres_restart_gives_503_then_200_from_the_same_gunicorn(tmp_path):
    pytest.importorskip("gunicorn", reason="gunicorn is not installed")
    pytest.importorskip("psutil", reason="psutil is not installed")
    try:
        postgres = ThrowawayPostgres()
    except RuntimeError as error:
        pytest.skip(f"the embedded PostgreSQL binaries cannot run here: {error}")
    gunicorn = None
    clock = Clock()
    log = open(tmp_path / "gunicorn.log", "w+")
    try:
        postgres.start()
        env = dict(
            os.environ,
            DATABASE_URL=postgres.create_database("ca_restart"),
            DEBUG="0",
            SECRET_KEY="db-restart-test",
            ALLOWED_HOSTS="127.0.0.1",
            # Search counts against the rate limit in the database cache: the middleware route.
            RATE_LIMIT_ENABLED="1",
            RATE_LIMIT_SEARCH="100000/60",
            CONN_MAX_AGE="60",  # connections outlive requests, so they must notice the restart
            DATABASE_CONNECT_TIMEOUT="3",
            LOG_LEVEL="ERROR",
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=REPO,
            env=env,
            check=True,
            timeout=120,
        )
        clock.lap("initdb + migrate")
        port = free_port()
        gunicorn = start_gunicorn(env, log, port, workers=2, threads=2)
        wait_for(url_ready(port), 30)
        wait_for(lambda: len(worker_pids(gunicorn.pid)) == 2, 10)
        workers = worker_pids(gunicorn.pid)
        clock.lap("gunicorn up")

        with Load(port) as load:
            time.sleep(1.5)
            load.phase = "stopping"  # requests in flight as the server stops may end either way
            postgres.stop(mode="fast")
            clock.lap("stop")
            load.phase = "down"
            time.sleep(2.5)
            wait_for(lambda: load.count_in("down") >= 10, 20)  # a busy machine answers slowly
            down_page = http_fetch(port, "/councillors/")
            load.phase = "starting"
            postgres.start()
            clock.lap("down + start")
            load.phase = "after"
            time.sleep(2.5)
            wait_for(lambda: load.count_in("after") >= 10, 20)

        log.seek(0)
        server_log = log.read()
        counts = {phase: dict(load.outcomes(phase)) for phase in PHASES}
        print(f"\ndb restart, answers by phase: {counts}")
        assert set(load.outcomes("before")) == {200}, counts
        assert set(load.outcomes("down")) == {503}, counts
        assert load.count_in("down") >= 10, counts
        for phase in ("stopping", "starting", "changing"):
            assert set(load.outcomes(phase)) <= {200, 503}, counts
        assert set(load.outcomes("after")) == {200}, counts
        assert load.count_in("after") >= 10, counts
        assert {path for phase, path, _ in load.results if phase == "down"} == set(PATHS)
        status, headers, body = down_page
        assert (status, headers["Retry-After"]) == (503, "10")
        assert b"<h1>The archive is briefly unavailable</h1>" in body
        # The same web process throughout: nothing restarted gunicorn or its workers.
        assert gunicorn.poll() is None
        assert worker_pids(gunicorn.pid) == workers
        assert http_get(port, "/") == 200
        log.seek(0)
        server_log = log.read()
        assert "database unavailable, answered 503 to GET /search/" in server_log
        assert "database unavailable, answered 503 to GET /councillors/" in server_log
    finally:
        if gunicorn is not None:
            stop_process(gunicorn)
        log.close()
        postgres.destroy()
        clock.lap("after + clean up")
        print(f"seconds: {clock.laps}")
