"""A small Kent-like archive built with the ORM: two committees, four meetings, minutes with
recorded votes, a Cabinet report and PDF pages — one of them quoting `<script>alert(1)</script>`.

Its words (Oakwood, Greenhithe, Hazelgrove, café, climate emergency) appear nowhere in the sample
packs, so the numbers asserted hold when the session's sample archive is loaded too."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from councilarchive.archive.models import (
    Attendance,
    Committee,
    Council,
    Councillor,
    CouncillorVote,
    Declaration,
    Document,
    Item,
    Meeting,
    Page,
    Report,
    Resolution,
    Topic,
    Vote,
)

SCRIPT_PAGE = (
    "Appendix B: consultation responses. One respondent wrote <script>alert(1)</script> in the "
    "comments box and another asked for <b>bold</b> action on the Oakwood Primary School site."
)


def _document(council, committee, name, kind):
    return Document.objects.create(
        council=council,
        committee=committee,
        file=f"documents/test/{name}.pdf",
        original_name=f"{name}.pdf",
        title=name,
        sha256=name.ljust(64, "0")[:64],
        kind=kind,
        status=Document.Status.LOADED,
    )


def _councillor(council, title, forenames, surname):
    name = f"{title} {forenames} {surname}"
    return Councillor.objects.create(
        council=council,
        name=name,
        title=title,
        forenames=forenames,
        surname=surname,
        slug=f"{forenames}-{surname}".lower().replace(" ", "-"),
    )


def _vote(item, resolution, document, outcome, counts, names, kind=Vote.Kind.MOTION):
    vote = Vote.objects.create(
        item=item,
        resolution=resolution,
        document=document,
        kind=kind,
        outcome=outcome,
        count_for=counts[0],
        count_against=counts[1],
        count_abstain=counts[2],
        page=resolution.page if resolution else None,
    )
    for councillor, option in names:
        CouncillorVote.objects.create(
            vote=vote, councillor=councillor, option=option, printed_name=councillor.name
        )
    return vote


@pytest.fixture
def archive(db):
    kent, _ = Council.objects.get_or_create(name="Kent County Council")
    council_body, _ = Committee.objects.get_or_create(
        council=kent, slug="county-council", defaults={"name": "County Council"}
    )
    cabinet, _ = Committee.objects.get_or_create(
        council=kent, slug="cabinet", defaults={"name": "Cabinet"}
    )
    schools = Topic.objects.create(name="Schools (search tests)", slug="schools-search-tests")
    climate = Topic.objects.create(name="Climate (search tests)", slug="climate-search-tests")
    hazelgrove = _councillor(kent, "Mrs", "Philippa", "Hazelgrove")
    dunmore = _councillor(kent, "Mr", "Oliver", "Dunmore")
    absent = _councillor(kent, "Miss", "Jane", "Penfold")

    # County Council, 14 March 2019: minutes with two recorded votes.
    march = Meeting.objects.create(committee=council_body, date=dt.date(2019, 3, 14))
    minutes_2019 = _document(kent, council_body, "cc-minutes-2019-03-14", Document.Kind.MINUTES)
    ferry = Item.objects.create(
        meeting=march,
        document=minutes_2019,
        position=1,
        minute_number="7",
        title="Greenhithe Ferry Link: Business Case",
        text=(
            "Mrs Hazelgrove moved, Mr Dunmore seconded the following motion: that the Greenhithe "
            "ferry link business case be approved and funded from the capital programme."
        ),
        page_start=3,
        page_end=4,
    )
    ferry_resolution = Resolution.objects.create(
        item=ferry,
        document=minutes_2019,
        number="(2)",
        text="RESOLVED that the Greenhithe ferry link business case be approved.",
        reason="To relieve congestion at the Dartford crossing.",
        page=4,
    )
    ferry_vote = _vote(
        ferry,
        ferry_resolution,
        minutes_2019,
        Vote.Outcome.CARRIED,
        (52, 19, 2),
        [(hazelgrove, "for"), (dunmore, "against")],
    )
    school = Item.objects.create(
        meeting=march,
        document=minutes_2019,
        position=2,
        minute_number="8",
        title="Oakwood Primary School: expansion",
        text="The Council debated the expansion of Oakwood Primary School in Greenhithe.",
        page_start=5,
    )
    school.topics.add(schools)
    school_resolution = Resolution.objects.create(
        item=school,
        document=minutes_2019,
        number="(1)",
        text="RESOLVED that Oakwood Primary School be expanded by one form of entry.",
        page=5,
    )
    school_resolution.topics.add(schools)
    _vote(
        school,
        school_resolution,
        minutes_2019,
        Vote.Outcome.CARRIED,
        (60, 10, 0),
        [(hazelgrove, "for"), (dunmore, "for")],
    )
    Declaration.objects.create(
        meeting=march,
        item=school,
        councillor=dunmore,
        document=minutes_2019,
        member="Mr O Dunmore",
        item_ref="8",
        text="Mr Dunmore declared an interest as a governor of Oakwood Primary School.",
    )
    for person in (hazelgrove, dunmore):
        Attendance.objects.create(
            meeting=march, councillor=person, document=minutes_2019, role="present"
        )
    Attendance.objects.create(
        meeting=march, councillor=absent, document=minutes_2019, role="apologies"
    )

    # Cabinet, 24 June 2019: an agenda pack with a report and its PDF pages.
    june = Meeting.objects.create(committee=cabinet, date=dt.date(2019, 6, 24))
    pack = _document(kent, cabinet, "cabinet-pack-2019-06-24", Document.Kind.AGENDA_PACK)
    agenda_item = Item.objects.create(
        meeting=june,
        document=pack,
        position=1,
        number="5",
        title="Oakwood Primary School: consultation outcome",
        text="",
        page_start=1,
        page_end=2,
    )
    report = Report.objects.create(
        document=pack,
        meeting=june,
        item=agenda_item,
        subject="Oakwood Primary School expansion: consultation outcome",
        summary="The consultation on expanding Oakwood Primary School drew 212 responses.",
        recommendations="Cabinet is asked to note the consultation responses.",
        body=SCRIPT_PAGE,
        page_start=1,
        page_end=2,
    )
    report.topics.add(schools)
    cover = Page.objects.create(
        document=pack,
        number=1,
        text="Cabinet, 24 June 2019. Item 5: Oakwood Primary School consultation outcome.",
    )
    script_page = Page.objects.create(document=pack, number=2, text=SCRIPT_PAGE)

    # County Council, 13 February 2020: a motion lost on a recorded vote; no vote on the café fund.
    february = Meeting.objects.create(committee=council_body, date=dt.date(2020, 2, 13))
    minutes_2020 = _document(kent, council_body, "cc-minutes-2020-02-13", Document.Kind.MINUTES)
    motion = Item.objects.create(
        meeting=february,
        document=minutes_2020,
        position=1,
        minute_number="12",
        title="Motion: Climate Emergency",
        text="Mr Dunmore moved, Mrs Hazelgrove seconded, that the Council declare a climate "
        "emergency and stop the Greenhithe car park scheme.",
        page_start=7,
    )
    motion.topics.add(climate)
    motion_resolution = Resolution.objects.create(
        item=motion,
        document=minutes_2020,
        number="",
        text="The motion declaring a climate emergency was lost.",
        page=7,
    )
    _vote(
        motion,
        motion_resolution,
        minutes_2020,
        Vote.Outcome.LOST,
        (20, 55, 1),
        [(dunmore, "for"), (hazelgrove, "against")],
    )
    cafe = Item.objects.create(
        meeting=february,
        document=minutes_2020,
        position=2,
        minute_number="13",
        title="Greenhithe Café Culture Fund",
        text="Members noted the closure of the Greenhithe Café Culture Fund.",
        page_start=8,
    )
    cafe_resolution = Resolution.objects.create(
        item=cafe,
        document=minutes_2020,
        number="(1)",
        text="RESOLVED that the Greenhithe Café Culture Fund be closed.",
        page=8,
    )
    Attendance.objects.create(
        meeting=february, councillor=hazelgrove, document=minutes_2020, role="present"
    )
    return SimpleNamespace(**locals())


@pytest.fixture
def many_pages(archive):
    """45 pages that all mention the Oakwood school run, for paging and capped counts."""
    document = _document(
        archive.kent, archive.cabinet, "cabinet-appendix-2019-06-24", Document.Kind.REPORT
    )
    return [
        Page.objects.create(
            document=document,
            number=n,
            text=f"Appendix page {n}. Traffic counts on the Oakwood school run, site {n}.",
        )
        for n in range(1, 46)
    ]
