"""Merging two Councillor records and splitting a wrongly merged alias off again."""

import datetime as dt

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.utils.html import escape

from councilarchive.archive.models import (
    Alias,
    Attendance,
    Councillor,
    CouncillorVote,
    Declaration,
    Meeting,
    Vote,
)
from councilarchive.officers.admin_views import merge_councillors, split_alias

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(votes_document):
    """A second record for a real councillor of pack 000, with a vote, an attendance and a
    declaration of its own (as ingest makes when a printed form is ambiguous)."""
    row = CouncillorVote.objects.filter(vote__document=votes_document).select_related(
        "councillor", "vote__item__meeting"
    )[0]
    person = row.councillor
    twin = Councillor.objects.create(
        council=person.council,
        name=f"{person.title} X {person.surname}",
        surname=person.surname,
        slug=f"x-{person.slug}",
    )
    Alias.objects.create(councillor=twin, printed=f"{person.title} X {person.surname}")
    other_vote = Vote.objects.create(item=row.vote.item, document=votes_document, position=99)
    CouncillorVote.objects.create(vote=other_vote, councillor=twin, option="against")
    meeting = Meeting.objects.create(
        committee=row.vote.item.meeting.committee, date=dt.date(2030, 1, 1)
    )
    Attendance.objects.create(
        meeting=meeting, councillor=twin, document=votes_document, role="present"
    )
    Declaration.objects.create(
        meeting=meeting,
        councillor=twin,
        document=votes_document,
        member=twin.name,
        text="Governor of a school",
    )
    return person, twin, other_vote, meeting


def test_merge_moves_aliases_votes_attendance_and_declarations(duplicate):
    person, twin, other_vote, meeting = duplicate
    aliases_before = set(person.aliases.values_list("printed", flat=True))
    result = merge_councillors(person, twin)
    assert not Councillor.objects.filter(pk=twin.pk).exists()
    assert set(person.aliases.values_list("printed", flat=True)) == aliases_before | {
        f"{person.title} X {person.surname}"
    }
    assert other_vote.councillor_votes.get().councillor == person
    assert Attendance.objects.get(meeting=meeting).councillor == person
    assert Declaration.objects.get(meeting=meeting).councillor == person
    assert (result.moved["votes"], result.moved["attendance"], result.moved["declarations"]) == (
        1,
        1,
        1,
    )
    assert result.conflicts == []


def test_merge_of_two_people_in_one_vote_keeps_the_kept_ones_vote(votes_document):
    vote = (
        Vote.objects.filter(document=votes_document, councillor_votes__option="against")
        .filter(councillor_votes__option="for")
        .distinct()[0]
    )
    keep = vote.councillor_votes.filter(option="for")[0].councillor
    other = vote.councillor_votes.filter(option="against")[0].councillor
    for_before = vote.councillor_votes.filter(option="for").count()
    against_before = vote.councillor_votes.filter(option="against").count()
    mine = dict(keep.votes.values_list("vote", "option"))
    theirs = dict(other.votes.values_list("vote", "option"))
    differing = {v for v in mine.keys() & theirs.keys() if mine[v] != theirs[v]}
    result = merge_councillors(keep, other)
    assert vote.pk in differing
    assert {v.pk for v in result.conflicts} == differing
    assert vote.councillor_votes.get(councillor=keep).option == "for"
    assert vote.councillor_votes.filter(option="for").count() == for_before
    assert vote.councillor_votes.filter(option="against").count() == against_before - 1
    vote.refresh_from_db()
    assert vote.count_mismatch == (vote.count_against != against_before - 1)


def test_merge_through_the_admin_action_and_page_is_logged(officer_client, officer, duplicate):
    person, twin, _, _ = duplicate
    response = officer_client.post(
        "/admin/archive/councillor/",
        {"action": "merge", "_selected_action": [person.pk, twin.pk]},
    )
    assert response.status_code == 302
    page = officer_client.get(response["Location"]).content.decode()
    assert "<h1>Merge councillors</h1>" in page and twin.name in page
    response = officer_client.post(
        "/admin/archive/councillor/merge/", {"ids": [person.pk, twin.pk], "keep": person.pk}
    )
    assert response["Location"] == f"/admin/archive/councillor/{person.pk}/change/"
    assert not Councillor.objects.filter(pk=twin.pk).exists()
    kept = LogEntry.objects.get(object_id=str(person.pk), action_flag=CHANGE, user=officer)
    assert kept.change_message.startswith(f"Merged {twin.name} (id {twin.pk}) into this:")
    gone = LogEntry.objects.get(object_id=str(twin.pk), action_flag=DELETION)
    assert gone.change_message == f"Merged into {person} (id {person.pk})."


def test_split_moves_the_alias_and_what_was_printed_under_it(officer_client, officer, duplicate):
    person, twin, other_vote, meeting = duplicate
    merge_councillors(person, twin)
    alias = person.aliases.get(printed=f"{person.title} X {person.surname}")
    CouncillorVote.objects.filter(vote=other_vote).update(printed_name=alias.printed)
    Attendance.objects.filter(meeting=meeting).update(printed_name=alias.printed)
    Declaration.objects.filter(meeting=meeting).update(member=alias.printed)

    response = officer_client.post(
        f"/admin/archive/councillor/{person.pk}/split/", {"alias": alias.pk, "name": ""}
    )
    new = Councillor.objects.get(aliases__printed=alias.printed)
    assert response["Location"] == f"/admin/archive/councillor/{new.pk}/change/"
    assert new.pk != person.pk and new.name == alias.printed
    assert other_vote.councillor_votes.get().councillor == new
    assert Attendance.objects.get(meeting=meeting).councillor == new
    assert Declaration.objects.get(meeting=meeting).councillor == new
    assert person.votes.exists(), "the rest stays with the original councillor"
    assert LogEntry.objects.filter(object_id=str(new.pk), action_flag=ADDITION, user=officer)


def test_split_alias_function_gives_a_unique_slug(duplicate):
    person, twin, _, _ = duplicate
    alias = twin.aliases.get()
    new = split_alias(alias, person.name)
    assert new.slug != person.slug and new.slug.startswith(person.slug.split("-")[0])


def test_councillor_page_offers_the_split_form(officer_client, duplicate):
    person, _, _, _ = duplicate
    change = officer_client.get(f"/admin/archive/councillor/{person.pk}/change/").content.decode()
    assert f'href="/admin/archive/councillor/{person.pk}/split/"' in change
    split = officer_client.get(f"/admin/archive/councillor/{person.pk}/split/").content.decode()
    for alias in person.aliases.all():
        assert f'value="{alias.pk}"' in split and escape(alias.printed) in split
