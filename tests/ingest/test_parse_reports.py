"""Officers' reports in the Kent packs (page dumps) and Bristol / WECA committee reports."""

from functools import cache

import pytest

from councilarchive.ingest.parse.model import Agenda, AgendaItem
from councilarchive.ingest.parse.reports import find_reports
from councilarchive.ingest.parse.text import lines_of, unglue
from tests.ingest.conftest import EXTERNAL, dump_pages, kent_pack


@cache
def reports(prefix: str):
    return find_reports(unglue(lines_of(dump_pages(prefix))), kent_pack(prefix).agenda)


def table(prefix: str):
    return [
        (r.agenda_item, r.page_start, r.page_end, r.subject, r.from_, r.to, r.classification)
        for r in reports(prefix)
    ]


def test_county_council_pack_reports():
    # 000: the minutes of 13 July 2017 (pp 3-10) are not a report; four reports follow
    assert table("000") == [
        (
            "7",
            11,
            22,
            "Autumn Budget Statement",
            # "From: Paul Carter, Leader of the Council" / "John Simmonds, Cabinet Member for …"
            "Paul Carter, Leader of the Council; John Simmonds, Cabinet Member for Finance",
            "County Council – 19th October 2017",
            "Unrestricted",
        ),
        (
            "8",
            23,
            72,
            "Kent Safeguarding Children Board – 2016/17 Annual Report",
            # "Andrew Ireland, Corporate Director, Families and Social Care Gill Rigg, Independent
            # Chair of Kent" / "Safeguarding Children Board" — a wrapped line is rejoined
            "Roger Gough, Cabinet Member for Specialist Children's Services; Andrew Ireland, "
            "Corporate Director, Families and Social Care Gill Rigg, Independent Chair of Kent "
            "Safeguarding Children Board",
            "County Council – 19th October 2017",
            "Unrestricted",
        ),
        (
            "9",
            73,
            105,  # p106 "This page is intentionally left blank" is not part of it
            # "Subject: Increasing Opportunities, Improving Outcomes - Strategic" / "Statement …"
            "Increasing Opportunities, Improving Outcomes - Strategic Statement Annual Report 2017",
            "Paul Carter, Leader",
            "County Council, 19th October 2017",
            "",  # no Classification: line printed
        ),
        (
            "10",
            107,
            115,
            "TREASURY MANAGEMENT ANNUAL REVIEW 2016-17",
            "John Simmonds, Cabinet Member for Finance; Andy Wood, Corporate Director of Finance",
            "County Council – 19 October 2017",
            "Unrestricted",
        ),
    ]


def test_county_council_report_summary_and_recommendation():
    ksc = reports("000")[1]
    assert ksc.summary == (
        "This attached annual report from Kent Safeguarding Children Board describes the progress "
        "made in improving the safeguarding services provided to Kent's children and young people "
        "from April 2016 until March 2017, and outlines the challenges ahead over the next year."
    )
    assert ksc.recommendations == (
        "County Council is asked to COMMENT on the progress made and NOTE the 2016/17 Annual "
        "Report attached."
    )
    # "Recommendation(s):" / "County Council is asked to:" / "• Approve …" / "1. Introduction"
    assert reports("000")[2].recommendations == (
        "County Council is asked to: • Approve the Increasing Opportunities, Improving Outcomes "
        "Annual Report 2017 (Appendix 1)."
    )
    # "Summary: To report a summary of Treasury Management activities" / "in 2016-17" /
    # "FOR INFORMATION"
    assert reports("000")[3].summary == (
        "To report a summary of Treasury Management activities in 2016-17"
    )
    assert "1. Introduction" in reports("000")[0].body


def test_cabinet_june_2017_reports():
    assert table("001") == [
        (
            "4",
            7,
            42,
            "REVENUE & CAPITAL BUDGET OUTTURN 2016-17",
            # "By: Cabinet Member for Finance, John Simmonds" / "Corporate Director of Finance,
            # Andy Wood" / "Corporate Directors"
            "Cabinet Member for Finance, John Simmonds; Corporate Director of Finance, Andy Wood; "
            "Corporate Directors",
            "Cabinet – 26 June 2017",
            "Unrestricted",
        ),
        (
            "5",
            44,
            49,
            "REVENUE & CAPITAL BUDGET MONITORING REPORT 2017-18",
            "John Simmonds, Cabinet Member for Finance; Andy Wood, Corporate Director of Finance; "
            "Corporate Directors",
            "CABINET – 26 June 2017",
            "Unrestricted",
        ),
        (
            "6",
            51,
            73,
            "Quarterly Performance Report, Quarter 4, 2016/17",
            "Susan Carey – Cabinet Member for Customers, Communications and Performance; "
            "David Cockburn – Corporate Director, Strategic and Corporate Services",
            "Cabinet – 26 June 2017",
            "Unrestricted",
        ),
        (
            "7",
            75,
            105,
            "Special Educational Needs and Disability (SEND) Strategy 2017-2019",
            "Roger Gough, Cabinet Member for Children, Young People and Education; "
            "Patrick Leeson, Corporate Director for Children, Young People and Education",
            "Cabinet - 26 June 2017",
            "Unrestricted",
        ),
        (
            "8",
            107,
            115,
            "Draft Cultural Strategy",
            "Mike Hill, Cabinet Member for Community and Regulatory Services; "
            "Barbara Cooper, Corporate Director, Growth, Environment and Transport",
            "Cabinet – 26 June 2017",
            "Unrestricted",
        ),
    ]


def test_pathway_division_and_decision_fields():
    culture = reports("001")[4]
    # "Past Pathway of Paper: Growth and Economic Development Cabinet Committee" / "22 March 2017"
    assert culture.past_pathway == "Growth and Economic Development Cabinet Committee 22 March 2017"
    assert culture.future_pathway == "County Council"
    assert culture.electoral_division == "County-wide"
    assert reports("001")[2].decision_number == "N/a"
    # "Past Pathway: Education and Young People's Services Cabinet Committee - 30 March 2017"
    assert reports("001")[3].past_pathway.startswith("Education and Young People's Services")


def test_numbered_summary_and_recommendations_sections_stand_in_for_header_fields():
    outturn = reports("001")[0]
    # no "Summary:" label: "1. SUMMARY" / "1.1 This report provides the provisional revenue …"
    assert outturn.summary.startswith(
        "1.1 This report provides the provisional revenue and capital budget outturn position"
    )
    # "2. RECOMMENDATIONS" / "Cabinet is asked to:" / "i) Note the report, …"
    assert outturn.recommendations.startswith("Cabinet is asked to: i) Note the report")
    # the running header "REVENUE & CAPITAL BUDGET OUTTURN 2016-17" is not report text
    assert "OUTTURN 2016-17" not in outturn.recommendations


def test_cabinet_december_2017_reports():
    assert table("003") == [
        (
            "4",
            5,
            33,
            "REVENUE & CAPITAL BUDGET MONITORING – SEPTEMBER 2017-18",
            "Cabinet Member for Finance, John Simmonds; Corporate Director of Finance, Andy Wood; "
            "Corporate Directors",
            "CABINET – 11 December 2017",
            "Unrestricted",
        ),
        (
            "5",
            34,
            57,
            "Quarterly Performance Report, Quarter 2, 2017/18",
            "Susan Carey – Cabinet Member for Customers, Communications and Performance; "
            "David Cockburn – Corporate Director, Strategic and Corporate Services",
            "Cabinet – 11 December 2017",
            "Unrestricted for Cabinet",
        ),
        (
            "6",
            59,
            89,
            "Corporate Risk Register",
            "Susan Carey, Cabinet Member for Customers, Communications and Performance; "
            "David Cockburn, Corporate Director for Strategic & Corporate Services and Head of "
            "Paid Service",
            "Cabinet – 11th December 2017",
            "Unrestricted",
        ),
        (
            "7",
            91,
            103,
            # "Subject: UPDATE ON THE PROGRESS IN REPORTING AND MANAGING DELAYED" / "TRANSFERS OF
            # CARE (DToC)"
            "UPDATE ON THE PROGRESS IN REPORTING AND MANAGING DELAYED TRANSFERS OF CARE (DToC)",
            "Graham Gibbens, Cabinet Member for Adult Social Care; "
            "Anu Singh, Corporate Director of Adult Social Care and Health",
            "Cabinet – 11 December 2017",
            "Unrestricted",
        ),
    ]
    risk = reports("003")[2]
    assert (risk.decision_number, risk.past_pathway, risk.electoral_division) == (
        "N/A",
        "N/A",
        "ALL",
    )
    assert risk.future_pathway == "Governance and Audit Committee – 25th Jan 2018"
    # "Previous Pathway of Paper: Corporate Board – 11 September 2017"
    assert reports("003")[3].past_pathway == "Corporate Board – 11 September 2017"


def test_health_and_wellbeing_board_reports_and_not_the_appended_minutes():
    assert table("004") == [
        # no header block: "NHS preparations for and response to winter in Kent 2015/16" heads
        # p11 and matches agenda item 5
        ("5", 11, 13, "NHS preparations for and response to winter in Kent 2015/16", "", "", ""),
        (
            "6",
            14,
            26,  # the "APPENDIX 1 / Subject: Better Care Fund Position Statement" is inside it
            "The new planning arrangements for health and social care",
            "Roger Gough – Cabinet Member for Education and Health Reform",
            "Kent Health and Wellbeing Board 27th January 2016",
            "",
        ),
        (
            "8",
            28,
            34,
            "Draft Kent Health and Wellbeing Board Work Programme",
            "Roger Gough, Cabinet Member for Education and Health Reform",
            "Health and Wellbeing Board, 27 January 2016",
            "Unrestricted",
        ),
        (
            "9",
            35,
            79,  # the annual report itself runs on after the cover report; minutes start p81
            "Kent Safeguarding Children Board – 2014/15 Annual Report",
            "Gill Rigg, Independent Chair of Kent Safeguarding Children Board",
            "Kent Health and Wellbeing Board",
            "Unrestricted",
        ),
    ]
    planning = reports("004")[1]
    # "Recommendations –" / "The Health and Wellbeing Board is asked to:" / "I. Agree …"
    assert planning.recommendations.startswith(
        'The Health and Wellbeing Board is asked to: I. Agree the most appropriate "Planning'
    )
    assert planning.recommendations.endswith('including the nine "must-do\'s"')


def test_standalone_annual_report_is_one_report():
    (report,) = reports("002")
    # page 1 prints "Annual Report 2017/18"; the foreword names the board: "Welcome to the annual
    # report of Kent Safeguarding Children Board (KSCB)."
    assert report.subject == "Kent Safeguarding Children Board Annual Report 2017/18"
    assert (report.page_start, report.page_end) == (1, 36)
    assert report.agenda_item is None


def test_agenda_item_matched_by_page_range_when_titles_differ():
    lines = unglue(lines_of(dump_pages("000")))
    agenda = Agenda(
        body="County Council",
        date=None,
        time=None,
        venue="",
        items=(AgendaItem("12", "Budget matters", pages="11-22"),),
    )
    (first, *_) = find_reports(lines, agenda)
    assert (first.subject, first.agenda_item) == ("Autumn Budget Statement", "12")
    assert find_reports(lines, None)[0].agenda_item is None


def test_agenda_page_ranges_shifted_by_a_cover_sheet_are_mapped_to_pdf_pages():
    # printed numbers two ahead of the PDF's pages for both reports named outright; the two
    # vaguely titled items are then placed by their shifted ranges
    lines = unglue(lines_of(dump_pages("000")))
    agenda = Agenda(
        body="County Council",
        date=None,
        time=None,
        venue="",
        items=(
            AgendaItem("7", "Autumn Budget Statement", pages="13-24"),
            AgendaItem("8", "Item for information", pages="25-74"),
            AgendaItem("9", "Another paper", pages="75-108"),
            AgendaItem("10", "Treasury Management Annual Review 2016/17", pages="109-117"),
        ),
    )
    assert [r.agenda_item for r in find_reports(lines, agenda)] == ["7", "8", "9", "10"]


def test_printed_ranges_that_disagree_with_the_pdf_do_not_place_reports():
    # 001: "Revenue & Capital Budget Monitoring Report 2017-18" is on PDF pages 44-49, inside the
    # printed range of item 4 "(Pages 9 - 56)"; the printed ranges are not this PDF's pages
    # (item 4's report starts on p7), so the title decides: item 5
    assert [r.agenda_item for r in reports("001")] == ["4", "5", "6", "7", "8"]


# --- other councils' layouts (../shared/external) ----------------------------------------------


@pytest.fixture(scope="module")
def external_reports():
    if not EXTERNAL.is_dir():
        pytest.skip("../shared/external not present (a user's own clone)")
    from councilarchive.ingest.extract import extract

    done = {}

    def get(name_part: str):
        if name_part not in done:
            (path,) = [p for p in EXTERNAL.glob("*/*.pdf") if name_part in p.name]
            done[name_part] = find_reports(unglue(lines_of(extract(path))), None)
        return done[name_part]

    return get


def test_bristol_committee_report_header(external_reports):
    (report,) = external_reports("src-bcc-0003")
    # "TITLE:   Workplace Parking Levy" / "COMMITTEE: Transport and Connectivity Committee" /
    # "Officer presenting the report: Adam Crowther    Job title: Head of City Transport"
    assert report.subject == "Workplace Parking Levy"
    assert report.to == "Transport and Connectivity Committee"
    assert report.from_ == (
        "Adam Crowther, Head of City Transport; "
        "John Smith: Executive Director for Growth & Regeneration"
    )
    assert report.summary.startswith(
        "This report sets out the current thinking around how a Workplace Parking Levy would work"
    )
    # "Officer Recommendations:" / "That the Committee for Transport and Connectivity" …
    assert report.recommendations.startswith(
        "That the Committee for Transport and Connectivity 1. Approve, subject to suitable resource"
    )
    assert (report.page_start, report.page_end) == (1, 7)


def test_bristol_update_report(external_reports):
    (report,) = external_reports("src-bcc-0014")
    assert report.subject == "Workplace Parking Levy Update"
    assert report.recommendations == (
        "That the Committee for Transport and Connectivity notes this update report."
    )


def test_weca_report_header(external_reports):
    (report,) = external_reports("src-weca-0024")
    # "REPORT TO:" / "WEST OF ENGLAND COMBINED AUTHORITY COMMITTEE" / … "TITLE:" / "TRANSPORT"
    assert report.subject == "TRANSPORT"
    assert report.to == "WEST OF ENGLAND COMBINED AUTHORITY COMMITTEE"
    assert report.from_ == "EXECUTIVE DIRECTOR OF TRANSPORT"
    assert report.summary.startswith("To provide an update to the West of England Mayoral")
    assert report.recommendations.startswith("That Committee: 1) Delegates authority")
    assert (report.page_start, report.page_end) == (1, 43)


def test_bristol_minutes_and_decision_notices_hold_no_reports(external_reports):
    # … nor does Merton's 8-page pack: front sheet, two sets of minutes, a blank page
    for name in ("src-bcc-0024", "src-bcc-0035", "audit-committee-2009-10-22"):
        assert external_reports(name) == [], name
