"""`manage.py restore_archive BACKUP [--force]` (`make restore BACKUP=backups/<timestamp>`).

Puts back a folder written by `backup_archive`: the database (pg_restore --clean --if-exists, in
one transaction: it is restored whole or not at all) and MEDIA_ROOT, then checks the result
against the manifest (rows per model, applied migrations, the SHA-256 of every media file and
of every document's PDF) and prints what matched. Exits non-zero if anything does not.

Before changing anything it checks the backup's own files against the manifest, and refuses to
replace an archive that holds anything (documents or other archive records, user accounts, files
in MEDIA_ROOT) unless given --force; with --force, media files the backup does not have are
removed, so the result is the backup exactly. Stop the web server and the worker first: the
restore waits for their locks on the tables it replaces.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from councilarchive.ops import pagecache
from councilarchive.ops.management.commands.backup_archive import (
    DUMP,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    applied_migrations,
    document_files,
    media_files,
    model_counts,
    pg_tool,
    run_tool,
    sha256_of,
)

# A table in `pg_restore --list`: "215; 1259 16390 TABLE public archive_item postgres"
TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", re.MULTILINE)
SEEDED = {"archive.Topic"}  # rows a migration makes in an empty archive


class Command(BaseCommand):
    help = "Restore a backup made by backup_archive (database and MEDIA_ROOT), then verify it."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup folder, e.g. backups/20261123T101500Z")
        parser.add_argument(
            "--force", action="store_true", help="Replace an archive that is not empty."
        )

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args, backup, force, **options):
        started = time.monotonic()
        folder = Path(backup).resolve()
        manifest = self.read_manifest(folder)
        media_root = Path(settings.MEDIA_ROOT)
        self.say(f"Restoring {folder.name} (made {manifest['created']}) ...")

        self.say("[1/5] Checking the backup's files against its manifest ...")
        for name in (DUMP, MEDIA):
            if sha256_of(folder / name) != manifest["files"][name]["sha256"]:
                raise CommandError(f"{folder / name} is damaged: its SHA-256 is not the manifest's")

        self.say(
            f"[2/5] Checking that the archive in {connection.settings_dict['NAME']} is empty ..."
        )
        found = self.archive_contents(media_root)
        if found and not force:
            raise CommandError(
                f"The archive is not empty ({found}); a restore replaces it. Back it up first "
                "(make backup), then restore with --force (make restore BACKUP=... FORCE=1)."
            )
        if found:
            self.say(f"      replacing {found} (--force)")
        pg_restore = pg_tool("pg_restore")

        staging = media_root / f".restoring-{os.getpid()}"
        try:
            self.say(f"[3/5] Unpacking {len(manifest['media'])} media files ...")
            self.unpack_media(folder / MEDIA, staging, manifest["media"])

            self.say("[4/5] Restoring the database (one transaction) ...")
            connection.close()
            run_tool(
                [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges"]
                + ["--single-transaction", "--exit-on-error"]
                + [f"--dbname={connection.settings_dict['NAME']}", str(folder / DUMP)],
                "pg_restore",
            )
            connection.close()
            pagecache.clear()  # no page rendered before the restore is served after it

            self.say(f"[5/5] Moving the media files into {media_root} ...")
            removed = self.place_media(staging, media_root, manifest["media"])
            if removed:
                self.say(f"      removed {removed} files the backup does not have")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

        extra = self.tables_not_in(folder / DUMP, pg_restore)
        problems = self.verify(manifest, media_root)
        if extra:
            self.stderr.write(f"warning: tables not in the backup were left: {', '.join(extra)}")
        if problems:
            raise CommandError(
                "Restored, but it does not match the manifest:\n" + "\n".join(problems)
            )
        self.say(
            f"Verified: {len(manifest['counts'])} tables' row counts "
            f"({sum(manifest['counts'].values())} rows), {len(manifest['migrations'])} migrations, "
            f"{len(manifest['media'])} media files' SHA-256 and {manifest['documents']} documents' "
            f"PDFs match the manifest. Restored in {time.monotonic() - started:.1f}s."
        )

    def read_manifest(self, folder: Path) -> dict:
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except FileNotFoundError:
            raise CommandError(f"{folder} is not a backup: it has no {MANIFEST}") from None
        if manifest.get("format_version") != FORMAT_VERSION:
            raise CommandError(f"{folder}: unknown backup format {manifest.get('format_version')}")
        return manifest

    def archive_contents(self, media_root: Path) -> str:
        """What the current archive holds ('' when it is empty or not even migrated)."""
        counts = model_counts()
        documents = counts.get("archive.Document", 0)
        records = sum(
            n for label, n in counts.items() if label.startswith("archive.") and label not in SEEDED
        )
        users = counts.get("auth.User", 0)
        files = len(media_files(media_root))
        parts = [
            f"{documents} documents" if documents else "",
            f"{records} archive rows" if records else "",
            f"{users} user accounts" if users else "",
            f"{files} files in MEDIA_ROOT" if files else "",
        ]
        return ", ".join(p for p in parts if p)

    def unpack_media(self, tar_path: Path, staging: Path, expected: dict) -> None:
        staging.mkdir(parents=True)
        with tarfile.open(tar_path) as tar:
            tar.extractall(staging, filter="data")  # no absolute paths, links out or devices
        got = {p.as_posix() for p in media_files(staging)}
        if got != set(expected):
            raise CommandError(f"{tar_path} does not hold the files its manifest lists")
        for rel, info in expected.items():
            if sha256_of(staging / rel) != info["sha256"]:
                raise CommandError(f"{tar_path}: {rel} does not match its SHA-256")

    def place_media(self, staging: Path, media_root: Path, expected: dict) -> int:
        """Move the unpacked files into MEDIA_ROOT; remove the files the backup does not have."""
        for rel in expected:
            target = media_root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, target)
        removed = 0
        for rel in media_files(media_root):
            if rel.as_posix() not in expected:
                (media_root / rel).unlink()
                removed += 1
        return removed

    def tables_not_in(self, dump: Path, pg_restore: str) -> list[str]:
        listing = subprocess.run(
            [pg_restore, "--list", str(dump)], capture_output=True, text=True, check=True
        ).stdout
        dumped = {name for schema, name in TOC_TABLE.findall(listing) if schema == "public"}
        return sorted(set(connection.introspection.table_names()) - dumped)

    def verify(self, manifest: dict, media_root: Path) -> list[str]:
        problems = []
        counts = model_counts()
        for label in sorted(set(counts) | set(manifest["counts"])):
            want, got = manifest["counts"].get(label), counts.get(label)
            if want != got:
                problems.append(f"{label}: {got} rows, the backup had {want}")
        if applied_migrations() != manifest["migrations"]:
            problems.append("the applied migrations differ from the backup's")
        files = {p.as_posix() for p in media_files(media_root)}
        if files != set(manifest["media"]):
            problems.append(
                f"MEDIA_ROOT holds {len(files)} files, the backup {len(manifest['media'])}"
            )
        for rel in sorted(files & set(manifest["media"])):
            if sha256_of(media_root / rel) != manifest["media"][rel]["sha256"]:
                problems.append(f"{rel} does not match its SHA-256")
        for stored, sha in document_files().items():
            if stored not in files or manifest["media"][stored]["sha256"] != sha:
                problems.append(f"the PDF of a document is missing or differs: {stored}")
        return problems
