"""Ingest many files, overlapping the stages: the next file is extracted (on all cores) while the
current one is parsed and loaded, so the cores are not idle during parse + load and between files.

Each file still goes through `pipeline.ingest_file` (store, status, one transaction per file,
the same errors); only its extraction has been started ahead of time (`extract.prefetch`).
Files are loaded one at a time, in order, so councillor matching sees the files' records in the
same order as a plain loop would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from councilarchive.archive.files import sha256_of
from councilarchive.archive.models import Committee, Council, Document
from councilarchive.ingest.errors import IngestError
from councilarchive.ingest.extract import discard, prefetch
from councilarchive.ingest.load import LoadResult
from councilarchive.ingest.pipeline import ingest_file

FileProgress = Callable[[Path, int, int], None]


@dataclass
class BatchItem:
    path: Path
    result: LoadResult | None  # None when the file failed
    error: str | None  # the one-line reason it failed
    seconds: float


def _will_extract(path: Path, force: bool) -> bool:
    """False when ingest_file would skip the file (same content already loaded, no force)."""
    if force:
        return True
    document = Document.objects.filter(sha256=sha256_of(path)).only("status").first()
    return document is None or document.status != Document.Status.LOADED


def ingest_files(
    paths: Iterable[str | Path],
    *,
    council: Council | None = None,
    committee: Committee | None = None,
    force: bool = False,
    progress: FileProgress | None = None,
) -> list[BatchItem]:
    """ingest_file for every path, in order, extracting each file while the previous one is
    parsed and loaded. A failed file is reported in its BatchItem and does not stop the rest.
    `progress(path, done, total)` is called as pages of each file are extracted."""
    paths = [Path(p) for p in paths]
    items: list[BatchItem] = []
    keys: dict[int, str] = {}
    limits = {"max_pages": settings.INGEST_MAX_PAGES, "max_bytes": settings.INGEST_MAX_BYTES}

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract-ahead") as ahead:

        def start(index: int) -> None:
            if index >= len(paths):
                return
            path = paths[index]
            try:
                if not _will_extract(path, force):
                    return
                on_page = (lambda d, t, p=path: progress(p, d, t)) if progress else None
                keys[index] = prefetch(path, executor=ahead, progress=on_page, **limits)
            except OSError:
                pass  # unreadable: ingest_file reports it

        start(0)
        for index, path in enumerate(paths):
            start(index + 1)  # queued behind this file's extraction, runs during its parse+load
            started = time.monotonic()
            try:
                result = ingest_file(path, council=council, committee=committee, force=force)
                items.append(BatchItem(path, result, None, time.monotonic() - started))
            except IngestError as exc:
                items.append(BatchItem(path, None, str(exc), time.monotonic() - started))
            except OSError as exc:
                reason = f"Cannot read the file: {exc.strerror or exc}"
                items.append(BatchItem(path, None, reason, time.monotonic() - started))
            finally:
                discard(keys.pop(index, None))
    return items
