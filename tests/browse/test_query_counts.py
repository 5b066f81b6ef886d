"""Each page runs a fixed number of queries, whatever the size of the meeting or record."""

import pytest
from django.urls import reverse

from tests.browse.conftest import build_meeting

# Upper bounds per page (see browse/queries.py for what each query is).
BUDGET = {
    "meeting": 12,  # 11 + the other papers printing its items and reports (issue 18)
    "committee": 3,
    "councillor": 8,  # 7, and one more for the party majorities where the party is known
    "home": 5,  # 4 + the meetings coming up, apart from those held
    "topic": 3,
    "report": 5,
    "resolution": 6,  # 5 + the other papers printing it (issue 18)
    "vote": 2,
    "councillors": 1,
}


@pytest.fixture(params=[(2, 3), (40, 60)], ids=["small", "large"])
def sized(request, council):
    items, names = request.param
    return build_meeting(council, items, names, slug=f"sized-{items}")


def test_meeting_page_queries_are_fixed(client, sized, django_assert_max_num_queries):
    with django_assert_max_num_queries(BUDGET["meeting"]):
        response = client.get(sized.get_absolute_url(), secure=True)
    assert response.status_code == 200
    html = response.content.decode()
    items = sized.items.count()
    assert html.count('class="item"') == items
    assert html.count("Earlier ") == items  # the related item of each


def test_committee_page_queries_are_fixed(client, sized, django_assert_max_num_queries):
    with django_assert_max_num_queries(BUDGET["committee"]):
        assert client.get(sized.committee.get_absolute_url(), secure=True).status_code == 200


def test_councillor_page_queries_are_fixed(client, sized, django_assert_max_num_queries):
    councillor = sized.attendance.order_by("pk").first().councillor
    with django_assert_max_num_queries(BUDGET["councillor"]):
        response = client.get(councillor.get_absolute_url(), secure=True)
    assert response.content.decode().count("<strong>For</strong>") == sized.items.count()


def test_vote_and_resolution_pages_queries_are_fixed(client, sized, django_assert_max_num_queries):
    vote = sized.items.first().votes.first()
    with django_assert_max_num_queries(BUDGET["vote"]):
        assert client.get(vote.get_absolute_url(), secure=True).status_code == 200
    resolution_url = vote.resolution.get_absolute_url()
    with django_assert_max_num_queries(BUDGET["resolution"]):
        assert client.get(resolution_url, secure=True).status_code == 200


def test_other_pages_queries_are_fixed(client, sized, browse, django_assert_max_num_queries):
    for name, url in [
        ("home", "/"),
        ("councillors", reverse("archive:councillors")),
        ("topic", browse.finance.get_absolute_url()),
        ("report", browse.report.get_absolute_url()),
        ("report", sized.reports.first().get_absolute_url()),
    ]:
        with django_assert_max_num_queries(BUDGET[name]):
            assert client.get(url, secure=True).status_code == 200, name
