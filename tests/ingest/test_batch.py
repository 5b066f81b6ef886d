"""ingest_files: every file through ingest_file, the next extracted while one is loaded."""

import io

import pytest

from councilarchive.archive.models import Document
from councilarchive.ingest import extract as extract_module
from councilarchive.ingest.batch import ingest_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_batch_reports_each_file_and_a_bad_one_does_not_stop_the_rest(tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(blank_pdf(2))
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"just some text")
    scan3 = tmp_path / "scan3.pdf"
    scan3.write_bytes(blank_pdf(3))
    seen = []

    items = ingest_files([scan, bad, scan3], progress=lambda p, d, t: seen.append((p.name, d, t)))

    assert [i.path.name for i in items] == ["scan.pdf", "notes.pdf", "scan3.pdf"]
    assert items[1].result is None and "not a PDF" in items[1].error
    for item, pages in ((items[0], 2), (items[2], 3)):
        assert item.error is None
        assert item.result.document.status == Document.Status.NEEDS_OCR
        assert item.result.document.pages.count() == pages
    assert ("scan3.pdf", 3, 3) in seen
    assert not extract_module._PREFETCHED, "every prefetch was taken or discarded"
    assert Document.objects.get(original_name="notes.pdf").status == Document.Status.FAILED
