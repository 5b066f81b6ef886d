"""Loading parsed packs into the database: idempotent, atomic, councillors resolved."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from councilarchive.archive.models import (
    Attendance,
    Committee,
    Councillor,
    CouncillorVote,
    Document,
    Item,
    Meeting,
    Page,
    Report,
    Resolution,
    Vote,
)
from councilarchive.ingest import load as load_module
from councilarchive.ingest.committees import committee_name
from councilarchive.ingest.load import load
from councilarchive.ingest.pipeline import ingest_file

pytestmark = pytest.mark.django_db

MODELS = [
    Committee,
    Meeting,
    Document,
    Page,
    Item,
    Report,
    Resolution,
    Vote,
    CouncillorVote,
    Attendance,
    Councillor,
]


def snapshot():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_committee_names_are_tidied_from_capitals():
    assert committee_name("CABINET") == "Cabinet"
    assert committee_name("HEALTH AND WELLBEING BOARD") == "Health and Wellbeing Board"
    assert committee_name("County Council") == "County Council"


def test_every_sample_pack_loads(sample_archive):
    assert len(sample_archive) == 5
    for document in sample_archive.values():
        document.refresh_from_db()
        assert document.status == Document.Status.LOADED, (document, document.error)
        assert document.pages.count() == document.page_count > 0
    committees = set(Committee.objects.values_list("name", flat=True))
    assert {"County Council", "Cabinet", "Health and Wellbeing Board"} <= committees


def test_every_page_is_stored_with_its_number(sample_archive):
    doc = sample_archive["002_f3da20a1edfad8fa.pdf"]
    numbers = list(doc.pages.values_list("number", flat=True))
    assert numbers == list(range(1, 37))
    assert "Safeguarding" in doc.pages.get(number=1).text


def test_recorded_votes_keep_one_row_per_named_councillor(sample_archive):
    votes = Vote.objects.filter(
        document=sample_archive["000_44206e63360eab18.pdf"], tally_only=False
    ).annotate(n=Count("councillor_votes"))
    assert votes.exists()
    for vote in votes:
        named = (vote.count_for or 0) + (vote.count_against or 0) + (vote.count_abstain or 0)
        if not vote.count_mismatch:
            assert vote.n == named, vote


def test_reingest_same_file_is_a_noop(sample_archive):
    before = snapshot()
    path = next(iter(sample_archive.values())).file.path
    result = ingest_file(path)
    assert result.skipped
    assert snapshot() == before


def test_force_replaces_that_documents_records_and_nothing_else(sample_archive, parsed_packs):
    cabinet = sample_archive["003_1e7258be5fef03e1.pdf"]
    other = sample_archive["001_89a7eb97841dfc38.pdf"]
    other_items = set(Item.objects.filter(document=other).values_list("pk", flat=True))
    before = snapshot()
    own_before = Item.objects.filter(document=cabinet).count()
    path, pages, pack = parsed_packs["003_1e7258be5fef03e1.pdf"]
    load(pack, cabinet, pages)
    assert snapshot() == before
    assert Item.objects.filter(document=cabinet).count() == own_before
    assert set(Item.objects.filter(document=other).values_list("pk", flat=True)) == other_items


def test_a_failing_load_writes_nothing_and_keeps_what_was_stored(
    sample_archive, parsed_packs, monkeypatch
):
    cabinet = sample_archive["003_1e7258be5fef03e1.pdf"]
    before = snapshot()
    items_before = set(Item.objects.filter(document=cabinet).values_list("pk", flat=True))

    def explode(self, *args):
        raise RuntimeError("boom in the middle of a load")

    monkeypatch.setattr(load_module._Loader, "report", explode)
    path, pages, pack = parsed_packs["003_1e7258be5fef03e1.pdf"]
    with pytest.raises(RuntimeError):
        load(pack, cabinet, pages)
    assert snapshot() == before
    assert set(Item.objects.filter(document=cabinet).values_list("pk", flat=True)) == items_before


def test_ingest_command_reports_a_duplicate_as_unchanged(sample_archive, capsys):
    path = sample_archive["002_f3da20a1edfad8fa.pdf"].file.path
    call_command("ingest", path, verbosity=0)
    out = capsys.readouterr().out
    assert "already loaded as document" in out


def test_minutes_of_the_whole_council_belong_to_the_county_council_committee():
    from councilarchive.archive.models import Council
    from councilarchive.ingest.committees import get_committee

    kent, _ = Council.objects.get_or_create(name="Kent County Council")
    # "MINUTES of a meeting of the Kent County Council held in the Council Chamber, ..."
    assert get_committee(kent, "Kent County Council").name == "County Council"
    assert get_committee(kent, "COUNTY COUNCIL").name == "County Council"
    bristol, _ = Council.objects.get_or_create(name="Bristol City Council")
    assert get_committee(bristol, "Bristol City Council").name == "City Council"


def test_loading_a_pack_files_its_records_under_topics_by_the_rules(sample_archive):
    # Cabinet 26 June 2017 considered "Kent County Council's Local Transport Plan 4" and the
    # safeguarding annual report is all about children; no assign_topics run was needed.
    cabinet = sample_archive["001_89a7eb97841dfc38.pdf"]
    transport = Item.objects.filter(
        document=cabinet,
        title__icontains="Local Transport Plan",
        topics__slug="transport-and-highways",
    )
    assert transport.exists()
    safeguarding = Report.objects.filter(
        document=sample_archive["002_f3da20a1edfad8fa.pdf"],
        topics__slug="childrens-services-and-safeguarding",
    )
    assert safeguarding.exists()
    assert cabinet.counts["topics"] > 0


def test_declarations_store_their_item_as_one_label(sample_archive, db):
    """Pack 000's minutes print "declared an interest in item 7 (Ofsted Inspection …)": stored
    "item 7", which the meeting page shows as "(item 7)", not "(item item 7)"."""
    from councilarchive.archive.models import Declaration

    stored = Declaration.objects.filter(
        document=sample_archive["000_44206e63360eab18.pdf"]
    ).exclude(item_ref="")
    assert sorted(stored.values_list("item_ref", flat=True)) == ["item 10", "item 7"]
    assert {d.item_label for d in stored} == {"item 10", "item 7"}


def test_item_reference_labels_what_papers_print():
    from councilarchive.archive.models import item_reference

    assert [item_reference(t) for t in ["7", "Item 7", "agenda  Item 7", "Minute 23", ""]] == [
        "item 7",
        "item 7",
        "agenda item 7",
        "minute 23",
        "",
    ]
    assert item_reference("Budget 2019") == "Budget 2019"
