"""Councillor identity (issue 14): members apart from attendees, and the names in votes and
declarations resolved against the meeting's own attendance, with real names from the papers."""

import datetime as dt

import pytest

from councilarchive.archive.models import (
    Attendance,
    Committee,
    Council,
    Councillor,
    CouncillorVote,
    Meeting,
)
from councilarchive.ingest.councillors import (
    CouncillorIndex,
    MeetingNames,
    classify_members,
    likely_pairs,
)
from tests.conftest import EXTERNAL

pytestmark = pytest.mark.django_db

PACK_000 = "000_44206e63360eab18.pdf"  # County Council, 14 December 2017: recorded votes


def voter(document, printed: str) -> Councillor:
    """The record the votes of `document` printed as `printed` are linked to (one record)."""
    rows = CouncillorVote.objects.filter(vote__document=document, printed_name=printed)
    (councillor,) = {cv.councillor for cv in rows.select_related("councillor")}
    return councillor


def unresolved(document) -> list[dict]:
    return [p for p in document.problems if isinstance(p, dict) and p["kind"] == "unresolved_name"]


def test_initials_that_differ_between_lists_are_the_one_attendee(sample_archive):
    # PRESENT: "... Mr P M Hill, OBE, Mr A R Hills, Mrs S V Hohler ..."; the votes: "Mr T Hills"
    document = sample_archive[PACK_000]
    hills = voter(document, "Mr T Hills")
    assert hills.name == "Mr A R Hills"
    meeting = document.votes.first().item.meeting
    assert Attendance.objects.filter(meeting=meeting, councillor=hills, role="present").exists()
    # "Mr R A Pascoe" present, "Mr D Pascoe" in the votes
    assert voter(document, "Mr D Pascoe").name == "Mr R A Pascoe"


def test_no_vote_by_a_name_present_under_a_fuller_form(sample_archive):
    """Every vote's councillor was present at that meeting, unless the name was flagged."""
    document = sample_archive[PACK_000]
    flagged = {p["message"].split("”")[0].lstrip("“") for p in unresolved(document)}
    rows = CouncillorVote.objects.filter(vote__document=document).select_related("vote__item")
    assert rows.count() > 150
    for cv in rows:
        present = Attendance.objects.filter(
            meeting=cv.vote.item.meeting_id, councillor=cv.councillor_id
        ).exists()
        assert present or cv.printed_name in flagged, cv.printed_name


def test_a_spelling_slip_is_kept_apart_flagged_and_offered_not_merged(sample_archive):
    # PRESENT prints "Miss S J Carev"; the votes print "Miss S Carey"
    document = sample_archive[PACK_000]
    carey = voter(document, "Miss S Carey")
    carev = Councillor.objects.get(council=document.council, surname="Carev")
    assert carey != carev
    problems = unresolved(document)
    assert problems and all(p["page"] for p in problems)
    assert problems[0]["message"].startswith("“Miss S Carey” is not in the meeting's attendance")
    assert problems[0]["where"].startswith("minute 23, vote 1")
    pairs = {frozenset((a.pk, b.pk)) for a, b in likely_pairs([carev.pk])}
    assert frozenset((carey.pk, carev.pk)) in pairs


def test_members_and_attendees_by_the_structure_of_the_lists(sample_archive):
    council = sample_archive[PACK_000].council
    members = set(
        Councillor.objects.members().filter(council=council).values_list("name", flat=True)
    )
    attendees = set(
        Councillor.objects.attendees().filter(council=council).values_list("name", flat=True)
    )
    # County Council PRESENT, Cabinet PRESENT, apologies at the County Council
    assert {"Mr R W Gough", "Mr A R Hills", "Mr G Lymer", "Miss Rankin"} <= members
    # IN ATTENDANCE (officers), an officer's apologies at Cabinet ("Andrew Ireland (Corporate
    # Director, ...) submitted his apologies"), and a Health and Wellbeing Board's NHS members and
    # district councillors
    assert {"Mr D Cockburn", "Mr B Watts", "Andrew Ireland", "Dr D Cocker"} <= attendees
    assert {"Cllr L Fairbrass", "Cllr Lynne Weatherly"} <= attendees
    assert not CouncillorVote.objects.filter(councillor__is_member=False).exists()


def test_classification_leaves_the_register_alone(sample_archive):
    cockburn = Councillor.objects.get(name="Mr D Cockburn")
    Councillor.objects.filter(pk=cockburn.pk).update(is_member=True, in_register=True)
    gough = Councillor.objects.get(name="Mr R W Gough")
    Councillor.objects.filter(pk=gough.pk).update(is_member=False)
    classify_members(cockburn.council)
    cockburn.refresh_from_db()
    gough.refresh_from_db()
    assert cockburn.is_member and gough.is_member


# -- MeetingNames alone, on a meeting made with the ORM -----------------------------------------


@pytest.fixture
def thomases(db):
    council = Council.objects.create(name="Identity Test Council")
    index = CouncillorIndex(council)
    people = [index.resolve(n) for n in ("Mr R J Thomas", "Mr I Thomas", "Mrs P T Cole")]
    return council, index, people


def test_a_surname_two_attendees_share_is_kept_apart_and_flagged(thomases):
    council, index, (rj, i, _) = thomases
    names = MeetingNames(index, dt.date(2024, 12, 19), [rj, i, _])
    found = names.resolve("Mr Thomas")
    assert found.councillor not in (rj, i)
    assert "could be any of Mr I Thomas, Mr R J Thomas" in found.problem
    again = names.resolve("Mr Thomas")
    assert again.councillor == found.councillor, "kept apart under one record, not one per vote"
    # initials decide between the two
    assert names.resolve("Mr R Thomas").councillor == rj
    # one attendee of that surname: that one, whatever the title says nothing against
    only = MeetingNames(index, dt.date(2024, 12, 19), [rj])
    assert only.resolve("Mr Thomas").councillor == rj
    assert only.resolve("Mr Thomas").problem == ""
    # the title contradicts ("Mr Cole" is not Mrs P T Cole): not on the list, so flagged
    cole = MeetingNames(index, None, [_]).resolve("Mr Cole")
    assert cole.councillor != _ and "not in the meeting's attendance list" in cole.problem


def test_without_attendance_the_members_serving_that_day_decide(thomases):
    council, index, (rj, i, _) = thomases
    Councillor.objects.filter(pk=i.pk).update(is_member=True, served_to=dt.date(2021, 5, 6))
    Councillor.objects.filter(pk=rj.pk).update(is_member=True, served_from=dt.date(2021, 5, 6))
    index = CouncillorIndex(council)
    assert MeetingNames(index, dt.date(2024, 12, 19), []).resolve("Mr Thomas").councillor == rj
    assert MeetingNames(index, dt.date(2019, 1, 1), []).resolve("Mr Thomas").councillor == i
    both = MeetingNames(index, None, []).resolve("Mr Thomas")
    assert both.councillor not in (rj, i) and "members that day" in both.problem


# -- a full council of 2024 with surnames only in its votes ---------------------------------------

CC_2024 = EXTERNAL / "kent-county-council-2024-25" / "cc-2024-12-19-minutes.pdf"


@pytest.fixture(scope="module")
def cc_2024_pages():
    if not CC_2024.is_file():
        pytest.skip("../shared/external (Kent 2024-25 minutes) not present")
    from councilarchive.ingest.extract import extract

    return extract(CC_2024)


def test_surnames_in_2024_votes_resolve_to_the_one_present(sample_archive, cc_2024_pages):
    from councilarchive.ingest.load import load
    from councilarchive.ingest.parse import parse
    from councilarchive.ingest.pipeline import store

    document, _ = store(CC_2024)
    committee = Committee.objects.get(council=document.council, name="County Council")
    load(parse(cc_2024_pages), document, cc_2024_pages, committee)
    document.refresh_from_db()
    meeting = Meeting.objects.get(committee=committee, date=dt.date(2024, 12, 19))
    # "Mr Thomas" is Mr R J Thomas, present; not Mr I Thomas of the 2017 papers
    assert voter(document, "Mr Thomas").name == "Mr R J Thomas"
    assert voter(document, "Mr Cole").name == "Mr P Cole"
    assert voter(document, "Mrs Cole").name == "Mrs P T Cole"
    assert voter(document, "Ms Meade").name == "Ms J Meade"
    assert voter(document, "Mr Lehmann").name == "Rich Lehmann"
    assert voter(document, "Mr Hills").name == "Mr A R Hills"
    # every vote name: someone present at the meeting, no flags needed
    for cv in CouncillorVote.objects.filter(vote__document=document):
        assert Attendance.objects.filter(meeting=meeting, councillor=cv.councillor_id).exists()
    assert not [p for p in unresolved(document) if "vote" in p["where"]]
    # "Mr Streatfield" declares; "Mr R G Streatfeild, MBE" is present: flagged, not guessed
    (slip,) = [p for p in unresolved(document) if "Streatfield" in p["message"]]
    assert slip["where"] == "declaration by Mr Streatfield"
