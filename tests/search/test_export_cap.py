"""The export cap (issue 16, item 8) is one cap for the whole export, not one per kind of record,
and a capped file says so."""

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content).decode()


def kinds_matching(client, q):
    data = json.loads(body(client.get("/search/export.json", {"q": q})))
    assert not data["truncated"]
    return data


def test_csv_export_holds_at_most_the_cap_over_all_kinds_and_says_so(
    client, archive, many_pages, settings
):
    every = kinds_matching(client, "oakwood")
    assert len({r["kind"] for r in every["results"]}) >= 3 and len(every["results"]) > 45
    settings.SEARCH_EXPORT_CAP = 40  # under the 45 pages alone, and each other kind
    rows = list(csv.reader(io.StringIO(body(client.get("/search/export.csv", {"q": "oakwood"})))))
    header, records, note = rows[0], rows[1:-1], rows[-1]
    assert header[0] == "kind" and len(records) == 40
    assert note[0].startswith("# Truncated: the first 40 rows of")


def test_json_export_holds_at_most_the_cap_and_says_truncated(
    client, archive, many_pages, settings
):
    settings.SEARCH_EXPORT_CAP = 10
    data = json.loads(body(client.get("/search/export.json", {"q": "oakwood", "sort": "oldest"})))
    assert data["cap"] == 10 and data["truncated"] is True
    assert len(data["results"]) == 10 and data["count"] > 10
    dates = [r["date"] for r in data["results"] if r["date"]]  # (some pages have no date)
    assert dates and dates == sorted(dates)  # the first ten of all kinds, in the order asked


def test_an_export_under_the_cap_has_no_note(client, archive, settings):
    settings.SEARCH_EXPORT_CAP = 10
    response = client.get("/search/export.csv", {"q": "ferry", "kind": "resolution"})
    rows = list(csv.reader(io.StringIO(body(response))))
    assert len(rows) == 2 and not rows[-1][0].startswith("#")
    data = json.loads(body(client.get("/search/export.json", {"q": "ferry"})))
    assert data["truncated"] is False and data["cap"] == 10
