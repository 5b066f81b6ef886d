"""The ingest pipeline: store a PDF once (by SHA-256), then extract -> parse -> load.

The management command and the background task are thin wrappers around `store` and `process`.
A document row exists from the moment its file is stored (so officers see its status), but the
records parsed from it appear only when `load` commits them all at once.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from councilarchive.archive import versioning
from councilarchive.archive.files import sha256_of
from councilarchive.archive.models import Committee, Council, Document, Page
from councilarchive.ingest.errors import IngestError
from councilarchive.ingest.extract import extract, has_text_layer
from councilarchive.ingest.load import LoadResult, load
from councilarchive.ingest.parse import parse

Progress = Callable[[int, int], None]


def default_council() -> Council:
    council, _ = Council.objects.get_or_create(name=settings.COUNCIL_NAME)
    return council


def store(
    path: str | Path,
    *,
    council: Council | None = None,
    committee: Committee | None = None,
    original_name: str | None = None,
    uploaded_by=None,
) -> tuple[Document, bool]:
    """The Document for this file's content, storing the file if it is new: (document, created).

    The row claims the content first (the unique SHA-256): of two stores of the same file at
    once, the second waits on the first's row, then returns it as the existing copy without
    writing a file; the file is written only by the store that owns the row, and removed again
    if the row is not saved, so MEDIA_ROOT holds no file that no document owns."""
    path = Path(path)
    sha = sha256_of(path)
    existing = Document.objects.filter(sha256=sha).first()
    if existing is not None:
        return existing, False
    council = council or (committee.council if committee else default_council())
    document = Document(
        council=council,
        committee=committee,
        sha256=sha,
        size=path.stat().st_size,
        original_name=(original_name or path.name)[:300],
        uploaded_by=uploaded_by,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            existing = Document.objects.filter(sha256=sha).first()
            if existing is None:
                raise
            return existing, False
        try:
            with open(path, "rb") as fh:
                document.file.save(f"{sha}.pdf", File(fh), save=False)
            document.save(update_fields=["file"])
        except BaseException:
            if document.file.name:
                document.file.storage.delete(document.file.name)
            raise
    return document, True


@contextmanager
def local_file(document: Document):
    """A local path to the stored original (a temporary copy when storage is not a filesystem)."""
    try:
        yield Path(document.file.path)
        return
    except NotImplementedError:
        pass
    with document.file.open("rb") as src, tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        shutil.copyfileobj(src, tmp)
        tmp.flush()
        yield Path(tmp.name)


def _set_status(document: Document, status: str, **fields) -> None:
    document.status = status
    for name, value in fields.items():
        setattr(document, name, value)
    document.save(update_fields=["status", *fields])


def process(document: Document, *, progress: Progress | None = None) -> LoadResult:
    """Extract, parse and load a stored document. Raises IngestError with a one-line reason,
    after recording it on the document (status "failed"); nothing parsed is half-written."""
    _set_status(
        document,
        Document.Status.EXTRACTING,
        started_at=timezone.now(),
        error="",
        pages_done=0,
        finished_at=None,
    )

    def on_page(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            Document.objects.filter(pk=document.pk).update(pages_done=done, page_count=total)
        if progress:
            progress(done, total)

    try:
        with local_file(document) as path:
            pages = extract(
                path,
                max_pages=settings.INGEST_MAX_PAGES,
                max_bytes=settings.INGEST_MAX_BYTES,
                progress=on_page,
            )
        if not has_text_layer(pages):
            with transaction.atomic():
                document.pages.all().delete()
                Page.objects.bulk_create(
                    Page(document=document, number=p.number, text=p.text) for p in pages
                )
                _set_status(
                    document,
                    Document.Status.NEEDS_OCR,
                    page_count=len(pages),
                    pages_done=len(pages),
                    finished_at=timezone.now(),
                    error="No text layer: the PDF is scanned images and needs OCR.",
                )
            return LoadResult(document=document, counts={"pages": len(pages)})
        _set_status(document, Document.Status.PARSING, page_count=len(pages), pages_done=len(pages))
        pack = parse(pages)
        _set_status(document, Document.Status.LOADING)
        return load(pack, document, pages)
    except IngestError as exc:
        _fail(document, str(exc))
        raise
    except Exception as exc:  # a bug or an unforeseen file: still one clear line for the officer
        _fail(document, f"Ingest failed unexpectedly: {type(exc).__name__}: {exc}".splitlines()[0])
        raise IngestError(document.error) from exc


def _fail(document: Document, reason: str) -> None:
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.FAILED, error=reason[:1000], finished_at=timezone.now()
    )
    versioning.changed()  # no signal from update
    document.refresh_from_db()


def ingest_file(
    path: str | Path,
    *,
    council: Council | None = None,
    committee: Committee | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    """Store and process one file. The same content twice is a no-op unless `force`."""
    document, created = store(path, council=council, committee=committee)
    if not created and not force and document.status == Document.Status.LOADED:
        return LoadResult(document=document, counts=document.counts, skipped=True)
    if committee is not None and document.committee_id != committee.pk:
        document.committee = committee
        document.save(update_fields=["committee"])
    return process(document, progress=progress)
