"""Issue 16 (2): the upload view parses no PDF in the web process. The probe's 1 MB decompression
bomb drove a gunicorn worker from 493 MB to 2,183 MB and held the request 8 s, and a file of
100,000 page objects held it 6.3 s, because `accept_upload()` counted the pages itself. Now the
view only checks bytes, stores and queues; the worker reads the file under its limits and marks
it failed with a reason the officer sees."""

from __future__ import annotations

import functools
import time

import pdfminer.high_level
import pdfminer.pdfdocument
import pdfminer.pdfpage
import pdfminer.pdfparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from councilarchive.archive.models import Document
from councilarchive.ingest import pipeline
from councilarchive.ingest.extract import extract
from councilarchive.ingest.tasks import ingest_document
from tests.officers.conftest import SMALL_PACK, forget, upload_file
from tests.security.hostile_pdf import many_pages, objstm_bomb

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/archive/document/upload/"
PROMPT_SECONDS = 2.0  # counting either file's pages in-process took 5-30 s on this machine


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pdfminer_forbidden(monkeypatch):
    """Every pdfminer entry point raises in this process (the worker's children are separate
    processes started from the forkserver, so this only catches the web side)."""
    calls = []

    def forbidden(name):
        def refuse(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"pdfminer {name} called in the web process")

        return refuse

    monkeypatch.setattr(pdfminer.pdfparser.PDFParser, "__init__", forbidden("PDFParser"))
    monkeypatch.setattr(pdfminer.pdfdocument.PDFDocument, "__init__", forbidden("PDFDocument"))
    monkeypatch.setattr(pdfminer.pdfpage.PDFPage, "create_pages", forbidden("create_pages"))
    monkeypatch.setattr(pdfminer.pdfpage.PDFPage, "get_pages", forbidden("get_pages"))
    monkeypatch.setattr(pdfminer.high_level, "extract_pages", forbidden("extract_pages"))
    return calls


def post(client, name: str, data: bytes):
    started = time.monotonic()
    response = client.post(UPLOAD, {"files": [SimpleUploadedFile(name, data, "application/pdf")]})
    return response, time.monotonic() - started


@pytest.mark.parametrize(
    "name, data",
    [("bomb.pdf", objstm_bomb(2)), ("pages.pdf", many_pages(20_000))],
    ids=["decompression-bomb", "20000-page-objects"],
)
def test_hostile_upload_returns_at_once_queued_without_pdfminer(
    officer_client, pdfminer_forbidden, name, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = post(officer_client, name, data)
    assert pdfminer_forbidden == []
    assert response.status_code == 302
    assert response["Location"] == "/admin/archive/document/"
    assert seconds < PROMPT_SECONDS, f"the upload request took {seconds:.1f} s"
    document = Document.objects.get(original_name=name)
    assert document.status == Document.Status.QUEUED and document.page_count == 0
    assert DBTaskResult.objects.get().args_kwargs["args"] == [document.pk]


def test_real_pack_upload_uses_no_pdfminer_either(officer_client, pdfminer_forbidden):
    forget(SMALL_PACK)
    response = officer_client.post(UPLOAD, {"files": [upload_file(SMALL_PACK)]})
    assert response.status_code == 302 and pdfminer_forbidden == []
    assert Document.objects.get(original_name=SMALL_PACK.name).status == Document.Status.QUEUED


def test_worker_marks_the_bomb_failed_with_its_reason(officer_client, monkeypatch):
    post(officer_client, "bomb.pdf", objstm_bomb(2))
    document = Document.objects.get(original_name="bomb.pdf")
    # The worker's own limits (60 s to count pages, 2 GB), tightened so the test is quick.
    monkeypatch.setattr(
        pipeline, "extract", functools.partial(extract, time_limit=2, memory_mb=512, workers=1)
    )
    result = ingest_document.call(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert (
        result["error"]
        == document.error
        == (
            "Reading the PDF took longer than the limit of 2 s; "
            "it may be damaged or built to overload the server."
        )
    )
    listing = officer_client.get("/admin/archive/document/").content.decode()
    assert f'<span class="reason">{document.error}</span>' in listing


def test_worker_refuses_a_page_tree_over_the_page_limit(officer_client, settings):
    settings.INGEST_MAX_PAGES = 500
    post(officer_client, "pages.pdf", many_pages(1000))
    document = Document.objects.get(original_name="pages.pdf")
    ingest_document.call(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.error == "The PDF has 1000 pages, over the limit of 500."


def test_damaged_pdf_is_accepted_then_failed_by_the_worker(officer_client):
    response, _ = post(officer_client, "broken.pdf", b"%PDF-1.7\n1 0 obj garbage")
    assert response.status_code == 302
    document = Document.objects.get(original_name="broken.pdf")
    ingest_document.call(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.error.startswith("The PDF")
