"""Browse-page fixtures built with the ORM: a council of fictional councillors (names that appear
nowhere in the sample packs, so tests hold when the session's sample archive is loaded too), a
County Council meeting with minutes, resolutions with reasons, a recorded vote, attendance,
declarations and a report; a Cabinet meeting where the same matter came first; and text quoting
`<script>alert(1)</script>`.

`build_meeting(n)` makes a meeting of any size, for the query-count tests.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils.text import slugify

from councilarchive.archive.models import (
    Alias,
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

SCRIPT = "<script>alert(1)</script>"


def make_document(council, committee, name, kind=Document.Kind.AGENDA_PACK, page_count=20):
    return Document.objects.create(
        council=council,
        committee=committee,
        file=f"documents/browse-test/{name}.pdf",
        original_name=f"{name}.pdf",
        title=name,
        sha256=("browse" + name).ljust(64, "0")[:64],
        kind=kind,
        status=Document.Status.LOADED,
        page_count=page_count,
    )


def make_councillor(council, title, forenames, surname, *aliases):
    councillor = Councillor.objects.create(
        council=council,
        name=f"{title} {forenames} {surname}",
        title=title,
        forenames=forenames,
        surname=surname,
        slug=slugify(f"{forenames} {surname}"),
        is_member=True,
    )
    for printed in aliases:
        Alias.objects.create(councillor=councillor, printed=printed)
    return councillor


def make_vote(item, resolution, document, outcome, counts, names, page=None):
    vote = Vote.objects.create(
        item=item,
        resolution=resolution,
        document=document,
        kind=Vote.Kind.MOTION,
        outcome=outcome,
        count_for=counts[0],
        count_against=counts[1],
        count_abstain=counts[2],
        question="That the Quillfield bypass be approved.",
        page=page,
    )
    CouncillorVote.objects.bulk_create(
        CouncillorVote(vote=vote, councillor=c, option=option, printed_name=c.name)
        for c, option in names
    )
    return vote


@pytest.fixture
def council(db):
    council, _ = Council.objects.get_or_create(name="Wessex Browse Test Council")
    return council


@pytest.fixture
def browse(db, council):
    """The archive the page tests read: see the module docstring."""
    return build_browse(council)


def build_browse(council) -> SimpleNamespace:
    """The fixture's records, for fixtures elsewhere (the browser tests)."""
    full = Committee.objects.create(council=council, name="Browse Full Council", slug="browse-fc")
    cabinet = Committee.objects.create(council=council, name="Browse Cabinet", slug="browse-cab")
    finance = Topic.objects.create(
        name="Browse roads",
        slug="browse-roads",
        description="Roads and bypasses.",
        rules="bypass\ntitle: roads",
    )
    ash = make_councillor(
        council, "Mr", "Peregrine", "Ashcombe", "Mr P Ashcombe, MBE (Chairman)", "Mr Ashcombe"
    )
    birch = make_councillor(council, "Mrs", "Rowena", "Birchwood", "Mrs Birchwood")
    cobb = make_councillor(council, "Miss", "Tamsin", "Cobbleigh")
    dunn = make_councillor(council, "Dr", "Evander", "Dunnock")
    evil = make_councillor(council, "Mr", "Xavier", SCRIPT)
    pack = make_document(council, full, "browse-fc-2019-05-09")
    cab_pack = make_document(council, cabinet, "browse-cab-2019-04-01")

    april = Meeting.objects.create(
        committee=cabinet, date=dt.date(2019, 4, 1), status=Meeting.Status.HELD
    )
    cab_item = Item.objects.create(
        meeting=april,
        document=cab_pack,
        position=1,
        number="5",
        title="Quillfield Bypass: Business Case",
        text="Cabinet recommended the bypass business case to the Full Council.",
        page_start=7,
        page_end=12,
    )
    earlier = Meeting.objects.create(committee=full, date=dt.date(2019, 2, 14))
    may = Meeting.objects.create(
        committee=full,
        date=dt.date(2019, 5, 9),
        time=dt.time(10, 0),
        venue="Council Chamber, Quillfield Hall",
        status=Meeting.Status.HELD,
    )
    later = Meeting.objects.create(committee=full, date=dt.date(2019, 7, 18))
    future = Meeting.objects.create(committee=full, date=dt.date(2099, 1, 15))

    apologies = Item.objects.create(
        meeting=may,
        document=pack,
        position=1,
        number="2",
        minute_number="21",
        title="Apologies and Substitutes",
        text="Apologies were received from Dr Dunnock.",
        page_start=2,
        page_end=2,
    )
    bypass = Item.objects.create(
        meeting=may,
        document=pack,
        position=2,
        number="7",
        minute_number="22",
        title="Quillfield Bypass: Business Case",
        text=(
            "(1) Mr Ashcombe moved and Mrs Birchwood seconded the following motion:\n"
            "That the Quillfield bypass be approved.\n"
            f"A resident's letter said {SCRIPT} and <b>stop</b>."
        ),
        pack_pages="7-16",
        page_start=7,
        page_end=16,
    )
    bypass.related.add(cab_item)
    resolution = Resolution.objects.create(
        item=bypass,
        document=pack,
        position=1,
        number="(2)",
        text="RESOLVED that the Quillfield bypass business case be approved.",
        reason="To relieve congestion in Quillfield town centre.",
        page=9,
    )
    vote = make_vote(
        bypass,
        resolution,
        pack,
        Vote.Outcome.CARRIED,
        (2, 1, 1),
        [(ash, "for"), (birch, "for"), (cobb, "against"), (evil, "abstain")],
        page=9,
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=may, councillor=ash, document=pack, role="present", position="Chairman"
            ),
            Attendance(meeting=may, councillor=birch, document=pack, role="present"),
            Attendance(
                meeting=may, councillor=cobb, document=pack, role="substitute", substitute_for=dunn
            ),
            Attendance(meeting=may, councillor=dunn, document=pack, role="apologies"),
            Attendance(meeting=may, councillor=evil, document=pack, role="present"),
            Attendance(meeting=earlier, councillor=ash, document=pack, role="apologies"),
            Attendance(meeting=later, councillor=ash, document=pack, role="present"),
            Attendance(meeting=later, councillor=birch, document=pack, role="present"),
        ]
    )
    declaration = Declaration.objects.create(
        meeting=may,
        item=bypass,
        councillor=birch,
        document=pack,
        member="Mrs Birchwood",
        item_ref="7",
        text="Her husband owns land beside the bypass route.",
        page=3,
    )
    report = Report.objects.create(
        document=pack,
        meeting=may,
        item=bypass,
        subject="Quillfield Bypass: Business Case",
        author="Corporate Director, Growth and Roads",
        to="Full Council – 9 May 2019",
        classification="Unrestricted",
        past_pathway="Cabinet, 1 April 2019",
        future_pathway="None",
        electoral_division="Quillfield North",
        summary=f"The bypass business case. Note: {SCRIPT}",
        recommendations="The Council is asked to approve the business case.",
        body="1.0 Introduction The bypass. 2.0 Costs It costs money.",
        page_start=7,
        page_end=8,
    )
    Page.objects.bulk_create(
        [
            Page(
                document=pack,
                number=7,
                text=(
                    "1.0 Introduction\n"
                    "The Quillfield bypass has been proposed for many years and this report sets "
                    "out\nthe business case for building it now.\n"
                    "2.0 Options\n"
                    "•  Do nothing, leaving the town centre congested every\nweekday morning.\n"
                    "•  Build the bypass.\n"
                    f"A consultee wrote {SCRIPT} in the response form.\n"
                    "Page 7"
                ),
            ),
            Page(document=pack, number=8, text="3.0 Recommendation\nApprove the business case."),
        ]
    )
    report.topics.add(finance)
    resolution.topics.add(finance)
    return SimpleNamespace(**locals())


def build_meeting(council, n_items: int, n_names: int, slug: str) -> Meeting:
    """A meeting with `n_items` items, each with two resolutions, a recorded vote naming
    `n_names` councillors, a declaration, a report and a related item at another meeting."""
    committee = Committee.objects.create(council=council, name=f"Committee {slug}", slug=slug)
    document = make_document(council, committee, f"pack-{slug}")
    meeting = Meeting.objects.create(committee=committee, date=dt.date(2020, 6, 1))
    elsewhere = Meeting.objects.create(committee=committee, date=dt.date(2020, 3, 1))
    councillors = [
        make_councillor(council, "Mr", f"N{i}", f"Member{slug}{i}", f"Mr Member{slug}{i}")
        for i in range(n_names)
    ]
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            councillor=c,
            document=document,
            role="present" if i % 3 else "apologies",
        )
        for i, c in enumerate(councillors)
    )
    for position in range(n_items):
        item = Item.objects.create(
            meeting=meeting,
            document=document,
            position=position,
            number=str(position + 1),
            title=f"Item {position}",
            text=f"Minute text {position}",
            page_start=position + 1,
        )
        earlier = Item.objects.create(
            meeting=elsewhere, document=document, position=position, title=f"Earlier {position}"
        )
        item.related.add(earlier)
        resolutions = [
            Resolution.objects.create(
                item=item, document=document, position=k, text=f"Resolved {k}", reason="Because."
            )
            for k in range(2)
        ]
        make_vote(
            item,
            resolutions[0],
            document,
            Vote.Outcome.CARRIED,
            (n_names, 0, 0),
            [(c, "for") for c in councillors],
        )
        Declaration.objects.create(
            meeting=meeting,
            item=item,
            councillor=councillors[0],
            document=document,
            member=councillors[0].name,
            text="An interest.",
        )
        Report.objects.create(
            document=document, meeting=meeting, item=item, subject=f"Report {position}"
        )
    return meeting
