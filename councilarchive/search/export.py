"""Every search as CSV, JSON (streamed, up to settings.SEARCH_EXPORT_CAP rows in all, saying so in
the file when there were more) and an Atom feed of new matches."""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import connection
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from councilarchive.archive.plaintext import clean_all
from councilarchive.archive.syndication import SafeAtom1Feed
from councilarchive.search import snippets
from councilarchive.search.batch import array_text
from councilarchive.search.citation import cite_rows
from councilarchive.search.filters import HIT_VOTES
from councilarchive.search.query import (
    HITS,
    InvalidSearch,
    matched_votes,
    rows_for,
    search,
    votes_by_hit,
)

CHUNK = 200  # rows fetched (with snippets) at a time
FEED_ITEMS = 50
COLUMNS = ["kind", "title", "committee", "date", "snippet", "cite", "votes", "url", "pdf_url"]

# The votes of every exported hit (filters.HIT_VOTES, as the results page's facet reads them):
# one statement for the whole export.
EXPORT_VOTES = f"""
{HITS}
{HIT_VOTES}
"""


def _bad_request(invalid: InvalidSearch):
    return HttpResponseBadRequest(
        json.dumps({"errors": invalid.errors}), content_type="application/json"
    )


def found_by_votes(hits, data: dict) -> dict[tuple[str, int], list[str]]:
    """{(kind, pk): ["Amendment lost", ...]}: the votes each hit was found by, labelled as the
    results page labels them (query.matched_votes): a resolution's and a minute's own votes
    always, a page's or report's item's votes only when an outcome or vote kind is filtered on."""
    if not hits:
        return {}
    columns = [[h.source for h in hits], [h.pk for h in hits], [h.item_id for h in hits]]
    with connection.cursor() as cursor:
        cursor.execute(EXPORT_VOTES, list(map(array_text, columns)))
        found = cursor.fetchall()
    votes = votes_by_hit(hits, found)
    return {key: matched_votes(key[0], pairs, data) for key, pairs in votes.items()}


def export_rows(request, results, joined: str | None = None):
    """Each exported row as a dict of COLUMNS, fetched CHUNK rows at a time: the first
    SEARCH_EXPORT_CAP hits of all kinds together (the search keeps up to that many of each kind),
    their text stripped of characters no file format carries. `votes` lists the votes each row
    was found by, as text `joined` by that separator (CSV) or as a list (JSON)."""
    hits = results.hits[: settings.SEARCH_EXPORT_CAP]
    votes = found_by_votes(hits, results.filterset.form.cleaned_data)
    for start in range(0, len(hits), CHUNK):
        rows = rows_for(hits[start : start + CHUNK], results.query)
        cite_rows(rows)
        for row in rows:
            labels = votes.get((row.kind, row.record.pk), [])
            yield clean_all(
                {
                    "kind": row.kind,
                    "title": row.title,
                    "committee": str(row.committee) if row.committee else "",
                    "date": row.date.isoformat() if row.date else "",
                    "snippet": snippets.plain(row.snippet),
                    "cite": row.cite,
                    "votes": labels if joined is None else joined.join(labels),
                    "url": request.build_absolute_uri(row.url),
                    "pdf_url": request.build_absolute_uri(row.pdf_url),
                }
            )


def _export_search(request):
    return search(request.GET, limit=settings.SEARCH_EXPORT_CAP, with_rows=False, with_facets=False)


def _truncated(results) -> bool:
    """More matches than one export holds."""
    return max(results.count, len(results.hits)) > settings.SEARCH_EXPORT_CAP


class _Echo:
    def write(self, value):
        return value


def _spreadsheet_safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@require_safe
def export_csv(request):
    try:
        results = _export_search(request)
    except InvalidSearch as invalid:
        return _bad_request(invalid)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(COLUMNS)
        for row in export_rows(request, results, joined="; "):
            yield writer.writerow([_spreadsheet_safe(row[c]) for c in COLUMNS])
        if _truncated(results):
            about = "about " if results.estimated else ""
            yield writer.writerow(
                [
                    f"# Truncated: the first {settings.SEARCH_EXPORT_CAP:,} rows of {about}"
                    f"{results.count:,} matches; narrow the search to export the rest."
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="search.csv"'
    return response


@require_safe
def export_json(request):
    try:
        results = _export_search(request)
    except InvalidSearch as invalid:
        return _bad_request(invalid)

    def chunks():
        head = {
            "query": results.query,
            "count": results.count,
            "estimated": results.estimated,
            "cap": settings.SEARCH_EXPORT_CAP,
            "truncated": _truncated(results),
        }
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
        for i, row in enumerate(export_rows(request, results)):
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")


class SearchFeed(Feed):
    """New matches for a search, newest meeting first."""

    feed_type = SafeAtom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidSearch as invalid:
            return _bad_request(invalid)

    def get_object(self, request):
        params = request.GET.copy()
        params["sort"] = "newest"
        params.pop("page", None)
        results = search(params, limit=FEED_ITEMS, per_page=FEED_ITEMS, with_facets=False)
        results.querystring = request.GET.urlencode()
        results.feed_path = request.get_full_path()
        return results

    def feed_url(self, results):
        """rel="self": this feed with its query, not the bare /search/feed/."""
        return results.feed_path

    def title(self, results):
        return f"{settings.COUNCIL_NAME} archive: {results.query or 'all records'}"

    def link(self, results):
        return f"{reverse('search:search')}?{results.querystring}"

    def subtitle(self, results):
        return "New council records matching this search."

    def items(self, results):
        return results.rows

    def item_title(self, row):
        return f"{row.kind_label}: {row.title}"

    def item_description(self, row):
        # The summary is HTML to feed readers: escaped text with <mark>ed matches, never raw (a
        # SafeString, so SafeAtom1Feed writes it as type="html").
        return snippets.highlight(row.snippet)

    def item_link(self, row):
        return row.url

    def item_pubdate(self, row):
        if row.date:
            return timezone.make_aware(dt.datetime.combine(row.date, dt.time(9)))
        return row.record.document.created_at

    def item_updateddate(self, row):
        return row.record.document.created_at

    def item_categories(self, row):
        return [row.committee.name] if row.committee else []


search_feed = SearchFeed()
