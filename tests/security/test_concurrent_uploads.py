"""Issue 16 (5): the same file uploaded several times at once. The probe's 16 concurrent uploads
of one 23 MB file gave 4 answers of 500 (IntegrityError on the SHA-256) and left orphan files in
MEDIA_ROOT. Now the row claims the content before any file is written: the losers wait for it
and are told "already uploaded" with a link; one Document, one file."""

from __future__ import annotations

import hashlib
import threading
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from councilarchive.archive.models import Document
from tests.officers.conftest import SMALL_PACK, officers_group

UPLOAD = "/admin/archive/document/upload/"
UPLOADERS = 8


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_identical_uploads_at_once_store_one_document_and_no_orphans(media, django_user_model):
    officer = django_user_model.objects.create_user("olive", password="x", is_staff=True)
    officer.groups.add(officers_group())
    # a real pack (1 MB) made a file of its own: nothing the session stored before has its hash
    data = SMALL_PACK.read_bytes() + f"\n% {uuid.uuid4()}\n".encode()
    start = threading.Barrier(UPLOADERS)
    outcomes: list[tuple[int, str] | BaseException] = []

    def upload(n: int) -> None:
        try:
            client = Client()
            client.force_login(officer)
            start.wait()
            response = client.post(
                UPLOAD,
                {"files": [SimpleUploadedFile(f"copy {n}.pdf", data, "application/pdf")]},
                follow=True,
            )
            # the page's text, not response.context (the test client's context capture is
            # shared by the threads)
            outcomes.append((response.status_code, response.content.decode()))
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(UPLOADERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert failures == [], f"{len(failures)} uploads failed: {failures[:1]!r}"
    document = Document.objects.get(sha256=hashlib.sha256(data).hexdigest())  # exactly one
    link = f'<a href="/admin/archive/document/{document.pk}/change/">'
    assert all(status == 200 for status, _ in outcomes)
    pages = [page for _, page in outcomes]
    assert sum("uploaded and queued as " + link in page for page in pages) == 1
    assert sum("this file was already uploaded as " + link in page for page in pages) == 7
    assert stored_files(media) == {document.file.name}, "a file no document owns"
