"""python manage.py ingest PATH... [--committee NAME] [--force]"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councilarchive.ingest.committees import get_committee
from councilarchive.ingest.errors import IngestError
from councilarchive.ingest.pipeline import default_council, ingest_file


def progress_bar(label: str, stream=sys.stderr):
    """A one-line progress bar drawn as pages are extracted."""

    def draw(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(
            f"\r{label[:40]:<40} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} pages"
        )
        if done >= total:
            stream.write("\n")
        stream.flush()

    return draw


def pdf_paths(paths):
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf")
        elif path.exists():
            yield path
        else:
            raise CommandError(f"No such file or folder: {raw}")


class Command(BaseCommand):
    help = "Ingest agenda packs, minutes or reports (PDF files or folders of them)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--committee", help="The committee these papers belong to.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-parse files already loaded, replacing their records.",
        )

    def handle(self, *args, paths, committee=None, force=False, **options):
        council = default_council()
        committee_obj = get_committee(council, committee) if committee else None
        failures = 0
        for path in pdf_paths(paths):
            started = time.monotonic()
            show = progress_bar(path.name) if options["verbosity"] > 0 else None
            try:
                result = ingest_file(
                    path, council=council, committee=committee_obj, force=force, progress=show
                )
            except IngestError as exc:
                failures += 1
                self.stderr.write(f"{path.name}: FAILED: {exc}")
                continue
            took = time.monotonic() - started
            doc = result.document
            if result.skipped:
                self.stdout.write(f"{path.name}: already loaded as document {doc.pk}, unchanged")
            elif doc.status == doc.Status.NEEDS_OCR:
                self.stdout.write(f"{path.name}: stored as document {doc.pk}: {doc.error}")
            else:
                problems = f", {len(doc.problems)} problems to check" if doc.problems else ""
                self.stdout.write(
                    f"{path.name}: {result.summary()}{problems} ({doc.page_count} "
                    f"pages, {took:.1f}s)"
                )
        if failures:
            raise CommandError(f"{failures} file(s) failed")
