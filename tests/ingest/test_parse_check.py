"""The self-check (parse/check.py): each kind of doubt, from the papers' own shapes."""

import datetime as dt

import pytest

from councilarchive.ingest.parse import parse
from councilarchive.ingest.parse.check import check
from councilarchive.ingest.parse.model import (
    Agenda,
    AgendaItem,
    Attendee,
    MinuteItem,
    Minutes,
    Pack,
    PageText,
    RecordedVote,
    Report,
    Resolution,
)
from councilarchive.ingest.parse.text import Line
from tests.ingest.conftest import EXTERNAL, dump_pages, kent_pack

LINES = [Line(1, "MINUTES")]
PRESENT = tuple(Attendee(n) for n in ["Mr N Baker", "Mrs P T Cole", "Mr P Cole", "Rich Lehmann"])


def kinds(pack: Pack, lines=LINES) -> list[str]:
    return [p["kind"] for p in check(pack, lines)]


def minutes(*items, present=PRESENT, date=dt.date(2024, 12, 19)) -> Pack:
    return Pack(
        pages=15,
        minutes=(
            Minutes(
                body="County Council",
                date=date,
                present=present,
                items=items,
                page_start=1,
                page_end=15,
            ),
        ),
    )


def vote(**kw) -> RecordedVote:
    base = dict(
        kind="motion",
        count_for=2,
        count_against=1,
        count_abstain=0,
        names_for=("Mr Baker", "Mrs Cole"),
        names_against=("Mr Lehmann",),
        outcome="carried",
        page=8,
    )
    return RecordedVote(**{**base, **kw})


def item(number="278", **kw) -> MinuteItem:
    return MinuteItem(minute_number=number, title="Local Transport Plan", page_start=7, **kw)


def test_a_right_named_vote_raises_nothing():
    # "Mr Baker" is "Mr N Baker" of PRESENT, "Mr Lehmann" is the untitled "Rich Lehmann"
    assert kinds(minutes(item(votes=(vote(),)))) == []


def test_every_doubt_about_a_named_vote_is_its_own_problem():
    bad = vote(
        kind="other",
        outcome=None,
        count_mismatch=True,
        names_for=("Mr Baker", "Agreed", "Mr Sole"),
        names_against=("Mr N Baker",),
    )
    problems = check(minutes(item(votes=(vote(), bad))), LINES)
    assert sorted(p["kind"] for p in problems) == [
        "vote_count_mismatch",
        "vote_kind_unknown",
        "vote_name_not_a_person",  # "Agreed": an outcome line read as a name
        "vote_outcome_missing",
        "vote_same_name_both_sides",
        "voter_not_present",  # Mr Sole is not in PRESENT
    ]
    assert {p["where"] for p in problems} == {"minute 278, second vote"}
    assert {p["page"] for p in problems} == {8}


def test_mrs_cole_is_not_mr_cole():
    pack = minutes(item(votes=(vote(names_for=("Mr Baker", "Miss Cole")),)))
    assert kinds(pack) == ["voter_not_present"]


def test_minutes_numbering_date_and_resolutions():
    pack = minutes(
        item("270"),
        item("272", resolutions=(Resolution(text="the County Council:"),)),
        item("272", resolutions=(Resolution(text="the report be noted."),)),
        date=None,
    )
    assert kinds(pack) == [
        "minutes_without_date",
        "minute_number_skip",
        "minute_number_repeat",
        "resolution_unfinished",
    ]


def test_headings_no_item_was_made_from():
    lines = [
        Line(2, "Apologies and Substitutes"),
        Line(2, "(Item 1)"),
        Line(3, "9. PLANNING"),
    ]
    pack = minutes(item("1"))
    assert [(p["kind"], p["page"]) for p in check(pack, lines)] == [
        ("heading_unused", 2),
        ("heading_unused", 3),
    ]


def test_two_names_run_together_in_attendance():
    # "Councillors Alun Davies, Kim Davies, Gwenfyl Evans Peter Harries, …"
    pack = minutes(item("1"), present=(Attendee("Gwenfyl Evans Peter Harries"),))
    assert kinds(pack) == ["attendee_unsure"]


def test_agenda_doubts():
    agenda = Agenda(
        body="Cabinet",
        date=None,
        time=None,
        venue="",
        items=(
            AgendaItem("1", "Apologies", page=1),
            AgendaItem("3", "Budget", pages="121-132", page=1),
            AgendaItem(
                "4", "Declarations of Disclosable Pecuniary", description="Interests or Other"
            ),
        ),
        page_start=1,
        page_end=2,
    )
    assert kinds(Pack(pages=115, agenda=agenda)) == [
        "agenda_title_unsure",
        "agenda_number_skip",
        "agenda_pages_outside",
    ]
    # a front sheet published alone links to pages of other PDFs: not a doubt
    assert kinds(Pack(pages=2, agenda=agenda)) == ["agenda_title_unsure", "agenda_number_skip"]


def test_report_subject_missing_or_guessed():
    reports = (Report(subject="", page_start=3), Report(subject="Decision details", page_start=9))
    assert kinds(Pack(pages=10, reports=reports)) == [
        "report_without_subject",
        "report_subject_guessed",
    ]


def test_no_text_and_nothing_found():
    assert kinds(Pack(pages=2), []) == ["no_text"]
    assert kinds(Pack(pages=2), [Line(1, "Dear Member")]) == ["nothing_found"]


def test_parse_reports_through_parse_pack_json_shape():
    pack = parse([PageText(1, "Dear Member\nPlease find enclosed …")])
    assert [set(p) for p in pack.problems] == [{"kind", "page", "message", "where"}]


def test_kent_000_flags_the_text_layers_misspelt_attendee():
    # PRESENT prints "Miss S J Carev" (the scan's text layer); the votes name "Miss S Carey"
    problems = kent_pack("000").problems
    assert {(p["kind"], p["message"].split(" (")[0]) for p in problems} == {
        ("voter_not_present", "Miss S Carey")
    }


def test_a_vote_whose_amendment_text_is_not_found_is_flagged_where_it_is():
    # 000 p 8 without paragraph (2), the amendment as moved ("(2) Mr Bird proposed and Mrs Dean
    # seconded the following amendment:" … "No other recommended changes to the allowances.""):
    # the vote's question falls back to "(3) Following the debate the Chairman put the amendment
    # set out in paragraph (2) above to the vote …", and the self-check says so
    pages = dump_pages("000")
    page8 = next(p for p in pages if "(2) Mr Bird proposed" in p.text)
    text = page8.text
    start = text.index("(2) Mr Bird proposed")
    end = text.index("(3) Following the debate")
    pages = [PageText(p.number, text[:start] + text[end:]) if p is page8 else p for p in pages]
    unclear = [p for p in parse(pages).problems if p["kind"] == "vote_motion_unclear"]
    assert [(p["page"], p["where"]) for p in unclear] == [(page8.number, "minute 26, first vote")]
    assert "“(3) Following the debate the Chairman put the amendment" in unclear[0]["message"]
    # the pack as printed: every motion and amendment found, nothing unclear
    assert "vote_motion_unclear" not in {p["kind"] for p in kent_pack("000").problems}


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason="../shared/external not present")
def test_minutes_without_a_list_of_those_present_read_are_flagged():
    # Manordeilo's Welsh minutes print "PRESENNOL" / "Cynghorwyr Alun Davies, Kim Davies, …" and
    # are read; with the names gone from under it there is no list of those present, and the
    # check says so
    from councilarchive.ingest.extract import extract

    pdf = EXTERNAL / "manordeilo-and-salem-community-council" / "minutes-2019-01-09-cy-welsh.pdf"
    pages = extract(pdf, workers=1)
    assert parse(pages).minutes[0].present
    first = pages[0].text
    start, end = first.index("PRESENNOL") + len("PRESENNOL"), first.index("1. CROESO")
    pages = [PageText(1, first[:start] + "\n" + first[end:]), *pages[1:]]
    pack = parse(pages)
    assert not pack.minutes[0].present
    missing = [p for p in pack.problems if p["kind"] == "attendance_missing"]
    assert [(p["page"], p["where"]) for p in missing] == [(1, "minutes of 09 January 2019")]


def test_in_attendance_is_the_attendance_where_nothing_says_present():
    # 004 pp 81, 84: the Children's Health and Wellbeing Board prints "In attendance:" (a table
    # of names with initials, "Colin Thompson (CT)", roles beside them) and "Apologies:", no
    # PRESENT: those in attendance are those present, and nothing is flagged missing
    pack = kent_pack("004")
    september, november = pack.minutes[1:3]
    assert [a.name for a in september.present][:3] == [
        "Andrew Ireland",
        "Colin Thompson",
        "Hazel Carpenter",  # "Hazel Carpenter (HC) NHS - South Kent Coast CCG & NHS Thanet CCG, …"
    ]
    assert not september.in_attendance
    assert "Lee Russell" in [
        a.name for a in november.apologies
    ]  # "Lee Russell (LR) T/Supt Kent Police"
    assert "attendance_missing" not in {p["kind"] for p in pack.problems}
