"""Following a matter across meetings: Item.related, filled by load, both ways, across documents."""

import datetime as dt

import pytest

from councilarchive.archive.models import Item, Report
from councilarchive.ingest.load import load
from councilarchive.ingest.related import (
    PROCEDURAL,
    RECOMMENDED_TO,
    Occurrence,
    related,
    same_subject,
    title_words,
)

COUNTY_COUNCIL = "000_44206e63360eab18.pdf"  # minutes of County Council, 13 July 2017
CABINET_JUNE = "001_89a7eb97841dfc38.pdf"  # Cabinet 26 June 2017, minutes of 27 March 2017
CABINET_DECEMBER = "003_1e7258be5fef03e1.pdf"  # Cabinet 11 Dec 2017, minutes of 30 Oct 2017


def same(a: str, b: str) -> bool:
    return same_subject(title_words(a), title_words(b))


def test_a_draft_and_the_adopted_paper_are_the_same_subject():
    # 001 p1: "8. Draft Cultural Strategy (Pages 171 - 196)"; 000 p10: "24. Cultural Strategy"
    assert same("Draft Cultural Strategy", "Cultural Strategy")
    assert same(
        "Local Transport Plan 4: Delivering Growth without Gridlock",
        "Local Transport Plan 4: Delivering Growth without Gridlock",
    )


def test_the_next_report_of_a_series_is_not_the_same_subject():
    # 001 item 6 and 003 item 5: two quarters of the same series, different matters
    assert not same(
        "Quarterly Performance Report, Quarter 4, 2016/17",
        "Quarterly Performance Report - 2017/18 - Quarter 2",
    )
    assert not same("Budget monitoring - August 2017", "Budget Monitoring Report - September 2017")
    # 000 item 8 (2016/17) and 004 item 9 (no year printed): not known to be the same report
    assert not same(
        "Kent Safeguarding Children Board 2016/17 Annual Report",
        "Kent Safeguarding Children's Board Annual Report",
    )


def test_procedural_items_are_never_followed():
    for title in [
        "Apologies for Absence",
        "Minutes of the Meeting held on 27 March 2017",
        "Report by Leader of the Council (Oral)",
        "Date of Next Meeting - 27 January 2016",
        "Declaration of Interests by Members in Items on the Agenda for this meeting",
        "MOTION TO EXCLUDE THE PRESS AND PUBLIC",
        "Draft Kent Health and Wellbeing Board Work Programme",
    ]:
        assert PROCEDURAL.search(title), title
    assert not PROCEDURAL.search("Local Transport Plan 4: Delivering Growth without Gridlock")


def test_recommended_to_names_the_body():
    # 001 p4: "That the Local Transport Plan 4 be recommended to County Council for adoption."
    text = "That the Local Transport Plan 4 be recommended to County Council for adoption."
    assert RECOMMENDED_TO.search(text).group("body").strip() == "County Council"


def occurrence(pk, committee, date, title, destinations=()):
    return Occurrence(pk, pk, committee, date, title_words(title), list(destinations))


def test_a_future_pathway_links_a_differently_titled_item_at_the_next_meeting_of_that_body():
    cabinet, council = 1, 2
    paper = occurrence(
        1,
        cabinet,
        dt.date(2017, 6, 26),
        "Draft Kent Cultural Strategy 2017-2020",
        [(council, None, "future")],
    )
    adopted = occurrence(2, council, dt.date(2017, 7, 13), "Cultural Strategy")
    assert not same_subject(paper.words, adopted.words)
    assert related(paper, adopted) and related(adopted, paper)
    years_later = occurrence(3, council, dt.date(2019, 7, 13), "Cultural Strategy")
    elsewhere = occurrence(4, cabinet, dt.date(2017, 7, 13), "Cultural Strategy")
    assert not related(paper, years_later)
    assert not related(paper, elsewhere)


def test_a_dated_past_pathway_links_only_that_meeting():
    committee, cabinet = 5, 1
    report = occurrence(
        1,
        cabinet,
        dt.date(2017, 6, 26),
        "Special Educational Needs and Disability (SEND) Strategy 2017-2019",
        [(committee, dt.date(2017, 3, 30), "past")],
    )
    before = occurrence(
        2, committee, dt.date(2017, 3, 30), "Consultation on the SEND Strategy 2017-2019"
    )
    other_day = occurrence(
        3, committee, dt.date(2017, 1, 19), "Consultation on the SEND Strategy 2017-2019"
    )
    assert not same_subject(report.words, before.words)
    assert related(report, before)
    assert not related(report, other_day)


def item(documents, name, title):
    return Item.objects.select_related("meeting__committee").get(
        document=documents[name], title=title
    )


def linked(a: Item) -> set[tuple[str, str, str]]:
    return {
        (o.meeting.committee.name, str(o.meeting.date), o.title)
        for o in a.related.select_related("meeting__committee")
    }


@pytest.mark.django_db
def test_a_cabinet_recommendation_is_linked_to_the_county_council_adoption(sample_archive):
    # 001 p4, Cabinet 27 March 2017, minute 20: "recommended to County Council for adoption";
    # 000 p10, County Council 13 July 2017, minute 23 adopts it (a document loaded earlier).
    cabinet = item(
        sample_archive, CABINET_JUNE, "Local Transport Plan 4: Delivering Growth without Gridlock"
    )
    council = item(
        sample_archive, COUNTY_COUNCIL, "Local Transport Plan 4: Delivering Growth without Gridlock"
    )
    assert (str(cabinet.meeting.date), str(council.meeting.date)) == ("2017-03-27", "2017-07-13")
    assert linked(cabinet) == {
        (
            "County Council",
            "2017-07-13",
            "Local Transport Plan 4: Delivering Growth without Gridlock",
        )
    }
    assert linked(council) == {
        ("Cabinet", "2017-03-27", "Local Transport Plan 4: Delivering Growth without Gridlock")
    }


@pytest.mark.django_db
def test_the_draft_strategy_at_cabinet_links_to_its_adoption_by_county_council(sample_archive):
    # 001 p171: "Future Pathway of Paper: County Council"; 000 p10: "24. Cultural Strategy ...
    # (3) RESOLVED that the Cultural Strategy be adopted."
    draft = item(sample_archive, CABINET_JUNE, "Draft Cultural Strategy")
    report = Report.objects.get(item=draft)
    assert report.future_pathway == "County Council"
    assert linked(draft) == {("County Council", "2017-07-13", "Cultural Strategy")}
    adopted = item(sample_archive, COUNTY_COUNCIL, "Cultural Strategy")
    assert ("Cabinet", "2017-06-26", "Draft Cultural Strategy") in linked(adopted)


@pytest.mark.django_db
def test_the_education_company_is_followed_from_march_to_october(sample_archive):
    # 001 minute 22 "Education Traded Services Company" (27 March 2017) and 003 minute 40
    # "Education Services Company - Update" (30 October 2017)
    march = item(sample_archive, CABINET_JUNE, "Education Traded Services Company")
    assert ("Cabinet", "2017-10-30", "Education Services Company - Update") in linked(march)


@pytest.mark.django_db
def test_recurring_and_procedural_items_are_not_linked(sample_archive):
    for title in [
        "Apologies",
        "Declarations of interest",
        "Report by Leader of the Council (Oral)",
    ]:
        for found in Item.objects.filter(title__iexact=title):
            assert not found.related.exists(), found
    quarterly = item(
        sample_archive, CABINET_DECEMBER, "Quarterly Performance Report - 2017/18 - Quarter 2"
    )
    assert linked(quarterly) == set()


@pytest.mark.django_db
def test_reloading_a_document_restores_its_links_both_ways(sample_archive, parsed_packs):
    path, pages, pack = parsed_packs[COUNTY_COUNCIL]
    load(pack, sample_archive[COUNTY_COUNCIL], pages)
    council = item(sample_archive, COUNTY_COUNCIL, "Cultural Strategy")
    assert ("Cabinet", "2017-06-26", "Draft Cultural Strategy") in linked(council)
    draft = item(sample_archive, CABINET_JUNE, "Draft Cultural Strategy")
    assert linked(draft) == {("County Council", "2017-07-13", "Cultural Strategy")}
    assert sample_archive[COUNTY_COUNCIL].counts["related"] == 2  # LTP4 and the strategy


@pytest.mark.django_db
def test_meeting_and_report_pages_show_the_matter_at_other_meetings(client, sample_archive):
    adopted = item(sample_archive, COUNTY_COUNCIL, "Cultural Strategy")
    draft = item(sample_archive, CABINET_JUNE, "Draft Cultural Strategy")
    page = client.get(f"/meetings/{adopted.meeting_id}/").content.decode()
    section = page[page.index(f'id="related-{adopted.pk}"') :]
    section = section[: section.index("</section>")]
    assert f'href="/meetings/{draft.meeting_id}/#item-{draft.pk}"' in section
    assert "Draft Cultural Strategy" in section
    report = Report.objects.get(item=draft)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    section = page[page.index('id="related-report"') :]
    section = section[: section.index("</section>")]
    assert f'href="/meetings/{adopted.meeting_id}/#item-{adopted.pk}"' in section
