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


def test_an_officer_deletes_one_of_two_papers_printing_the_same_minutes(
    officer_client, votes_document, tmp_path
):
    """The second paper's RecordSources cascade (officers may delete them) and the records it
    shares with the first stay, carried by the first."""
    from councilarchive.archive.models import RecordSource
    from tests.ingest.renderings import restamp
    from tests.officers.conftest import VOTES_PACK

    copy, _ = store(restamp(VOTES_PACK, tmp_path / "copy.pdf"))
    pages = dump_pages("000")
    load(parse(pages), copy, pages)
    items = Item.objects.count()
    shared = set(Item.objects.filter(document=copy).values_list("pk", flat=True))
    assert len(shared) == 22 and not Item.objects.filter(document=votes_document).exists()
    assert RecordSource.objects.filter(document=votes_document).count() >= 22
    response = officer_client.post(f"/admin/archive/document/{copy.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=copy.pk).exists()
    assert Item.objects.count() == items
    assert set(Item.objects.filter(pk__in=shared).values_list("document", flat=True)) == {
        votes_document.pk
    }
    assert not RecordSource.objects.filter(document=votes_document).exists()
