"""`backup_archive` / `restore_archive` (`make backup`, `make restore`) round-trip the archive
exactly: the five sample packs are loaded into a scratch database of this test's own (the shared
test database is never wiped), backed up, the database dropped and MEDIA_ROOT deleted, restored;
then every table's rows (an md5 of all its rows in order), every sequence, index, constraint,
extension and text search configuration, and the SHA-256 of every media file are the same as
before. A restore over a non-empty archive is refused without --force, and a damaged backup is
refused before anything is touched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

from tests.conftest import PACKS, PAGE_DUMPS, REPO
from tests.processes import manage_env
from tests.reliability.scratch import (
    create_database,
    manage,
    scratch_databases,
    scratch_name,
    server_connection,
)

# The packs' pages come from the fixtures' pdfminer dumps (no extraction: seconds, not minutes);
# the PDFs themselves are stored, as an upload stores them.
LOAD_SAMPLE = """
from pathlib import Path
from django.contrib.auth.models import User
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from councilarchive.ingest.parse.text import pages_from_text
from councilarchive.ingest.pipeline import store
for path in sorted(Path({packs!r}).glob("*.pdf")):
    pages = pages_from_text((Path({texts!r}) / f"{{path.stem}}.pages.txt").read_text())
    document, _ = store(path)
    load(parse(pages), document, pages)
User.objects.create_user("olive", password="officer-pw-backup", is_staff=True)
print("loaded")
"""

# Everything a restore must bring back, as (what, value) rows.
SCHEMA_QUERIES = {
    "sequences": "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'",
    "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
    " FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
    "extensions": "SELECT extname, extversion FROM pg_extension",
    "text search": "SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = 'public'::regnamespace",
}


def database_state(dbname: str) -> dict:
    """{table: (rows, md5 of all rows in order)} for every table, plus the schema's objects."""
    state = {}
    with server_connection(dbname) as conn:
        tables = [
            t
            for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        for table in tables:
            state[table] = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                f' FROM "{table}" t'
            ).fetchone()
        for what, query in SCHEMA_QUERIES.items():
            state[what] = sorted(conn.execute(query).fetchall())
    return state


def media_state(root) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def restore(folder, env, *extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "restore_archive", str(folder), *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_backup_then_restore_into_a_dropped_database_gives_back_the_same_archive(tmp_path):
    db = scratch_name("backup_rt")
    media, backups = tmp_path / "media", tmp_path / "backups"
    env = manage_env(db, media)
    with scratch_databases(db):
        create_database(db)
        manage("migrate", "--noinput", env=env)
        manage("shell", "-c", LOAD_SAMPLE.format(packs=str(PACKS), texts=str(PAGE_DUMPS)), env=env)
        before, media_before = database_state(db), media_state(media)
        assert before["archive_document"][0] == 5
        assert before["archive_councillorvote"][0] > 0 and before["archive_page"][0] > 400
        assert before["auth_user"][0] == 1 and before["archive_declaration"][0] > 0
        # The stored PDFs are the sample packs, byte for byte.
        packs = {hashlib.sha256(p.read_bytes()).hexdigest() for p in PACKS.glob("*.pdf")}
        assert set(media_before.values()) == packs

        output = manage("backup_archive", "--output-dir", str(backups), env=env)
        print(output)
        assert "[1/3] Dumping database" in output and "Backup complete" in output
        [folder] = list(backups.iterdir())  # one folder, no partial one left behind
        assert sorted(p.name for p in folder.iterdir()) == [
            "database.dump",
            "manifest.json",
            "media.tar",
        ]
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["counts"]["archive.Document"] == 5
        assert manifest["counts"]["archive.CouncillorVote"] == before["archive_councillorvote"][0]
        assert manifest["counts"]["archive.Page"] == before["archive_page"][0]
        assert {m["sha256"] for m in manifest["media"].values()} == packs
        assert "archive.0001_extensions" in manifest["migrations"]
        assert manifest["problems"] == [] and manifest["documents"] == 5

        # Refused over a non-empty archive, which is left as it was.
        refused = restore(folder, env)
        assert refused.returncode != 0
        assert "The archive is not empty (5 documents" in refused.stderr
        assert database_state(db) == before

        # Lose everything: the database and the PDFs.
        create_database(db)  # dropped and made again, empty: not even migrated
        shutil.rmtree(media)
        assert database_state(db)["extensions"] == [("plpgsql", "1.0")]

        restored = restore(folder, env)
        print(restored.stdout, restored.stderr)
        assert restored.returncode == 0, restored.stderr
        assert "[4/5] Restoring the database" in restored.stdout
        assert "Verified: " in restored.stdout
        assert database_state(db) == before
        assert media_state(media) == media_before

        # --force over a changed archive: a record deleted, a stray file added; both undone.
        with server_connection(db) as conn:
            conn.execute("DELETE FROM archive_declaration")
        stray = media / "documents" / "zz" / "stray.pdf"
        stray.parent.mkdir(parents=True)
        stray.write_bytes(b"%PDF-1.4 not in the backup")
        forced = restore(folder, env, "--force")
        assert forced.returncode == 0, forced.stderr
        assert "removed 1 files the backup does not have" in forced.stdout
        assert database_state(db) == before
        assert media_state(media) == media_before

        # A damaged backup is refused before anything is changed.
        damaged = tmp_path / "damaged"
        shutil.copytree(folder, damaged)
        data = bytearray((damaged / "media.tar").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (damaged / "media.tar").write_bytes(bytes(data))
        with server_connection(db) as conn:
            conn.execute("DELETE FROM archive_declaration")
        after_delete = database_state(db)
        assert after_delete != before
        refused = restore(damaged, env, "--force")
        assert refused.returncode != 0
        assert "media.tar is damaged: its SHA-256 is not the manifest's" in refused.stderr
        assert database_state(db) == after_delete
