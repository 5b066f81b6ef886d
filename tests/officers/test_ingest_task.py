"""The background task: loads a pack, records failures, is safe to run twice, recovers from a
worker that died mid-job; and the admin shows all of it."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from councilarchive.archive.models import Document, Item, Page, Report
from councilarchive.ingest.pipeline import store
from councilarchive.ingest.tasks import ingest_document, recover_stale
from tests.officers.conftest import SMALL_PACK, forget, image_only_pdf

pytestmark = pytest.mark.django_db
LIST = "/admin/archive/document/"


@pytest.fixture
def queued(officer, tmp_path):
    def make(path=SMALL_PACK, data=None, name=None):
        if data is not None:
            path = tmp_path / name
            path.write_bytes(data)
        forget(path)
        document, _ = store(path, uploaded_by=officer)
        return document

    return make


@pytest.mark.slow
def test_task_loads_the_small_sample_pack(queued, officer_client):
    document = queued()
    result = ingest_document.call(document.pk)
    document.refresh_from_db()
    assert result["status"] == Document.Status.LOADED
    assert document.status == Document.Status.LOADED
    assert (document.page_count, document.pages_done) == (36, 36)
    assert Page.objects.filter(document=document).count() == 36
    report = Report.objects.get(document=document)
    assert "Safeguarding" in report.subject
    assert document.counts["reports"] == 1
    assert document.started_at <= document.finished_at
    row = officer_client.get(LIST).content.decode()
    assert '<span class="ingest-status loaded">Loaded</span>' in row
    assert "0 meetings, 0 items, 0 resolutions, 0 votes, 1 reports" in row
    assert 'http-equiv="refresh"' not in row, "nothing in progress: no refreshing"


def test_running_the_task_twice_processes_once(queued):
    document = queued()
    Document.objects.filter(pk=document.pk).update(status=Document.Status.LOADED)
    assert ingest_document.call(document.pk) == {"document": document.pk, "skipped": "loaded"}
    assert ingest_document.call(10**9) == {"document": 10**9, "skipped": "deleted"}


def test_image_only_pdf_is_stored_as_needing_ocr_not_failed(queued):
    document = queued(data=image_only_pdf(), name="scan.pdf")
    ingest_document.call(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.NEEDS_OCR
    assert document.error == "No text layer: the PDF is scanned images and needs OCR."


def test_failed_document_shows_its_reason_and_retry_queues_it_again(
    queued, officer_client, django_capture_on_commit_callbacks
):
    # Passes the cheap checks (it starts like a PDF) but has no readable body.
    document = queued(data=b"%PDF-1.4\n%%EOF garbage " * 40, name="broken.pdf")
    result = ingest_document.call(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert result["error"] == document.error and document.error
    listing = officer_client.get(LIST).content.decode()
    assert f'<span class="reason">{document.error}</span>' in listing
    change = officer_client.get(f"{LIST}{document.pk}/change/").content.decode()
    assert f"Ingest failed: {document.error}" in change
    assert 'value="Retry ingest"' in change

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(f"{LIST}{document.pk}/retry/", follow=True)
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED and document.error == ""
    assert f"Queued for ingest again: {document}." in response.content.decode()
    assert DBTaskResult.objects.filter(args_kwargs__args=[document.pk]).count() == 1
    page = officer_client.get(LIST).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page


def test_progress_shows_pages_done_of_total(queued, officer_client):
    document = queued()
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.EXTRACTING, pages_done=20, page_count=36, started_at=timezone.now()
    )
    page = officer_client.get(LIST).content.decode()
    assert "Extracting text: 20 of 36 pages" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    change = officer_client.get(f"{LIST}{document.pk}/change/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in change
    assert "Retry ingest" not in change


def test_worker_killed_mid_job_is_requeued_then_failed_after_max_attempts(
    queued, django_capture_on_commit_callbacks
):
    document = queued()
    long_ago = timezone.now() - dt.timedelta(hours=2)
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.LOADING, started_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        requeued, failed = recover_stale(minutes=30, max_attempts=2)
    assert [d.pk for d in requeued] == [document.pk] and failed == []
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED
    assert not Item.objects.filter(document=document).exists()

    # Killed again: the second task is the second attempt, so it is given up with a reason.
    with django_capture_on_commit_callbacks(execute=True):
        ingest_document.enqueue(document.pk)
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.EXTRACTING, started_at=long_ago
    )
    requeued, failed = recover_stale(minutes=30, max_attempts=2)
    document.refresh_from_db()
    assert requeued == [] and [d.pk for d in failed] == [document.pk]
    assert document.status == Document.Status.FAILED
    assert document.error.startswith("Ingest stopped without finishing 2 times")


def test_recent_work_in_progress_is_not_touched(queued):
    document = queued()
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PARSING, started_at=timezone.now()
    )
    assert recover_stale(minutes=30) == ([], [])
    document.refresh_from_db()
    assert document.status == Document.Status.PARSING
