"""Uploads: type by content, size limit, sanitised stored names outside the static root, and
originals only ever served as application/pdf (nosniff, sandboxed, a fixed file name)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from councilarchive.officers.admin_views import accept_upload
from tests.security.handmade_pdf import text_pdf

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str, data: bytes):
    return accept_upload(SimpleUploadedFile(name, data, content_type="application/pdf"))


def test_html_named_pdf_is_refused_by_its_content():
    outcome = upload("agenda.pdf", HTML)
    assert outcome.document is None and "not a PDF" in outcome.error


def test_pdf_named_html_is_stored_as_a_pdf():
    outcome = upload("page.html", text_pdf([["Agenda"]]))
    assert outcome.error == ""
    assert outcome.document.file.name.endswith(".pdf")


def test_upload_over_the_size_limit_is_refused(settings):
    settings.INGEST_MAX_BYTES = 100
    outcome = upload("big.pdf", text_pdf([["x" * 200]]))
    assert outcome.document is None and "limit" in outcome.error


def test_stored_name_is_the_content_hash_under_media_not_static(settings):
    outcome = upload("../../static/<evil>.pdf", text_pdf([["Minutes"]]))
    document = outcome.document
    stored = document.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT))
    assert not stored.startswith(str(django_settings.STATIC_ROOT))
    assert document.file.name == f"documents/{document.sha256[:2]}/{document.sha256}.pdf"
    assert document.original_name == "<evil>.pdf"  # kept for display only (escaped there)


def test_media_root_is_not_inside_the_static_root_or_static_dirs(settings):
    media = django_settings.MEDIA_ROOT.resolve()
    for static in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        assert not media.is_relative_to(static.resolve())


def test_original_is_served_as_a_pdf_that_cannot_be_sniffed_or_run():
    outcome = upload("x.pdf", text_pdf([["Minutes"]]) + b"\n<html><script>alert(1)</script>")
    outcome.document.published = True  # as once loaded: an unpublished upload is a 404
    outcome.document.save(update_fields=["published"])
    response = Client().get(f"/documents/{outcome.document.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"] == f'inline; filename="document-{outcome.document.pk}.pdf"'
    )
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_media_url_does_not_serve_uploads():
    outcome = upload("x.pdf", text_pdf([["Minutes"]]))
    assert (
        Client().get(f"/{django_settings.MEDIA_URL}{outcome.document.file.name}").status_code == 404
    )
