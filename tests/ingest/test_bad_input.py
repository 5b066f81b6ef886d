"""Bad input through the whole pipeline: a clear one-line reason, the original kept, and nothing
already stored lost or half-written. The bad files are made here, from real bytes."""

import io

import pytest
from django.core.management import CommandError, call_command

from councilarchive.archive.models import Document, Item
from councilarchive.ingest.errors import IngestError
from councilarchive.ingest.pipeline import ingest_file
from tests.conftest import PACKS

pytestmark = pytest.mark.django_db

SMALL_PACK = PACKS / "002_f3da20a1edfad8fa.pdf"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pdf_with_blank_page() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(SMALL_PACK)))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def failed(path):
    with pytest.raises(IngestError) as info:
        ingest_file(path)
    document = Document.objects.get(original_name=path.name)
    assert document.status == Document.Status.FAILED
    assert document.error == str(info.value)
    assert "\n" not in document.error
    assert document.file.storage.exists(document.file.name), "the original file is kept"
    assert not Item.objects.filter(document=document).exists()
    return document.error


def test_not_a_pdf_is_refused_by_its_content_not_its_name(tmp_path):
    error = failed(write(tmp_path, "agenda.pdf", b"<html><body>Not a PDF</body></html>"))
    assert "not a PDF" in error


def test_truncated_pdf_is_reported_as_corrupt(tmp_path):
    data = SMALL_PACK.read_bytes()
    error = failed(write(tmp_path, "truncated.pdf", data[: len(data) // 3]))
    assert error


def test_encrypted_pdf_is_reported_as_such(tmp_path):
    error = failed(write(tmp_path, "locked.pdf", encrypted_pdf()))
    assert "password" in error.lower() or "encrypt" in error.lower()


def test_empty_file_is_refused(tmp_path):
    error = failed(write(tmp_path, "empty.pdf", b""))
    assert error


def test_image_only_pdf_is_stored_and_marked_as_needing_ocr(tmp_path):
    path = write(tmp_path, "scan.pdf", pdf_with_blank_page())
    result = ingest_file(path)
    document = result.document
    assert document.status == Document.Status.NEEDS_OCR
    assert "OCR" in document.error
    assert document.pages.count() == 1


def test_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.INGEST_MAX_BYTES = 1000
    # Trailing bytes make it a file the session's sample archive has not stored already.
    error = failed(write(tmp_path, "big.pdf", SMALL_PACK.read_bytes() + b"\n%size-test\n"))
    assert "limit" in error.lower() or "large" in error.lower()


def test_ingest_command_prints_one_line_per_failed_file_and_fails(tmp_path, capsys):
    bad = write(tmp_path, "notes.pdf", b"just some text")
    with pytest.raises(CommandError, match="1 file"):
        call_command("ingest", str(bad), verbosity=0)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "notes.pdf: FAILED:" in err
