"""The rows of a results page: several reads in one statement (search/batch.py), links reversed
once per page (rows.Links), and the rows as the records themselves read."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councilarchive.archive.models import Councillor, Meeting, Page, Report, Resolution
from councilarchive.search.batch import Batch
from councilarchive.search.filters import SearchFilterSet, fetch_choices
from councilarchive.search.query import search
from councilarchive.search.rows import Links

pytestmark = pytest.mark.django_db


def test_a_batch_reads_instances_with_their_related_objects_and_plain_rows(archive):
    meetings = Meeting.objects.select_related("committee__council").order_by("-date", "pk")
    councillors = Councillor.objects.order_by("surname", "forenames")
    batch = Batch()
    read_meetings = batch.queryset(meetings)
    read_councillors = batch.queryset(councillors)
    plain = batch.sql("SELECT id, date, 'x' FROM archive_meeting ORDER BY id", [], columns=3)
    with CaptureQueriesContext(connection) as queries:
        batch.run()
        got = read_meetings.rows
        # every related object came with them: reading them asks nothing more
        details = [(m.pk, m.date, m.time, m.committee.name, m.committee.council.name) for m in got]
    assert len(queries) == 1
    assert len(got) >= 4 and isinstance(got[0].date, dt.date)
    assert details == [
        (m.pk, m.date, m.time, m.committee.name, m.committee.council.name) for m in meetings
    ]
    assert [(c.pk, str(c), c.served_to) for c in read_councillors.rows] == [
        (c.pk, str(c), c.served_to) for c in councillors
    ]
    assert [row[0] for row in plain.rows] == sorted(m.pk for m in got)
    assert {row[2] for row in plain.rows} == {"x"}


def test_links_are_the_models_own_urls(archive):
    links = Links()
    resolution, report = Resolution.objects.first(), Report.objects.first()
    page, meeting = Page.objects.first(), Meeting.objects.first()
    assert links("archive:resolution", resolution.pk) == resolution.get_absolute_url()
    assert links("archive:report", report.pk) == report.get_absolute_url()
    assert links("document_page", page.document_id, page.number) == page.get_absolute_url()
    assert links("archive:meeting", meeting.pk) == meeting.get_absolute_url()
    assert links.pdf(page.document, 7) == page.document.pdf_url(7)
    assert links.pdf(page.document, None) == page.document.pdf_url()


def test_rows_and_their_citations_read_nothing_more(archive):
    """Every row's record, meeting, committee, council and document came with the page's one
    statement: describing and citing the rows asks the database nothing."""
    results = search({"q": "oakwood"})
    assert {row.kind for row in results.rows} >= {"page", "report"}
    with CaptureQueriesContext(connection) as queries:
        for row in results.rows:
            row.record.citation()
            if row.meeting:
                row.meeting.citation()
            if row.committee:
                str(row.committee.council)
    assert not queries.captured_queries


def test_the_forms_choices_are_read_in_one_statement(archive):
    """The three lists (committees, councillors, topics) read together render as each read on
    its own does, options in the same order."""

    def lists(form):
        return [str(form[name]) for name in ("committee", "councillor", "topic")]

    alone = lists(SearchFilterSet({}, queryset=Page.objects.none()).form)
    form = SearchFilterSet({}, queryset=Page.objects.none()).form
    with CaptureQueriesContext(connection) as queries:
        fetch_choices(form)
        together = lists(form)
    assert len(queries) == 1
    assert together == alone
    assert all(html.count("<option") > 2 for html in together)
