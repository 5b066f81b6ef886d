"""Deleting a Document removes exactly what was parsed from it."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry

from councilarchive.archive.models import (
    Attendance,
    Councillor,
    CouncillorVote,
    Document,
    Item,
    Meeting,
    Page,
    Vote,
)
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from councilarchive.ingest.pipeline import store
from tests.conftest import PACKS
from tests.ingest.conftest import dump_pages
from tests.officers.conftest import forget

pytestmark = pytest.mark.django_db
CABINET_PACK = PACKS / "001_89a7eb97841dfc38.pdf"


@pytest.fixture
def two_documents(votes_document):
    forget(CABINET_PACK)
    other, _ = store(CABINET_PACK)
    pages = dump_pages("001")
    load(parse(pages), other, pages)
    return votes_document, other


def test_deleting_a_document_keeps_councillors_and_other_documents_records(
    officer_client, officer, two_documents
):
    doomed, other = two_documents
    people = set(Councillor.objects.values_list("pk", flat=True))
    voters = set(CouncillorVote.objects.values_list("councillor", flat=True))
    other_items = set(Item.objects.filter(document=other).values_list("pk", flat=True))
    other_attendance = Attendance.objects.filter(document=other).count()
    file_name = doomed.file.name
    assert other_items and voters and other_attendance

    response = officer_client.post(f"/admin/archive/document/{doomed.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert not Document.objects.filter(pk=doomed.pk).exists()
    for model in (Item, Page, Vote, Attendance):
        assert not model.objects.filter(document_id=doomed.pk).exists()
    assert not CouncillorVote.objects.exists()
    assert set(Councillor.objects.values_list("pk", flat=True)) == people
    assert set(Item.objects.filter(document=other).values_list("pk", flat=True)) == other_items
    assert Attendance.objects.filter(document=other).count() == other_attendance
    assert not Meeting.objects.filter(
        items__isnull=True,
        attendance__isnull=True,
        reports__isnull=True,
        declarations__isnull=True,
        edited=False,
    ).exists()
    assert LogEntry.objects.filter(object_id=str(doomed.pk), action_flag=DELETION, user=officer)
    assert file_name  # the stored file is removed when the transaction commits (not here)
