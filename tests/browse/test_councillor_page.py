"""Councillor pages: aliases, committees, attendance, every recorded vote, the A–Z index."""

import re

from django.urls import reverse


def get(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_aliases_and_committees(client, browse):
    html = get(client, browse.ash.get_absolute_url())
    assert "<li>Mr P Ashcombe, MBE (Chairman)</li>" in html
    assert "<li>Mr Ashcombe</li>" in html
    assert '<a href="/committees/browse-fc/">Browse Full Council</a>' in html


def test_attendance_rate_counts_present_against_apologies(client, browse):
    html = get(client, browse.ash.get_absolute_url())
    # present 9 May and 18 July, apologies 14 February
    assert "Present at 2 of 3 meetings where expected (67%); apologies for 1." in html


def test_every_recorded_vote_with_side_and_majority(client, browse):
    ash = get(client, browse.ash.get_absolute_url())
    row = re.search(r"<tr>\s*<td><a[^>]*>Browse Full Council.*?</tr>", ash, re.S).group(0)
    assert "<strong>For</strong>" in row and "<td>Yes</td>" in row
    cobb = get(client, browse.cobb.get_absolute_url())
    row = re.search(r"<tr>\s*<td><a[^>]*>Browse Full Council.*?</tr>", cobb, re.S).group(0)
    assert "<strong>Against</strong>" in row and "<td>No</td>" in row
    assert "with the majority 0, against it 1" in cobb


def test_motion_moved_and_seconded_from_the_minutes(client, browse):
    ash = get(client, browse.ash.get_absolute_url())
    assert "Moved motion: <a" in ash
    birch = get(client, browse.birch.get_absolute_url())
    assert "Seconded motion: <a" in birch


def test_declarations_listed(client, browse):
    html = get(client, browse.birch.get_absolute_url())
    assert "Her husband owns land beside the bypass route." in html


def test_index_groups_by_surname_letter(client, browse):
    html = get(client, reverse("archive:councillors"))
    assert re.search(r'<h2 id="letter-A">A</h2>.*Mr Peregrine Ashcombe', html, re.S)
    assert re.search(r'<h2 id="letter-C">C</h2>.*Miss Tamsin Cobbleigh', html, re.S)
    assert '<label for="id_q">Filter by name</label>' in html


def test_index_filter_works_without_javascript(client, browse):
    html = get(client, reverse("archive:councillors") + "?q=birch")
    assert "Mrs Rowena Birchwood" in html
    assert "Ashcombe" not in html
    # a printed form (alias) matches too
    html = get(client, reverse("archive:councillors") + "?q=MBE")
    assert "Mr Peregrine Ashcombe" in html


def test_index_filter_too_long_is_400(client, browse):
    response = client.get(reverse("archive:councillors") + "?q=" + "x" * 101, secure=True)
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
