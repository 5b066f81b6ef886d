"""The "Upload agenda pack" page: cheap checks at once, then a queued Document and a task."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from councilarchive.archive.models import Committee, Document
from councilarchive.ingest.tasks import ingest_document
from tests.officers.conftest import SMALL_PACK, encrypted_pdf, forget, upload_file

pytestmark = pytest.mark.django_db
URL = "/admin/archive/document/upload/"


def post(client, *files, **data):
    return client.post(URL, {"files": list(files), **data}, follow=True)


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_upload_page_offers_files_committee_and_date(officer_client):
    page = officer_client.get(URL).content.decode()
    assert "<h1>Upload agenda pack</h1>" in page
    assert 'type="file" name="files"' in page and "multiple" in page
    assert 'name="new_committee"' in page and 'name="meeting_date"' in page


def test_upload_stores_a_queued_document_and_enqueues_its_task(
    officer_client, officer, django_capture_on_commit_callbacks
):
    forget(SMALL_PACK)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            officer_client,
            upload_file(SMALL_PACK),
            new_committee="Kent Safeguarding Children Board",
            meeting_date="2018-09-20",
        )
    document = Document.objects.get(original_name=SMALL_PACK.name)
    assert document.status == Document.Status.QUEUED
    assert document.page_count == 0  # counted by the worker, never in the web process
    assert document.uploaded_by == officer
    assert document.committee.name == "Kent Safeguarding Children Board"
    assert str(document.meeting_date_hint) == "2018-09-20"
    assert document.file.storage.exists(document.file.name)
    task = DBTaskResult.objects.get(task_path=ingest_document.module_path)
    assert task.args_kwargs["args"] == [document.pk]
    assert response.redirect_chain[-1][0] == "/admin/archive/document/"
    assert page_messages(response) == [
        f'{SMALL_PACK.name}: uploaded and queued as <a href="/admin/archive/document/'
        f'{document.pk}/change/">document {document.pk}</a>.'
    ]
    entry = LogEntry.objects.get(object_id=str(document.pk), action_flag=ADDITION)
    assert entry.user == officer
    assert entry.change_message == "Uploaded 002_f3da20a1edfad8fa.pdf; queued for ingest."


def test_several_files_at_once_each_get_their_own_outcome(officer_client):
    forget(SMALL_PACK)
    response = post(
        officer_client,
        upload_file(SMALL_PACK),
        SimpleUploadedFile("notes.pdf", b"hello, not a pdf", "application/pdf"),
    )
    shown = page_messages(response)
    assert any("002_f3da20a1edfad8fa.pdf: uploaded and queued" in m for m in shown)
    assert (
        "notes.pdf: not uploaded. This file is not a PDF (its content does not start like one)."
        in shown
    )
    assert not Document.objects.filter(original_name="notes.pdf").exists()


def test_existing_committee_can_be_chosen(officer_client):
    forget(SMALL_PACK)
    committee = Committee.objects.create(
        council_id=_council().pk, name="Cabinet Committee X", slug="cabinet-committee-x"
    )
    post(officer_client, upload_file(SMALL_PACK), committee=committee.pk)
    assert Document.objects.get(original_name=SMALL_PACK.name).committee == committee


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("minutes.docx", b"PK\x03\x04 a word file", "This file is not a PDF"),
        ("empty.pdf", b"", "The submitted file is empty."),
        ("locked.pdf", None, "The PDF is password-protected; upload an unprotected copy."),
    ],
)
def test_bad_files_are_refused_at_upload_with_a_clear_message(officer_client, name, data, message):
    data = encrypted_pdf() if data is None else data
    response = post(officer_client, SimpleUploadedFile(name, data, "application/pdf"))
    text = response.content.decode()
    assert message in text
    assert not Document.objects.filter(original_name=name).exists()
    assert not DBTaskResult.objects.exists()


def test_file_over_the_size_limit_is_refused(officer_client, settings):
    settings.INGEST_MAX_BYTES = 100_000
    response = post(officer_client, upload_file(SMALL_PACK))
    assert (
        "not uploaded. The file is 0.2 MB, over the limit of 0.1 MB." in page_messages(response)[0]
    )


def test_duplicate_upload_links_to_the_existing_document(officer_client):
    forget(SMALL_PACK)
    post(officer_client, upload_file(SMALL_PACK))
    first = Document.objects.get(sha256__isnull=False, original_name=SMALL_PACK.name)
    response = post(officer_client, upload_file(SMALL_PACK, "copy of the pack.pdf"))
    shown = page_messages(response)
    assert shown == [
        f'copy of the pack.pdf: this file was already uploaded as <a href="/admin/archive/'
        f'document/{first.pk}/change/">{first}</a> (status: Queued).'
    ]
    assert Document.objects.filter(sha256=first.sha256).count() == 1


def test_admin_add_document_goes_to_the_upload_page(officer_client):
    response = officer_client.get("/admin/archive/document/add/")
    assert response.status_code == 302 and response["Location"] == URL


def _council():
    from councilarchive.ingest.pipeline import default_council

    return default_council()
