"""The rows of a results page: model instances for the records shown, and only those, each with
its title, links, snippet (ts_headline for these rows only) and the other papers that print it.

The records of every kind shown, the meetings of the PDF pages among them and the other papers
printing them (issue 18) are read in one statement (search/batch.py), together with whatever
else the page reads then (the facets' names: query.search); each record comes with the council
its citation names (search/citation.py), so citing the rows reads nothing more. Links are
reversed once per URL name and page, not once per row (`Links`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from councilarchive.archive.models import Committee, Meeting
from councilarchive.archive.provenance import other_sources_query, sources_by_record
from councilarchive.search import snippets
from councilarchive.search.batch import Batch
from councilarchive.search.sources import SOURCE, Source

KIND_LABELS = {
    "resolution": "Resolution",
    "minutes": "Minutes",
    "agenda": "Agenda item",
    "report": "Report",
    "page": "PDF page",
}


@dataclass
class Result:
    """One row on the page."""

    kind: str
    title: str
    url: str
    pdf_url: str
    date: dt.date | None
    meeting: Meeting | None
    committee: Committee | None
    snippet: str  # with snippets.START/STOP markers; render with |highlight
    record: object
    rank: float
    also_in: list = field(default_factory=list)  # other papers printing it (RecordSource rows)
    matched_votes: list = field(default_factory=list)  # "Amendment lost": votes it was found by
    meeting_url: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


class Links:
    """URLs as the models' get_absolute_url() and pdf_url() spell them, each URL name reversed
    once (with stand-in keys, then filled in): a page of 20 rows reversed 60 times before."""

    KEYS = (2147480001, 2147480002)  # stand-ins no real key or number equals

    def __init__(self):
        self.patterns: dict[str, str] = {}

    def __call__(self, name: str, *keys) -> str:
        pattern = self.patterns.get(name)
        if pattern is None:
            pattern = self.patterns[name] = reverse(name, args=self.KEYS[: len(keys)])
        for stand_in, key in zip(self.KEYS, keys, strict=False):
            pattern = pattern.replace(str(stand_in), str(key))
        return pattern

    def pdf(self, document, page: int | None) -> str:
        url = self("archive:document_pdf", document.pk)
        return f"{url}#page={page}" if page else url


def rows_for(hits: list, text: str) -> list[Result]:
    """The rows for these hits, in order, in one statement."""
    batch = Batch()
    rows = rows_later(batch, hits, text)
    batch.run()
    return rows()


def rows_later(batch: Batch, hits: list, text: str):
    """Add the reads of the rows for these hits to `batch`; returns the function that, once the
    batch has run, gives the rows (Result) in the hits' order."""
    by_source: dict[str, list[int]] = {}
    for hit in hits:
        by_source.setdefault(hit.source, []).append(hit.pk)
    parts = {}
    for name, pks in by_source.items():
        source = SOURCE[name]
        queryset = (
            source.model.objects.filter(pk__in=pks)
            .select_related(*source.related)
            .defer(*source.deferred)
        )
        if text:
            queryset = queryset.annotate(headline=source.headline(text))
        parts[name] = batch.queryset(queryset)
    page_meetings = {h.meeting_id for h in hits if h.meeting_id and h.source == "page"}
    meetings = page_meetings and batch.queryset(
        Meeting.objects.filter(pk__in=page_meetings).select_related("committee__council")
    )
    condition = Q()
    for name in ("item", "resolution", "report"):
        if name in by_source:
            condition |= Q(**{f"{name}__in": by_source[name]})
    sources = condition and batch.queryset(other_sources_query(condition))

    def rows() -> list[Result]:
        records = {(name, r.pk): r for name, part in parts.items() for r in part.rows}
        meeting_of = {m.pk: m for m in meetings.rows} if meetings else {}
        also_in = sources_by_record(sources.rows) if sources else {}
        links, found = Links(), []
        for hit in hits:
            record = records.get((hit.source, hit.pk))
            if record is not None:
                row = describe(SOURCE[hit.source], hit, record, meeting_of, links)
                row.also_in = also_in.get((hit.source, hit.pk), [])
                found.append(row)
        return found

    return rows


def describe(source: Source, hit, record, meetings: dict, links: Links) -> Result:
    headline = getattr(record, "headline", None)
    if source.name == "resolution":
        meeting, document, page = record.item.meeting, record.document, record.page
        title = f"{record.item.title} {record.number}".strip()
        url, body = links("archive:resolution", record.pk), record.text
    elif source.name == "item":
        meeting, document, page = record.meeting, record.document, record.page_start
        title, url = str(record), f"{links('archive:meeting', meeting.pk)}#item-{record.pk}"
        body = record.text or record.title
    elif source.name == "report":
        meeting, document, page = record.meeting, record.document, record.page_start
        title, url = record.subject, links("archive:report", record.pk)
        body = record.summary or (record.body if headline is None else "")  # body: deferred
    else:
        meeting, document, page = meetings.get(hit.meeting_id), record.document, record.number
        title = f"{document}, page {record.number}"
        url, body = links("document_page", document.pk, record.number), record.text
    committee = meeting.committee if meeting else getattr(document, "committee", None)
    snippet = snippets.restore(headline) if headline is not None else snippets.excerpt(body)
    return Result(
        kind=hit.kind,
        title=title,
        url=url,
        pdf_url=links.pdf(document, page),
        date=meeting.date if meeting else hit.date,
        meeting=meeting,
        committee=committee,
        snippet=snippet,
        record=record,
        rank=hit.rank,
        meeting_url=links("archive:meeting", meeting.pk) if meeting else "",
    )
