"""`manage.py import_members file.csv [--dry-run]`: the members register from a CSV
(`name, party, division, start, end`; see ingest/members.py). Prints what changes and each bad
row's error; `--dry-run` writes nothing. Exits non-zero when a row has an error (the good rows
are still imported unless --dry-run)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councilarchive.ingest.members import apply_register, read_register, register_text
from councilarchive.ingest.pipeline import default_council


class Command(BaseCommand):
    help = "Import or update the members register from a CSV (name, party, division, start, end)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show the changes only.")

    def handle(self, file: Path, dry_run: bool, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        plan = read_register(default_council(), text)
        self.stdout.write(register_text(plan))
        if not dry_run:
            done = apply_register(plan)
            self.stdout.write(f"Added {done['added']}, updated {done['updated']}.")
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} row(s) not imported: see the errors above.")
