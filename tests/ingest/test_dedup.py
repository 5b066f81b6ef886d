"""Papers that repeat each other (issue 18): a second source of a meeting's records adds
provenance, not records; versions, deletes in both orders, officer corrections."""

import datetime as dt

import pytest

from councilarchive.archive.models import (
    Attendance,
    Committee,
    CouncillorVote,
    Declaration,
    Document,
    Item,
    Meeting,
    RecordSource,
    Report,
    Resolution,
    Vote,
    meetings_without_records,
)
from councilarchive.archive.provenance import source_lines
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from councilarchive.ingest.parse.model import replace
from councilarchive.ingest.pipeline import ingest_file, store
from tests.conftest import EXTERNAL, PACKS
from tests.ingest.conftest import dump_pages
from tests.ingest.renderings import assemble, restamp

pytestmark = pytest.mark.django_db
PACK = PACKS / "000_44206e63360eab18.pdf"  # County Council 19 October 2017, minutes of 13 July
KENT = EXTERNAL / "kent-county-council-2024-25"
JULY = dt.date(2017, 7, 13)
OCTOBER = dt.date(2017, 10, 19)
RECORDS = [Meeting, Item, Resolution, Vote, CouncillorVote, Attendance, Report, Declaration]


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in RECORDS}


def meeting_counts(date) -> dict:
    meeting = Meeting.objects.get(date=date)
    return {
        "items": meeting.items.count(),
        "resolutions": Resolution.objects.filter(item__meeting=meeting).count(),
        "votes": Vote.objects.filter(item__meeting=meeting).count(),
        "councillor votes": CouncillorVote.objects.filter(vote__item__meeting=meeting).count(),
        "attendance": meeting.attendance.count(),
    }


@pytest.fixture
def empty_archive():
    """This test's archive starts empty (the session's sample archive is deleted, rolled back)."""
    Document.objects.all().delete()
    meetings_without_records().delete()
    assert not Item.objects.exists()


@pytest.fixture
def county_council(empty_archive):
    from councilarchive.ingest.pipeline import default_council

    return Committee.objects.get_or_create(council=default_council(), name="County Council")[0]


def load_copy(path, pack, pages, committee):
    """Store `path` and load an already parsed pack for it (the text of a second rendering)."""
    document, created = store(path, committee=committee)
    assert created
    load(pack, document, pages, committee=committee)
    document.refresh_from_db()
    return document


@pytest.fixture
def two_renderings(county_council, tmp_path):
    """The sample pack, then a re-stamped copy of it (other bytes, the same text)."""
    pages = dump_pages("000")
    pack = parse(pages)
    first = load_copy(PACK, pack, pages, county_council)
    one = counts()
    second = load_copy(restamp(PACK, tmp_path / "copy.pdf"), pack, pages, county_council)
    return first, second, one, pack, pages


@pytest.mark.slow
def test_a_second_rendering_of_the_pack_adds_sources_not_records(county_council, tmp_path):
    first = ingest_file(PACK, committee=county_council).document
    one, july = counts(), meeting_counts(JULY)
    assert july == {
        "items": 11,
        "resolutions": 11,
        "votes": 3,
        "councillor votes": 212,
        "attendance": 84,
    }
    assert meeting_counts(OCTOBER)["items"] == 11
    copy = restamp(PACK, tmp_path / "restamped.pdf")
    second = ingest_file(copy, committee=county_council).document
    # No differences between the two; the parser's own doubts (the pack's "Carev"/"Carey") are
    # the same in both and say nothing about the dedup.
    assert not [p for p in second.problems if p["kind"] == "version_differs"], second.problems
    assert {p["kind"] for p in second.problems} <= {p["kind"] for p in first.problems}
    assert counts() == one
    assert meeting_counts(JULY) == july
    assert meeting_counts(OCTOBER)["items"] == 11
    # Each record is the later upload's now (equal papers: the later is used), and names the
    # first as its other source, on the same page.
    first = Document.objects.exclude(pk=second.pk).get()
    sources = RecordSource.objects.filter(document=first)
    assert sources.count() == RecordSource.objects.count()
    assert sources.filter(item__isnull=False).count() == 22
    assert sources.filter(vote__isnull=False).count() == 3
    assert sources.filter(attendance__isnull=False).count() == 84
    assert not sources.exclude(version={}).exists()
    item = Item.objects.get(meeting__date=JULY, minute_number="23")
    assert item.document == second
    assert list(item.sources.values_list("document", "page_start")) == [(first.pk, item.page_start)]
    assert second.counts["confirmed"]["items"] == 22
    lines = source_lines(first)
    assert lines[0] == "Added nothing."
    assert lines[1] == (
        "22 items, 11 resolutions, 3 votes, 4 reports, 84 attendance records, 2 declarations "
        f"already known from {second}; 0 differences (that document's text is used)."
    )
    assert source_lines(second)[0].startswith("Added 22 items, 11 resolutions, 3 votes")


def test_a_second_source_is_a_noop_when_loaded_again(two_renderings):
    first, second, one, pack, pages = two_renderings
    assert counts() == one
    load(pack, second, pages)  # --force on the copy
    load(pack, first, pages)  # --force on the original
    assert counts() == one
    # Equal papers: the later upload's text is used, the first is the other source of each.
    assert RecordSource.objects.filter(document=first).count() == RecordSource.objects.count()
    assert set(Item.objects.values_list("document", flat=True)) == {second.pk}


@pytest.mark.parametrize("doomed", ["first", "second"])
def test_deleting_either_source_keeps_what_the_other_prints(two_renderings, doomed):
    first, second, one, pack, pages = two_renderings
    gone, stays = (first, second) if doomed == "first" else (second, first)
    july = meeting_counts(JULY)
    gone.delete()
    assert counts() == one
    assert meeting_counts(JULY) == july
    assert not RecordSource.objects.exists()
    assert set(Item.objects.values_list("document", flat=True)) == {stays.pk}
    stays.delete()
    assert counts()["Item"] == counts()["Attendance"] == 0


def test_the_admins_bulk_delete_keeps_what_the_other_prints(two_renderings, django_user_model):
    from councilarchive.officers.admin_views import delete_documents

    first, second, one, pack, pages = two_renderings
    user = django_user_model.objects.create_user("dora", is_staff=True)
    delete_documents(Document.objects.filter(pk=first.pk), user)
    assert counts() == one
    delete_documents(Document.objects.filter(pk=second.pk), user)
    assert counts()["Item"] == 0


def _moved_vote(pack):
    """`pack` with one name of its first recorded vote moved from Against to For."""
    for m, minutes in enumerate(pack.minutes):
        for i, item in enumerate(minutes.items):
            for v, vote in enumerate(item.votes):
                if vote.names_against:
                    name = vote.names_against[0]
                    changed = replace(
                        vote,
                        names_for=(*vote.names_for, name),
                        names_against=vote.names_against[1:],
                        count_for=vote.count_for + 1,
                        count_against=vote.count_against - 1,
                    )
                    votes = (*item.votes[:v], changed, *item.votes[v + 1 :])
                    items = list(minutes.items)
                    items[i] = replace(item, votes=votes)
                    all_minutes = list(pack.minutes)
                    all_minutes[m] = replace(minutes, items=tuple(items))
                    return replace(pack, minutes=tuple(all_minutes)), item.minute_number, name
    raise AssertionError("no recorded vote with names against")


def test_a_corrected_reissue_moves_one_name_and_keeps_the_old_version(county_council, tmp_path):
    pages = dump_pages("000")
    pack = parse(pages)
    first = load_copy(PACK, pack, pages, county_council)
    one = counts()
    corrected, minute, name = _moved_vote(pack)
    reissue = load_copy(restamp(PACK, tmp_path / "reissue.pdf"), corrected, pages, county_council)
    assert counts() == one
    vote = Vote.objects.get(item__meeting__date=JULY, item__minute_number=minute, position=0)
    row = vote.councillor_votes.get(printed_name=name)
    # The later re-issue's text is used; the first version stays visible as its source's version.
    assert row.option == "for" and vote.document == reissue
    source = vote.sources.get()
    assert source.document == first
    assert source.version["names"][str(row.councillor_id)] == "against"
    assert source.version["count_for"] == vote.count_for - 1
    (problem,) = [p for p in reissue.problems if p["kind"] == "version_differs"]
    assert problem["where"].startswith(f"vote 1 on minute {minute}")
    assert f"{row.councillor.name}'s vote “for” / “against”" in problem["message"]
    assert "count for" in problem["message"]
    assert "1 difference" in " ".join(source_lines(reissue))
    # Deleting the re-issue gives the vote back its first version.
    reissue.delete()
    vote.refresh_from_db()
    assert vote.document == first and vote.councillor_votes.get(printed_name=name).option == (
        "against"
    )
    assert counts() == one


def test_an_officer_may_prefer_the_first_version(county_council, tmp_path):
    pages = dump_pages("000")
    pack = parse(pages)
    first = load_copy(PACK, pack, pages, county_council)
    Document.objects.filter(pk=first.pk).update(preferred=True)
    corrected, minute, name = _moved_vote(pack)
    reissue = load_copy(restamp(PACK, tmp_path / "reissue.pdf"), corrected, pages, county_council)
    vote = Vote.objects.get(item__meeting__date=JULY, item__minute_number=minute, position=0)
    assert vote.document == first
    assert vote.councillor_votes.get(printed_name=name).option == "against"
    assert vote.sources.get().document == reissue


def test_officer_corrections_win_over_a_second_source(two_renderings):
    first, second, one, pack, pages = two_renderings
    item = Item.objects.get(meeting__date=JULY, minute_number="23")
    item.title, item.edited = "Corrected by an officer", True
    item.save()
    load(pack, second, pages)
    load(pack, first, pages)
    item.refresh_from_db()
    assert item.title == "Corrected by an officer"
    assert counts() == one
    first.refresh_from_db()
    second.refresh_from_db()
    assert any("Corrected by an officer" in str(p) for p in [*first.problems, *second.problems])
    # The source that owns it goes: the other takes it over, the officer's title stays.
    Item.objects.get(pk=item.pk).document.delete()
    item.refresh_from_db()
    assert item.title == "Corrected by an officer" and item.edited
    assert counts() == one


# -- the Kent 2024-25 papers: printed minutes, and the same minutes in the next meeting's pack ----


@pytest.fixture(scope="module")
def kent_papers(tmp_path_factory):
    if not KENT.is_dir():
        pytest.skip(f"{KENT} not present: the external test papers are not in this checkout")
    from councilarchive.ingest.extract import extract

    folder = tmp_path_factory.mktemp("kent")
    minutes = KENT / "cc-2024-12-19-minutes.pdf"
    pack = assemble([KENT / "cc-2025-01-09-agenda-frontsheet.pdf", minutes], folder / "pack.pdf")
    papers = {}
    for name, path in (("minutes", minutes), ("pack", pack)):
        pages = extract(path)
        papers[name] = (path, pages, parse(pages))
    return papers


def _load_kent(kent_papers, committee, *names):
    documents = {}
    for name in names:
        path, pages, pack = kent_papers[name]
        documents[name] = load_copy(path, pack, pages, committee)
    return documents


@pytest.mark.slow
@pytest.mark.parametrize("order", [("minutes", "pack"), ("pack", "minutes")])
def test_kent_minutes_alone_and_inside_a_pack_are_one_set_of_records(
    kent_papers, county_council, order
):
    december = dt.date(2024, 12, 19)
    _load_kent(kent_papers, county_council, "minutes")
    minutes_alone = meeting_counts(december)
    assert minutes_alone["items"] == 13 and minutes_alone["votes"] == 5
    Document.objects.all().delete()
    meetings_without_records().delete()
    _load_kent(kent_papers, county_council, "pack")
    pack_alone = counts()
    assert meeting_counts(december) == minutes_alone
    Document.objects.all().delete()
    meetings_without_records().delete()

    documents = _load_kent(kent_papers, county_council, *order)
    assert counts() == pack_alone
    assert meeting_counts(december) == minutes_alone
    # The printed minutes outrank the copy in the pack, whichever came first.
    owners = set(Item.objects.filter(meeting__date=december).values_list("document", flat=True))
    assert owners == {documents["minutes"].pk}
    for document in documents.values():
        document.refresh_from_db()
        assert not [p for p in document.problems if p["kind"] == "version_differs"], (
            document.problems
        )
    # Deleting the pack leaves the printed minutes' records intact, and vice versa.
    for doomed in order:
        documents[doomed].delete()
        meetings_without_records().delete()
        assert meeting_counts(december) == minutes_alone
        break
    survivor = documents[order[1]]
    assert set(Item.objects.filter(meeting__date=december).values_list("document", flat=True)) == {
        survivor.pk
    }


def test_attendance_and_votes_are_counted_once_for_each_councillor(county_council, tmp_path):
    from councilarchive.browse import queries

    def figures():
        found = {}
        for councillor in Attendance.objects.filter(meeting__date=JULY).values_list(
            "councillor__slug", flat=True
        ):
            page = queries.councillor_page(councillor)
            found[councillor] = (
                page["attended_count"],
                page["expected_count"],
                page["attendance_rate"],
                len(page["votes"]),
                page["with_majority_count"],
                page["against_majority_count"],
                len(page["declarations"]),
            )
        return found

    pages = dump_pages("000")
    pack = parse(pages)
    load_copy(PACK, pack, pages, county_council)
    alone = figures()
    named = CouncillorVote.objects.filter(councillor__slug__in=alone).count()
    assert len(alone) == 84 and sum(f[3] for f in alone.values()) == named > 200
    assert sum(f[0] for f in alone.values()) > 60  # present
    load_copy(restamp(PACK, tmp_path / "copy.pdf"), pack, pages, county_council)
    assert figures() == alone


def test_the_meeting_page_links_the_other_paper_at_its_page(client, two_renderings):
    first, second, one, pack, pages = two_renderings
    meeting = Meeting.objects.get(date=JULY)
    item = meeting.items.get(minute_number="23")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert html.count('class="also-in"') == meeting.items.count() == 11
    link = f'{first.pdf_url(item.page_start)}">{first}, p. {item.page_start}</a>'
    assert f'Also in: <a href="{link}' in html
    resolution = item.resolutions.first()
    html = client.get(resolution.get_absolute_url()).content.decode()
    assert f'{first.pdf_url(resolution.page)}">{first}, p. {resolution.page}</a>' in html


def test_the_admin_shows_what_a_document_added_and_confirmed(admin_client, two_renderings):
    first, second, one, pack, pages = two_renderings
    html = admin_client.get(f"/admin/archive/document/{first.pk}/review/").content.decode()
    assert f"already known from {second}; 0 differences" in html
    html = admin_client.get(f"/admin/archive/document/{second.pk}/change/").content.decode()
    assert "22 items, 11 resolutions, 3 votes" in html and f"also printed in {first}" in html
    item = Item.objects.get(meeting__date=JULY, minute_number="23")
    html = admin_client.get(f"/admin/archive/item/{item.pk}/change/").content.decode()
    assert "Also printed in" in html and str(first) in html


def test_preferring_a_document_in_the_admin_gives_its_text_back(
    admin_client, county_council, tmp_path
):
    pages = dump_pages("000")
    pack = parse(pages)
    first = load_copy(PACK, pack, pages, county_council)
    corrected, minute, name = _moved_vote(pack)
    load_copy(restamp(PACK, tmp_path / "reissue.pdf"), corrected, pages, county_council)
    vote = Vote.objects.get(item__meeting__date=JULY, item__minute_number=minute, position=0)
    assert vote.councillor_votes.get(printed_name=name).option == "for"
    form = {
        "title": first.title,
        "kind": first.kind,
        "committee": county_council.pk,
        "meeting_date_hint": "",
        "preferred": "on",
    }
    response = admin_client.post(f"/admin/archive/document/{first.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    vote.refresh_from_db()
    assert vote.document == first
    assert vote.councillor_votes.get(printed_name=name).option == "against"
    assert counts()["Vote"] == 3


def test_search_shows_one_hit_per_record_with_its_other_papers(county_council, tmp_path):
    from councilarchive.search.query import search

    def records_found():
        results = search({"q": '"Delivering Growth without Gridlock"'})
        return results, [(h.source, h.pk) for h in results.hits if h.source != "page"]

    pages = dump_pages("000")
    pack = parse(pages)
    first = load_copy(PACK, pack, pages, county_council)
    _, alone = records_found()
    second = load_copy(restamp(PACK, tmp_path / "copy.pdf"), pack, pages, county_council)
    results, both = records_found()
    assert both and sorted(both) == sorted(alone)
    assert len(set(both)) == len(both)
    item = Item.objects.get(meeting__date=JULY, minute_number="23")
    (row,) = [r for r in results.rows if r.kind == "minutes" and r.record.pk == item.pk]
    assert row.pdf_url == second.pdf_url(item.page_start)
    assert [(s.document_id, s.page_start) for s in row.also_in] == [(first.pk, item.page_start)]


def test_an_officer_chooses_one_papers_version_of_a_vote(admin_client, county_council, tmp_path):
    pages = dump_pages("000")
    pack = parse(pages)
    first = load_copy(PACK, pack, pages, county_council)
    corrected, minute, name = _moved_vote(pack)
    reissue = load_copy(restamp(PACK, tmp_path / "reissue.pdf"), corrected, pages, county_council)
    vote = Vote.objects.get(item__meeting__date=JULY, item__minute_number=minute, position=0)
    source = vote.sources.get()
    response = admin_client.post(
        "/admin/archive/recordsource/",
        {"action": "use_version", "_selected_action": [source.pk]},
    )
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.document == first and vote.edited
    assert vote.councillor_votes.get(printed_name=name).option == "against"
    # The choice survives a re-parse of the re-issue.
    load(corrected, reissue, pages)
    vote.refresh_from_db()
    assert vote.councillor_votes.get(printed_name=name).option == "against"
    assert counts()["Vote"] == 3


def test_a_front_sheet_and_a_report_as_its_own_pdf_add_only_sources(county_council, tmp_path):
    pages = dump_pages("000")
    pack = parse(pages)
    first = load_copy(PACK, pack, pages, county_council)
    one = counts()
    front_sheet = replace(pack, minutes=(), reports=())
    sheet = load_copy(restamp(PACK, tmp_path / "sheet.pdf"), front_sheet, pages, county_council)
    report = pack.reports[0]
    alone = replace(pack, agenda=None, minutes=(), reports=(report,))
    paper = load_copy(restamp(PACK, tmp_path / "report.pdf", "Report"), alone, pages, None)
    assert counts() == one
    assert sheet.counts["confirmed"] == {"items": 11}
    assert paper.counts["confirmed"] == {"reports": 1}
    record = Report.objects.get(subject=report.subject[:1000])
    assert record.meeting.date == OCTOBER and record.item is not None
    assert {s.document_id for s in record.sources.all()} | {record.document_id} == {
        first.pk,
        paper.pk,
    }
    assert Item.objects.filter(meeting__date=OCTOBER).count() == 11
    sheet.delete()
    paper.delete()
    assert counts() == one
