"""What one results page costs in SQL statements, counted through the real /search/ view (form
choices, search, facets, the rows shown and their snippets, everything the template reads)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

SEARCHES = [
    {"q": "safeguarding"},
    {"q": "council"},
    {"q": "budget savings"},
    {"q": '"local transport plan"'},
    {"q": "libraries OR museums"},
    {"q": "budget -capital"},
    {"q": "council", "sort": "newest"},
    {"q": "council", "kind": "page"},
    {},
]


@pytest.mark.parametrize(
    "params", SEARCHES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
def test_a_results_page_takes_few_statements(client, sample_archive, params):
    client.get("/search/", params)  # warm: the first request of a process reads more
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", params)
    assert response.status_code == 200
    statements = [q["sql"][:120] for q in captured.captured_queries]
    print(len(statements), params, *statements, sep="\n  ")
    assert len(statements) <= 100
