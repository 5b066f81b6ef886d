"""Background ingest on the django-tasks database worker (`manage.py db_worker`).

`ingest_document` is a thin wrapper around `pipeline.process`. It only works on a document whose
status is "queued" and claims it with one conditional UPDATE, so enqueueing twice, or a retry
racing a second worker, processes the file once. `load` writes in one transaction, so a worker
killed mid-job leaves the document's previous records (or none), never half of them; the document
is left saying "extracting"/"parsing"/"loading", and `recover_stale` (run by `manage.py
recover_stale`, e.g. before starting the worker) puts it back in the queue, or marks it failed
with a reason once it has been tried `max_attempts` times.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from councilarchive.archive import versioning
from councilarchive.archive.models import Document
from councilarchive.ingest.errors import IngestError
from councilarchive.ingest.pipeline import process

IN_PROGRESS = (
    Document.Status.EXTRACTING,
    Document.Status.PARSING,
    Document.Status.LOADING,
)
# Documents stuck in progress longer than this are presumed abandoned by a dead worker.
STALE_AFTER_MINUTES = settings.INGEST_STALE_MINUTES
MAX_ATTEMPTS = settings.INGEST_MAX_ATTEMPTS


@task()
def ingest_document(document_id: int) -> dict:
    """Extract, parse and load one queued Document; a no-op for any other status."""
    claimed = Document.objects.filter(pk=document_id, status=Document.Status.QUEUED).update(
        status=Document.Status.EXTRACTING, started_at=timezone.now()
    )
    if not claimed:
        status = Document.objects.filter(pk=document_id).values_list("status", flat=True).first()
        return {"document": document_id, "skipped": status or "deleted"}
    document = Document.objects.get(pk=document_id)
    try:
        result = process(document)
    except IngestError as exc:  # already recorded on the document (status "failed")
        return {"document": document_id, "status": Document.Status.FAILED, "error": str(exc)}
    return {"document": document_id, "status": result.document.status, "counts": result.counts}


def enqueue(document: Document) -> None:
    """Queue (or re-queue) a document for ingest once the current transaction commits."""
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.QUEUED, error="", pages_done=0, started_at=None, finished_at=None
    )
    document.refresh_from_db()
    versioning.changed()  # a re-queued document's pages change status (no signal from update)
    transaction.on_commit(lambda: ingest_document.enqueue(document.pk))


def attempts(document: Document) -> int:
    """How many times the worker has been asked to ingest this document."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=ingest_document.module_path, args_kwargs__args=[document.pk]
    ).count()


def recover_stale(
    *, minutes: int = STALE_AFTER_MINUTES, max_attempts: int = MAX_ATTEMPTS, now=None
) -> tuple[list[Document], list[Document]]:
    """Documents left in progress by a worker that died: (requeued, failed)."""
    cutoff = (now or timezone.now()) - dt.timedelta(minutes=minutes)
    stale = Document.objects.filter(status__in=IN_PROGRESS, started_at__lt=cutoff)
    requeued, failed = [], []
    for document in stale:
        tried = attempts(document)
        if tried >= max_attempts:
            Document.objects.filter(pk=document.pk).update(
                status=Document.Status.FAILED,
                finished_at=timezone.now(),
                error=(
                    f"Ingest stopped without finishing {tried} times (the worker was stopped "
                    f"or ran out of memory); retry it, or check the file."
                ),
            )
            document.refresh_from_db()
            failed.append(document)
        else:
            with transaction.atomic():
                enqueue(document)
            requeued.append(document)
    _fail_orphaned_task_results(cutoff)
    return requeued, failed


def _fail_orphaned_task_results(cutoff) -> None:
    """Task rows still "running" from before the cutoff: their worker is gone."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path=ingest_document.module_path,
        status=TaskResultStatus.RUNNING,
        started_at__lt=cutoff,
    ).update(status=TaskResultStatus.FAILED, finished_at=timezone.now())
