"""Kill the ingest worker (`kill -9`, with its extraction processes) half-way through the largest
sample pack, once while it extracts pages and once inside the load's database transaction:
nothing half-loaded is visible, `recover_stale` puts the job back in the queue each time, and the
retried job leaves exactly the records a clean ingest of the same file leaves.

Everything runs in scratch databases of its own on the test server (named after the test
database, dropped afterwards), never in the shared test database whose sample archive other tests
read: `<test db>_kill`, where a real `manage.py db_worker` subprocess is killed and a second one
finishes the job, and `<test db>_clean`, where the same file is ingested once by `manage.py
ingest` into a fresh archive. The two are compared row by row over every archive table, with each
id replaced by the row it points at (ids and run times differ between runs; content must not).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter
from contextlib import contextmanager

import pytest

from tests.conftest import PACKS
from tests.processes import kill_group, manage_env, start_worker, wait_for
from tests.reliability.scratch import (
    create_database,
    manage,
    scratch_databases,
    scratch_name,
    server_connection,
)

pytestmark = pytest.mark.slow

IN_PROGRESS = ("extracting", "parsing", "loading")


# -- every archive row, ids replaced by what they point at --------------------------------------
def _plain(value):
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def archive_rows(dbname: str) -> dict[str, Counter]:
    """{model label: Counter of rows} over every archive table (with the many-to-many tables).

    A row is its field values minus the id and the timestamps (when a job ran, not what it
    loaded); a foreign key is replaced by the row it points at, recursively, so two databases
    that loaded the same content compare equal whatever ids their sequences handed out."""
    from django.apps import apps
    from django.db import models
    from psycopg import sql

    def fields(model):
        return [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and not isinstance(f, models.DateTimeField)
        ]

    tables: dict[type, dict] = {}
    keys: dict[tuple, tuple] = {}
    with server_connection(dbname) as conn:

        def rows(model) -> dict:
            if model not in tables:
                meta = model._meta
                columns = [meta.pk.column] + [f.column for f in fields(model)]
                query = sql.SQL("SELECT {} FROM {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(meta.db_table)
                )
                tables[model] = {row[0]: row[1:] for row in conn.execute(query)}
            return tables[model]

        def key(model, pk) -> tuple | None:
            if pk is None:
                return None
            if (model, pk) not in keys:
                values = rows(model)[pk]
                keys[model, pk] = tuple(
                    (f.name, key(f.related_model, v) if f.is_relation else _plain(v))
                    for f, v in zip(fields(model), values, strict=True)
                )
            return keys[model, pk]

        archive = apps.get_app_config("archive").get_models(include_auto_created=True)
        return {m._meta.label: Counter(key(m, pk) for pk in rows(m)) for m in archive}


def differences(got: dict[str, Counter], want: dict[str, Counter]) -> dict[str, str]:
    """Per model: how the rows differ (counts, and the first rows only one side has)."""
    out = {}
    for label in sorted(set(got) | set(want)):
        a, b = got.get(label, Counter()), want.get(label, Counter())
        if a != b:
            extra, missing = list((a - b).elements()), list((b - a).elements())
            out[label] = (
                f"{a.total()} rows vs {b.total()}; only after the kill: {str(extra[:2])[:600]}; "
                f"only in the clean run: {str(missing[:2])[:600]}"
            )
    return out


def counts(rows: dict[str, Counter]) -> dict[str, int]:
    return {label: c.total() for label, c in rows.items()}


# -- the worker ----------------------------------------------------------------------------------
def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def largest_pack():
    """A sample pack with the most pages. 000 and 001 have 115 each; 000 (County Council, whose
    minutes carry recorded votes) is used, so the comparison covers votes and each councillor's
    vote as well as meetings, items, resolutions, reports and pages."""
    from councilarchive.ingest.extract import page_count

    pack = PACKS / "000_44206e63360eab18.pdf"
    assert page_count(pack) == max(page_count(p) for p in PACKS.glob("*.pdf"))
    return pack


QUEUE_UPLOAD = """
from django.core.files.uploadedfile import SimpleUploadedFile
from councilarchive.officers.admin_views import accept_upload
path = {path!r}
with open(path, "rb") as fh:
    upload = SimpleUploadedFile(path.rsplit("/", 1)[-1], fh.read())
outcome = accept_upload(upload)
assert not outcome.error and outcome.document.status == "queued", outcome
print("queued", outcome.document.pk)
"""


def document_state(dbname: str) -> tuple:
    with server_connection(dbname) as conn:
        return conn.execute(
            "SELECT status, pages_done, page_count, error FROM archive_document"
        ).fetchone()


def task_statuses(dbname: str) -> list[str]:
    from django_tasks_db.models import DBTaskResult

    table = DBTaskResult._meta.db_table
    with server_connection(dbname) as conn:
        rows = conn.execute(f'SELECT status FROM "{table}" ORDER BY enqueued_at').fetchall()
    return [status for (status,) in rows]


# The load's last writes: topic assignments, after every page, meeting, item, resolution and vote.
TOPIC_TABLES = ("archive_item_topics", "archive_report_topics", "archive_resolution_topics")
WRITTEN_BEFORE = {"archive_page", "archive_item", "archive_resolution", "archive_vote"}


@contextmanager
def topic_tables_locked(dbname: str):
    """Hold SHARE locks on the topic tables: a load blocks at its last writes, its transaction
    open with everything else written (reads go on)."""
    with server_connection(dbname) as conn:
        conn.autocommit = False
        conn.execute(f"LOCK TABLE {', '.join(TOPIC_TABLES)} IN SHARE MODE")
        try:
            yield
        finally:
            conn.rollback()


def blocked_load(dbname: str) -> tuple[int, set[str]] | None:
    """(backend pid, tables it has written in its open transaction) of a worker's load waiting
    for the topic tables' lock; None while there is none."""
    with server_connection(dbname) as conn:
        row = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
            " AND backend_xid IS NOT NULL AND query ~ 'archive_(item|report|resolution)_topics'",
            [dbname],
        ).fetchone()
        if row is None:
            return None
        written = conn.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE l.pid = %s AND l.mode = 'RowExclusiveLock' AND l.granted",
            [row[0]],
        ).fetchall()
    return row[0], {name for (name,) in written}


def backend_alive(dbname: str, pid: int) -> bool:
    with server_connection(dbname) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone())


def assert_nothing_loaded(dbname: str) -> None:
    """Only the stored document (and the council it belongs to) exists; it says "in progress"."""
    status, _, _, error = document_state(dbname)
    assert status in IN_PROGRESS and error == ""
    left = {label: n for label, n in counts(archive_rows(dbname)).items() if n}
    left.pop("archive.Topic", None)  # seeded by a migration
    assert left == {"archive.Council": 1, "archive.Document": 1}


def recover(env: dict, dbname: str) -> None:
    """`recover_stale --minutes 0`, as `make run` and docker-compose run before a worker."""
    output = manage("recover_stale", "--minutes", "0", env=env)
    assert "requeued document" in output, output
    assert document_state(dbname)[0] == "queued"


def test_killed_worker_leaves_nothing_half_loaded_and_its_retry_equals_a_clean_run(tmp_path):
    pack = largest_pack()
    kill_db, clean_db = scratch_name("kill"), scratch_name("clean")
    kill_media, clean_media = tmp_path / "kill-media", tmp_path / "clean-media"
    env = manage_env(kill_db, kill_media)
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115
    workers: list[subprocess.Popen] = []
    timings = {}
    with scratch_databases(kill_db, clean_db):
        try:
            create_database(kill_db)
            manage("migrate", "--noinput", env=env)
            create_database(clean_db, template=kill_db)  # the same fresh, migrated archive

            # An officer's upload: the document is stored and its ingest job queued.
            output = manage("shell", "-c", QUEUE_UPLOAD.format(path=str(pack)), env=env)
            assert "queued" in output

            # 1. kill -9 while the pages are being extracted (by the worker's process pool).
            started = time.monotonic()
            workers.append(start_worker(env, log))

            def mid_extraction():
                status, done, total, _ = document_state(kill_db)
                assert status not in ("loaded", "failed"), "finished before the kill"
                return status == "extracting" and 0 < done < total and (done, total)

            done, total = wait_for(mid_extraction, 300, "pages extracted")
            kill_group(workers[-1])
            timings["kill 1 (extracting)"] = time.monotonic() - started
            print(f"\n{pack.name}: killed the worker at {done}/{total} pages extracted")
            assert wait_for(lambda: not group_alive(workers[-1].pid), 10, "the group to die")
            assert document_state(kill_db)[:2] == ("extracting", done)
            assert_nothing_loaded(kill_db)
            assert task_statuses(kill_db) == ["RUNNING"]  # the killed worker's claim
            recover(env, kill_db)
            # The killed run's task is closed as failed; the retry is a new task.
            assert task_statuses(kill_db) == ["FAILED", "READY"]

            # 2. kill -9 in the middle of the load's transaction: pages, items, resolutions and
            # votes written (uncommitted), the topic assignments still to come.
            started = time.monotonic()
            with topic_tables_locked(kill_db):
                workers.append(start_worker(env, log))
                pid, written = wait_for(lambda: blocked_load(kill_db), 600, "the load to block")
                assert document_state(kill_db)[0] == "loading"
                assert WRITTEN_BEFORE <= written, written
                kill_group(workers[-1])
                timings["kill 2 (loading)"] = time.monotonic() - started
            # Its server backend finds the client gone at the next command and rolls back.
            wait_for(lambda: not backend_alive(kill_db, pid), 30, "the backend to end")
            assert_nothing_loaded(kill_db)
            recover(env, kill_db)
            assert task_statuses(kill_db) == ["FAILED", "FAILED", "READY"]

            # 3. A new worker: requeued after two of INGEST_MAX_ATTEMPTS (3) attempts, the job
            # completes (on the last attempt recover_stale would mark it failed with a reason).
            started = time.monotonic()
            workers.append(start_worker(env, log))
            final = wait_for(
                lambda: (state := document_state(kill_db))[0] in ("loaded", "failed") and state,
                600,
                "the retried job to finish",
            )
            timings["retry to loaded"] = time.monotonic() - started
            assert final == ("loaded", total, total, "")
            assert task_statuses(kill_db) == ["FAILED", "FAILED", "SUCCESSFUL"]
        finally:
            for worker in workers:
                kill_group(worker)
            log.seek(0)
            print(log.read()[-3000:])

        # The same file ingested once into a fresh archive.
        started = time.monotonic()
        clean = manage("ingest", str(pack), env=manage_env(clean_db, clean_media))
        timings["clean ingest"] = time.monotonic() - started
        assert pack.name in clean and "FAILED" not in clean

        after_kills, clean_run = archive_rows(kill_db), archive_rows(clean_db)
    print(", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    print("rows per model:", {k: n for k, n in counts(clean_run).items() if n})
    assert differences(after_kills, clean_run) == {}
    # The comparison covers real records, not two empty archives.
    loaded = counts(clean_run)
    assert loaded["archive.Page"] == total
    assert loaded["archive.Meeting"] > 0 and loaded["archive.Item"] > 0
    assert loaded["archive.Resolution"] > 0 and loaded["archive.Attendance"] > 0
    assert loaded["archive.Vote"] > 0 and loaded["archive.CouncillorVote"] > 0
    # ... and the stored PDF is the same file under the same name.
    stored = sorted(p.relative_to(kill_media) for p in kill_media.rglob("*.pdf"))
    assert stored == sorted(p.relative_to(clean_media) for p in clean_media.rglob("*.pdf"))
    assert len(stored) == 1
