"""Other councils' layouts (../shared/external) and one Kent PDF end to end through extract."""

import datetime as dt

import pytest

from councilarchive.ingest.extract import extract
from councilarchive.ingest.parse import parse
from tests.ingest.conftest import REPO


def items_by_number(minutes):
    return {i.minute_number: i for i in minutes.items}


def test_bristol_printed_minutes_meeting_items_and_resolutions(external_pack):
    pack = external_pack("bcc-0024")
    assert pack.agenda is None and pack.problems == ()
    (minutes,) = pack.minutes
    # "Minutes of the Transport & Connectivity" / "Policy Committee" / "23 October 2025 at 5.00 pm"
    assert minutes.body == "Transport & Connectivity Policy Committee"
    assert (minutes.date, minutes.time) == (dt.date(2025, 10, 23), dt.time(17))
    # "Councillors: Ed Plowden (Chair), Donald Alexander, …, David Wilcox and Jonathan Hucker"
    assert [(p.name, p.role) for p in minutes.present][0] == ("Ed Plowden", "Chair")
    assert minutes.present[-1].name == "Jonathan Hucker"
    assert len(minutes.present) == 9
    # "There were apologies from Councillor Morris. Councillor Hucker attended as substitute."
    assert [a.name for a in minutes.apologies] == ["Councillor Morris"]
    # bare "2" then "Apologies for Absence and Substitutions"; the public forum's "01", "14" are no
    # minute numbers
    items = items_by_number(minutes)
    assert list(items) == [str(n) for n in range(1, 17)]
    assert items["2"].title == "Apologies for Absence and Substitutions"
    # "It was APPROVED that;" / "1. That the Transport and Connectivity Committee approved …"
    rps = items["10"].resolutions
    assert [r.number for r in rps] == ["(1)", "(2)", "(3)", "(4)"]
    assert rps[0].form == "It was APPROVED that"
    assert rps[2].text.startswith("Authorised the Executive Director Growth and Regeneration")
    # "It was AGREED that the Policy Committee debated and noted the petition."
    assert items["7"].resolutions[0].text.startswith("the Policy Committee debated and noted")
    # "On being put to the vote the recommendations were CARRIED (5 voting FOR, 4 voting AGAINST). It
    # was" / "APPROVED that;" — the form split across lines
    assert items["11"].resolutions[0].form == "It was APPROVED that"
    assert len(items["13"].resolutions) == 2


def test_bristol_tallies_reach_the_vote_finder(external_pack):
    items = items_by_number(external_pack("bcc-0024").minutes[0])
    votes = items["10"].votes
    try:
        import councilarchive.ingest.parse.votes  # noqa: F401
    except ImportError:
        pytest.skip("parse/votes.py not written yet")
    # "On being put to the vote the recommendations were CARRIED (5 voting FOR, 4 voting AGAINST)."
    assert [(v.count_for, v.count_against, v.tally_only) for v in votes][:1] == [(5, 4, True)]


def test_bristol_minutes_numbered_item_inside_a_decision_is_no_heading(external_pack):
    # "8. Delegates authority to the Executive Director, …" inside minute 7; minute 8 is "8" /
    # "Supported Bus Services Priorities Task and Finish Group"
    items = items_by_number(external_pack("bcc-0022").minutes[0])
    assert items["8"].title == "Supported Bus Services Priorities Task and Finish Group"
    assert items["12"].resolutions[0].form == "It was RESOLVED that"
    # "8" / "20 mph Review" — a title that starts with a number
    march = items_by_number(external_pack("bcc-0026").minutes[0])
    assert march["8"].title == "20 mph Review"
    assert [a.name for a in external_pack("bcc-0026").minutes[0].in_attendance] == [
        "John Smith",
        "Patsy Mellor",
        "Adam Crowther",
    ]


def test_bristol_decision_notice(external_pack):
    (notice,) = external_pack("bcc-0025").minutes
    # "Decision determined at" / "Transport & Connectivity Policy Committee" / "meeting on 19 March 2026"
    assert (notice.body, notice.date) == (
        "Transport & Connectivity Policy Committee",
        dt.date(2026, 3, 19),
    )
    assert [p.name for p in notice.present][:2] == ["Ed Plowden", "Graham Morris"]
    items = items_by_number(notice)
    assert list(items) == ["7", "8", "9", "10", "11"]
    review = items["8"]
    assert review.title == "20 mph Review"
    assert review.resolutions[0].text.startswith("Noted the outcomes of the review of evidence")
    assert review.resolutions[0].reason == "As set out in the report."
    # "(b) Ward:" printed before the subject text on some pages
    may = items_by_number(external_pack("bcc-0035").minutes[0])
    assert may["11"].title == "CRSTS City centre – Redcliffe Roundabout and Redcliffe Way"


def test_merton_agenda_and_embedded_minutes(external_pack):
    pack = external_pack("audit-committee")
    agenda = pack.agenda
    assert (agenda.body, agenda.date, agenda.time) == (
        "Audit Committee",
        dt.date(2009, 10, 22),
        dt.time(19, 15),
    )
    assert agenda.venue.startswith("Cabinet Meeting Room, 1st Floor, Merton Civic Centre")
    assert agenda.membership[:3] == ("Angela Caldara", "Corinna Edge", "Rod Scott")
    assert [i.number for i in agenda.items] == [str(n) for n in range(1, 9)]
    minutes = pack.minutes[0]
    # "AUDIT COMMITTEE" / "24 SEPTEMBER 2009" / "(19:15 TO 19:25 AND 20:25 TO 20:27)" / "PRESENT:"
    assert (minutes.body, minutes.date, minutes.time) == (
        "Audit Committee",
        dt.date(2009, 9, 24),
        dt.time(19, 15),
    )
    # "Dave Roberts (Chairman), Councillors Angela Caldara and" / "Corinna Edge, Danny Connellan."
    assert [p.name for p in minutes.present] == [
        "Dave Roberts", "Angela Caldara", "Corinna Edge", "Danny Connellan",
    ]  # fmt: skip
    assert [p.name for p in minutes.in_attendance][:2] == ["Chris Edge", "Mark Betteridge"]
    assert [a.name for a in minutes.apologies][0] == "Rod Scott"
    assert [d.member for d in minutes.declarations] == ["The Chair", "Danny Connellan"]
    items = items_by_number(minutes)
    assert list(items) == [str(n) for n in range(1, 8)]
    # "RESOLVED: (A) That the Audit Committee notes …" / "(B) That the Audit Committee notes …"
    assert [r.number for r in items["5"].resolutions] == ["(A)", "(B)"]
    assert items["2"].resolutions[0].text == (
        "the minutes of the meeting held on 23 June are agreed as a correct record."
    )


def test_merton_agenda_page_column_and_links(external_pack):
    pack = external_pack("audit-committee")
    items = {i.number: i for i in pack.agenda.items}
    # "1. Declarations of interest¹": a footnote marker, not page 1
    assert (items["1"].title, items["1"].pages) == ("Declarations of interest", None)
    # "3. Minutes of the meeting held on 24 September 2009 and notes of   3" / "the Joint session
    # with General Purposes Committee held on 24" / "September 2009"
    assert items["3"].title.endswith("and notes of the Joint session with General Purposes "
                                     "Committee held on 24 September 2009")  # fmt: skip
    assert (items["3"].pages, items["3"].page_start) == ("3", 3)
    # items 4-8 start on printed pages 9-169 of a pack cut to 8 pages: not linked, and said so
    assert [items[n].pages for n in "45678"] == ["9", "23", "53", "155", "169"]
    assert all(items[n].page_start is None for n in "45678")
    outside = [p for p in pack.problems if p["kind"] == "agenda_pages_outside"]
    assert [p["where"] for p in outside] == [f"agenda item {n}" for n in range(4, 9)]


def test_merton_heading_over_a_page_break_and_the_joint_session(external_pack):
    first, joint = external_pack("audit-committee").minutes
    # "4 AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES" / page 4's running head /
    # "JUDGEMENT (Agenda item 4)"
    item = items_by_number(first)["4"]
    assert item.title == "AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES JUDGEMENT"
    assert (item.page_start, item.page_end) == (3, 4)
    # three unnumbered headings in capitals, one under the other, then one discussion
    assert [(i.minute_number, i.title) for i in joint.items] == [
        ("", "AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES JUDGEMENT"),
        ("", "ANNUAL GOVERNANCE REPORT 2008/09"),
        ("", "ANNUAL GOVERNANCE REPORT 2008/09 – PENSION FUND"),
    ]
    assert joint.items[2].text.startswith("The Audit Commision representatives introduced")
    # "…, Colin Millar (Democratic Services)" / "Suresh Patel, Lindsay Mallors, …"
    names = [p.name for p in joint.present]
    assert names[-6:] == [
        "Colin Millar", "Suresh Patel", "Lindsay Mallors", "Kelly Jupp", "Patsy Sanwo",
        "Sandra Lofthouse",
    ]  # fmt: skip
    problems = external_pack("audit-committee").problems
    kinds = {p["kind"] for p in problems}
    assert not kinds & {"minutes_without_items", "attendee_unsure"}
    # headings in capitals are a weaker sign than minute numbers: the officer is told
    (unnumbered,) = [p for p in problems if p["kind"] == "items_unnumbered"]
    assert (unnumbered["page"], unnumbered["where"]) == (5, "minutes of 24 September 2009")


def test_weca_report_is_not_an_agenda_or_minutes(external_pack):
    pack = external_pack("weca-0024")
    assert pack.pages == 43
    assert (pack.agenda, pack.minutes, pack.problems) == (None, (), ())


@pytest.mark.slow
def test_kent_pdf_end_to_end_through_extract():
    pages = extract(REPO / "fixtures" / "packs" / "003_1e7258be5fef03e1.pdf")
    pack = parse(pages)
    assert pack.agenda.date == dt.date(2017, 12, 11)
    (minutes,) = pack.minutes
    assert minutes.date == dt.date(2017, 10, 30)
    assert [i.minute_number for i in minutes.items] == [str(n) for n in range(35, 41)]
    assert [r.text[-6:] for r in minutes.items[3].resolutions] == ["AGREED", "NOTED."]


def test_welsh_minutes_attendance_read_as_the_english(external_pack):
    # Manordeilo's Welsh minutes of 9 January 2019, the same structure as the English version:
    # "PRESENNOL" / "Cynghorwyr Alun Davies, …, Owen Williams a’r Cynghorydd Sir Joseph Davies."
    # and, in minute 1 "CROESO AC YMDDIHEURIADAU", "Derbyniwyd ymddiheuriadau gan y Cyng. Arwel
    # Davies ac Andrew Thomas."; dated "CYFARFOD 9FED IONAWR 2019" (January in Welsh)
    pack = external_pack("minutes-2019-01-09-cy-welsh")
    (minutes,) = pack.minutes
    assert minutes.date == dt.date(2019, 1, 9)
    assert not pack.problems
    assert [a.name for a in minutes.present] == [
        "Alun Davies",
        "Kim Davies",
        "Gwenfyl Evans",
        "Peter Harries",
        "Dorian Jenkins",
        "Doris Jones",
        "William Loynton",
        "Owen Williams",
        "Joseph Davies",
    ]
    assert [a.name for a in minutes.apologies] == ["Arwel Davies", "Andrew Thomas"]
