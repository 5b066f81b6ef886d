"""Agenda front sheets of the Kent packs, asserted from reading the printed page 1."""

import datetime as dt

from councilarchive.ingest.parse.agenda import parse_agenda
from councilarchive.ingest.parse.text import Line
from tests.ingest.conftest import kent_pack


def items(prefix):
    return [(i.number, i.title, i.pages) for i in kent_pack(prefix).agenda.items]


def test_county_council_meeting_date_is_not_the_dispatch_date():
    # "Summons to and Agenda for a Meeting on Thursday, 19th October,\n2017 at 10.00 am" and,
    # under DEMOCRATIC SERVICES, the dispatch date "Wednesday, 11 October 2017"
    agenda = kent_pack("000").agenda
    assert agenda.body == "County Council"
    assert agenda.date == dt.date(2017, 10, 19)
    assert agenda.time == dt.time(10, 0)
    assert agenda.venue == "Council Chamber, Sessions House, County Hall, Maidstone"
    assert (agenda.page_start, agenda.page_end) == (1, 2)


def test_county_council_items_with_pages_printed_mid_title_and_without_dash():
    # "3. Minutes of the meeting held on 13 July 2017 and, if in order, to be (Pages 7 16) approved as a"
    # "8. Kent Safeguarding Children Board 2016/17 Annual Report" / "• (Pages 29 88)"
    assert items("000") == [
        ("1", "Apologies for Absence", None),
        (
            "2",
            "Declarations of Disclosable Pecuniary Interests or Other Significant Interests "
            "in items on the agenda",
            None,
        ),
        (
            "3",
            "Minutes of the meeting held on 13 July 2017 and, if in order, to be approved as a "
            "correct record",
            "7-16",
        ),
        ("4", "Chairman's Announcements", None),
        ("5", "Questions", None),
        ("6", "Report by Leader of the Council (Oral)", None),
        ("7", "Autumn Budget Statement", "17-28"),
        ("8", "Kent Safeguarding Children Board 2016/17 Annual Report", "29-88"),
        (
            "9",
            "Increasing Opportunities, Improving Outcomes Strategic Statement Annual Report",
            "89-120",
        ),
        ("10", "Treasury Management Annual Review 2016/17", "121-132"),
        ("11", "Motion for Time Limited Debate", None),
    ]
    motion = kent_pack("000").agenda.items[-1]
    assert motion.description.startswith("Kent, the Customs Union and Free Flowing Trade")


def test_cabinet_items_descriptions_and_sign_off_kept_out():
    agenda = kent_pack("001").agenda
    assert (agenda.body, agenda.date, agenda.time) == ("Cabinet", dt.date(2017, 6, 26), dt.time(10))
    assert agenda.venue == "Darent Room, Sessions House, County Hall, Maidstone"
    assert items("001")[2:] == [
        ("3", "Minutes of the Meeting held on 27 March 2017", "3-8"),
        ("4", "Revenue and Capital Budget Outturn 2016-17", "9-56"),
        ("5", "Revenue & Capital Budget Monitoring Report 2017-18", "57-64"),
        ("6", "Quarterly Performance Report, Quarter 4, 2016/17", "65-116"),
        ("7", "Special Educational Needs and Disability (SEND) Strategy 2017-2019", "117-170"),
        ("8", "Draft Cultural Strategy", "171-196"),
    ]
    last = agenda.items[-1]
    # "To endorse the strategy document and agree onward travel to Council" / "John Lynch,"
    assert last.description == "To endorse the strategy document and agree onward travel to Council"


def test_page_range_split_across_lines_and_contact_details_beside_venue():
    # "7. Update on the Progress in Reporting and Managing Delayed Transfers of Care (DTCOC) (Pages"
    # "145 - 158)"; "Darent Room, Sessions House, County Telephone: Tel: 03000 416824,"
    agenda = kent_pack("003").agenda
    assert agenda.date == dt.date(2017, 12, 11)
    assert agenda.venue == "Darent Room, Sessions House, County Hall, Maidstone"
    assert items("003")[-1] == (
        "7",
        "Update on the Progress in Reporting and Managing Delayed Transfers of Care (DTCOC)",
        "145-158",
    )
    assert len(agenda.items) == 7


def test_health_and_wellbeing_board_agenda_and_membership():
    agenda = kent_pack("004").agenda
    assert agenda.body == "Health and Wellbeing Board"
    assert (agenda.date, agenda.time) == (dt.date(2016, 1, 27), dt.time(18, 30))
    assert agenda.venue == "Darent Room, Sessions House, County Hall, Maidstone"
    assert [i.number for i in agenda.items] == [str(n) for n in range(1, 13)]
    assert items("004")[3] == ("4", "Minutes of the Meeting held on 18 November 2015", "5-12")
    assert items("004")[10] == ("11", "Minutes of the Local Health and Wellbeing Boards", "103-130")
    assert agenda.items[11].title == "Date of Next Meeting 16 March 2016"
    # "Mr R W Gough (Chairman), Dr F Armstrong, …, Cllr P Watkins and Cllr L Weatherly"
    assert agenda.membership[0] == "Mr R W Gough"
    assert "Mr P B Carter, CBE" in agenda.membership
    assert agenda.membership[-1] == "Cllr L Weatherly"
    assert len(agenda.membership) == 23


def test_standalone_report_has_no_agenda_or_minutes():
    pack = kent_pack("002")
    assert pack.agenda is None
    assert pack.minutes == ()
    # no "Subject:" line: the subject is the first line, which the self-check says
    assert [(p["kind"], p["page"]) for p in pack.problems] == [("report_subject_guessed", 1)]


def test_pages_without_dash_normalised():
    lines = [Line(1, "AGENDA"), Line(1, "1. Budget (Pages 7 16)"), Line(1, "2. Other (Page 9)")]
    agenda = parse_agenda(lines)
    assert [(i.title, i.pages) for i in agenda.items] == [("Budget", "7-16"), ("Other", "9")]


def test_minutes_of_other_boards_link_to_where_they_are_in_the_pack():
    # 004 items 10 "Minutes of the Children's Health and Wellbeing Board (Pages 95 - 102)" and 11
    # "Minutes of the Local Health and Wellbeing Boards (Pages 103 - 130)": the pack was cut from
    # a longer one (110 pages), its "Page 95" and "Page 103" start other papers. Item 10 is the
    # two sets of minutes of the board it names (pp 81-87); item 11, undated and naming no one
    # board, the four local boards' minutes between item 10's papers and the end (pp 88-110)
    pack = kent_pack("004")
    items = {i.number: i for i in pack.agenda.items}
    assert (items["10"].page_start, items["10"].page_end) == (81, 87)
    assert (items["11"].page_start, items["11"].page_end) == (88, 110)
    assert [m.body for m in pack.minutes if 88 <= m.page_start <= 110] == [
        "Canterbury and Coastal Health and Wellbeing Board",
        "Dartford Gravesham and Swanley Health and Wellbeing Board",
        "Thanet Health and Wellbeing Board",
        "West Kent Health and Wellbeing Board",
    ]
    assert "agenda_pages_outside" not in {p["kind"] for p in pack.problems}


def test_title_line_ending_mid_phrase_runs_on_to_the_next():
    # Kent's extraordinary County Council front sheet, 9 January 2025 (its line put back together
    # by extract): "2. Declarations of Disclosable Pecuniary Interests or Other" / "Significant
    # Interests in items on the agenda"; "3. English Devolution White Paper" / "- To follow"
    # stays a description
    lines = [
        Line(3, text)
        for text in (
            "A G E N D A",
            "1. Apologies for Absence",
            "2. Declarations of Disclosable Pecuniary Interests or Other",
            "Significant Interests in items on the agenda",
            "3. English Devolution White Paper",
            "- To follow",
        )
    ]
    agenda = parse_agenda(lines)
    assert [(i.number, i.title, i.description) for i in agenda.items] == [
        ("1", "Apologies for Absence", ""),
        (
            "2",
            "Declarations of Disclosable Pecuniary Interests or Other Significant Interests in "
            "items on the agenda",
            "",
        ),
        ("3", "English Devolution White Paper", "- To follow"),
    ]
