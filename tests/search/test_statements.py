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
    with connection.cursor() as cursor:  # statistics, as autovacuum keeps them in production
        cursor.execute("ANALYZE archive_resolution, archive_item, archive_report, archive_page")
    client.get("/search/", params)  # warm: the first request of a process reads more
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", params)
    assert response.status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    # issue 17 asks for at most 8; today 4: the query's parts, the tables' sizes, the planner's
    # estimates for large tables and the no-parallel-workers setting (1); every table with at
    # most 1,000 matches ranked whole, with its coordinates (1); the facets' names, the rows
    # shown with their meetings, councils and the other papers they are in (1); the three long
    # selects' options (1). A large archive adds the tier queries (1-3), the coordinates of the
    # records they keep (1) and sometimes a count (1).
    assert len(statements) <= 8, "\n".join(sql[:120] for sql in statements)
    assert not [sql for sql in statements if sql.startswith(("RESET", "EXPLAIN"))]
