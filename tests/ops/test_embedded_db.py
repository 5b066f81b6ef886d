"""The embedded PostgreSQL fallback survives a kill -9 of the server and starts again."""

import os
import signal
import time

import psycopg
import pytest

from councilarchive.ops.embedded_db import DB_NAME, ensure_server, stop_server


@pytest.fixture
def data_dir(tmp_path_factory):
    # Short path: unix socket paths are limited to ~107 bytes.
    path = tmp_path_factory.mktemp("epg")
    if os.geteuid() == 0:
        os.chmod(path, 0o755)
    yield path
    try:
        stop_server(path)
    except Exception:  # the test may have killed it already
        pass


def query(db):
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as c:
        return c.execute("SELECT current_database(), 1 + 1").fetchone()


def test_embedded_server_starts_creates_the_database_and_is_reused(data_dir):
    db = ensure_server(data_dir)
    assert db["HOST"].startswith(str(data_dir))
    assert query(db) == (DB_NAME, 2)
    pid = int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])
    again = ensure_server(data_dir)
    assert again == db
    assert int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0]) == pid


def test_embedded_server_starts_again_after_kill_9(data_dir):
    db = ensure_server(data_dir)
    pid = int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    deadline = time.time() + 5
    while time.time() < deadline and os.path.exists(f"/proc/{pid}/cmdline"):
        time.sleep(0.05)
    db = ensure_server(data_dir)
    assert query(db) == (DB_NAME, 2)
    new_pid = int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])
    assert new_pid != pid


def _server_pids(pgdata) -> list[int]:
    """The postmaster and all its children (checkpointer, walwriter, io workers, backends)."""
    postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()  # noqa: SIM115
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                children.append(int(entry))
    return [postmaster, *children]


def test_embedded_server_recovers_after_kill_9_of_every_process_mid_write(data_dir):
    """`kill -9` of the whole server with unflushed writes: the next start runs crash recovery
    (it may still say "starting" when found) and must wait for it, not fail."""
    db = ensure_server(data_dir)
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
    ) as c:
        c.execute("CREATE TABLE t AS SELECT g, md5(g::text) AS h FROM generate_series(1, 200000) g")
    pids = _server_pids(data_dir / "pgdata")
    assert len(pids) > 3
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # a child that saw the postmaster die and left first
            pass
    db = ensure_server(data_dir)  # no waiting for the old processes to go
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as c:
        assert c.execute("SELECT count(*) FROM t").fetchone() == (200000,)
