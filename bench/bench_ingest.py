"""Ingest benchmark (issue #3, Performance): `make bench-ingest` / `python bench/bench_ingest.py`.

On the sample packs (fixtures/packs/*.pdf) prints pages/s of
  - raw pdfminer.six extraction in one process (the baseline),
  - the whole pipeline, extract + parse + load into PostgreSQL, using all cores:
    `ingest_files` (councilarchive.ingest.batch: the next file is extracted while the previous
    one is parsed and loaded) and, for comparison, `ingest_file` one file after another,
  - poppler `pdftotext` when installed (the reference limit),
the pipeline / raw ratio (target >= 1.6 on 2 cores) and the peak memory, RSS of this process and
its children (the database server not counted; target < 500 MB), also for one 300+ page pack made
by joining three packs. A table, then one JSON line.

The pipeline runs against its own database, EMBEDDED_DB_NAME=councilarchive_bench (migrated
here), or BENCH_DATABASE_URL when set; every file is ingested with force=True.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("EMBEDDED_DB_NAME", "councilarchive_bench")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilarchive.settings")

import django  # noqa: E402

django.setup()

from bench_extract import PACKS, measure, pdftotext, raw_pdfminer, table  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from councilarchive.archive.models import Document  # noqa: E402
from councilarchive.ingest.batch import ingest_files  # noqa: E402
from councilarchive.ingest.pipeline import ingest_file  # noqa: E402

TARGET_RATIO = 1.6
TARGET_PEAK_MB = 500


def joined_pack(paths: list[Path], out: Path) -> Path:
    """One big pack: the given PDFs one after another (pypdf)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for path in paths:
        writer.append(str(path))
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def pipeline_one_by_one(path: Path) -> int:
    return ingest_file(path, force=True).document.page_count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-big", action="store_true", help="skip the 300+ page pack")
    args = parser.parse_args()

    call_command("migrate", verbosity=0, interactive=False)
    # A clean start in the benchmark's own database: earlier runs' stored files are gone.
    Document.objects.all().delete()
    media = Path(tempfile.mkdtemp(prefix="bench-ingest-media-"))
    settings.MEDIA_ROOT = str(media)  # stored copies of the packs go to a scratch folder
    try:
        cores = os.cpu_count()
        print(f"{len(PACKS)} packs, {cores} cores, database {os.environ['EMBEDDED_DB_NAME']}")
        raw = measure("raw pdfminer.six, 1 process", PACKS, raw_pdfminer)

        def pipeline_batch(_path: Path) -> int:  # all packs in one call, measured as a whole
            results = ingest_files(PACKS, force=True)
            failed = [r for r in results if r.error]
            if failed:
                raise SystemExit(f"ingest failed: {failed}")
            return sum(r.result.document.page_count for r in results)

        rows = [
            raw,
            measure("pipeline batch", PACKS[:1], pipeline_batch),
            measure(
                f"pipeline ingest_file x{len(PACKS)}, {cores} cores", PACKS, pipeline_one_by_one
            ),
        ]
        rows[1]["label"] = f"pipeline ingest_files (batch), {cores} cores"
        if shutil.which("pdftotext"):
            rows.append(measure("poppler pdftotext -layout (reference)", PACKS, pdftotext))
        big = None
        if not args.skip_big:
            big_pdf = joined_pack(
                [p for p in PACKS if p.name[:3] in {"000", "001", "003"}], media / "big.pdf"
            )
            big = measure("pipeline, one joined pack", [big_pdf], pipeline_one_by_one)
            big["label"] = f"pipeline, one {big['pages']}-page pack"
            rows.append(big)
        print(table(rows, raw))
        ratio = rows[1]["pages_per_s"] / raw["pages_per_s"]
        peak = max(r["peak_rss_mb"] for r in rows[1:3] + ([big] if big else []))
        print(
            f"pipeline / raw = {ratio:.2f} (target >= {TARGET_RATIO}); "
            f"peak memory {peak:.0f} MB (target < {TARGET_PEAK_MB} MB)"
        )
        print(
            json.dumps(
                {
                    "bench": "ingest",
                    "cores": cores,
                    "raw_pages_per_s": raw["pages_per_s"],
                    "pipeline_pages_per_s": rows[1]["pages_per_s"],
                    "pipeline_one_by_one_pages_per_s": rows[2]["pages_per_s"],
                    "ratio": round(ratio, 2),
                    "ratio_target": TARGET_RATIO,
                    "peak_rss_mb": round(peak, 1),
                    "peak_target_mb": TARGET_PEAK_MB,
                    "pdftotext_pages_per_s": next(
                        (r["pages_per_s"] for r in rows if "pdftotext" in r["label"]), None
                    ),
                    "rows": rows,
                }
            )
        )
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
