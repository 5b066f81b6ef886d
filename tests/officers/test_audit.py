"""Every upload, retry, merge, split and delete is in the admin's audit log, with who and when."""

import pytest

from councilarchive.archive.models import Document
from councilarchive.officers.admin_views import accept_upload, requeue_documents
from tests.officers.conftest import SMALL_PACK, forget, upload_file

pytestmark = pytest.mark.django_db


def test_officer_sees_uploads_and_retries_in_the_audit_log(officer_client, officer):
    forget(SMALL_PACK)
    outcome = accept_upload(upload_file(SMALL_PACK), user=officer)
    Document.objects.filter(pk=outcome.document.pk).update(status=Document.Status.FAILED)
    requeue_documents(Document.objects.filter(pk=outcome.document.pk), officer)
    page = officer_client.get("/admin/admin/logentry/").content.decode()
    assert "Uploaded 002_f3da20a1edfad8fa.pdf; queued for ingest." in page
    assert "Queued for ingest again (retry / re-parse)." in page
    assert page.count(">olive<") >= 2


def test_audit_log_cannot_be_edited(officer_client):
    assert officer_client.get("/admin/admin/logentry/add/").status_code == 403
