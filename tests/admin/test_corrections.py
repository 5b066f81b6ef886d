"""Review and correct: the parsed records next to their page text; edits are flagged and kept."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from councilarchive.archive.models import CouncillorVote, Item, Meeting, Vote
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from tests.ingest.conftest import dump_pages

pytestmark = pytest.mark.django_db


def vote_form(vote, **changes):
    """The vote's admin change form as the browser would post it, with `changes` applied."""
    rows = list(vote.councillor_votes.all())
    data = {
        "item": vote.item_id,
        "resolution": vote.resolution_id or "",
        "position": vote.position,
        "question": vote.question,
        "kind": vote.kind,
        "outcome": vote.outcome,
        "count_for": vote.count_for if vote.count_for is not None else "",
        "count_against": vote.count_against if vote.count_against is not None else "",
        "count_abstain": vote.count_abstain if vote.count_abstain is not None else "",
        "page": vote.page or "",
        "councillor_votes-TOTAL_FORMS": len(rows),
        "councillor_votes-INITIAL_FORMS": len(rows),
        "councillor_votes-MIN_NUM_FORMS": 0,
        "councillor_votes-MAX_NUM_FORMS": 1000,
    }
    if vote.count_mismatch:
        data["count_mismatch"] = "on"
    if vote.tally_only:
        data["tally_only"] = "on"
    for i, row in enumerate(rows):
        data[f"councillor_votes-{i}-id"] = row.pk
        data[f"councillor_votes-{i}-vote"] = vote.pk
        data[f"councillor_votes-{i}-councillor"] = row.councillor_id
        data[f"councillor_votes-{i}-option"] = row.option
        data[f"councillor_votes-{i}-printed_name"] = row.printed_name
    data.update(changes)
    return data


def named_vote(document) -> Vote:
    return Vote.objects.filter(document=document, councillor_votes__option="for").distinct()[0]


def test_review_page_shows_records_next_to_their_page_text(officer_client, votes_document):
    vote = named_vote(votes_document)
    page = officer_client.get(f"/admin/archive/document/{votes_document.pk}/review/")
    html = page.content.decode()
    assert page.status_code == 200
    row = html[html.index(f'<tr id="page-{vote.page}">') :]
    row = row[: row.index("</tr>")]
    assert f'href="/admin/archive/vote/{vote.pk}/change/"' in row
    text = votes_document.pages.get(number=vote.page).text
    first_line = next(line for line in text.splitlines() if line.strip() and "&" not in line)
    assert first_line.strip() in row


def test_editing_a_councillors_vote_flags_it_and_survives_a_reparse(
    officer_client, officer, votes_document
):
    vote = named_vote(votes_document)
    row = vote.councillor_votes.filter(option="for").first()
    index = list(vote.councillor_votes.all()).index(row)
    response = officer_client.post(
        f"/admin/archive/vote/{vote.pk}/change/",
        vote_form(vote, **{f"councillor_votes-{index}-option": "against"}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    vote.refresh_from_db()
    assert vote.edited
    assert Item.objects.get(pk=vote.item_id).edited, "the item is pinned so the vote is kept"
    assert CouncillorVote.objects.get(pk=row.pk).option == "against"
    assert LogEntry.objects.filter(object_id=str(vote.pk), action_flag=CHANGE, user=officer)

    pages = dump_pages("000")
    load(parse(pages), votes_document, pages)  # the same file parsed again

    kept = Vote.objects.get(pk=vote.pk)
    assert kept.edited
    assert kept.councillor_votes.get(councillor=row.councillor).option == "against"


def test_editing_only_the_vote_counts_flags_it(officer_client, votes_document):
    vote = named_vote(votes_document)
    officer_client.post(
        f"/admin/archive/vote/{vote.pk}/change/", vote_form(vote, count_for=99, outcome="lost")
    )
    vote.refresh_from_db()
    assert (vote.count_for, vote.outcome, vote.edited) == (99, "lost", True)


def test_saving_without_changes_does_not_flag(officer_client, votes_document):
    vote = named_vote(votes_document)
    officer_client.post(f"/admin/archive/vote/{vote.pk}/change/", vote_form(vote))
    vote.refresh_from_db()
    assert not vote.edited


def test_correcting_a_meeting_date_flags_the_meeting(officer_client, votes_document):
    meeting = Meeting.objects.filter(items__document=votes_document).distinct().first()
    response = officer_client.post(
        f"/admin/archive/meeting/{meeting.pk}/change/",
        {
            "committee": meeting.committee_id,
            "date": "2017-07-14",
            "time": meeting.time or "",
            "venue": meeting.venue,
            "status": meeting.status,
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (str(meeting.date), meeting.edited) == ("2017-07-14", True)


@pytest.mark.xfail(
    strict=True,
    reason="load.py keeps the edited item but also creates the re-parsed copy of it "
    "(needs matching of edited items in load.py, owned by another helper)",
)
def test_reparse_does_not_duplicate_an_edited_item(officer_client, votes_document):
    vote = named_vote(votes_document)
    officer_client.post(f"/admin/archive/vote/{vote.pk}/change/", vote_form(vote, count_for=99))
    before = Item.objects.filter(document=votes_document).count()
    pages = dump_pages("000")
    load(parse(pages), votes_document, pages)
    assert Item.objects.filter(document=votes_document).count() == before
