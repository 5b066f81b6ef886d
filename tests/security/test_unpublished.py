"""Issue 16 (10): an upload is not public until it has loaded (or an officer publishes it). The
probe fetched a failed and a still-queued upload's page and PDF by guessing their sequential ids;
now both answer 404 to the public, and staff still see them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from councilarchive.archive.models import Document
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from councilarchive.ingest.tasks import ingest_document
from tests.ingest.conftest import dump_pages
from tests.officers.conftest import SMALL_PACK, forget, image_only_pdf, upload_file

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/archive/document/upload/"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def uploaded(client, upload) -> Document:
    client.post(UPLOAD, {"files": [upload]})
    return Document.objects.get(original_name=upload.name)


def urls(document: Document) -> list[str]:
    return [f"/documents/{document.pk}/", f"/documents/{document.pk}.pdf"]


def assert_hidden_from_public_but_not_staff(document, officer_client):
    public = Client()
    for url in urls(document):
        assert public.get(url).status_code == 404, url
        assert officer_client.get(url).status_code == 200, url
    # nor does any other public page point at it
    anchor = f"/documents/{document.pk}"
    for url in ["/", "/sitemap.xml", f"/search/?q={document.original_name}", "/api/meetings/"]:
        response = public.get(url)
        assert response.status_code == 200 and anchor not in response.content.decode(), url


def test_queued_upload_is_not_public(officer_client):
    forget(SMALL_PACK)
    document = uploaded(officer_client, upload_file(SMALL_PACK))
    assert document.status == Document.Status.QUEUED and not document.published
    assert_hidden_from_public_but_not_staff(document, officer_client)


def test_failed_upload_is_not_public(officer_client):
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.4\n%%EOF garbage " * 40, "application/pdf")
    document = uploaded(officer_client, broken)
    ingest_document.call(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert_hidden_from_public_but_not_staff(document, officer_client)


def test_loaded_document_is_public(officer_client):
    forget(SMALL_PACK)
    document = uploaded(officer_client, upload_file(SMALL_PACK))
    pages = dump_pages("002")
    load(parse(pages), document, pages)  # what the worker does once the text is extracted
    document.refresh_from_db()
    assert document.status == Document.Status.LOADED and document.published
    public = Client()
    for url in urls(document):
        assert public.get(url).status_code == 200, url
    pdf = public.get(urls(document)[1])
    assert pdf["Content-Type"] == "application/pdf"


def test_officer_can_publish_a_scan_that_needs_ocr(officer_client):
    document = uploaded(
        officer_client, SimpleUploadedFile("scan.pdf", image_only_pdf(), "application/pdf")
    )
    ingest_document.call(document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.NEEDS_OCR
    assert_hidden_from_public_but_not_staff(document, officer_client)

    response = officer_client.post(
        f"/admin/archive/document/{document.pk}/change/",
        {"title": "Scanned minutes", "kind": "minutes", "published": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    assert document.published
    assert Client().get(urls(document)[0]).status_code == 200
    assert Client().get(urls(document)[1]).status_code == 200
