"""Sets of minutes in the Kent packs: where they are, their headers, attendance, apologies,
declarations and minute items — asserted from reading the pages."""

import datetime as dt

from councilarchive.ingest.parse.minutes import attendees, parse_minutes
from councilarchive.ingest.parse.text import Line
from tests.ingest.conftest import kent_pack


def names(people):
    return [p.name for p in people]


def test_county_council_minutes_header_and_pages():
    # "MINUTES of a meeting of the Kent County Council held in the Council Chamber, Sessions House,
    # County Hall, Maidstone on Thursday, 13 July 2017."
    (minutes,) = kent_pack("000").minutes
    assert minutes.body == "Kent County Council"
    assert minutes.date == dt.date(2017, 7, 13)
    assert minutes.venue == "Council Chamber, Sessions House, County Hall, Maidstone"
    assert (minutes.page_start, minutes.page_end) == (3, 10)


def test_present_list_keeps_honours_and_roles_and_reads_full_stops_as_commas():
    # "PRESENT: Mr D L Brazier (Chairman) Mr M J Angell (Vice-Chairman)"
    # "Mrs A D Allen, MBE, Mr P V Barrington-King, … Mr T Bond. Mr" / "A H T Bowles, …"
    present = kent_pack("000").minutes[0].present
    assert [(p.name, p.role) for p in present[:3]] == [
        ("Mr D L Brazier", "Chairman"),
        ("Mr M J Angell", "Vice-Chairman"),
        ("Mrs A D Allen, MBE", ""),
    ]
    got = names(present)
    for name in ("Mr T Bond", "Mr A H T Bowles", "Mr P B Carter, CBE", "Mr R L H Long, TD"):
        assert name in got
    assert got[-1] == "Mr J Wright"
    assert len(got) == 73  # 73 honorifics printed between PRESENT: and IN ATTENDANCE:


def test_in_attendance_officers_with_roles():
    # "IN ATTENDANCE: Mr D Cockburn (Corporate Director Strategic & Corporate Services), Mr B Watts"
    # "(General Counsel) and Mr J Lynch (Head of Democratic Services)"
    attending = kent_pack("000").minutes[0].in_attendance
    assert [(p.name, p.role) for p in attending] == [
        ("Mr D Cockburn", "Corporate Director Strategic & Corporate Services"),
        ("Mr B Watts", "General Counsel"),
        ("Mr J Lynch", "Head of Democratic Services"),
    ]


def test_apologies_reported_by_general_counsel():
    # "The General Counsel reported apologies from Mrs Beresford, Mr Balfour, Mr Booth, Mr Harman,"
    # "Ida Linfield, Mr Manion, Mr Monk and Miss Rankin."
    assert names(kent_pack("000").minutes[0].apologies) == [
        "Mrs Beresford",
        "Mr Balfour",
        "Mr Booth",
        "Mr Harman",
        "Ida Linfield",
        "Mr Manion",
        "Mr Monk",
        "Miss Rankin",
    ]


def test_declarations_with_member_and_item():
    # "(1) Dr Sullivan declared an interest in item 7 (Ofsted Inspection on Children's Services) as her"
    minutes = kent_pack("000").minutes[0]
    assert [(d.member, d.item_ref) for d in minutes.declarations] == [
        ("Dr Sullivan", "item 7"),
        ("Mr Lewis", "item 10"),
    ]
    assert minutes.declarations[0].text.endswith("as an Early Help and Prevention officer.")
    declarations_item = minutes.items[1]
    assert declarations_item.minute_number == "17"
    assert len(declarations_item.declarations) == 2


def test_county_council_minute_numbers_titles_and_pages():
    items = kent_pack("000").minutes[0].items
    assert [i.minute_number for i in items] == [str(n) for n in range(16, 27)]
    # "18. Minutes of the meetings held on 25 May, and, if in order, to be approved as a correct"
    # "record" — a title wrapped onto a second line
    assert items[2].title == (
        "Minutes of the meetings held on 25 May, and, if in order, to be approved as a correct record"
    )
    assert items[6].title == "Ofsted inspection on Children's Services"
    leader = items[5]
    assert (leader.minute_number, leader.page_start, leader.page_end) == ("21", 4, 7)


def test_heading_glued_to_minute_number_is_split():
    # "UNRESTRICTED ITEMS15. Apologies" (pdfminer) and "(Item 3)" lines under titles
    items = kent_pack("001").minutes[0].items
    assert [(i.minute_number, i.title) for i in items[:3]] == [
        ("15", "Apologies"),
        ("16", "Declarations of interest"),
        ("17", "Minutes of the Meeting held on 23 January 2017"),
    ]
    assert [i.minute_number for i in items] == [str(n) for n in range(15, 24)]
    assert kent_pack("001").minutes[0].declarations == ()


def test_cabinet_apologies_submitted_in_prose():
    # "Mr Gary Cooke submitted his apologies for the meeting. Andrew Ireland (Corporate Director,
    # Social Care, Health and Wellbeing) submitted his apologies and was represented by …"
    minutes = kent_pack("001").minutes[0]
    assert (minutes.body, minutes.date) == ("Cabinet", dt.date(2017, 3, 27))
    assert names(minutes.apologies) == ["Mr Gary Cooke", "Andrew Ireland"]
    assert names(minutes.present)[0] == "Mr P B Carter, CBE"
    assert minutes.present[0].role == "Chairman"


def test_apologies_with_substitutes_in_prose():
    # "Apologies were received from Mr Gibbens, Cabinet Member for Adult Social Care and Mr"
    # "Simmonds, Cabinet Member for Finance who were substituted by Mrs Marsh, Deputy Cabinet"
    # "Member for Social Care and Mrs Crabtree, Deputy Cabinet Member for Finance, respectively."
    minutes = kent_pack("003").minutes[0]
    assert minutes.date == dt.date(2017, 10, 30)
    assert names(minutes.apologies) == ["Mr Gibbens", "Mr Simmonds"]
    subs = [(p.name, p.substitute_for) for p in minutes.present if p.substitute_for]
    assert subs == [("Mrs Marsh", "Mr Gibbens"), ("Mrs Crabtree", "Mr Simmonds")]
    assert [i.minute_number for i in minutes.items] == [str(n) for n in range(35, 41)]
    # "40. Education Services Company - Update (Item 6)"
    assert minutes.items[-1].title == "Education Services Company - Update"


def test_health_board_pack_holds_seven_sets_of_minutes():
    sets = [(m.body, m.date) for m in kent_pack("004").minutes]
    assert sets == [
        ("Health and Wellbeing Board", dt.date(2015, 11, 18)),
        ("Children's Health and Wellbeing Board", dt.date(2015, 9, 24)),
        ("Children's Health and Wellbeing Board", dt.date(2015, 11, 25)),
        ("Canterbury and Coastal Health and Wellbeing Board", dt.date(2015, 11, 12)),
        ("Dartford Gravesham and Swanley Health and Wellbeing Board", dt.date(2015, 12, 9)),
        ("Thanet Health and Wellbeing Board", dt.date(2015, 11, 19)),
        ("West Kent Health and Wellbeing Board", dt.date(2015, 11, 17)),
    ]


def test_substitutes_in_present_list():
    # "Dr N Kumta, Mr G Lymer (Substitute for Mr P J Oakford), Dr T Martin, Mr S Perks, Dr M Philpott"
    # "(Substitute for Dr F Armstrong), Cllr K Pugh, …"
    minutes = kent_pack("004").minutes[0]
    subs = [(p.name, p.substitute_for) for p in minutes.present if p.substitute_for]
    assert subs == [("Mr G Lymer", "Mr P J Oakford"), ("Dr M Philpott", "Dr F Armstrong")]
    assert names(minutes.apologies) == ["Dr Armstrong", "Mrs Carpenter", "Dr Lunt", "Mr Oakford"]
    assert [i.minute_number for i in minutes.items] == [str(n) for n in range(177, 190)]
    assert minutes.items[4].title == (
        "Update on the Joint Health and Social Care Self-Assessment Framework (JHSCSAF) for 2014/15"
    )
    assert (minutes.page_start, minutes.page_end) == (4, 9)


def test_appended_board_minutes_headers_and_lists():
    _, chwb, _, canterbury, dgs, thanet, _ = kent_pack("004").minutes
    # "Minutes of a meeting held on Thursday, 12th November, 2015" / "at 6.30 pm in the The
    # Guildhall, Westgate, Canterbury"
    assert canterbury.time == dt.time(18, 30)
    assert canterbury.venue == "The Guildhall, Westgate, Canterbury"
    # "Faiza Khan – Sam Bennett attending"
    assert names(canterbury.apologies) == ["Faiza Khan", "Steve Inett"]
    # "In attendance:" with a role line under each name: "Andrew Ireland (AI)" / "KCC – Corporate …"
    # and no PRESENT list: those are the members who came; "Hazel Carpenter (HC) NHS - South Kent
    # Coast CCG & NHS Thanet CCG, Accountable Officer" puts the role on the name's line
    assert names(chwb.present)[:3] == ["Andrew Ireland", "Colin Thompson", "Hazel Carpenter"]
    assert names(chwb.in_attendance) == []
    assert "Abdool Kara" in names(chwb.apologies)
    assert chwb.venue == "Medway Room, Sessions House, Sessions House"
    # "ALSO PRESENT Tristan Godfrey - Kent County Council, Val Miller - Kent County Council, …"
    assert names(dgs.in_attendance) == ["Tristan Godfrey", "Val Miller", "Dr Su Xavier"]
    assert names(dgs.apologies) == ["Melanie Norris"]
    assert [i.minute_number for i in dgs.items][:2] == ["39", "40"]
    assert thanet.venue == "Council Chamber, Council Offices, Cecil Street, Margate, Kent"
    assert names(thanet.apologies) == ["Hazel Carpenter", "Esme Chilton", "Mark Lobban"]


def test_one_name_a_line_list_skips_role_lines():
    lines = [
        "Gill Rigg (GR)",
        "Kent Safeguarding Children Board Independent Chair",
        "Sue Mullin (SM)",
    ]
    assert [p.name for p in attendees(lines)] == ["Gill Rigg", "Sue Mullin"]


def test_malformed_minutes_still_parse():
    minutes = parse_minutes([Line(1, "MINUTES"), Line(1, "1."), Line(1, "2")])
    assert minutes.items == ()


def test_a_failing_section_is_recorded_and_the_rest_kept(monkeypatch):
    import councilarchive.ingest.parse as parse_module
    from tests.ingest.conftest import dump_pages

    def broken(lines):
        raise ValueError("unreadable minutes")

    monkeypatch.setattr(parse_module, "parse_minutes", broken)
    pack = parse_module.parse(dump_pages("001"))
    assert pack.agenda.body == "Cabinet"
    assert pack.minutes == ()
    unreadable = [p for p in pack.problems if p["kind"] == "section_unreadable"]
    assert unreadable == [
        {
            "kind": "section_unreadable",
            "page": 2,
            "message": "The minutes on pages 2-6 could not be read (ValueError); "
            "the rest of the pack was kept.",
            "where": "minutes",
        }
    ]


def _board(pack, body: str):
    return next(m for m in pack.minutes if m.body.startswith(body))


def test_capitals_heading_that_fills_its_line_runs_on_to_the_next():
    # 004 p 89: "6 IMPROVING ACCESS TO PSYCHOLOGICAL THERAPIES PILOT IN CANTERBURY JOB" /
    # "CENTRE - JAYNE FAULKNER"; p 96: "49. UPDATE ON THE IMPLICATIONS OF NEW DEVELOPMENTS FOR
    # THE HEALTH SECTOR" / "AND THE SHAPE OF SERVICE PROVISION."
    pack = kent_pack("004")
    canterbury = {i.minute_number: i.title for i in _board(pack, "Canterbury").items}
    assert canterbury["6"] == (
        "IMPROVING ACCESS TO PSYCHOLOGICAL THERAPIES PILOT IN CANTERBURY JOB CENTRE - "
        "JAYNE FAULKNER"
    )
    assert canterbury["9"].endswith("REPORT TO THE KENT HEALTH AND WELLBEING BOARD - MARK LEMON")
    # a short capitals heading stays itself
    assert canterbury["8"] == "MENTAL HEALTH ACTION GROUP REPORT - NEIL FISHER"
    dgs = {i.minute_number: i.title for i in _board(pack, "Dartford").items}
    assert dgs["49"].endswith("FOR THE HEALTH SECTOR AND THE SHAPE OF SERVICE PROVISION.")
    assert dgs["48"] == "SWANLEY REGENERATION"


def test_a_title_left_at_the_end_of_a_name_line_belongs_to_the_next_name():
    # 004 p 88, one name a line: "Neil Fisher Mr" / "Gibbens"
    present = [a.name for a in _board(kent_pack("004"), "Canterbury").present]
    assert present[3:7] == ["Amber Christou", "Neil Fisher", "Mr Gibbens", "Councillor Howes"]


def test_west_kent_minute_whose_number_was_lost_and_its_apologies_table():
    west_kent = _board(kent_pack("004"), "West Kent")
    # p 104: "KENT HEALTH & WELLBEING BOARD" / "Local Health and Wellbeing Boards, …" / "5.1 Cllr
    # Roger Gough provided …": minute 5, between 4 and 6, its number not in the text layer
    assert [(i.minute_number, i.title) for i in west_kent.items[3:6]] == [
        ("4", "MATTERS ARISING"),
        ("5", "KENT HEALTH & WELLBEING BOARD"),
        ("6", "TOTAL PLACE"),
    ]
    assert west_kent.items[4].resolutions[0].text.startswith("Set up a Task & Finish Group")
    # p 102-103: "Apologies had been received from the following" / "Board members:" / "Julie
    # Beilby" / "Chief Executive, … (T&MBC) – Substitute, Jane" / "Heeley" / … / "Dr Caroline" /
    # "Jessel" / "Clinical Transformation and Outcomes Lead, NHS England"
    assert names(west_kent.apologies) == [
        "Julie Beilby",
        "Alison Broom",
        "Cllr Maria Heslop",
        "Dr Caroline Jessel",
    ]
    subs = [(a.name, a.substitute_for) for a in west_kent.present if a.substitute_for]
    assert subs == [("Jane Heeley", "Julie Beilby"), ("Sarah Robson", "Alison Broom")]


def test_one_name_a_line_with_a_role_after_a_comma():
    # Bristol's decision notices: "Councillor Emma Edwards, Leader of the Green Group"
    lines = [
        "Councillor Ed Plowden",
        "Councillor Emma Edwards, Leader of the Green Group",
        "Councillor Kaz Self",
        "Councillor David Wilcox",
        "Councillor Jos Clark, Leader of the Liberal Democrat Group",
        "Mr P B Carter, CBE",
        "Councillor Graham Morris",
        "Councillor Rob Bryher",
    ]
    people = attendees(lines)
    assert [p.name for p in people] == [
        "Ed Plowden",
        "Emma Edwards",
        "Kaz Self",
        "David Wilcox",
        "Jos Clark",
        "Mr P B Carter, CBE",
        "Graham Morris",
        "Rob Bryher",
    ]
    assert people[1].role == "Leader of the Green Group"


def test_heading_run_on_into_its_first_sentence_is_cut():
    # 004 p 81 "2. Minutes of the last meeting and Matters Arising: Accuracy of minutes agreed."
    # and p 86 "7. NEET Strategy (Sue Dunn) SD introduced the NEET Strategy. Aim is for no more
    # than 1% NEET" / "by Jan 2017. …": the sentence is the minute's text, not its title
    pack = kent_pack("004")
    september, november = pack.minutes[1:3]
    assert september.items[1].title == "Minutes of the last meeting and Matters Arising"
    assert september.items[1].text.startswith("Accuracy of minutes agreed.")
    neet = november.items[6]
    assert (neet.minute_number, neet.title) == ("7", "NEET Strategy (Sue Dunn)")
    assert neet.text.startswith("SD introduced the NEET Strategy. Aim is for no more than 1% NEET")
    assert "minute_title_unsure" not in {p["kind"] for p in pack.problems}


def test_unnumbered_headings_set_as_their_numbered_neighbours():
    # 004 p 82: "UASC: Verbal Update (Andrew Ireland)" between "2. Minutes of the last meeting …"
    # and "3. NHS Transformation plans … (Sue Mullin)", a presenter in brackets as theirs;
    # p 110: West Kent's "DATE OF NEXT MEETING" in capitals after "11. ANY OTHER BUSINESS" /
    # "None.", as their headings are
    pack = kent_pack("004")
    september, west_kent = pack.minutes[1], pack.minutes[-1]
    assert [(i.minute_number, i.title) for i in september.items[1:4]] == [
        ("2", "Minutes of the last meeting and Matters Arising"),
        ("", "UASC: Verbal Update (Andrew Ireland)"),
        ("3", "NHS Transformation plans for Emotional & Mental Health (Sue Mullin)"),
    ]
    assert september.items[2].page_start == 82
    assert september.items[2].text.startswith("There have been further significant arrivals")
    last = west_kent.items[-2:]
    assert [(i.minute_number, i.title, i.page_start) for i in last] == [
        ("11", "ANY OTHER BUSINESS", 110),
        ("", "DATE OF NEXT MEETING", 110),
    ]
    assert last[0].text == "None."
    assert last[1].text.startswith("Tuesday 16 February 2016")


def test_dates_in_welsh():
    from councilarchive.ingest.parse.dates import find_date, meeting_date_time

    # Manordeilo's Welsh minutes: "CYFARFOD 9FED IONAWR 2019" / "ar y 9 fed Ionawr 2019"
    assert find_date("CYFARFOD 9FED IONAWR 2019") == dt.date(2019, 1, 9)
    assert find_date("am 7.30pm ar y 9 fed Ionawr 2019 yn yr Ystafell") == dt.date(2019, 1, 9)
    assert find_date("y 12fed Rhagfyr 2018") == dt.date(2018, 12, 12)
    # the English forms as before, with a time after them
    assert meeting_date_time("Thursday, 19th October, 2017, at 10.00 am")[0] == dt.date(
        2017, 10, 19
    )
