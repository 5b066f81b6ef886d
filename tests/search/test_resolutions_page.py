"""The journalists' resolution search: text, vote, reason, cite line and permalink."""

import pytest

pytestmark = pytest.mark.django_db


def test_resolution_shows_vote_reason_cite_and_permalink(client, archive):
    response = client.get("/search/resolutions/", {"q": "ferry"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "RESOLVED that the Greenhithe <mark>ferry</mark> link business case be approved." in html
    assert "<strong>Reason:</strong> To relieve congestion at the Dartford crossing." in html
    assert "Motion vote: <strong>Carried</strong>" in html
    assert "for 52, against 19, abstained 2" in html
    assert "<cite>Kent County Council, County Council, 14 March 2019, minute 7(2)</cite>" in html
    assert f'href="/resolutions/{archive.ferry_resolution.pk}/" rel="bookmark">Permalink' in html


def test_only_resolutions_are_listed(client, archive):
    html = client.get("/search/resolutions/", {"q": "oakwood"}).content.decode()
    assert "1 result" in html and "Oakwood Primary School: expansion (1)" in html
    assert "consultation outcome" not in html


def test_lost_votes_and_resolutions_without_a_vote(client, archive):
    html = client.get("/search/resolutions/", {"q": "climate OR café"}).content.decode()
    assert "Motion vote: <strong>Lost</strong>" in html and "for 20, against 55" in html
    assert "No recorded vote." in html
    assert "<cite>Kent County Council, County Council, 13 February 2020, minute 12</cite>" in html


def test_exports_from_the_resolutions_page_keep_to_resolutions(client, archive):
    html = client.get("/search/resolutions/", {"q": "oakwood"}).content.decode()
    assert 'href="/search/export.csv?q=oakwood&amp;kind=resolution"' in html
