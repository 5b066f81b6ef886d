"""The model constraints that keep the archive consistent, checked in PostgreSQL itself."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction

from councilarchive.archive.models import (
    Committee,
    Council,
    Councillor,
    CouncillorVote,
    Document,
    Item,
    Meeting,
    Page,
    Vote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    council = Council.objects.create(name="Model Test Borough Council", slug="model-test-borough")
    document = Document(council=council, sha256="a" * 64, original_name="pack.pdf")
    document.file.save("ignored.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return document


def test_document_sha256_is_unique(doc):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(council=doc.council, sha256=doc.sha256, file="x.pdf")


def test_document_file_is_stored_by_hash_not_by_uploaded_name(doc):
    assert doc.file.name == f"documents/aa/{'a' * 64}.pdf"


def test_page_number_is_unique_per_document(doc):
    Page.objects.create(document=doc, number=1, text="one")
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(document=doc, number=1, text="again")


def test_one_vote_per_councillor_per_vote(doc):
    committee = Committee.objects.create(council=doc.council, name="County Council")
    meeting = Meeting.objects.create(committee=committee, date=dt.date(2017, 7, 13))
    item = Item.objects.create(meeting=meeting, document=doc, title="Budget")
    vote = Vote.objects.create(item=item, document=doc, kind="motion", count_for=1)
    carter = Councillor.objects.create(
        council=doc.council, name="Mr P B Carter", surname="Carter", slug="p-b-carter"
    )
    CouncillorVote.objects.create(vote=vote, councillor=carter, option="for")
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncillorVote.objects.create(vote=vote, councillor=carter, option="against")


def test_meeting_is_unique_per_committee_and_day(doc):
    committee = Committee.objects.create(council=doc.council, name="Cabinet")
    Meeting.objects.create(committee=committee, date=dt.date(2017, 6, 26))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(committee=committee, date=dt.date(2017, 6, 26))


def test_trigram_and_unaccent_extensions_are_enabled():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT unaccent('Café Sessions Hôuse'), similarity('Carter', 'Cartor')")
        folded, similarity = cursor.fetchone()
    assert {"pg_trgm", "unaccent"} <= names
    assert folded == "Cafe Sessions House"
    assert similarity > 0.3
