"""Members and attendees on the public pages: the index, party votes, rebellions, old URLs."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from councilarchive.archive.models import Councillor
from councilarchive.officers.admin_views import merge_councillors
from tests.browse.conftest import make_councillor

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def parties(browse):
    """Ashcombe and Birchwood (For) and Cobbleigh (Against) are Conservatives; the vote was
    carried, so the Conservative majority is For and Cobbleigh voted against it."""
    Councillor.objects.filter(pk__in=[browse.ash.pk, browse.birch.pk, browse.cobb.pk]).update(
        party="Conservative"
    )
    Councillor.objects.filter(pk=browse.ash.pk).update(division="Quillfield North")
    return browse


def test_vote_shows_each_party_and_who_voted_against_its_majority(client, parties):
    html = get(client, parties.vote.get_absolute_url())
    row = re.search(r'<tr><th scope="row">Conservative</th>(.*?)</tr>', html).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["2", "1", "0", "For"]
    assert (
        'Tamsin Cobbleigh</a> <span class="muted">(Conservative, against the party\'s majority)'
        in html
    )
    assert 'Peregrine Ashcombe</a> <span class="muted">(Conservative)</span>' in html


def test_no_party_table_where_no_party_is_known(client, browse):
    assert "How each party voted" not in get(client, browse.vote.get_absolute_url())


def test_councillor_page_lists_rebellions(client, parties):
    cobb = get(client, parties.cobb.get_absolute_url())
    assert "Votes against the Conservative majority" in cobb
    assert "against their party's majority 1" in cobb
    ash = get(client, parties.ash.get_absolute_url())
    assert "Votes against the Conservative majority" not in ash
    assert "<dt>Electoral division</dt><dd>Quillfield North</dd>" in ash


def test_index_lists_current_members_with_party_then_former_members(client, parties, council):
    gone = make_councillor(council, "Mrs", "Ottilie", "Formerby")
    Councillor.objects.filter(pk=gone.pk).update(served_to=dt.date(2021, 5, 6))
    officer = make_councillor(council, "Mr", "Clement", "Clerkwell")
    Councillor.objects.filter(pk=officer.pk).update(is_member=False)
    html = get(client, reverse("archive:councillors"))
    current, former = html.split('<h2 id="former-heading">Former members</h2>')
    assert (
        'Peregrine Ashcombe</a> <span class="muted">Conservative, Quillfield North</span>'
        in current
    )
    assert "Formerby" not in current and "Ottilie Formerby" in former
    assert "Clerkwell" not in html
    found = get(client, reverse("archive:councillors") + "?q=clerkwell")
    assert "Others named in the papers" in found and "Mr Clement Clerkwell" in found


def test_an_attendee_page_has_no_votes_section(client, council):
    officer = make_councillor(council, "Mr", "Clement", "Clerkwell")
    Councillor.objects.filter(pk=officer.pk).update(is_member=False)
    html = get(client, officer.get_absolute_url())
    assert "not a member of the council" in html
    assert "Recorded votes" not in html


def test_merged_away_url_redirects_permanently(client, browse):
    old = browse.birch.get_absolute_url()
    merge_councillors(browse.ash, browse.birch)
    response = client.get(old, secure=True)
    assert response.status_code == 301
    assert response["Location"] == browse.ash.get_absolute_url()
    # and a record merged into that one later takes the old URL along
    merge_councillors(browse.cobb, browse.ash)
    for url in (old, browse.ash.get_absolute_url()):
        response = client.get(url, secure=True)
        assert (response.status_code, response["Location"]) == (301, browse.cobb.get_absolute_url())
    assert client.get("/councillors/nobody-at-all/", secure=True).status_code == 404


def test_mr_surname_in_the_minutes_counts_only_where_it_is_one_attendee(client, browse, council):
    """ "Mr Ashcombe moved ..." is Peregrine Ashcombe while he is the one Ashcombe present; with
    another Mr Ashcombe present too it names neither."""
    from councilarchive.archive.models import Attendance

    assert "Moved motion: <a" in get(client, browse.ash.get_absolute_url())
    other = make_councillor(council, "Mr", "Quentin", "Ashcombe")
    assert "Moved motion: <a" not in get(client, other.get_absolute_url())
    Attendance.objects.create(
        meeting=browse.may, councillor=other, document=browse.pack, role="present"
    )
    assert "Moved motion: <a" not in get(client, browse.ash.get_absolute_url())
    assert "Moved motion: <a" not in get(client, other.get_absolute_url())
