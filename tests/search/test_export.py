"""CSV, JSON and Atom: every search, with its filters, streamed."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councilarchive.search.query import search
from tests.search.test_query import amended as amended  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def body(response):
    return b"".join(response.streaming_content).decode()


def test_csv_has_every_matching_row_with_filters(client, archive, many_pages):
    response = client.get("/search/export.csv", {"q": "oakwood school run", "sort": "oldest"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert len(rows) == 45  # more than one results page
    assert {r["kind"] for r in rows} == {"page"}
    assert rows[0]["url"].startswith("http://testserver/documents/")
    assert "#page=" in rows[0]["pdf_url"]


def test_csv_resolution_rows_carry_the_citation(client, archive):
    response = client.get("/search/export.csv", {"q": "ferry", "kind": "resolution"})
    [row] = list(csv.DictReader(io.StringIO(body(response))))
    assert row["cite"] == "Kent County Council, County Council, 14 March 2019, minute 7(2)"
    assert row["snippet"].startswith("RESOLVED that the Greenhithe ferry link")
    assert row["date"] == "2019-03-14" and row["committee"] == "County Council"


def test_json_export_lists_results_with_plain_snippets(client, archive):
    response = client.get(
        "/search/export.json", {"q": "respondent oakwood", "committee": "cabinet"}
    )
    data = json.loads(body(response))
    assert data["query"] == "respondent oakwood" and data["count"] == 2
    assert {r["kind"] for r in data["results"]} == {"report", "page"}
    snippet = next(r["snippet"] for r in data["results"] if r["kind"] == "page")
    assert "<script>alert(1)</script>" in snippet and "\x02" not in snippet
    cites = {r["kind"]: r["cite"] for r in data["results"]}
    assert cites["report"].startswith("Kent County Council, Cabinet, ")
    assert ", report “Oakwood Primary School expansion" in cites["report"]
    assert cites["page"].startswith("Kent County Council, ") and ", page " in cites["page"]


def test_every_export_row_has_a_citation(client, archive):
    rows = list(
        csv.DictReader(io.StringIO(body(client.get("/search/export.csv", {"q": "oakwood"}))))
    )
    assert len({r["kind"] for r in rows}) >= 3
    assert all(r["cite"].startswith("Kent County Council, ") for r in rows)
    data = json.loads(body(client.get("/search/export.json", {"q": "oakwood OR greenhithe"})))
    assert len({r["kind"] for r in data["results"]}) >= 4
    assert all(r["cite"].startswith("Kent County Council, ") for r in data["results"])


def test_exports_say_which_votes_each_row_was_found_by_as_the_results_page_does(
    client,
    archive,
    amended,  # noqa: F811
):
    for params in ({"q": "greenhithe OR climate"}, {"q": "greenhithe", "outcome": "lost"}):
        shown = {row.title: row.matched_votes for row in search(params).rows}
        with CaptureQueriesContext(connection) as statements:
            data = json.loads(body(client.get("/search/export.json", params)))
        exported = {row["title"]: row["votes"] for row in data["results"]}
        assert exported == shown, params
        assert sum("archive_vote AS vote" in q["sql"] for q in statements.captured_queries) == 1
        rows = list(csv.DictReader(io.StringIO(body(client.get("/search/export.csv", params)))))
        assert {r["title"]: r["votes"] for r in rows} == {
            title: "; ".join(labels) for title, labels in shown.items()
        }
        assert all(r["cite"] for r in rows) and all(r["cite"] for r in data["results"])
    assert exported == {
        "7. Greenhithe Ferry Link: Business Case": ["Amendment lost"],
        "12. Motion: Climate Emergency": ["Motion lost"],
    }
    assert {r["title"]: r["votes"] for r in rows}["7. Greenhithe Ferry Link: Business Case"] == (
        "Amendment lost"
    )
    everything = json.loads(body(client.get("/search/export.json", {"q": "greenhithe"})))
    votes = {r["title"]: r["votes"] for r in everything["results"]}
    assert votes["7. Greenhithe Ferry Link: Business Case"] == ["Motion carried", "Amendment lost"]
    assert votes["13. Greenhithe Café Culture Fund"] == []


def test_atom_feed_lists_new_matches_escaped(client, archive):
    response = client.get("/search/feed/", {"q": "greenhithe", "kind": "resolution"})
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Resolution: Greenhithe Café Culture Fund (1)",
        "Resolution: Greenhithe Ferry Link: Business Case (2)",
    ]
    link = entries[1].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/resolutions/{archive.ferry_resolution.pk}/"
    assert "<mark>Greenhithe</mark>" in entries[0].find(f"{ATOM}summary").text


def test_feed_summaries_never_carry_raw_markup(client, archive):
    response = client.get("/search/feed/", {"q": "respondent", "kind": "page"})
    summary = ET.fromstring(response.content).find(f"{ATOM}entry/{ATOM}summary").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary and "<script" not in summary


@pytest.mark.parametrize("url", ["/search/export.csv", "/search/export.json", "/search/feed/"])
def test_bad_input_is_a_400(client, archive, url):
    response = client.get(url, {"q": "oakwood", "until": "31/31/2019"})
    assert response.status_code == 400
    assert "until" in response.json()["errors"]


def test_search_feed_links_to_itself_with_its_query(client, archive):
    response = client.get("/search/feed/", {"q": "oakwood", "committee": "cabinet"})
    feed = ET.fromstring(body(response) if response.streaming else response.content)
    selves = [link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") == "self"]
    assert selves == ["http://testserver/search/feed/?q=oakwood&committee=cabinet"]
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert ids and all(i.startswith("http://testserver/") for i in ids)
